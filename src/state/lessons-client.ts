/**
 * Runs a lesson's experiment in lesson workers (src/worker/lesson-worker.ts): the variants are
 * split over as many workers as the cores allow (each builds the same seeded world, so each
 * variant trains on the same data whatever the split), and their results are merged into one
 * {@link ExperimentResult}. Progress and the backend are passed on as the workers send them.
 */
import type {
  LessonProgressMessage,
  LessonWorkerToPage,
  PageToLessonWorker,
} from '../protocol/experiment';
import type { BackendReport } from '../protocol/training';
import type { ExperimentResult } from '../protocol/lessons/summary';

/** The part of a Worker the client uses (a fake in tests). */
export interface LessonWorkerLike {
  postMessage(message: PageToLessonWorker): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<LessonWorkerToPage>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

/** Starts one lesson worker. */
export type LessonWorkerFactory = () => LessonWorkerLike;

/** Starts `src/worker/lesson-worker.ts` as a module worker (Vite bundles it from this `new URL`). */
export const createLessonWorker: LessonWorkerFactory = () =>
  new Worker(new URL('../worker/lesson-worker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as LessonWorkerLike;

/** What to run. */
export interface LessonRun {
  lesson: string;
  seed: number;
  /** The lesson's variant ids, in its order (split over the workers). */
  variants: string[];
  steps?: number;
  repeats?: number;
}

/** Callbacks of a running lesson. */
export interface LessonCallbacks {
  onBackend?(backend: BackendReport): void;
  onProgress?(p: LessonProgressMessage): void;
}

/** A running lesson: its result (rejected with `cancelled` or the failure) and its cancel. */
export interface LessonJob {
  result: Promise<ExperimentResult>;
  cancel(): void;
  /** Workers the variants were split over. */
  workers: number;
}

/** The message of a cancelled lesson's rejection. */
export const LESSON_CANCELLED = 'cancelled';

/**
 * How many workers for `variants` variants on a machine of `cores` logical cores: one per two
 * cores (each worker's WASM backend runs threads of its own), at least one, at most one per
 * variant.
 */
export function lessonWorkerCount(variants: number, cores: number): number {
  return Math.max(1, Math.min(variants, Math.floor(cores / 2)));
}

/** Splits `ids` round-robin into `n` groups (each non-empty when n ≤ ids.length). */
export function splitVariants(ids: readonly string[], n: number): string[][] {
  const groups: string[][] = Array.from({ length: n }, () => []);
  ids.forEach((id, i) => groups[i % n].push(id));
  return groups.filter((g) => g.length > 0);
}

/**
 * Merges the results of jobs that ran disjoint variants of one lesson on one seed: runs in
 * (repeat, lesson variant order), the world and sizes of the first, world seconds the largest,
 * `seconds` the wall time measured by the page.
 */
export function mergeResults(
  parts: ExperimentResult[],
  variantOrder: readonly string[],
  seconds: number,
): ExperimentResult {
  const order = new Map(variantOrder.map((id, i) => [id, i]));
  const runs = parts
    .flatMap((p) => p.runs)
    .sort((a, b) => a.repeat - b.repeat || order.get(a.variant)! - order.get(b.variant)!);
  return {
    ...parts[0],
    worldSeconds: Math.max(...parts.map((p) => p.worldSeconds)),
    seconds,
    runs,
  };
}

let lastJob = 0;

/** Runs `run` over {@link lessonWorkerCount} workers. */
export function startLesson(
  run: LessonRun,
  callbacks: LessonCallbacks = {},
  createWorker: LessonWorkerFactory = createLessonWorker,
  cores: number = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2,
  now: () => number = () => performance.now(),
): LessonJob {
  const t0 = now();
  const groups = splitVariants(run.variants, lessonWorkerCount(run.variants.length, cores));
  const workers: LessonWorkerLike[] = [];
  let settled = false;
  let rejectAll: (e: Error) => void = () => {};
  const parts = groups.map(
    (variants) =>
      new Promise<ExperimentResult>((resolve, reject) => {
        const jobId = ++lastJob;
        const w = createWorker();
        workers.push(w);
        w.onmessage = (event) => {
          const m = event.data;
          if (m.jobId !== jobId || settled) return;
          if (m.type === 'lessonBackend') callbacks.onBackend?.(m.backend);
          else if (m.type === 'lessonProgress') callbacks.onProgress?.(m);
          else if (m.type === 'lessonDone') resolve(m.result);
          else reject(new Error(m.cancelled ? LESSON_CANCELLED : m.message));
        };
        w.onerror = (event) =>
          reject(new Error(`the lesson worker stopped: ${event.message || 'an uncaught error'}`));
        w.postMessage({
          type: 'runLesson',
          jobId,
          lesson: run.lesson,
          seed: run.seed,
          variants,
          ...(run.steps ? { steps: run.steps } : {}),
          ...(run.repeats ? { repeats: run.repeats } : {}),
        });
      }),
  );
  const stop = () => {
    for (const w of workers) w.terminate();
  };
  const result = new Promise<ExperimentResult>((resolve, reject) => {
    rejectAll = reject;
    Promise.all(parts).then(
      (results) => resolve(mergeResults(results, run.variants, (now() - t0) / 1000)),
      (e: Error) => reject(e),
    );
  }).finally(() => {
    settled = true;
    stop();
  });
  return {
    result,
    workers: groups.length,
    cancel() {
      if (settled) return;
      rejectAll(new Error(LESSON_CANCELLED));
    },
  };
}
