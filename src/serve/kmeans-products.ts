/**
 * The two hot loops of the k-means (kmeans.ts) through float32 matrix products on the WASM
 * backend, with the answers of the plain loops to the bit (docs/performance.md#retrieval):
 *
 * - the nearest centre of each point: every point's products with every centre come from one
 *   XNNPACK product; a centre whose float32 score, plus the error bound of exact.ts
 *   (`gemmBound`), cannot reach the best centre's score minus its bound cannot be the nearest
 *   and is skipped; the others are scored by the loop's own double-precision sums and the
 *   largest taken (ties: the lower index), exactly as the loop does;
 * - k-means++: the squared distance of every sample point to a new centre is computed in double
 *   precision, as the loop does, only where the float32 estimate cannot prove it is no smaller
 *   than the point's current nearest distance (the only case the loop uses it).
 *
 * Both return false (and change nothing) when they do not apply: another backend, too little
 * work to pay for the products, or a value that is not finite (the bound then says nothing).
 */
import * as tf from '@tensorflow/tfjs';
import { dotAt, gemmBound } from './exact';

/** The least multiply-adds (points × centres × width) for which the products pay. */
const MIN_WORK = 1 << 20;
/** Points per product (bounds the product to rows × centres floats of WASM memory). */
const ROWS = 4096;
/** Relative slack for the double-precision sums and subtractions on either side. */
const F64_SLACK = 2 ** -40;

/** ‖row‖ of each of the n rows [n × dim] in double precision; null if one is not finite. */
function rowNorms(x: Float32Array, n: number, dim: number): Float64Array | null {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += x[i * dim + j] * x[i * dim + j];
    out[i] = Math.sqrt(s);
    if (!Number.isFinite(out[i])) return null;
  }
  return out;
}

/** Whether the products may run and pay for n points × k centres of width dim. */
function applies(n: number, k: number, dim: number): boolean {
  return tf.getBackend() === 'wasm' && n * k * dim >= MIN_WORK;
}

/** float32 products of points [rows × dim] (from row `from`) with `right` [dim × cols]. */
function products(
  points: Float32Array,
  from: number,
  rows: number,
  dim: number,
  right: tf.Tensor2D,
): Float32Array {
  const product = tf.tidy(() =>
    tf.matMul(tf.tensor2d(points.subarray(from * dim, (from + rows) * dim), [rows, dim]), right),
  );
  const values = product.dataSync() as Float32Array;
  product.dispose();
  return values;
}

/**
 * kmeans.ts `nearestCentroids` by products (see the module comment): the same `out` and
 * `dist`. The score of centre c for point x is the loop's: Σⱼ xⱼcⱼ summed left to right for
 * the centres taken four at a time (c < k − k mod 4), `dotAt` for the rest, minus
 * ‖c‖²/2 = dotAt(c, c)/2.
 */
export function nearestByProducts(
  points: Float32Array,
  n: number,
  dim: number,
  centroids: Float32Array,
  k: number,
  out: Int32Array,
  dist?: Float64Array,
): boolean {
  if (!applies(n, k, dim)) return false;
  const cNorm = rowNorms(centroids, k, dim);
  const xNorm = cNorm && rowNorms(points, n, dim);
  if (!cNorm || !xNorm) return false;
  const halfNorm = new Float64Array(k);
  for (let c = 0; c < k; c++) halfNorm[c] = dotAt(centroids, c * dim, centroids, c * dim, dim) / 2;
  const k4 = k - (k % 4);
  const bound = gemmBound(dim);
  let widest = 0;
  let halfNormMax = 0;
  for (let c = 0; c < k; c++) {
    widest = Math.max(widest, cNorm[c]);
    halfNormMax = Math.max(halfNormMax, halfNorm[c]);
  }
  const right = tf.tidy(() => tf.transpose(tf.tensor2d(centroids.subarray(0, k * dim), [k, dim])));
  const near = new Int32Array(k);
  try {
    for (let from = 0; from < n; from += ROWS) {
      const rows = Math.min(ROWS, n - from);
      const g = products(points, from, rows, dim, right);
      for (let r = 0; r < rows; r++) {
        const i = from + r;
        const xo = i * dim;
        const row = r * k;
        // Every estimate g − ‖c‖²/2 is within `slack` of the loop's score (one bound for all
        // centres, from the widest), so only centres within twice that of the best estimate
        // can be the nearest: collected in one pass (the best so far only rises), then kept
        // against the final best.
        const xc = xNorm[i] * widest;
        const slack = bound * xc + F64_SLACK * (xc + halfNormMax) + 1e-30;
        let top = -Infinity;
        let count = 0;
        for (let c = 0; c < k; c++) {
          const e = g[row + c] - halfNorm[c];
          if (e > top) top = e;
          if (e >= top - 2 * slack) near[count++] = c;
        }
        let best = 0;
        let bestScore = -Infinity;
        for (let j = 0; j < count; j++) {
          const c = near[j];
          if (g[row + c] - halfNorm[c] < top - 2 * slack) continue;
          let s: number;
          if (c < k4) {
            s = 0;
            for (let t = 0, o = c * dim; t < dim; t++) s += points[xo + t] * centroids[o + t];
          } else s = dotAt(points, xo, centroids, c * dim, dim);
          s -= halfNorm[c];
          if (s > bestScore) {
            bestScore = s;
            best = c;
          }
        }
        out[i] = best;
        if (dist) dist[i] = Math.max(0, dotAt(points, xo, points, xo, dim) - 2 * bestScore);
      }
    }
  } finally {
    right.dispose();
  }
  return true;
}

