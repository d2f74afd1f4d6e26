/**
 * The Lessons tab's state: which lesson and chapter are open, and the lesson's experiment as it
 * runs in lesson workers (state/lessons-client.ts) — progress of every run (variant × repeat),
 * the curves as they are evaluated, and, once runs finish, the table and the verdicts computed
 * from them (protocol/lessons/summary.ts). A store of its own: a lesson runs beside the
 * Training tab's run and never touches it.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LessonProgressMessage } from '../protocol/experiment';
import { LESSONS, lessonById } from '../protocol/lessons/lessons';
import { lessonWith, type LessonSpec } from '../protocol/lessons/spec';
import { LESSON_EXTRAS } from '../protocol/params';
import {
  summarise,
  type CurvePoint,
  type ExperimentResult,
  type RunRecord,
  type Summary,
} from '../protocol/lessons/summary';
import { LESSON_CANCELLED, startLesson, type LessonJob, type LessonRun } from './lessons-client';

/** One run (variant × repeat) as the page sees it. */
export interface RunProgress {
  variant: string;
  repeat: number;
  step: number;
  steps: number;
  curve: CurvePoint[];
  finished: RunRecord | null;
}

/** Where a lesson's experiment stands. */
export type LessonStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/** The lesson's experiment on screen. */
export interface LessonRunState {
  lesson: string;
  status: LessonStatus;
  seed: number;
  /** Steps and repeats of this run (the lesson's unless overridden). */
  steps: number;
  repeats: number;
  /** Backend the workers train on (e.g. "wasm (SIMD, 2 threads)"). */
  backend: string;
  workers: number;
  /** Keyed `${variant}#${repeat}`. */
  runs: Record<string, RunProgress>;
  /** The merged result once every run finished. */
  result: ExperimentResult | null;
  /** Table and verdicts of the runs finished so far (null before the first). */
  summary: Summary | null;
  /** Why it failed. */
  message: string;
  startedAt: number;
  seconds: number;
}

/** The Lessons store. */
export interface LessonsState {
  /** Open lesson's id. */
  lesson: string;
  /** Open chapter (1-based). */
  chapter: number;
  /** Steps and repeats of the next Run when not the lesson's own (0: its own); in the URL. */
  steps: number;
  repeats: number;
  /** Sets the Run's steps and repeats (0: the lesson's own). */
  setSize(size: { steps?: number; repeats?: number }): void;
  run: LessonRunState | null;
  /** The open lesson's optional variants switched on for the next Run (`Variant.optional`). */
  extras: string[];
  /** Switches the open lesson's optional variants `ids` on (the others off). */
  setExtras(ids: string[]): void;
  /**
   * The URL's `lessonExtras`: switches on those of its ids that are optional variants of the
   * open lesson (an id of another lesson's is left off), the others off.
   */
  setExtrasFromUrl(switchedOn: Readonly<Record<string, boolean>>): void;
  open(lesson: string, chapter?: number): void;
  setChapter(chapter: number): void;
  /** Runs the open lesson on world `seed` (steps/repeats override the lesson's: a quick look). */
  start(seed: number, overrides?: { steps?: number; repeats?: number }): void;
  cancel(): void;
}

/** Starts a lesson (the real workers in the app; a fake in tests). */
export type StartLesson = (
  run: LessonRun,
  callbacks: Parameters<typeof startLesson>[1],
) => LessonJob;

const key = (variant: string, repeat: number) => `${variant}#${repeat}`;

/** The partial result of the runs finished so far (for a live table). */
function partialResult(spec: LessonSpec, r: LessonRunState): ExperimentResult | null {
  const runs = Object.values(r.runs)
    .map((p) => p.finished)
    .filter((x): x is RunRecord => x !== null);
  if (runs.length === 0) return null;
  return {
    lesson: spec.id,
    seed: r.seed,
    backend: r.backend,
    world: {
      videos: Number(spec.base.world.videos ?? NaN),
      users: Number(spec.base.world.users ?? NaN),
      watches: NaN,
    },
    steps: r.steps,
    repeats: r.repeats,
    evalExamples: spec.base.evalExamples,
    rankPages: spec.base.rankPages,
    worldSeconds: NaN,
    seconds: NaN,
    runs,
  };
}

