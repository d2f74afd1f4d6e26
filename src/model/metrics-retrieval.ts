/**
 * Retrieval metrics (paper §3.4): one held-out next watch per query, ranked among every video.
 * Conventions in `metrics.ts`.
 */
import { checkIndex, checkSameLength, meanOf, type BinaryLabels } from './metrics-common';

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

/** Discounted cumulative gain of the first k `gains`: Σ gain / log2(position + 2). */
function dcg(gains: ArrayLike<number>, k: number): number {
  let sum = 0;
  for (let i = 0; i < Math.min(k, gains.length); i++) sum += gains[i] / Math.log2(i + 2);
  return sum;
}
