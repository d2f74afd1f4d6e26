/**
 * Offline metrics for both stages (DESIGN §5), in plain TypeScript so they run the same in the
 * worker, in Node tests and in `npm run train`. No tfjs: the model reads scores back once
 * (`await tensor.data()`) and hands the typed arrays to these functions.
 *
 * Conventions. A *rank* is 0-based (the best item has rank 0). A *score* is higher-is-better.
 * Parallel arrays have equal length. Means over an empty set are NaN, never 0, so "no data"
 * can't pass for "bad model". Ties never favour the model: retrieval ranks count ties against
 * the label; AUC, the weighted per-user loss and the top-k helper count a tie as half, i.e.
 * the expectation under a random tie-break.
 */

/** Binary labels: a truthy entry (≠ 0, `true`) is a positive. */
export type BinaryLabels = ArrayLike<number> | ArrayLike<boolean>;

// ---- Retrieval: one held-out next watch per query (paper §3.4) ----------------------------

/**
 * 0-based rank of item `label` among `scores` [numItems], ties broken pessimistically: the
 * number of *other* items scoring ≥ the label's score. A model that scores everything equally
 * thus ranks every label last (numItems − 1), never first. A NaN label score ranks last; NaN
 * scores of other items never outrank the label. O(numItems).
 */
export function rankOfLabel(scores: ArrayLike<number>, label: number): number {
  checkIndex(label, scores.length, 'label');
  const s = scores[label];
  if (Number.isNaN(s)) return scores.length - 1;
  let rank = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= s && i !== label) rank++;
  return rank;
}

/**
 * Ranks of a batch of labels. `scores` is row-major [B × numItems] (one row per query, e.g. the
 * user vectors' dot products with every video), `labels` [B]; numItems = scores.length / B.
 * Returns ranks [B] as in {@link rankOfLabel}.
 */
export function ranksOfLabels(
  scores: Float32Array | Float64Array,
  labels: ArrayLike<number>,
): Int32Array {
  const b = labels.length;
  if (b === 0 || scores.length % b !== 0) {
    throw new RangeError(`scores.length ${scores.length} is not a multiple of ${b} labels`);
  }
  const n = scores.length / b;
  const ranks = new Int32Array(b);
  for (let q = 0; q < b; q++)
    ranks[q] = rankOfLabel(scores.subarray(q * n, (q + 1) * n), labels[q]);
  return ranks;
}

/** recall@k from 0-based ranks [Q]: the fraction of queries with rank < k, in [0, 1]. */
export function recallFromRanks(ranks: ArrayLike<number>, k: number): number {
  return meanOf(ranks, (r) => (r < k ? 1 : 0));
}

/** recall@k for several k at once (e.g. 10, 50, 100, 500, N): k → recall in [0, 1]. */
export function recallCurve(
  ranks: ArrayLike<number>,
  ks: readonly number[],
): Record<number, number> {
  const curve: Record<number, number> = {};
  for (const k of ks) curve[k] = recallFromRanks(ranks, k);
  return curve;
}

/**
 * recall@k from ranked lists: `ranked[q]` holds item ids best first (any length; only the
 * first k count), `labels[q]` the query's one held-out item. Fraction of queries whose label
 * is among the first k, in [0, 1].
 */
export function recallAtK(
  ranked: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
  k: number,
): number {
  checkSameLength(ranked.length, labels.length, 'ranked', 'labels');
  return meanOf(labels, (label, q) => {
    const list = ranked[q];
    for (let i = 0; i < Math.min(k, list.length); i++) if (list[i] === label) return 1;
    return 0;
  });
}

/**
 * Mean average precision over queries with exactly one relevant item, which equals the mean
 * reciprocal rank: mean of 1 / (rank + 1), counting 0 for rank ≥ k (MAP@k; k = ∞ by default).
 * `ranks` [Q] are 0-based. In [0, 1].
 */
export function meanAveragePrecision(ranks: ArrayLike<number>, k = Infinity): number {
  return meanOf(ranks, (r) => (r < k ? 1 / (r + 1) : 0));
}