/** Creates the Lessons store; `start` runs an experiment (lesson workers by default). */
export function createLessonsStore(
  start: StartLesson = (run, callbacks) => startLesson(run, callbacks),
  now: () => number = () => performance.now(),
): StoreApi<LessonsState> {
  let job: LessonJob | null = null;
  return createStore<LessonsState>()((set, get) => {
    /** Updates the run on screen if it is still `lesson`'s run started at `startedAt`. */
    const update = (startedAt: number, f: (r: LessonRunState) => Partial<LessonRunState>) => {
      const r = get().run;
      if (r && r.startedAt === startedAt) set({ run: { ...r, ...f(r) } });
    };
    return {
      lesson: LESSONS[0].id,
      chapter: 1,
      steps: 0,
      repeats: 0,
      run: null,
      extras: [],

      setExtras(ids) {
        set({ extras: [...ids] });
      },

      setExtrasFromUrl(switchedOn) {
        const own = lessonById(get().lesson)?.variants.filter((v) => v.optional) ?? [];
        set({ extras: own.filter((v) => switchedOn[v.id]).map((v) => v.id) });
      },

      setSize({ steps, repeats }) {
        const ok = (x: number | undefined) => x !== undefined && Number.isInteger(x) && x >= 0;
        set({
          ...(ok(steps) ? { steps } : {}),
          ...(ok(repeats) ? { repeats } : {}),
        });
      },

      open(lesson, chapter = 1) {
        if (!lessonById(lesson)) return;
        if (lesson !== get().lesson) {
          get().cancel();
          set({ steps: 0, repeats: 0, extras: [] });
        }
        set({ lesson, chapter: Math.max(1, Math.floor(chapter)) });
      },

      setChapter(chapter) {
        set({ chapter: Math.max(1, Math.floor(chapter)) });
      },

      start(seed, overrides = {}) {
        const full = lessonById(get().lesson);
        if (!full) return;
        const spec = lessonWith(full, get().extras);
        get().cancel();
        const startedAt = now();
        const steps = overrides.steps ?? spec.base.steps;
        const repeats = overrides.repeats ?? spec.repeats;
        const runs: Record<string, RunProgress> = {};
        for (let r = 0; r < repeats; r++)
          for (const v of spec.variants)
            runs[key(v.id, r)] = {
              variant: v.id,
              repeat: r,
              step: 0,
              steps,
              curve: [],
              finished: null,
            };
        set({
          run: {
            lesson: spec.id,
            status: 'running',
            seed,
            steps,
            repeats,
            backend: '',
            workers: 0,
            runs,
            result: null,
            summary: null,
            message: '',
            startedAt,
            seconds: 0,
          },
        });
        const onProgress = (m: LessonProgressMessage) =>
          update(startedAt, (r) => {
            const k = key(m.variant, m.repeat);
            const old = r.runs[k];
            if (!old) return {};
            const next: RunProgress = {
              ...old,
              step: m.step,
              curve: m.point ? [...old.curve, m.point] : old.curve,
              finished: m.finished ?? old.finished,
            };
            const withRun = { ...r, runs: { ...r.runs, [k]: next } };
            const partial = m.finished ? partialResult(spec, withRun) : null;
            return {
              runs: withRun.runs,
              seconds: (now() - startedAt) / 1000,
              ...(partial ? { summary: summarise(spec, partial) } : {}),
            };
          });
        job = start(
          { lesson: spec.id, seed, variants: spec.variants.map((v) => v.id), steps, repeats },
          {
            onBackend: (b) =>
              update(startedAt, () => ({ backend: b.note ? `${b.name} (${b.note})` : b.name })),
            onProgress,
          },
        );
        update(startedAt, () => ({ workers: job?.workers ?? 1 }));
        job.result.then(
          (result) =>
            update(startedAt, () => ({
              status: 'done',
              result,
              summary: summarise(spec, result),
              seconds: result.seconds,
            })),
          (e: Error) =>
            update(startedAt, () => ({
              status: e.message === LESSON_CANCELLED ? 'cancelled' : 'failed',
              message: e.message,
              seconds: (now() - startedAt) / 1000,
            })),
        );
      },

      cancel() {
        job?.cancel();
        job = null;
      },
    };
  });
}

/** The app's Lessons store. */
export const lessonsStore = createLessonsStore();

/** `extras` as the URL's `lessonExtras` switches: one per optional variant id of any lesson. */
export function lessonExtrasOf(extras: readonly string[]): Record<string, boolean> {
  return Object.fromEntries(LESSON_EXTRAS.map((id) => [id, extras.includes(id)]));
}

/** React hook on the Lessons store. */
export function useLessons<T>(select: (s: LessonsState) => T): T {
  return useStore(lessonsStore, select);
}
