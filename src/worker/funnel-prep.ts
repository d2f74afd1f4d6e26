/**
 * What the Funnel view's next request needs that no request changes, computed ahead while the
 * worker is idle (idle-prep.ts; docs/performance.md#the-funnel-view), in short steps:
 *
 * - **the ceiling**: the oracle's best videos among every live one for each of the view's
 *   held-out queries (serve/oracle-best.ts: memoised per world, user and time, so done once
 *   per world — the request then reads them);
 * - **the index** of the current step (funnel-index.ts `prepareFunnelIndex`: cold the first
 *   time, else warm-started from the kept one), which the next request at this step reuses;
 * - **the candidates' columns**: the features and oracle terms of each query's exact and IVF
 *   top N_max at this step (the default nprobe), kept per query (serve/candidate-cache.ts)
 *   for the request's untimed rankings — world-only values, kept across steps, so after the
 *   first time only the videos new to a query's lists are computed — and the queries' live
 *   masks (serve/funnel.ts `keptLiveMask`);
 * - **a warm-up**, once per worker: the request's own code on one query (its answer dropped),
 *   so that the first request does not compile it (JIT) on the clock.
 *
 * All of it is what the request would compute itself, the same to the bit: preparing it
 * changes no figure of the answer, only when the work is done.
 */
import { BlockedItems, exactTopN } from '../serve/exact';
import { cachedHistory, keepCandidateColumns } from '../serve/candidate-cache';
import { funnelQueries, keptLiveMask, type FunnelQuery } from '../serve/funnel';
import { oracleBest, ORACLE_KEEP } from '../serve/oracle-best';
import { defaultRankingOptions } from '../sim/ranking-examples';
import { FUNNEL_NS, SERVING_PARAMS } from '../protocol/params';
import { keptFunnelIndex, prepareFunnelIndex } from './funnel-index';
import type { TrainingSession } from './session';
import { funnelFiguresOf, funnelRows } from './session-views';

/** What one step of the preparation did. */
export type FunnelPrepPart = 'ceiling' | 'index' | 'columns' | 'warm-up';

/**
 * One step: what it did, or a promise of it (a step that waits for the backend, e.g. the user
 * tower's output; the host awaits it before anything else).
 */
export type FunnelPrepStep = FunnelPrepPart | Promise<FunnelPrepPart>;

/** Queries whose ceiling one step asks the oracle for (a few ms each on the default world). */
export const CEILING_QUERIES_PER_STEP = 4;

/** Whether a preparation ran the warm-up in this worker (compiled code stays compiled). */
let warmedUp = false;

/** Queries of the warm-up requests (their answers are dropped). */
export const WARM_UP_QUERIES = 1;
/** The warm-up's middle N, between the least and the largest of the view. */
const WARM_UP_N = 200;

/**
 * The preparation for the session at its current step, one short piece of work per `next()`
 * (each yields what it did). The session must not take a training step before it is done or
 * dropped: a new step needs a new preparation (what is done stays done: the ceiling and the
 * columns are kept per world, a begun index build of an older step is dropped). Abandon it
 * with `return()`, which frees what it holds.
 */
export function* funnelPreparation(s: TrainingSession): Generator<FunnelPrepStep, void> {
  const { world, test } = s.data;
  const rows = funnelRows(s);
  yield 'ceiling';
  const maskAt = (time: number): Uint8Array => keptLiveMask(world, time);
  const maxWatches = defaultRankingOptions.maxWatches;
  for (let i = 0; i < rows.length; i += CEILING_QUERIES_PER_STEP) {
    for (const r of rows.subarray(i, i + CEILING_QUERIES_PER_STEP)) {
      const time = test.time[r];
      // The memo keeps the best ORACLE_KEEP whatever k is asked: every k of the view is a prefix.
      oracleBest(
        world,
        cachedHistory(world, test.user[r], time, maxWatches),
        maskAt(time),
        ORACLE_KEEP,
      );
    }
    yield 'ceiling';
  }
  while (!prepareFunnelIndex(s)) yield 'index';
  yield 'index';

  // The candidates' columns: each query's exact and IVF top N_max, as the request retrieves them.
  const c = s.candidate;
  const index = keptFunnelIndex(s)?.index;
  let queries: FunnelQuery[] = [];
  // The user tower's output is read asynchronously: the host awaits this step before the next.
  yield funnelQueries(c, test, rows).then((r) => {
    queries = r.queries;
    return 'columns' as const;
  });
  const items = { vectors: c.videoOut.weights, count: world.videos.count, dim: c.d };
  const nMax = Math.max(...FUNNEL_NS);
  const nprobe = SERVING_PARAMS.nprobe.default;
  const blocked = BlockedItems.prepare(items, c.videoBias.weights);
  try {
    yield 'columns';
    for (const q of queries) {
      const mask = maskAt(q.time);
      const exact = blocked
        ? blocked.topN(q.u, nMax, { mask })[0]
        : exactTopN(items, q.u, nMax, { bias: c.videoBias.weights, mask });
      keepCandidateColumns(world, q.user, q.time, maxWatches, exact.ids);
      if (index) {
        const approx = index.search(q.u, nMax, nprobe, mask);
        keepCandidateColumns(world, q.user, q.time, maxWatches, approx.ids);
      }
      yield 'columns';
    }
  } finally {
    blocked?.dispose();
  }
  // The warm-up, once per worker: the request's own code on one of its queries at N = 10, 200
  // and N_max (three steps, the compiling spread over them), the answers dropped, so that the
  // first request does not pay for compiling that code (JIT) on the clock.
  if (warmedUp) return;
  warmedUp = true;
  for (const n of [Math.min(...FUNNEL_NS), WARM_UP_N, nMax])
    yield funnelFiguresOf(
      s,
      SERVING_PARAMS.funnelK.default,
      nprobe,
      null,
      () => performance.now(),
      rows.subarray(0, WARM_UP_QUERIES),
      [n],
    ).then(() => 'warm-up' as const);
}
