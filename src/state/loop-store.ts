/**
 * The Feedback loop tab's state: the closed loop and the simulated A/B test as they run in loop
 * workers (src/worker/loop-worker.ts) — progress, each policy's rounds as they are measured, the
 * results — and the form's last settings. A store of its own: the loop builds its own world and
 * models and never touches the Training tab's run. One worker per job; Cancel ends it at once.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LoopWorkerToPage, PageToLoopWorker } from '../protocol/loop/messages';
import type { AbResult, LoopProgress, LoopResult, RoundMetrics } from '../protocol/loop/result';
import { defaultAbSettings, type AbRunArm, type AbSettings } from '../protocol/loop/ab-settings';
import { defaultLoopSettings, type LoopSettings, type PolicyId } from '../protocol/loop/settings';
import type { BackendReport } from '../protocol/training';

/** The part of a Worker the store uses (a fake in tests). */
export interface LoopWorkerLike {
  postMessage(message: PageToLoopWorker): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<LoopWorkerToPage>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

/** Starts one loop worker. */
export type LoopWorkerFactory = () => LoopWorkerLike;

/** Starts `src/worker/loop-worker.ts` as a module worker (Vite bundles it from this `new URL`). */
export const createLoopWorker: LoopWorkerFactory = () =>
  new Worker(new URL('../worker/loop-worker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as LoopWorkerLike;

/** Where a job stands. */
export type JobStatus = 'running' | 'done' | 'cancelled' | 'failed';

/** What every job shows. */
interface JobState {
  /** The job's id (messages of other jobs are ignored). */
  jobId: number;
  status: JobStatus;
  progress: LoopProgress | null;
  /** The backend, in words ("wasm (SIMD, 2 threads)"). */
  backend: string;
  /** Why it failed. */
  message: string;
  startedAt: number;
  seconds: number;
}

/** The closed loop on screen. */
export interface LoopRunState extends JobState {
  settings: LoopSettings;
  /** Each policy's rounds measured so far. */
  rounds: Partial<Record<PolicyId, RoundMetrics[]>>;
  result: LoopResult | null;
}

/** The A/B test on screen. */
export interface AbRunState extends JobState {
  settings: AbSettings;
  result: AbResult | null;
}

/** The Feedback loop store. */
export interface LoopState {
  /** The form's settings (the last run's, or the defaults). */
  loopSettings: LoopSettings;
  abSettings: AbSettings;
  loop: LoopRunState | null;
  ab: AbRunState | null;
  /**
   * The A/B form's choice of models (a preset or two arms, `parseAb`'s text): the last run's, or
   * what the form or a lesson's "A/B these arms" link set.
   */
  abChoice: string;
  /** Runs picked from files or kept runs loaded for the A/B form (`run:<name>` arms). */
  abRuns: AbRunArm[];
  setAbChoice(ab: string): void;
  /** Adds (or replaces, by name) a run the A/B form can name. */
  addAbRun(run: AbRunArm): void;
  startLoop(settings: LoopSettings): void;
  startAb(settings: AbSettings): void;
  cancelLoop(): void;
  cancelAb(): void;
}

/** "wasm (SIMD, 2 threads)". */
export function backendText(b: BackendReport): string {
  return b.note ? `${b.name} (${b.note})` : b.name;
}

/** Creates the store; `factory` starts a worker per job (the real one by default). */
export function createLoopStore(
  factory: LoopWorkerFactory = createLoopWorker,
  now: () => number = () => performance.now(),
): StoreApi<LoopState> {
  const workers: { loop: LoopWorkerLike | null; ab: LoopWorkerLike | null } = {
    loop: null,
    ab: null,
  };
  let nextJob = 1;
  return createStore<LoopState>()((set, get) => {
    /** Ends job `which`'s worker. */
    const stop = (which: 'loop' | 'ab') => {
      workers[which]?.terminate();
      workers[which] = null;
    };
    /** Applies `f` to job `which` if it is still job `jobId`. */
    const update = <K extends 'loop' | 'ab'>(
      which: K,
      jobId: number,
      f: (j: NonNullable<LoopState[K]>) => Partial<NonNullable<LoopState[K]>>,
    ) => {
      const j = get()[which];
      if (j && j.jobId === jobId)
        set({ [which]: { ...j, ...f(j as NonNullable<LoopState[K]>) } } as Partial<LoopState>);
    };
    const start = (which: 'loop' | 'ab', request: PageToLoopWorker) => {
      stop(which);
      const w = factory();
      workers[which] = w;
      const startedAt = now();
      const seconds = () => (now() - startedAt) / 1000;
      const finish = (patch: Partial<JobState> & Record<string, unknown>) => {
        update(which, request.jobId, () => ({ ...patch, seconds: seconds() }));
        if (workers[which] === w) stop(which);
      };
      w.onmessage = (e) => {
        const m = e.data;
        if (m.jobId !== request.jobId) return;
        if (m.type === 'loopBackend')
          update(which, request.jobId, () => ({ backend: backendText(m.backend) }));
        else if (m.type === 'loopProgress')
          update(which, request.jobId, () => ({ progress: m.progress, seconds: seconds() }));
        else if (m.type === 'loopRound')
          update('loop', request.jobId, (j) => ({
            rounds: { ...j.rounds, [m.policy]: [...(j.rounds[m.policy] ?? []), m.metrics] },
            seconds: seconds(),
          }));
        else if (m.type === 'loopDone' || m.type === 'abDone')
          finish({
            status: 'done',
            result: m.result,
            progress: { phase: 'round', fraction: 1, message: 'done' },
          });
        else if (m.type === 'loopFailed')
          finish({ status: m.cancelled ? 'cancelled' : 'failed', message: m.message });
      };
      w.onerror = (e) =>
        finish({ status: 'failed', message: e.message || 'the loop worker failed' });
      w.postMessage(request);
      return startedAt;
    };
    return {
      loopSettings: defaultLoopSettings(),
      abSettings: defaultAbSettings(),
      loop: null,
      ab: null,
      abChoice: defaultAbSettings().ab,
      abRuns: [],
      setAbChoice(ab) {
        set({ abChoice: ab });
      },
      addAbRun(run) {
        set({ abRuns: [...get().abRuns.filter((r) => r.name !== run.name), run] });
      },
      startLoop(settings) {
        const jobId = nextJob++;
        set({ loopSettings: settings });
        const startedAt = start('loop', { type: 'runLoop', jobId, settings });
        set({
          loop: {
            jobId,
            status: 'running',
            settings,
            progress: null,
            backend: '',
            message: '',
            startedAt,
            seconds: 0,
            rounds: {},
            result: null,
          },
        });
      },
      startAb(settings) {
        const jobId = nextJob++;
        set({ abSettings: settings, abChoice: settings.ab });
        const startedAt = start('ab', { type: 'runAb', jobId, settings });
        set({
          ab: {
            jobId,
            status: 'running',
            settings,
            progress: null,
            backend: '',
            message: '',
            startedAt,
            seconds: 0,
            result: null,
          },
        });
      },
      cancelLoop() {
        const j = get().loop;
        if (j?.status !== 'running') return;
        stop('loop');
        set({ loop: { ...j, status: 'cancelled', seconds: (now() - j.startedAt) / 1000 } });
      },
      cancelAb() {
        const j = get().ab;
        if (j?.status !== 'running') return;
        stop('ab');
        set({ ab: { ...j, status: 'cancelled', seconds: (now() - j.startedAt) / 1000 } });
      },
    };
  });
}

/** The app's Feedback loop store. */
export const loopStore = createLoopStore();

/** React hook on {@link loopStore}. */
export function useLoop<T>(selector: (s: LoopState) => T): T {
  return useStore(loopStore, selector);
}
