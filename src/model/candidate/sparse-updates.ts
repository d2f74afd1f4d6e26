/**
 * A candidate-generation step's sparse updates: the gradients of the tower input x and of the
 * gathered output rows, read back from tfjs, turned into one gradient per distinct table row
 * and applied by lazy Adam (docs/model.md#sparse-embedding-updates). Only the rows the batch
 * touched change; a step costs O(rows touched × d), whatever the corpus size.
 */
import type { AdamSettings, SparseEmbedding } from '../embedding';
import type { SortedSlots } from '../sorted-slots';
import { bagGradients, type UserInputs } from './inputs';

/**
 * Applies the gradient of the tower input x, `gx` [B × width] (the averaged fields side by side,
 * in `inputs.fields` order, then the dense inputs), to each field's table: a bag's gradient is
 * spread over its rows and each distinct row updated once by lazy Adam: through the field's
 * sorted slots when it has them (`SparseEmbedding.applyBagGradients`, rows in ascending order),
 * else by `bagGradients` (rows in first-seen order). Tables
 * in `skip` (the frozen pretrained embeddings) are left as they are.
 */
export function applyInputGradients(
  inputs: UserInputs,
  gx: Float32Array,
  width: number,
  adam: AdamSettings,
  skip: readonly SparseEmbedding[] = [],
): void {
  const B = inputs.batch;
  let col = 0;
  for (const f of inputs.fields) {
    const gMean = columnsOf(gx, B, width, col, f.table.dim);
    col += f.table.dim;
    if (skip.includes(f.table)) continue;
    const s = f.sorted;
    if (s) {
      // Rows in ascending order; the gradients go from the spread to Adam without a copy.
      const slots = s.slots.subarray(0, f.ids.length);
      if (s.size)
        f.table.applyBagGradients(s.rows.subarray(0, s.size), slots, f.offsets, gMean, adam);
      continue;
    }
    const g = bagGradients(f, gMean);
    if (g.ids.length) f.table.applyGradients(g.ids, g.grads, adam);
  }
}

/**
 * Sums the gradients of the label rows and of the column rows per distinct video (labels first,
 * then columns, in batch order: the order the float32 sums are taken in) and updates those rows
 * of `videoOut` [videos × d] and `videoBias` [videos × 1] by one lazy-Adam step each. `g` holds
 * ∂L/∂v_y [B × d], ∂L/∂v_j [K × d], ∂L/∂b_y [B], ∂L/∂b_j [K] (zeros for label rows without a
 * gradient). The rows are numbered by `sorted` (reused scratch), so Adam updates them in
 * ascending order; each row's sum is the same whatever the numbering.
 */
export function applyOutputGradients(
  videoOut: SparseEmbedding,
  videoBias: SparseEmbedding,
  labels: Int32Array,
  columns: Int32Array,
  g: readonly Float32Array[],
  adam: AdamSettings,
  sorted: SortedSlots,
): void {
  const d = videoOut.dim;
  const [gPos, gNeg, gbPos, gbNeg] = g;
  const B = labels.length;
  const both = new Int32Array(B + columns.length);
  both.set(labels);
  both.set(columns, B);
  videoOut.sortRows(both, sorted);
  const slots = sorted.slots;
  const ids = sorted.rows.subarray(0, sorted.size);
  const gv = new Float32Array(ids.length * d);
  const gb = new Float32Array(ids.length);
  for (let b = 0; b < B; b++) {
    const s = slots[b];
    for (let k = 0; k < d; k++) gv[s * d + k] += gPos[b * d + k];
    gb[s] += gbPos[b];
  }
  for (let j = 0; j < columns.length; j++) {
    const s = slots[B + j];
    for (let k = 0; k < d; k++) gv[s * d + k] += gNeg[j * d + k];
    gb[s] += gbNeg[j];
  }
  videoOut.applyGradients(ids, gv, adam);
  videoBias.applyGradients(ids, gb, adam);
}

/** Columns [col, col + n) of a row-major [rows × width] matrix, as a [rows × n] copy. */
export function columnsOf(
  m: Float32Array,
  rows: number,
  width: number,
  col: number,
  n: number,
): Float32Array {
  if (col === 0 && n === width) return m;
  const out = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) out.set(m.subarray(r * width + col, r * width + col + n), r * n);
  return out;
}
