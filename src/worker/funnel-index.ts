/**
 * The Funnel view's IVF index of a session's video vectors (docs/performance.md#the-funnel-view),
 * kept between requests:
 *
 * - at the step it was built for, it is reused as it is;
 * - at a later step of the same run, it is rebuilt on the current vectors with its k-means
 *   **warm-started** from the kept index's centres: {@link WARM_ITERATIONS} Lloyd iterations
 *   on the same seeded sample instead of k-means++ and 8 iterations, then every video filed
 *   again in its nearest list (a few tenths of a second less per request; FAISS-style indexes
 *   are likewise trained once and refreshed);
 * - the first time (or after the run went back to an earlier step) it is built cold, as
 *   `IvfIndex.build` does by default.
 *
 * A warm-started index depends on the step its centres came from, so on when the view was
 * asked before: the answer says which (`index.warm`) and the page shows it.
 */
import { IvfIndex } from '../serve/ivf';
import type { TrainingSession } from './session';

/** Lloyd iterations of a warm-started rebuild (a cold build runs k-means++ and 8). */
export const WARM_ITERATIONS = 2;

/** An index of the video vectors at `step`, and how its k-means started. */
export interface FunnelIndex {
  index: IvfIndex;
  /** Training step of the vectors it holds. */
  step: number;
  /**
   * Absent: built cold (k-means++, 8 iterations). Present: its k-means started from the
   * centres of the index of step `from` and ran `iterations` Lloyd iterations; `cold` is the
   * step of the cold build the chain of warm starts began with.
   */
  warm?: { from: number; cold: number; iterations: number };
}

/** The latest index per candidate model (a new run or a restored one has another model). */
const kept = new WeakMap<object, FunnelIndex & { cold: number }>();

/** The session's index at its current step: kept, warm-started from the last one, or cold. */
export function funnelIndexAt(s: TrainingSession): FunnelIndex {
  const c = s.candidate;
  const last = kept.get(c);
  if (last && last.step === s.step) return last;
  const items = { vectors: c.videoOut.weights, count: s.data.world.videos.count, dim: c.d };
  const warmable = last && last.step < s.step;
  const index = IvfIndex.build(
    items,
    c.videoBias.weights,
    warmable ? { from: last.index.centroids, iterations: WARM_ITERATIONS } : {},
  );
  const next: FunnelIndex & { cold: number } = warmable
    ? {
        index,
        step: s.step,
        cold: last.cold,
        warm: { from: last.step, cold: last.cold, iterations: WARM_ITERATIONS },
      }
    : { index, step: s.step, cold: s.step };
  kept.set(c, next);
  return next;
}
