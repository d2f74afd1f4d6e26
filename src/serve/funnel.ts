/**
 * The two-stage funnel (docs/model.md#funnel, paper §1 Figure 2): for one user at a time t
 * (serving: example age 0),
 *
 *   1. retrieval — the top N videos by u·v + b among those uploaded by t, by the exact scan
 *      (exact.ts) or an approximate IVF index (ivf.ts);
 *   2. ranking — the ranker's logit z for each of the N (features from
 *      sim/candidate-features.ts), keeping the top k by z (ties: lower id first).
 *
 * Scored against the truth: whether the user's actual next watch (the label) survives
 * retrieval (recall@N), the oracle's expected watch minutes per impression of the final top k,
 * and the oracle's own best top k among ALL live videos (regret = best − ours ≥ 0 when N ≥ k).
 * What recall loses at retrieval the ranker can never win back: it only reorders the N.
 *
 * Latency is wall-clock per query, measured separately: retrieval = the search call alone
 * (the live-video mask is built once per query, outside the clock; exact retrieval searches the
 * prepared matrix-product layout when the caller passes one, as an index is prepared too); ranking = building the N
 * rows of features, the ranker's forward pass (one `predictLogits` call) and the top-k sort.
 * The user tower runs once for a batch of queries and is reported apart (`towerMs`).
 */
import type { CandidateModel } from '../model/candidate/model';
import type { RankingModel } from '../model/ranking/model';
import {
  candidateRankingExamplesOf,
  userHistory,
  type UserHistory,
} from '../sim/candidate-features';
import type { CandidateExamples } from '../sim/examples';
import { defaultRankingOptions } from '../sim/ranking-examples';
import type { World } from '../sim/types';
import { cachedCandidateExamples, cachedHistory } from './candidate-cache';
import type { BlockedItems } from './exact';
import { exactTopN, exactTopNBatch, type ItemVectors } from './exact';
import type { IvfIndex } from './ivf';
import { latencyPlan } from './latency-plan';
import { oracleBest } from './oracle-best';
import { QueryScores, type Scored } from './query-scores';
import type { TopN } from './topn';

/** The two trained models of a funnel and their world. */
export interface FunnelModels {
  world: World;
  candidate: CandidateModel;
  ranker: RankingModel;
}

/** One user at one time to serve, with the user vector u [d] and the label to look for. */
export interface FunnelQuery {
  user: number;
  /** Serving time (days). */
  time: number;
  /** The user's actual next watch, or −1 when unknown. */
  label: number;
  /** User-tower output at serving (example age 0) [d]. */
  u: Float32Array;
}

/** How to retrieve: exact, or through an IVF index opening `nprobe` lists. */
export interface RetrievalSettings {
  /** An index built on the candidate model's current video vectors and biases; absent = exact. */
  index?: IvfIndex;
  /** Lists the index opens (default 8). */
  nprobe?: number;
  /**
   * For exact retrieval: the candidate model's current video vectors and biases prepared for
   * matrix products (`BlockedItems.prepare`), searched instead of scanning (the same answer).
   */
  blocked?: BlockedItems | null;
}

/** The funnel's result for one query. */
export interface FunnelResult {
  user: number;
  time: number;
  label: number;
  /** Retrieved video ids, best u·v + b first [≤ N]. */
  retrieved: Int32Array;
  /** The label's position in `retrieved`, or −1 when retrieval missed it. */
  labelRetrievalRank: number;
  /** The final top k by ranker logit [≤ k], and their logits z. */
  topK: Int32Array;
  topKLogits: Float32Array;
  /** Oracle expected watch minutes per impression of each of the top k. */
  topKOracleWatch: Float32Array;
  /** Mean of topKOracleWatch (minutes per impression; 0 when nothing was retrieved). */
  watchPerImpression: number;
  /** Mean oracle watch minutes of all retrieved videos: a random k of them, without a ranker. */
  unrankedWatchPerImpression: number;
  /** The oracle's own top k among all live videos, and their mean expected watch minutes. */
  oracleTopK: Int32Array;
  oracleWatchPerImpression: number;
  /** oracleWatchPerImpression − watchPerImpression (minutes per impression). */
  regret: number;
  /** Wall-clock ms of the retrieval search and of ranking the retrieved videos. */
  retrievalMs: number;
  rankingMs: number;
}

