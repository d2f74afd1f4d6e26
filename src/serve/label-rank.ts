/**
 * Where each query's label ranks among the allowed items by u·v + b: the number of allowed
 * items scoring strictly more than the label, with the score of the Funnel view's recall curve
 * (`userScores` of src/model/softmax-bias: the bias plus the products summed left to right in
 * double precision, then rounded to float32; a label not allowed scores −∞).
 *
 * With a batch of queries on the WASM backend the float32 products of {@link BlockedItems}
 * decide almost every item: one whose product minus its bound is above the label's score is
 * above it, one whose product plus its bound is not above it is not, and only the few in
 * between are scored exactly — so the counts are those of scoring every item, to the last one.
 */
import type { BlockedItems } from './exact';
import { type ItemVectors } from './exact';

/** u·v_i + b_i as the recall curve scores it: bias first, left to right in float64, then float32. */
function curveScore(
  items: ItemVectors,
  bias: Float32Array | undefined,
  u: Float32Array,
  uo: number,
  i: number,
): number {
  const d = items.dim;
  let x = bias ? bias[i] : 0;
  for (let k = 0, o = i * d; k < d; k++) x += u[uo + k] * items.vectors[o + k];
  return Math.fround(x);
}

/**
 * For each query q of `queries` [m × d]: how many items allowed by masks[q] score strictly more
 * than item labels[q] (0 = the label is first). `blocked`, when given, must be prepared on these
 * items and bias; without it (or when a query is not finite, or the batch's products would not
 * fit in 2²³ floats) every item is scored.
 */
export function labelRanks(
  items: ItemVectors,
  bias: Float32Array | undefined,
  queries: Float32Array,
  labels: ArrayLike<number>,
  masks: readonly Uint8Array[],
  blocked?: BlockedItems | null,
): number[] {
  const { count, dim: d } = items;
  const m = labels.length;
  // The products hold m × count floats: taken for batches up to 2²³ (32 MB).
  const products = blocked && m * count <= 1 << 23 ? blocked.products(queries) : null;
  const out: number[] = [];
  for (let q = 0; q < m; q++) {
    const mask = masks[q];
    const label = labels[q];
    const own = mask[label] ? curveScore(items, bias, queries, q * d, label) : -Infinity;
    let rank = 0;
    if (!products) {
      for (let i = 0; i < count; i++)
        if (mask[i] && curveScore(items, bias, queries, q * d, i) > own) rank++;
      out.push(rank);
      continue;
    }
    const { scores, slack, blockItems } = products;
    const blocks = slack.length / m;
    for (let b = 0; b < blocks; b++) {
      // The products' bound against the double-precision score, plus the float32 rounding of
      // the curve's score (half a unit in the last place: at most 2⁻²⁴ of its size).
      const bound = slack[q * blocks + b];
      const end = Math.min(count, (b + 1) * blockItems);
      for (let i = b * blockItems; i < end; i++) {
        if (!mask[i]) continue;
        const g = scores[q * count + i];
        const near = bound + 2 ** -23 * (Math.abs(g) + bound);
        if (g - near > own) rank++;
        else if (g + near > own && curveScore(items, bias, queries, q * d, i) > own) rank++;
      }
    }
    out.push(rank);
  }
  return out;
}
