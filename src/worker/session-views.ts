/**
 * What the Sampled-softmax, Funnel and Embeddings views ask of a running {@link TrainingSession}:
 * the focus user's query, their softmax against sampled softmax's view of it, and the funnel
 * served on held-out session starts. Pure functions of the session's current weights; the host
 * calls them between two training steps.
 */
import { STUDY_PARAMS, checkValue } from '../protocol/params';
import { makeSampler } from '../model/candidate/sampled-softmax/samplers';
import {
  negativesBiasSweep,
  softmaxBias,
  userScores,
  type BiasSummary,
} from '../model/softmax-bias';
import { BlockedItems, exactTopN } from '../serve/exact';
import {
  funnelAtEachN,
  funnelQueries,
  funnelSweep,
  keptLiveMask,
  liveMask,
  type FunnelPoint,
  type FunnelQuery,
  type FunnelSweep,
} from '../serve/funnel';
import { labelRanks } from '../serve/label-rank';
import { recallAtK } from '../serve/recall';
import { sessionStartRows } from '../sim/candidate-features';
import type { CandidateExamples } from '../sim/examples';
import { funnelIndexAt } from './funnel-index';
import type { TrainingSession } from './session';
import {
  BIAS_SWEEP_NEGATIVES,
  FUNNEL_NS,
  FUNNEL_QUERIES,
  SOFTMAX_SCATTER_ITEMS,
  type BiasFigures,
  type FunnelFigures,
  type FunnelMessage,
  type SoftmaxMessage,
  type SoftmaxRequest,
} from '../protocol/views';

/** The focus user served at one time: their example row and u (example age 0) [d]. */
export interface FocusQuery {
  user: number;
  examples: CandidateExamples;
  row: number;
  /** Serving time (days) and the actual next watch there. */
  time: number;
  label: number;
  u: Float32Array;
}

/**
 * The example row `user` is served at: their held-out next watch, or failing that their last
 * training example. `user` −1 = the user of the first held-out example. Throws a RangeError
 * naming the range when the user is out of range or has no example.
 */
export function focusRow(
  s: TrainingSession,
  user: number,
): { user: number; examples: CandidateExamples; row: number } {
  const { test, train, world } = s.data;
  const users = world.users.count;
  if (user === -1) {
    if (test.count > 0) return { user: test.user[0], examples: test, row: 0 };
    if (train.count > 0) return { user: train.user[0], examples: train, row: 0 };
    throw new RangeError('the world has no watches to serve');
  }
  if (!(Number.isInteger(user) && user >= 0 && user < users))
    throw new RangeError(`user must be an integer from 0 to ${users - 1}, got ${user}`);
  for (let r = 0; r < test.count; r++)
    if (test.user[r] === user) return { user, examples: test, row: r };
  for (let r = train.count - 1; r >= 0; r--)
    if (train.user[r] === user) return { user, examples: train, row: r };
  throw new RangeError(`user ${user} has no watches; choose another`);
}

/** The focus user's query with u from the candidate model as it stands. */
export async function focusQuery(s: TrainingSession, user: number): Promise<FocusQuery> {
  const f = focusRow(s, user);
  const { queries } = await funnelQueries(s.candidate, f.examples, [f.row]);
  const q = queries[0];
  return { ...f, time: q.time, label: q.label, u: q.u };
}

function biasFigures(b: BiasSummary): BiasFigures {
  return { tv: b.tv, kl: b.kl, massLogRatio: b.groups.map((g) => g.massLogRatio) };
}

/** Log-spaced 1-based ranks 1 … n (about 24 per decade, deduplicated). */
function logRanks(n: number): Int32Array {
  const out: number[] = [];
  for (let x = 0; ; x += 1 / 24) {
    const r = Math.round(10 ** x);
    if (r > n) break;
    if (out[out.length - 1] !== r) out.push(r);
  }
  if (out[out.length - 1] !== n) out.push(n);
  return Int32Array.from(out);
}

/**
 * Why a softmax request is invalid (naming the study's knob and its range, from the parameter
 * table's study rows), or null.
 */
export function checkSoftmax(
  r: Pick<SoftmaxRequest, 'sampler' | 'negatives' | 'alpha' | 'logQ'>,
): string | null {
  return (
    checkValue(STUDY_PARAMS.studySampler, r.sampler) ??
    checkValue(STUDY_PARAMS.studyNegatives, r.negatives) ??
    checkValue(STUDY_PARAMS.studyAlpha, r.alpha) ??
    checkValue(STUDY_PARAMS.studyLogQ, r.logQ)
  );
}

/** The user's `k` best videos by u·v + b among those live at their serving time, best first. */
export function bestVideos(s: TrainingSession, q: FocusQuery, k: number): Int32Array {
  const c = s.candidate;
  const world = s.data.world;
  const items = { vectors: c.videoOut.weights, count: world.videos.count, dim: c.d };
  return exactTopN(items, q.u, k, { bias: c.videoBias.weights, mask: liveMask(world, q.time) }).ids;
}