/**
 * Queries for rows of candidate examples (their user, label time and label), with u from the
 * user tower at serving in one batch. Serve at session starts (sim/candidate-features.ts
 * `sessionStartRows`) so the ranker's features know nothing of the label's own session.
 */
export async function funnelQueries(
  candidate: CandidateModel,
  examples: CandidateExamples,
  rows: ArrayLike<number>,
): Promise<{ queries: FunnelQuery[]; towerMs: number }> {
  if (rows.length === 0) return { queries: [], towerMs: 0 };
  const t0 = performance.now();
  const uT = candidate.userVectors(candidate.inputs(examples, rows, true));
  const u = (await uT.data()) as Float32Array;
  uT.dispose();
  const towerMs = (performance.now() - t0) / rows.length;
  const d = candidate.d;
  const queries = Array.from(rows, (r, i) => ({
    user: examples.user[r],
    time: examples.time[r],
    label: examples.label[r],
    u: u.slice(i * d, (i + 1) * d),
  }));
  return { queries, towerMs };
}

/** The candidate model's video vectors and biases as the exact scan's item table (no copy). */
function itemTable(candidate: CandidateModel): { items: ItemVectors; bias: Float32Array } {
  return {
    items: {
      vectors: candidate.videoOut.weights,
      count: candidate.world.videos.count,
      dim: candidate.d,
    },
    bias: candidate.videoBias.weights,
  };
}

/** 1 for videos uploaded by `time`, else 0 [videos]. */
export function liveMask(world: World, time: number): Uint8Array {
  const up = world.videos.uploadTime;
  const mask = new Uint8Array(up.length);
  for (let v = 0; v < up.length; v++) mask[v] = up[v] <= time ? 1 : 0;
  return mask;
}

/** {@link keptLiveMask}'s masks per world, by time. */
const keptMasks = new WeakMap<World, Map<number, Uint8Array>>();
/** Masks kept per world before the memo starts again (the view's 40 queries, with room). */
const KEPT_MASKS = 128;

/**
 * {@link liveMask} kept per world and time, for the Funnel view's requests and their idle
 * preparation (a mask depends on the world and the time only; 20 000 bytes each on the
 * default world). The array is shared: never change it.
 */
export function keptLiveMask(world: World, time: number): Uint8Array {
  let masks = keptMasks.get(world);
  if (!masks) keptMasks.set(world, (masks = new Map()));
  let mask = masks.get(time);
  if (!mask) {
    if (masks.size >= KEPT_MASKS) masks.clear();
    masks.set(time, (mask = liveMask(world, time)));
  }
  return mask;
}

/** {@link keptLiveMask} of one world. */
function maskCache(world: World): (time: number) => Uint8Array {
  return (time) => keptLiveMask(world, time);
}

/** Top N of one query, timed. */
function retrieve(
  candidate: CandidateModel,
  u: Float32Array,
  n: number,
  mask: Uint8Array,
  settings: RetrievalSettings,
): { top: TopN; ms: number } {
  const t0 = performance.now();
  let top: TopN;
  if (settings.index) top = settings.index.search(u, n, settings.nprobe ?? 8, mask);
  else if (settings.blocked) top = settings.blocked.topN(u, n, { mask })[0];
  else {
    const { items, bias } = itemTable(candidate);
    top = exactTopN(items, u, n, { bias, mask });
  }
  return { top, ms: performance.now() - t0 };
}

/** The ranking stage's output for one query. */
interface Ranked {
  /** Top k ids, their logits and their oracle watch minutes per impression. */
  top: Int32Array;
  logits: Float32Array;
  oracle: Float32Array;
  /** Mean oracle watch minutes over all ranked ids. */
  unranked: number;
  ms: number;
}

/** The ranker's logits and the oracle's watch minutes for every id of `ids`, for one query. */
async function scoreAll(
  m: FunnelModels,
  q: FunnelQuery,
  ids: Int32Array,
  maxWatches: number,
  history?: UserHistory,
): Promise<{ z: Float32Array; oracle: Float32Array }> {
  if (ids.length === 0) return { z: new Float32Array(0), oracle: new Float32Array(0) };
  const h = history ?? userHistory(m.world, q.user, q.time, maxWatches);
  const ex = candidateRankingExamplesOf(m.world, h, ids);
  const z = await m.ranker.predictLogits(ex);
  return { z: Float32Array.from(z), oracle: ex.oracleWatch };
}