/**
 * Average precision of one ranked list with any number of relevant items:
 * (1 / R) · Σ over relevant positions i (0-based) of precision@(i + 1).
 * `rankedRelevance[i]` is truthy when the item at position i is relevant. R = `numRelevant`
 * when the list is truncated (relevant items missing from it then count as precision 0),
 * otherwise the number of relevant entries in the list. R = 0 gives 0. In [0, 1].
 */
export function averagePrecision(rankedRelevance: BinaryLabels, numRelevant?: number): number {
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < rankedRelevance.length; i++) {
    if (rankedRelevance[i]) sum += ++hits / (i + 1);
  }
  const r = numRelevant ?? hits;
  if (r < hits) throw new RangeError(`numRelevant ${r} < ${hits} relevant items in the list`);
  return r === 0 ? 0 : sum / r;
}

/**
 * NDCG@k over queries with one relevant item: mean of 1 / log2(rank + 2) for rank < k, else 0
 * (the ideal DCG is 1). `ranks` [Q] are 0-based. In [0, 1].
 */
export function ndcgAtK(ranks: ArrayLike<number>, k: number): number {
  return meanOf(ranks, (r) => (r < k ? 1 / Math.log2(r + 2) : 0));
}

/**
 * NDCG@k of one ranked list with graded gains (linear gain, log2 discount):
 * DCG@k(rankedGains) / DCG@k(ideal), where `idealGains` (default: the list's own gains) is
 * sorted descending first. Gains must be ≥ 0. An ideal DCG of 0 gives 0. In [0, 1] when the
 * ideal covers the list's gains.
 */
export function ndcgOfList(
  rankedGains: ArrayLike<number>,
  k: number,
  idealGains: ArrayLike<number> = rankedGains,
): number {
  const ideal = Float64Array.from(idealGains).sort().reverse();
  const idcg = dcg(ideal, k);
  return idcg === 0 ? 0 : dcg(rankedGains, k) / idcg;
}

// ---- Ranking: impressions on pages (paper §4) ---------------------------------------------

/**
 * ROC AUC of `scores` [n] against binary `labels` [n]: the probability that a random positive
 * scores above a random negative, ties counted as 1/2. Mann–Whitney U with mid-ranks, by one
 * sort: O(n log n). NaN when there are no positives or no negatives. Throws on a NaN score.
 */
export function auc(scores: ArrayLike<number>, labels: BinaryLabels): number {
  checkSameLength(scores.length, labels.length, 'scores', 'labels');
  checkNoNaN(scores, 'scores');
  const n = scores.length;
  const order = new Int32Array(n).map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let nPos = 0;
  let rankSumPos = 0; // Σ over positives of their 1-based mid-rank
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    const midRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) {
      if (labels[order[i]]) {
        nPos++;
        rankSumPos += midRank;
      }
    }
    start = end;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Held-out impressions as parallel columns [n]; `page` groups the impressions shown together. */
export interface PageImpressions {
  /** Page (one user's one set of shown videos) of each impression; any integers. */
  page: ArrayLike<number>;
  /** Model score of each impression (logit z or e^z: only the order within a page matters). */
  score: ArrayLike<number>;
}

/**
 * The paper's weighted, per-user loss (§4.2, Table 1). Over every (clicked, unclicked) pair of
 * impressions on the same page, the clicked one's watch time counts as *mispredicted* when the
 * unclicked one scores higher (a tie counts half). With `normalise: 'pairs'` (default, the
 * paper's "fraction of total watch time over held-out impression pairs"):
 *
 *   loss = Σ_pairs T_pos · [s_neg > s_pos] / Σ_pairs T_pos
 *        = Σ_pos T_pos · (#negatives above it) / Σ_pos T_pos · (#negatives on its page),
 *
 * so a page with many unclicked impressions weighs more. With `normalise: 'positives'` each
 * clicked impression weighs its watch time once: Σ_pos T_pos · (share of its page's negatives
 * above it) / Σ_pos T_pos. Pages without both a click and a non-click contribute nothing;
 * watch time of unclicked impressions is ignored. In [0, 1]: 0 = every positive above every
 * negative, 1 = every one below, about 1/2 = random. NaN when no pair has watch time.
 */