/**
 * The Sampled-softmax view's figures: the focus user's full softmax p over the videos live at
 * their serving time, sampled softmax's view p̂ with the request's sampler, K and logQ (with
 * accidental hits removed, as training does), the distribution training converges to, the bias
 * by popularity decile and against K, and the sampling distribution q by rank.
 */
export function softmaxFigures(
  s: TrainingSession,
  q: FocusQuery,
  r: SoftmaxRequest,
  now: () => number,
): Omit<SoftmaxMessage, 'type' | 'runId'> {
  const t0 = now();
  const { world, counts } = s.data;
  const n = world.videos.count;
  const c = s.candidate;
  const live = liveMask(world, q.time);
  const scores = userScores(q.u, c.videoOut.weights, n, c.videoBias.weights, live);
  const sampler = makeSampler(r.sampler, { numItems: n, counts, alpha: r.alpha });
  const seed = (s.params.trainSeed ^ 0x5eed) >>> 0;
  const b = softmaxBias(scores, sampler, {
    negatives: r.negatives,
    logQ: r.logQ,
    popularity: counts,
    seed,
  });
  const sweep = negativesBiasSweep(scores, sampler, {
    ks: BIAS_SWEEP_NEGATIVES,
    popularity: counts,
    seed,
    repeats: 16,
  }).map((p) => ({
    negatives: p.negatives,
    logQ: p.logQ,
    estimate: biasFigures(p.estimate),
    learned: biasFigures(p.learned),
  }));

  // Popularity deciles of the live videos by training label count (ties by id).
  const liveIds: number[] = [];
  for (let v = 0; v < n; v++) if (live[v]) liveIds.push(v);
  liveIds.sort((a, b) => counts[a] - counts[b] || a - b);
  const decileOf = new Uint8Array(n);
  const decileUpper = new Array<number>(10).fill(0);
  liveIds.forEach((v, i) => {
    const d = Math.min(9, Math.floor((i * 10) / liveIds.length));
    decileOf[v] = d;
    decileUpper[d] = counts[v];
  });

  // Scatter items: the user's top items by p, then an even stride over the rest of the live ones.
  const byP = [...liveIds].sort((a, b) => scores[b] - scores[a] || a - b);
  const head = Math.min(byP.length, Math.floor(SOFTMAX_SCATTER_ITEMS / 5));
  const picked = byP.slice(0, head);
  const rest = byP.length - head;
  const strideCount = Math.min(rest, SOFTMAX_SCATTER_ITEMS - head);
  for (let i = 0; i < strideCount; i++)
    picked.push(byP[head + Math.floor((i * rest) / strideCount)]);
  const items = Int32Array.from(picked);

  // The sampling distribution and the labels' popularity curve, each by its own rank.
  const qAll = sampler.probabilities();
  const qSorted = Float64Array.from(qAll).sort().reverse();
  let total = 0;
  for (let v = 0; v < n; v++) total += counts[v];
  const cSorted = Float64Array.from(counts).sort().reverse();
  const qRank = logRanks(n);

  return {
    step: s.step,
    user: q.user,
    sampler: r.sampler,
    negatives: r.negatives,
    alpha: r.alpha,
    logQ: r.logQ,
    items,
    full: Float32Array.from(items, (v) => b.full[v]),
    estimate: Float32Array.from(items, (v) => b.estimate[v]),
    learned: Float32Array.from(items, (v) => b.learned[v]),
    decile: Uint8Array.from(items, (v) => decileOf[v]),
    head,
    live: liveIds.length,
    bias: { estimate: biasFigures(b.summary), learned: biasFigures(b.learnedSummary) },
    decileUpper,
    qRank,
    q: Float32Array.from(qRank, (k) => qSorted[k - 1]),
    labelShare: Float32Array.from(qRank, (k) => (total > 0 ? cSorted[k - 1] / total : 0)),
    sweep,
    ms: now() - t0,
  };
}

/** N = 10, 20, 50, 100, … below `count`, then `count` itself. */
function curveNs(count: number): number[] {
  const out: number[] = [];
  for (let e = 1; 10 ** e < count; e++)
    for (const m of [1, 2, 5]) if (m * 10 ** e < count) out.push(m * 10 ** e);
  out.push(count);
  return out;
}

function funnelFigures(p: FunnelPoint): FunnelFigures {
  return {
    n: p.n,
    retrieved: p.retrieved,
    recall: p.recall,
    labelInTopK: p.labelInTopK,
    watchPerImpression: p.watchPerImpression,
    unrankedWatchPerImpression: p.unrankedWatchPerImpression,
    retrievalMs: p.retrievalMs,
    rankingMs: p.rankingMs,
  };
}

/** Whether a sweep's query is the focus user's: same user, time, label and u to the bit. */
function sameQuery(q: FunnelQuery, f: FocusQuery): boolean {
  if (q.user !== f.user || q.time !== f.time || q.label !== f.label) return false;
  if (q.u.length !== f.u.length) return false;
  for (let j = 0; j < q.u.length; j++) if (!Object.is(q.u[j], f.u[j])) return false;
  return true;
}

