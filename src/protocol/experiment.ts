/**
 * Messages between the page and a lesson worker (`src/worker/lesson-worker.ts`), which runs one
 * experiment of a lesson (docs/lessons.md) with the shared runner: its own worker, apart from
 * the training worker, so a lesson runs while the Training tab's run stays as it is. One worker
 * per job; a job may run a subset of the lesson's variants (the page splits variants over
 * workers as the cores allow and merges the results).
 */
import type { BackendReport } from './training';
import type { CurvePoint, ExperimentResult, RunRecord } from './lessons/summary';

/** Runs lesson `lesson` on the world of `seed`. */
export interface RunLessonRequest {
  type: 'runLesson';
  jobId: number;
  /** A lesson id of `LESSONS` (`logq`, `negatives`, …). */
  lesson: string;
  /** World seed (and the base of the repeats' training seeds). */
  seed: number;
  /** Only these variants (default: all). */
  variants?: string[];
  /** Override the lesson's steps or repeats (a quick look; the verdict says how few). */
  steps?: number;
  repeats?: number;
}

/** Stops the job between two steps; it answers `lessonFailed` with `cancelled: true`. */
export interface CancelLessonRequest {
  type: 'cancelLesson';
  jobId: number;
}

/** Everything the page may send a lesson worker. */
export type PageToLessonWorker = RunLessonRequest | CancelLessonRequest;

/** The backend the job trains on (sent once, before the world is built). */
export interface LessonBackendMessage {
  type: 'lessonBackend';
  jobId: number;
  backend: BackendReport;
}

/**
 * Progress of one run (variant × repeat): its step, and the evaluation just made (`point`) or,
 * on its last report, the whole run (`finished`).
 */
export interface LessonProgressMessage {
  type: 'lessonProgress';
  jobId: number;
  variant: string;
  repeat: number;
  step: number;
  steps: number;
  /** Runs of this job finished before this one, and all runs of this job. */
  runsDone: number;
  runs: number;
  point?: CurvePoint;
  finished?: RunRecord;
}

/** The job's result: every run it trained. */
export interface LessonDoneMessage {
  type: 'lessonDone';
  jobId: number;
  result: ExperimentResult;
}

/** The job stopped: cancelled, or failed with `message`. */
export interface LessonFailedMessage {
  type: 'lessonFailed';
  jobId: number;
  message: string;
  cancelled: boolean;
}

/** Everything a lesson worker may send. */
export type LessonWorkerToPage =
  LessonBackendMessage | LessonProgressMessage | LessonDoneMessage | LessonFailedMessage;
