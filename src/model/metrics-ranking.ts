/**
 * Ranking metrics (paper §4): held-out impressions on pages — AUC, the paper's weighted per-user
 * loss and the watch time of each page's top k. Conventions in `metrics.ts`.
 */
import { checkNoNaN, checkSameLength, type BinaryLabels } from './metrics-common';

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
 * End-to-end value of a ranker (docs/model.md#watch-time-per-impression): for each page take the
 * top min(k, page size) impressions by `score` and average `oracleWatchTime` (the oracle's E[watch
 * time] of each impression) over all pages' chosen impressions; compare with the oracle's own top
 * k. Ties in score at the cut-off are resolved in expectation (the tied group's mean fills the
 * remaining slots), so a constant scorer earns the random-order value. Works for any per-impression
 * value, e.g. a clickbait flag gives the clickbait share of the top k. NaN fields when there are no
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