/**
 * {@link scoreAll} with the world-only columns kept between requests (candidate-cache.ts: the
 * same rows), for the rankings no request is timed by: the sweep's untimed videos and the
 * focus user's.
 */
async function scoreKept(
  m: FunnelModels,
  q: FunnelQuery,
  ids: Int32Array,
  maxWatches: number,
): Promise<{ z: Float32Array; oracle: Float32Array }> {
  if (ids.length === 0) return { z: new Float32Array(0), oracle: new Float32Array(0) };
  const ex = cachedCandidateExamples(m.world, q.user, q.time, maxWatches, ids);
  const z = await m.ranker.predictLogits(ex);
  return { z: Float32Array.from(z), oracle: ex.oracleWatch };
}

/**
 * The top k of the first `n` ids by logit z (ties: lower id first), from scores of a longer
 * list: the ranker scores each candidate on its own, so ranking a prefix of the retrieved list
 * is ranking what a request of N = n would have retrieved.
 */
function topOf(
  ids: Int32Array,
  scored: { z: Float32Array; oracle: Float32Array },
  n: number,
  k: number,
): Omit<Ranked, 'ms'> {
  return topsOf(ids, scored, [n], k)[0];
}

/**
 * {@link topOf} for every n of `ns` (ascending) in one pass over the first max(ns) ids: the
 * best k so far are kept sorted by insertion (z descending, then id ascending — a strict order,
 * the ids of a list being distinct), and copied out as each n is reached; the mean oracle
 * watch of the first n is a running sum in list order. Each entry equals sorting the first n
 * by that order and keeping k. A NaN logit (which the order cannot place) falls back to the
 * sort, as before.
 */
function topsOf(
  ids: Int32Array,
  scored: { z: Float32Array; oracle: Float32Array },
  ns: readonly number[],
  k: number,
): Omit<Ranked, 'ms'>[] {
  const { z, oracle } = scored;
  const last = Math.min(ns[ns.length - 1], ids.length);
  for (let i = 0; i < last; i++)
    if (z[i] !== z[i]) return ns.map((n) => sortTop(ids, z, oracle, n, k));
  const order = new Int32Array(k);
  let size = 0;
  let sum = 0;
  let i = 0;
  return ns.map((n) => {
    const count = Math.min(n, ids.length);
    for (; i < count; i++) {
      sum += oracle[i];
      const zi = z[i];
      const id = ids[i];
      if (size === k) {
        const w = order[k - 1];
        if (!(zi > z[w] || (zi === z[w] && id < ids[w]))) continue;
      }
      let p = size < k ? size++ : k - 1;
      for (; p > 0; p--) {
        const o = order[p - 1];
        if (!(zi > z[o] || (zi === z[o] && id < ids[o]))) break;
        order[p] = o;
      }
      order[p] = i;
    }
    const top = order.subarray(0, size);
    return {
      top: Int32Array.from(top, (j) => ids[j]),
      logits: Float32Array.from(top, (j) => z[j]),
      oracle: Float32Array.from(top, (j) => oracle[j]),
      unranked: count ? sum / count : 0,
    };
  });
}

/** The top k of the first n by a full sort (z descending, id ascending): {@link topsOf}'s fallback. */
function sortTop(
  ids: Int32Array,
  z: Float32Array,
  oracle: Float32Array,
  n: number,
  k: number,
): Omit<Ranked, 'ms'> {
  const count = Math.min(n, ids.length);
  const order = Array.from({ length: count }, (_, i) => i).sort(
    (a, b) => z[b] - z[a] || ids[a] - ids[b],
  );
  order.length = Math.min(k, order.length);
  return {
    top: Int32Array.from(order, (i) => ids[i]),
    logits: Float32Array.from(order, (i) => z[i]),
    oracle: Float32Array.from(order, (i) => oracle[i]),
    unranked: mean(oracle.subarray(0, count)),
  };
}

