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
 * A warm-started index depends on the step its centres came from, so on when it was built
 * before (by a request, or ahead): the answer says which (`index.warm`) and the page shows it.
 *
 * While the worker is idle, its preparation (idle-prep.ts, funnel-prep.ts) builds the index of
 * the current step in short steps ({@link prepareFunnelIndex}), whether or not the view was
 * asked yet, so that a request after a pause finds it built (its `buildMs` is still the build's
 * own time; the request did not pay it); a request that finds a build begun finishes it.
 */
import { IvfIndex } from '../serve/ivf';
import { finish } from '../serve/kmeans';
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
  /** Whether it was built ahead, while the worker was idle ({@link prepareFunnelIndex}). */
  preparedAhead?: boolean;
}

/** The latest index per candidate model (a new run or a restored one has another model). */
const kept = new WeakMap<object, FunnelIndex & { cold: number }>();

/** A build of the index of one step under way, per candidate model ({@link prepareFunnelIndex}). */
const pending = new WeakMap<object, { step: number; steps: Generator<void, FunnelIndex> }>();

/** The session's index at its current step: kept, warm-started from the last one, or cold. */
export function funnelIndexAt(s: TrainingSession): FunnelIndex {
  const c = s.candidate;
  const last = kept.get(c);
  if (last && last.step === s.step) return last;
  // A build of this step begun while the worker was idle: finished here, not started again.
  const begun = pendingAt(s);
  if (begun) {
    pending.delete(c);
    return finish(begun);
  }
  return finish(build(s, last));
}

/**
 * One step of building, while the worker is idle (src/worker/idle-prep.ts), the index
 * {@link funnelIndexAt} would build for the session's current step — cold when none is kept,
 * else warm-started from the kept one — so that the next request finds it built. Each call
 * does a few milliseconds to a few tens of them (`IvfIndex.buildSteps`: rounds of k-means++, a
 * Lloyd iteration, a block of videos filed); a build of an earlier step (training went on) is
 * dropped. Returns true when the index of the current step is kept (nothing left to do).
 * A product choice (docs/performance.md#the-funnel-view): the worker's idle time pays the
 * build, whether or not the view is ever asked, instead of the next request.
 */
export function prepareFunnelIndex(s: TrainingSession): boolean {
  const c = s.candidate;
  const last = kept.get(c);
  if (last && last.step === s.step) return true;
  let begun = pendingAt(s);
  if (!begun) {
    begun = build(s, last);
    pending.set(c, { step: s.step, steps: begun });
  }
  const r = begun.next();
  if (!r.done) return false;
  pending.delete(c);
  r.value.preparedAhead = true;
  return true;
}

/** Drops a build under way for the session's model, freeing its tensors (the run ends). */
export function dropPendingFunnelIndex(s: TrainingSession): void {
  const p = pending.get(s.candidate);
  if (!p) return;
  pending.delete(s.candidate);
  p.steps.return(undefined as never);
}

/** The index kept for the session's candidate model, if any (benches and tests). */
export function keptFunnelIndex(s: TrainingSession): FunnelIndex | undefined {
  return kept.get(s.candidate);
}

/** The build under way for the session's current step, if any; one of an earlier step is dropped. */
function pendingAt(s: TrainingSession): Generator<void, FunnelIndex> | null {
  const p = pending.get(s.candidate);
  if (!p) return null;
  if (p.step === s.step) return p.steps;
  pending.delete(s.candidate);
  p.steps.return(undefined as never); // frees the k-means' tensors
  return null;
}

/**
 * Builds, in steps, the index of the session's current step (warm from `last` when it is
 * earlier) and keeps it when done. The vectors are copied at the first step.
 */
function* build(
  s: TrainingSession,
  last: (FunnelIndex & { cold: number }) | undefined,
): Generator<void, FunnelIndex> {
  const c = s.candidate;
  const step = s.step;
  const items = { vectors: c.videoOut.weights, count: s.data.world.videos.count, dim: c.d };
  const warmable = last && last.step < step;
  const index = yield* IvfIndex.buildSteps(
    items,
    c.videoBias.weights,
    warmable ? { from: last.index.centroids, iterations: WARM_ITERATIONS } : {},
  );
  const next: FunnelIndex & { cold: number } = warmable
    ? {
        index,
        step,
        cold: last.cold,
        warm: { from: last.step, cold: last.cold, iterations: WARM_ITERATIONS },
      }
    : { index, step, cold: step };
  kept.set(c, next);
  return next;
}