export function weightedPerUserLoss(
  imps: PageImpressions & { clicked: BinaryLabels; watchTime: ArrayLike<number> },
  normalise: 'pairs' | 'positives' = 'pairs',
): number {
  const { score, clicked, watchTime } = imps;
  const n = score.length;
  checkSameLength(n, clicked.length, 'score', 'clicked');
  checkSameLength(n, watchTime.length, 'score', 'watchTime');
  checkNoNaN(score, 'score');
  const { order, starts } = groupByPage(imps, false);
  const negs = new Float64Array(n);
  let mispredicted = 0;
  let total = 0;
  for (let p = 0; p + 1 < starts.length; p++) {
    let nNeg = 0;
    for (let i = starts[p]; i < starts[p + 1]; i++) {
      if (!clicked[order[i]]) negs[nNeg++] = score[order[i]];
    }
    if (nNeg === 0) continue;
    const sorted = negs.subarray(0, nNeg).sort();
    for (let i = starts[p]; i < starts[p + 1]; i++) {
      const j = order[i];
      if (!clicked[j]) continue;
      const above = nNeg - upperBound(sorted, score[j]);
      const ties = nNeg - lowerBound(sorted, score[j]) - above;
      const wrong = above + ties / 2;
      if (normalise === 'pairs') {
        mispredicted += watchTime[j] * wrong;
        total += watchTime[j] * nNeg;
      } else {
        mispredicted += (watchTime[j] * wrong) / nNeg;
        total += watchTime[j];
      }
    }
  }
  return total === 0 ? NaN : mispredicted / total;
}

/** {@link topKWatchTime}'s result; watch times are in the units of the input (e.g. minutes). */
export interface TopKWatchTime {
  /** Mean oracle watch time per impression over each page's model top k. */
  model: number;
  /** The same for the oracle's own top k (the best any ranker could do). */
  oracle: number;
  /** oracle − model, ≥ 0. */
  regret: number;
  /** Pages and impressions counted (a page with fewer than k impressions counts them all). */
  pages: number;
  impressions: number;
}

/**
 * End-to-end value of a ranker (DESIGN §5): for each page take the top min(k, page size)
 * impressions by `score` and average `oracleWatchTime` (the oracle's E[watch time] of each
 * impression) over all pages' chosen impressions; compare with the oracle's own top k. Ties in
 * score at the cut-off are resolved in expectation (the tied group's mean fills the remaining
 * slots), so a constant scorer earns the random-order value. Works for any per-impression value,
 * e.g. a clickbait flag gives the clickbait share of the top k. NaN fields when there are no
 * impressions.
 */
export function topKWatchTime(
  imps: PageImpressions & { oracleWatchTime: ArrayLike<number> },
  k: number,
): TopKWatchTime {
  const { score, oracleWatchTime: value } = imps;
  checkSameLength(score.length, value.length, 'score', 'oracleWatchTime');
  checkNoNaN(score, 'score');
  const { order, starts } = groupByPage(imps, true);
  const values = new Float64Array(score.length);
  let model = 0;
  let oracle = 0;
  let impressions = 0;
  for (let p = 0; p + 1 < starts.length; p++) {
    const start = starts[p];
    const size = starts[p + 1] - start;
    const m = Math.min(k, size);
    if (m <= 0) continue;
    const cut = score[order[start + m - 1]]; // page is sorted by score, descending
    let tiedSum = 0;
    let tiedCount = 0;
    let above = 0;
    for (let i = start; i < start + size; i++) {
      const j = order[i];
      values[i - start] = value[j];
      if (score[j] > cut) {
        model += value[j];
        above++;
      } else if (score[j] === cut) {
        tiedSum += value[j];
        tiedCount++;
      }
    }
    model += ((m - above) * tiedSum) / tiedCount;
    const best = values.subarray(0, size).sort();
    for (let i = size - m; i < size; i++) oracle += best[i];
    impressions += m;
  }
  const pages = starts.length - 1;
  return {
    model: model / impressions,
    oracle: oracle / impressions,
    regret: (oracle - model) / impressions,
    pages,
    impressions,
  };
}