/** Ranks `ids` for the query with the ranker and keeps the top k, timed. */
async function rank(
  m: FunnelModels,
  q: FunnelQuery,
  ids: Int32Array,
  k: number,
  maxWatches: number,
): Promise<Ranked & { scored: { z: Float32Array; oracle: Float32Array } }> {
  const t0 = performance.now();
  const scored = await scoreAll(m, q, ids, maxWatches);
  const ranked = topOf(ids, scored, ids.length, k);
  return { ...ranked, ms: ids.length === 0 ? 0 : performance.now() - t0, scored };
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return x.length ? s / x.length : 0;
}

/** Settings of {@link runFunnel}. */
export interface FunnelOptions extends RetrievalSettings {
  /** Videos retrieved, N ≥ 1. */
  n: number;
  /** Videos shown, k ≥ 1. */
  k: number;
  /** Most watches in the ranker's watch bag (default: the ranking examples' default, 50). */
  maxWatches?: number;
}

function checkCounts(n: number, k: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`N must be an integer ≥ 1, got ${n}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer ≥ 1, got ${k}`);
}

/** Serves one query through both stages and scores it against the oracle. */
export async function runFunnel(
  m: FunnelModels,
  q: FunnelQuery,
  options: FunnelOptions,
): Promise<FunnelResult> {
  checkCounts(options.n, options.k);
  const maxWatches = options.maxWatches ?? defaultRankingOptions.maxWatches;
  const mask = liveMask(m.world, q.time);
  const best = oracleBest(
    m.world,
    userHistory(m.world, q.user, q.time, maxWatches),
    mask,
    options.k,
  );
  const r = retrieve(m.candidate, q.u, options.n, mask, options);
  const ranked = await rank(m, q, r.top.ids, options.k, maxWatches);
  const watch = mean(ranked.oracle);
  return {
    user: q.user,
    time: q.time,
    label: q.label,
    retrieved: r.top.ids,
    labelRetrievalRank: r.top.ids.indexOf(q.label),
    topK: ranked.top,
    topKLogits: ranked.logits,
    topKOracleWatch: ranked.oracle,
    watchPerImpression: watch,
    unrankedWatchPerImpression: ranked.unranked,
    oracleTopK: best.ids,
    oracleWatchPerImpression: best.mean,
    regret: best.mean - watch,
    retrievalMs: r.ms,
    rankingMs: ranked.ms,
  };
}

/** Figures of one N over the queries of a sweep (means over queries). */
export interface FunnelPoint {
  /** N asked for. */
  n: number;
  /** Mean videos actually retrieved (< N when fewer are live). */
  retrieved: number;
  /** Share of queries whose label was retrieved: recall@N of the next watch. */
  recall: number;
  /** Share of queries whose label ended in the final top k. */
  labelInTopK: number;
  /** Oracle expected watch minutes per impression of the final top k. */
  watchPerImpression: number;
  /** The same for a random k of the N retrieved (what the ranker adds is the difference). */
  unrankedWatchPerImpression: number;
  /** Oracle best − watchPerImpression (minutes per impression). */
  regret: number;
  /** Mean wall-clock ms per request of retrieval and of ranking (over `latencyQueries`). */
  retrievalMs: number;
  rankingMs: number;
}

/** Result of {@link funnelSweep}. */
export interface FunnelSweep {
  k: number;
  queries: number;
  /** The oracle's own top k among all live videos (minutes per impression): the ceiling. */
  oracleWatchPerImpression: number;
  /**
   * Requests served in full and timed at each N, per retrieval (the latencies' sample; each by
   * another query where there are enough: latency-plan.ts).
   */
  latencyQueries: number;
  /** User-tower ms per query (one batch for all queries). */
  towerMs: number;
  /** One point per N with exact retrieval, N ascending. */
  exact: FunnelPoint[];
  /** The same with the IVF index, when one was given. */
  approx?: FunnelPoint[];
  /** Lists the index opened. */
  nprobe?: number;
  /**
   * What was served, for figures computed on the same requests: the queries (in row order) and
   * each one's top N_max, exact and (with an index) approximate. The top n of either is the
   * first n of these (the ranked order does not depend on N). `exactScores`: the ranker's
   * logits and the oracle's watch of each query's exact top N_max, in its order.
   */
  served: { queries: FunnelQuery[]; exact: TopN[]; approx?: TopN[]; exactScores: Scored[] };
}

/** The N of the funnel chart (log axis). */
export const FUNNEL_NS: readonly number[] = [10, 20, 50, 100, 200, 500, 1000];

