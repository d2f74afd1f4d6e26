/**
 * Accidental hits in sampled softmax (docs/model.md#accidental-hits): a sampled "negative" that is
 * in fact the row's own label. Left in, it pushes the label's score down with one hand and up with
 * the other; TensorFlow's `remove_accidental_hits` (and TensorFlow Recommenders') masks such logits
 * to a very negative number before the softmax. This module finds them; the unit's `batch.ts` turns
 * the mask into {@link MASKED_LOGIT} offsets that the logits add. Plain TypeScript, no tfjs.
 */

/**
 * Logit offset given to removed accidental hits (TFRS uses the float minimum; −1e9 is as good:
 * e^{−1e9} is 0 in float32, and −1e9 plus any real logit stays finite).
 */
export const MASKED_LOGIT = -1e9;

/** Options for {@link accidentalHitMask}. */
export interface AccidentalHitOptions {
  /**
   * In-batch negatives: `negatives` are the batch's own labels, so entry (b, b) is row b's
   * positive, not a negative, and is never marked. Requires negatives.length === labels.length.
   */
  inBatch?: boolean;
  /** Reused output buffer [B × K]; allocated when omitted. */
  out?: Uint8Array;
}

/**
 * Marks accidental hits. `labels` [B] are each row's positive item id; `negatives` [K] are the
 * sampled ids shared across the batch. Returns a row-major mask [B × K] with
 * mask[b·K + j] = 1 when negatives[j] === labels[b] (and, with `inBatch`, j ≠ b), else 0. The
 * same id drawn twice is marked twice. O(B + K + hits) via an id → columns index.
 */
export function accidentalHitMask(
  labels: ArrayLike<number>,
  negatives: ArrayLike<number>,
  options: AccidentalHitOptions = {},
): Uint8Array {
  const b = labels.length;
  const k = negatives.length;
  const { inBatch = false, out = new Uint8Array(b * k) } = options;
  if (out.length !== b * k) throw new RangeError(`out has length ${out.length}, not ${b}×${k}`);
  if (inBatch && k !== b) throw new RangeError(`in-batch needs K = B, got K ${k} and B ${b}`);
  out.fill(0);
  const columns = new Map<number, number[]>();
  for (let j = 0; j < k; j++) {
    const list = columns.get(negatives[j]);
    if (list) list.push(j);
    else columns.set(negatives[j], [j]);
  }
  for (let row = 0; row < b; row++) {
    const hits = columns.get(labels[row]);
    if (!hits) continue;
    for (const j of hits) if (!inBatch || j !== row) out[row * k + j] = 1;
  }
  return out;
}

/** Number of accidental hits in a mask from {@link accidentalHitMask} (for a training stat). */
export function countAccidentalHits(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i];
  return n;
}