/**
 * k-means++ rounds by products over one sample [s × dim], uploaded once: see {@link nearer}.
 * Create with {@link PlusPlusProducts.create}; free with {@link dispose}.
 */
export class PlusPlusProducts {
  private constructor(
    private readonly sample: Float32Array,
    private readonly s: number,
    private readonly dim: number,
    /** ‖x‖ of every sample point, in double precision. */
    private readonly norms: Float64Array,
    /** The sample in blocks of {@link ROWS} points [rows × dim]. */
    private readonly blocks: tf.Tensor2D[],
  ) {}

  /**
   * The sample ready for k rounds, or null where the products do not apply (another backend,
   * too little work for k centres, or a value that is not finite).
   */
  static create(sample: Float32Array, s: number, dim: number, k: number): PlusPlusProducts | null {
    if (!applies(s, k, dim)) return null;
    const norms = rowNorms(sample, s, dim);
    if (!norms) return null;
    const blocks: tf.Tensor2D[] = [];
    for (let from = 0; from < s; from += ROWS) {
      const rows = Math.min(ROWS, s - from);
      blocks.push(tf.tensor2d(sample.subarray(from * dim, (from + rows) * dim), [rows, dim]));
    }
    return new PlusPlusProducts(sample, s, dim, norms, blocks);
  }

  /**
   * One round: for the new centre `centre` [dim], nearest[i] ← min(nearest[i], Σⱼ (xⱼ − cⱼ)²)
   * for every sample point, the sum in double precision left to right as the loop takes it,
   * computed only where the float32 estimate ‖x‖² − 2x·c + ‖c‖² cannot show it is at least
   * nearest[i]. Returns false (nothing changed) when the centre is not finite.
   */
  nearer(centre: Float32Array, nearest: Float64Array): boolean {
    const { sample, dim, norms } = this;
    let cc = 0;
    for (let j = 0; j < dim; j++) cc += centre[j] * centre[j];
    const cNorm = Math.sqrt(cc);
    if (!Number.isFinite(cNorm)) return false;
    const bound = 2 * gemmBound(dim);
    const right = tf.tensor2d(centre, [dim, 1]);
    try {
      for (let b = 0; b < this.blocks.length; b++) {
        const from = b * ROWS;
        const rows = Math.min(ROWS, this.s - from);
        const product = tf.matMul(this.blocks[b], right);
        const g = product.dataSync() as Float32Array;
        product.dispose();
        for (let r = 0; r < rows; r++) {
          const i = from + r;
          const near = nearest[i];
          if (near < Infinity) {
            const xx = norms[i] * norms[i];
            const xc = norms[i] * cNorm;
            const estimate = xx - 2 * g[r] + cc;
            const slack = bound * xc + F64_SLACK * (xx + cc + near) + 1e-30;
            if (estimate - slack >= near) continue;
          }
          let d2 = 0;
          for (let j = 0, o = i * dim; j < dim; j++) {
            const diff = sample[o + j] - centre[j];
            d2 += diff * diff;
          }
          if (d2 < near) nearest[i] = d2;
        }
      }
    } finally {
      right.dispose();
    }
    return true;
  }

  /** Frees the uploaded sample. */
  dispose(): void {
    for (const t of this.blocks) t.dispose();
    this.blocks.length = 0;
  }
}
