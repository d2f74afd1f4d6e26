/**
 * The options and progress of an experiment run (`runExperiment`, ./runner.ts; a loop lesson's
 * `runLoopExperiment`, ./loop-lesson.ts): a leaf both import, so neither imports the other's
 * types back.
 */
import type { LessonProgressMessage } from '../../protocol/experiment';
import type { World } from '../../sim/types';

/**
 * Progress of an experiment, reported per variant and repeat: the lesson worker's progress
 * message without its envelope (`src/protocol/experiment.ts`), so the two cannot drift apart.
 */
export type ExperimentProgress = Omit<LessonProgressMessage, 'type' | 'jobId'>;

/** Options of {@link runExperiment}. */
export interface RunOptions {
  /** World seed (and the base of the repeats' training seeds); default 7. */
  seed?: number;
  /** Override the spec's repeats or steps (tests, quick looks). */
  repeats?: number;
  steps?: number;
  /** Only these variants (default: every variant but the optional ones, `Variant.optional`). */
  variants?: string[];
  signal?: AbortSignal;
  onProgress?: (p: ExperimentProgress) => void;
  /** Called between steps (e.g. yield to the event loop so a worker hears a cancel). */
  between?: () => Promise<void>;
  /** A world already built with these settings (shared by several experiments). */
  world?: World;
  now?: () => number;
}