/** {@link funnelRows} per test split (they depend on the world only). */
const rowsOfSplit = new WeakMap<CandidateExamples, Int32Array>();

/**
 * The rows of the session's held-out candidate examples the Funnel view serves:
 * {@link FUNNEL_QUERIES} session starts spread evenly over the test split (fewer when it has
 * fewer). They depend on the world only, not on the models, so they are found once per split
 * (tens of milliseconds on the default world) and kept; the array is shared, not to be changed.
 */
export function funnelRows(s: TrainingSession): Int32Array {
  const { world, test } = s.data;
  let rows = rowsOfSplit.get(test);
  if (!rows) {
    const starts = sessionStartRows(world, test);
    const count = Math.min(FUNNEL_QUERIES, starts.length);
    rows = Int32Array.from(
      { length: count },
      (_, i) => starts[Math.floor((i * starts.length) / count)],
    );
    rowsOfSplit.set(test, rows);
  }
  return rows;
}

/**
 * The Funnel view's figures: {@link FUNNEL_QUERIES} held-out session starts served through
 * exact retrieval and an IVF index of the current video vectors (funnel-index.ts: its k-means
 * warm-started from the last request's index when there is one) for every N of
 * {@link FUNNEL_NS}, then ranked to the top `k`; the index's recall@100 against the exact top
 * 100; and the focus user's own funnel at each N (null when `focus` is null). `rows` and `ns`:
 * the test rows served and the N values (default {@link funnelRows} and {@link FUNNEL_NS};
 * fewer for the idle preparation's warm-up).
 */
export async function funnelFiguresOf(
  s: TrainingSession,
  k: number,
  nprobe: number,
  focus: FocusQuery | null,
  now: () => number,
  rows: Int32Array = funnelRows(s),
  ns: readonly number[] = FUNNEL_NS,
): Promise<Omit<FunnelMessage, 'type' | 'runId'>> {
  const t0 = now();
  const { world, test } = s.data;
  const c = s.candidate;
  const items = { vectors: c.videoOut.weights, count: world.videos.count, dim: c.d };
  const built = funnelIndexAt(s);
  const { index } = built;
  const models = { world, candidate: c, ranker: s.ranker };
  // The video vectors laid out once for matrix products (WASM; null elsewhere), for the exact
  // retrievals of the sweep and the label ranks below.
  const blocked = BlockedItems.prepare(items, c.videoBias.weights);
  const liveMaskAt = (time: number): Uint8Array => keptLiveMask(world, time);
  let sweep: FunnelSweep;
  let ranks: number[];
  let example: FunnelMessage['example'] = null;
  try {
    sweep = await funnelSweep(models, test, rows, { ns, k, index, nprobe, blocked });
    // Where each query's next watch ranks among the live videos by u·v + b (0 = first).
    const { queries } = sweep.served;
    const us = new Float32Array(queries.length * c.d);
    queries.forEach((q, i) => us.set(q.u, i * c.d));
    ranks = labelRanks(
      items,
      c.videoBias.weights,
      us,
      queries.map((q) => q.label),
      queries.map((q) => liveMaskAt(q.time)),
      blocked,
    );
    if (focus) {
      // The focus user is often one of the sweep's queries (−1: the first held-out user):
      // their retrieval and scores are then read, not computed again.
      const i = queries.findIndex((q) => sameQuery(q, focus));
      const known =
        i >= 0
          ? { ids: sweep.served.exact[i].ids, scored: sweep.served.exactScores[i] }
          : undefined;
      const perN = (
        await funnelAtEachN(models, focus, FUNNEL_NS, k, undefined, blocked, known)
      ).map((r) => ({
        n: r.n,
        labelRank: r.labelRetrievalRank,
        topK: Array.from(r.topK),
        topKWatch: Array.from(r.topKOracleWatch),
      }));
      example = { user: focus.user, label: focus.label, perN };
    }
  } finally {
    blocked?.dispose();
  }

  // The index against the exact scan on the same queries (top 100, live videos only): the top
  // 100 of each is the first 100 of the sweep's top N (recallAtK reads only the first k).
  const exactTop = sweep.served.exact;
  const approxTop = sweep.served.approx ?? [];
  const recallCurve = curveNs(items.count).map((n) => ({
    n,
    recall: ranks.length ? ranks.filter((r) => r < n).length / ranks.length : 0,
  }));

  return {
    step: s.step,
    k,
    nprobe,
    queries: sweep.queries,
    latencyQueries: sweep.latencyQueries,
    oracleWatchPerImpression: sweep.oracleWatchPerImpression,
    towerMs: sweep.towerMs,
    exact: sweep.exact.map(funnelFigures),
    approx: (sweep.approx ?? []).map(funnelFigures),
    recallCurve,
    indexRecall100: recallAtK(approxTop, exactTop, 100),
    index: {
      lists: index.lists,
      buildMs: index.stats.buildMs,
      bytes: index.stats.bytes,
      ...(built.warm ? { warm: { ...built.warm } } : {}),
    },
    example,
    ms: now() - t0,
  };
}