/** Settings of {@link funnelSweep}. */
export interface FunnelSweepOptions extends RetrievalSettings {
  /** N values (default {@link FUNNEL_NS}). */
  ns?: readonly number[];
  /** Videos shown, k ≥ 1. */
  k: number;
  /** Most watches in the ranker's watch bag (default: the ranking examples' default, 50). */
  maxWatches?: number;
  /** Called after each query with (queries done, queries in all), e.g. for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Requests of a sweep served in full and timed at each N and retrieval, for the latencies
 * (latency-plan.ts: each by another query where there are enough).
 */
export const FUNNEL_LATENCY_QUERIES = 4;

/**
 * The funnel chart's data: for each N, recall@N of the next watch, the final top k's oracle
 * watch time per impression and the latencies, over evaluation rows of `examples` (e.g.
 * `sessionStartRows` of the test split's candidate examples) — with exact retrieval, and with
 * the index as well when one is given.
 *
 * Each query is retrieved once at the largest N and its candidates ranked once: the exact top
 * N and the index's top N (whose probed lists do not depend on N) are prefixes of the top
 * N_max, and the ranker scores candidates one by one, so every N's figures are those of a
 * request of that N (tested against `runFunnel`). The latencies are real requests:
 * {@link FUNNEL_LATENCY_QUERIES} at each N and retrieval are served in full and timed, each by
 * another query where there are enough (latency-plan.ts); their rankings are kept by video and
 * each query's lists rank only the videos they left (query-scores.ts).
 */
export async function funnelSweep(
  m: FunnelModels,
  examples: CandidateExamples,
  rows: ArrayLike<number>,
  options: FunnelSweepOptions,
): Promise<FunnelSweep> {
  const ns = [...(options.ns ?? FUNNEL_NS)].sort((a, b) => a - b);
  for (const n of ns) checkCounts(n, options.k);
  const { k } = options;
  const nMax = ns[ns.length - 1];
  const maxWatches = options.maxWatches ?? defaultRankingOptions.maxWatches;
  const { queries, towerMs } = await funnelQueries(m.candidate, examples, rows);
  const modes: RetrievalSettings[] = [{ blocked: options.blocked }];
  if (options.index) modes.push({ index: options.index, nprobe: options.nprobe ?? 8 });
  const sums = modes.map(() => ns.map(() => new Float64Array(8)));
  const tops: TopN[][] = modes.map(() => []);
  const exactScores: Scored[] = [];
  const plan = latencyPlan(queries.length, ns.length, modes.length, FUNNEL_LATENCY_QUERIES);
  const timedAt = modes.map(() => new Int32Array(ns.length));
  const kept = new QueryScores(m.world.videos.count);
  const maskAt = maskCache(m.world);
  // Every query's exact top N_max in one batch (blocked matrix products where they pay; the
  // same answer as one scan per query). The timed requests below still retrieve one by one.
  const { items, bias } = itemTable(m.candidate);
  const d = m.candidate.d;
  const us = new Float32Array(queries.length * d);
  queries.forEach((q, i) => us.set(q.u, i * d));
  const masks = queries.map((q) => maskAt(q.time));
  const exactAll = options.blocked
    ? options.blocked.topN(us, nMax, { masks })
    : exactTopNBatch(items, us, nMax, { bias, masks });
  let oracleSum = 0;
  for (const [qi, q] of queries.entries()) {
    const mask = maskAt(q.time);
    const history = cachedHistory(m.world, q.user, q.time, maxWatches);
    const best = oracleBest(m.world, history, mask, k);
    oracleSum += best.mean;
    const lists = modes.map((mode) =>
      mode.index ? retrieve(m.candidate, q.u, nMax, mask, mode).top : exactAll[qi],
    );
    // The timed requests of this query, each served in full (its own retrieval and ranking);
    // their scores are kept, and the lists' other videos ranked once after them.
    kept.reset();
    for (const { mode: mi, n: ni } of plan[qi]) {
      const r = retrieve(m.candidate, q.u, ns[ni], mask, modes[mi]);
      const ranked = await rank(m, q, r.top.ids, k, maxWatches);
      sums[mi][ni][5] += r.ms;
      sums[mi][ni][6] += ranked.ms;
      timedAt[mi][ni]++;
      kept.add(r.top.ids, ranked.scored);
    }
    const ids = lists.map((t) => t.ids);
    const rest = kept.missing(ids);
    kept.add(rest, await scoreKept(m, q, rest, maxWatches));
    const scores = ids.map((list) => kept.of(list));
    exactScores.push(scores[0]);
    for (let mi = 0; mi < modes.length; mi++) {
      tops[mi].push(lists[mi]);
      const all = lists[mi].ids;
      const labelAt = all.indexOf(q.label);
      const rankedAt = topsOf(all, scores[mi], ns, k);
      for (let ni = 0; ni < ns.length; ni++) {
        const retrieved = Math.min(ns[ni], all.length);
        const ranked = rankedAt[ni];
        const watch = mean(ranked.oracle);
        const s = sums[mi][ni];
        s[0] += retrieved;
        s[1] += labelAt >= 0 && labelAt < retrieved ? 1 : 0;
        s[2] += ranked.top.includes(q.label) ? 1 : 0;
        s[3] += watch;
        s[4] += best.mean - watch;
        s[7] += ranked.unranked;
      }
    }
    options.onProgress?.(qi + 1, queries.length);
  }
  const count = Math.max(1, queries.length);
  const points = (mi: number): FunnelPoint[] =>
    ns.map((n, ni) => {
      const s = sums[mi][ni];
      return {
        n,
        retrieved: s[0] / count,
        recall: s[1] / count,
        labelInTopK: s[2] / count,
        watchPerImpression: s[3] / count,
        unrankedWatchPerImpression: s[7] / count,
        regret: s[4] / count,
        retrievalMs: s[5] / Math.max(1, timedAt[mi][ni]),
        rankingMs: s[6] / Math.max(1, timedAt[mi][ni]),
      };
    });
  return {
    k,
    queries: queries.length,
    latencyQueries: queries.length > 0 ? FUNNEL_LATENCY_QUERIES : 0,
    oracleWatchPerImpression: oracleSum / count,
    towerMs,
    exact: points(0),
    ...(options.index ? { approx: points(1), nprobe: options.nprobe ?? 8 } : {}),
    served: {
      queries,
      exact: tops[0],
      ...(options.index ? { approx: tops[1] } : {}),
      exactScores,
    },
  };
}

/** One query's funnel at one N (exact retrieval): what {@link runFunnel} returns for that N. */
export interface FunnelAtN {
  n: number;
  /** The label's position among the N retrieved, or −1 when retrieval missed it. */
  labelRetrievalRank: number;
  /** The ranker's top k of the N [≤ k], their logits and oracle watch minutes per impression. */
  topK: Int32Array;
  topKLogits: Float32Array;
  topKOracleWatch: Float32Array;
}

/**
 * One query served by exact retrieval at every N of `ns`, from one retrieval at the largest N
 * and one ranking of it: each N's top N is the first N of it and the ranker scores videos one
 * by one, so every entry equals the corresponding fields of `runFunnel(m, q, { n, k })`
 * (tested), at the cost of one request instead of one per N. `known`: that retrieval and
 * its scores when already computed for the same query (a sweep's `served.exact` and
 * `exactScores` of a query equal to `q`, with the same largest N): nothing is retrieved or
 * ranked again.
 */
export async function funnelAtEachN(
  m: FunnelModels,
  q: FunnelQuery,
  ns: readonly number[],
  k: number,
  maxWatches: number = defaultRankingOptions.maxWatches,
  blocked?: BlockedItems | null,
  known?: { ids: Int32Array; scored: Scored },
): Promise<FunnelAtN[]> {
  for (const n of ns) checkCounts(n, k);
  if (ns.length === 0) return [];
  const nMax = Math.max(...ns);
  const all =
    known?.ids ?? retrieve(m.candidate, q.u, nMax, liveMask(m.world, q.time), { blocked }).top.ids;
  const scored = known?.scored ?? (await scoreKept(m, q, all, maxWatches));
  const sorted = [...ns].sort((a, b) => a - b);
  const tops = topsOf(all, scored, sorted, k);
  const rank = all.indexOf(q.label);
  return ns.map((n) => {
    const ranked = tops[sorted.indexOf(n)];
    return {
      n,
      labelRetrievalRank: rank < n ? rank : -1,
      topK: ranked.top,
      topKLogits: ranked.logits,
      topKOracleWatch: ranked.oracle,
    };
  });
}
