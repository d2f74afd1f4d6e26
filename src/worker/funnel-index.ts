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
 *
 * Once the view has been asked in a run, the training host also rebuilds the index when
 * training pauses ({@link prepareFunnelIndex}), so that a request after the pause finds it
 * built (its `buildMs` is still the build's own time; the request did not pay it).
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
  /** Whether it was built when training paused ({@link prepareFunnelIndex}), before a request. */
  preparedAhead?: boolean;
}

/** The latest index per candidate model (a new run or a restored one has another model). */
const kept = new WeakMap<object, FunnelIndex & { cold: number }>();

/** The session's index at its current step: kept, warm-started from the last one, or cold. */
export function funnelIndexAt(s: TrainingSession): FunnelIndex {
  const c = s.candidate;
  const last = kept.get(c);
  if (last && last.step === s.step) return last;
  return build(s, last);
}

/**
 * When training pauses: if the Funnel view was asked earlier in this run (an index is kept for
 * the session's candidate model) at an earlier step, builds the index of the current step now —
 * the index {@link funnelIndexAt} would build at the next request, warm-started from the kept
 * one — and returns it; otherwise builds nothing (a run whose view was never asked pays
 * nothing) and returns null. A product choice (docs/performance.md#the-funnel-view): the
 * pause pays the build (0.1–0.3 s on the default world) instead of the next request.
 */
export function prepareFunnelIndex(s: TrainingSession): FunnelIndex | null {
  const last = kept.get(s.candidate);
  if (!last || last.step >= s.step) return null;
  const next = build(s, last);
  next.preparedAhead = true;
  return next;
}

/** The index kept for the session's candidate model, if any (benches and tests). */
export function keptFunnelIndex(s: TrainingSession): FunnelIndex | undefined {
  return kept.get(s.candidate);
}

/** Builds the index of the session's current step (warm from `last` when it is earlier) and keeps it. */
function build(
  s: TrainingSession,
  last: (FunnelIndex & { cold: number }) | undefined,
): FunnelIndex {
  const c = s.candidate;
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