/** One bin of a reliability plot. */
export interface CalibrationBin {
  meanPredicted: number;
  meanActual: number;
  count: number;
}

/**
 * Calibration of a prediction (e.g. the ranker's odds e^z) against the truth (the oracle's
 * E[watch time]), both [n] in the same units. `slope` and `intercept` are the least-squares fit
 * actual ≈ intercept + slope · predicted (perfect calibration: 1 and 0; NaN when `predicted` is
 * constant or n < 2). `bins` are up to `numBins` quantile bins of `predicted` (equal counts
 * ±1, in increasing order of prediction; empty bins left out) for a reliability plot.
 */
export function calibration(
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
  numBins = 10,
): { slope: number; intercept: number; bins: CalibrationBin[] } {
  const n = predicted.length;
  checkSameLength(n, actual.length, 'predicted', 'actual');
  checkNoNaN(predicted, 'predicted');
  const meanP = meanOf(predicted, (x) => x);
  const meanA = meanOf(actual, (x) => x);
  let cov = 0;
  let varP = 0;
  for (let i = 0; i < n; i++) {
    cov += (predicted[i] - meanP) * (actual[i] - meanA);
    varP += (predicted[i] - meanP) ** 2;
  }
  const slope = n >= 2 && varP > 0 ? cov / varP : NaN;
  const intercept = Number.isNaN(slope) ? NaN : meanA - slope * meanP;
  const order = new Int32Array(n).map((_, i) => i).sort((a, b) => predicted[a] - predicted[b]);
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < numBins; b++) {
    const lo = Math.floor((b * n) / numBins);
    const hi = Math.floor(((b + 1) * n) / numBins);
    if (hi === lo) continue;
    let sp = 0;
    let sa = 0;
    for (let i = lo; i < hi; i++) {
      sp += predicted[order[i]];
      sa += actual[order[i]];
    }
    bins.push({ meanPredicted: sp / (hi - lo), meanActual: sa / (hi - lo), count: hi - lo });
  }
  return { slope, intercept, bins };
}

// ---- Helpers ------------------------------------------------------------------------------

/**
 * Impression indices grouped by page: `order[starts[p] .. starts[p + 1])` are page p's
 * impressions, pages in increasing id; within a page by score descending when `byScore`.
 */
function groupByPage(
  imps: PageImpressions,
  byScore: boolean,
): { order: Int32Array; starts: Int32Array } {
  const { page, score } = imps;
  checkSameLength(page.length, score.length, 'page', 'score');
  const order = new Int32Array(page.length)
    .map((_, i) => i)
    .sort((a, b) => page[a] - page[b] || (byScore ? score[b] - score[a] : a - b));
  const starts = [0];
  for (let i = 1; i < order.length; i++) if (page[order[i]] !== page[order[i - 1]]) starts.push(i);
  if (order.length > 0) starts.push(order.length);
  return { order, starts: Int32Array.from(starts) };
}

function dcg(gains: ArrayLike<number>, k: number): number {
  let sum = 0;
  for (let i = 0; i < Math.min(k, gains.length); i++) sum += gains[i] / Math.log2(i + 2);
  return sum;
}

/** First index i with sorted[i] ≥ x (sorted ascending). */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with sorted[i] > x (sorted ascending). */
function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function meanOf<T>(xs: ArrayLike<T>, f: (x: T, i: number) => number): number {
  if (xs.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += f(xs[i], i);
  return sum / xs.length;
}

function checkIndex(i: number, n: number, name: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= n)
    throw new RangeError(`${name} ${i} not in [0, ${n})`);
}

function checkSameLength(a: number, b: number, nameA: string, nameB: string): void {
  if (a !== b) throw new RangeError(`${nameA} has length ${a} but ${nameB} has length ${b}`);
}

function checkNoNaN(xs: ArrayLike<number>, name: string): void {
  for (let i = 0; i < xs.length; i++) {
    if (Number.isNaN(xs[i])) throw new RangeError(`${name}[${i}] is NaN`);
  }
}
