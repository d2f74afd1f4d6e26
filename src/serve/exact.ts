/**
 * Exact retrieval (docs/model.md#exact-retrieval, paper §3.1): the top N items by u·v_i + b_i.
 * It is the reference the approximate index is measured against and the "exact" side of the
 * funnel. Every score that decides the answer is the same double-precision sum ({@link dotAt},
 * then the bias), and a bounded heap of N ({@link TopNHeap}) keeps the best, never a full sort.
 *
 * A batch of queries on the WASM backend goes through a matrix product first (blocks of queries
 * × blocks of items, XNNPACK's float32 GEMM with neither operand transposed): its float32 scores
 * are within a proven bound of the exact ones, so an item whose float32 score plus that bound
 * falls below the heap's current threshold cannot be in the top N and is skipped; every other
 * item is scored exactly and offered. The answer is therefore the exact scan's, bit for bit
 * (ties, bias and mask included); only the work differs (docs/performance.md#retrieval).
 */
import * as tf from '@tensorflow/tfjs';
import { offerBest, selectNth, TopNHeap, type TopN } from './topn';

/** A table of item vectors; row i is item i (e.g. CandidateModel.videoOut.weights). */
export interface ItemVectors {
  /** Row-major vectors [count × dim]; length ≥ count · dim. */
  readonly vectors: Float32Array;
  /** Number of items n. */
  readonly count: number;
  /** Width d of every vector (and of every query). */
  readonly dim: number;
}

/** What besides the dot product decides a score, and which items may be returned. */
export interface ScoreOptions {
  /** Per-item bias b_i [count] (e.g. CandidateModel.videoBias.weights): score = q·x_i + b_i. */
  bias?: Float32Array;
  /** Allowed items [count]: item i may be returned iff mask[i] ≠ 0 (e.g. already uploaded). */
  mask?: Uint8Array;
  /**
   * One mask per query of a batch (each [count], as `mask`), for queries served at different
   * times; when given it replaces `mask` and must have one entry per query.
   */
  masks?: readonly Uint8Array[];
}

/** Float32 scores of a batch of queries against all items, with bounds ({@link BlockedItems.products}). */
export interface ItemProducts {
  /** q̃·x̃ of query q and item i at [q · count + i], float32 [m × count]. */
  scores: Float32Array;
  /** Per query and block of items, a bound on |score − (dotAt(q, x_i) + b_i)| [m × blocks]. */
  slack: Float64Array;
  /** Items per block: item i is in block ⌊i / blockItems⌋. */
  blockItems: number;
}

/** How a batch is scored: `'auto'` picks the matrix product when it can run (WASM) and pays. */
export type ScanMethod = 'auto' | 'scan' | 'gemm';

/**
 * q·x for q = query[qo .. qo+d) and x = items[xo .. xo+d), summed in double precision.
 *
 * Four running sums (over k ≡ 0, 1, 2, 3 mod 4) instead of one: a single sum is a chain of
 * dependent additions, each waiting for the last; four were 1.1–1.5× faster in Node here
 * (d = 32). The result is ((s0 + s1) + (s2 + s3)) + the d mod 4 tail, which can differ from
 * a left-to-right sum in the last bits only.
 */
export function dotAt(
  query: Float32Array,
  qo: number,
  items: Float32Array,
  xo: number,
  d: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < d; k += 4) {
    s0 += query[qo + k] * items[xo + k];
    s1 += query[qo + k + 1] * items[xo + k + 1];
    s2 += query[qo + k + 2] * items[xo + k + 2];
    s3 += query[qo + k + 3] * items[xo + k + 3];
  }
  let s = s0 + s1 + (s2 + s3);
  for (; k < d; k++) s += query[qo + k] * items[xo + k];
  return s;
}

/** Checks shapes shared by the exact scan and the index; throws a RangeError naming the mismatch. */
export function checkShapes(
  items: ItemVectors,
  queries: Float32Array,
  options: ScoreOptions,
  n: number,
): void {
  const { count, dim } = items;
  if (!(dim >= 1) || !Number.isInteger(dim))
    throw new RangeError(`item width must be an integer ≥ 1, got ${dim}`);
  if (items.vectors.length < count * dim)
    throw new RangeError(
      `item vectors hold ${items.vectors.length} values, need ${count} × ${dim}`,
    );
  if (queries.length % dim !== 0)
    throw new RangeError(`queries hold ${queries.length} values, not a multiple of d = ${dim}`);
  if (options.bias && options.bias.length < count)
    throw new RangeError(`bias has ${options.bias.length} values for ${count} items`);
  if (options.mask && options.mask.length < count)
    throw new RangeError(`mask has ${options.mask.length} values for ${count} items`);
  for (const m of options.masks ?? [])
    if (m.length < count) throw new RangeError(`a mask has ${m.length} values for ${count} items`);
  if (options.masks && options.masks.length !== queries.length / dim)
    throw new RangeError(`${options.masks.length} masks for ${queries.length / dim} queries`);
  if (!(n >= 0) || !Number.isInteger(n)) throw new RangeError(`N must be an integer ≥ 0, got ${n}`);
}

/** Items per block of the plain scan: 2048 × 32 floats = 256 KiB, which stays in cache. */
const BLOCK = 2048;

/**
 * Exact top-N for a batch of queries [m × d] (m = queries.length / d). Returns one
 * {@link TopN} per query, in query order; the same answer whichever `method` computes it.
 *
 * `'scan'` goes block by block over the items and, inside a block, query by query (each block
 * is read from memory once for the whole batch). `'gemm'` (WASM backend only; otherwise it
 * scans) filters through float32 matrix products first, see the module comment. `'auto'`
 * (default) takes `'gemm'` on WASM for at least {@link GEMM_MIN_QUERIES} queries and
 * {@link GEMM_MIN_WORK} multiply-adds (it transposes the items once per call, which a batch
 * pays back and a single query does not).
 */
export function exactTopNBatch(
  items: ItemVectors,
  queries: Float32Array,
  n: number,
  options: ScoreOptions = {},
  method: ScanMethod = 'auto',
): TopN[] {
  checkShapes(items, queries, options, n);
  const m = queries.length / items.dim;
  const heaps = Array.from({ length: m }, () => new TopNHeap(n));
  for (const h of heaps) h.reset();
  const work = m * items.count * items.dim;
  const gemm =
    method !== 'scan' &&
    (method === 'gemm' || (m >= GEMM_MIN_QUERIES && work >= GEMM_MIN_WORK)) &&
    n > 0 &&
    tf.getBackend() === 'wasm';
  const blocked = gemm ? BlockedItems.prepare(items, options.bias) : null;
  try {
    if (!blocked?.fill(queries, heaps, options)) scanTopN(items, queries, heaps, options);
  } finally {
    blocked?.dispose();
  }
  return heaps.map((h) => h.result());
}

/** The least multiply-adds (queries × items × d) for which `'auto'` takes the matrix product. */
export const GEMM_MIN_WORK = 1 << 22;
/** The fewest queries for which `'auto'` takes the matrix product. */
export const GEMM_MIN_QUERIES = 8;

/**
 * Whether N is a large enough share of the items (N·16 ≥ items) that a query is better served
 * by scoring every allowed item first and offering only those at or above the N-th best score
 * ({@link offerBest}): offered in id order, most of the first N thousand items would enter the
 * heap only to be pushed out again. The answer is the same either way.
 */
export function selectsFirst(n: number, count: number): boolean {
  return n > 0 && n * 16 >= count;
}

/** The plain scan into `heaps` (one per query, reset). */
function scanTopN(
  items: ItemVectors,
  queries: Float32Array,
  heaps: TopNHeap[],
  options: ScoreOptions,
): void {
  const { vectors, count, dim: d } = items;
  const { bias } = options;
  const m = heaps.length;
  if (m > 0 && selectsFirst(heaps[0].capacity, count)) {
    // Every allowed item's exact score, then the heap takes those at or above the N-th best.
    const ids = new Int32Array(count);
    const scores = new Float64Array(count);
    const scratch = new Float64Array(count);
    for (let q = 0; q < m; q++) {
      const mask = options.masks ? options.masks[q] : options.mask;
      let len = 0;
      for (let i = 0; i < count; i++) {
        if (mask && mask[i] === 0) continue;
        let s = dotAt(queries, q * d, vectors, i * d, d);
        if (bias) s += bias[i];
        if (s !== s) continue; // NaN: the heap refuses it
        ids[len] = i;
        scores[len++] = s;
      }
      offerBest(heaps[q], ids, scores, len, scratch);
    }
    return;
  }
  for (let start = 0; start < count; start += BLOCK) {
    const end = Math.min(count, start + BLOCK);
    for (let q = 0; q < m; q++) {
      const heap = heaps[q];
      const mask = options.masks ? options.masks[q] : options.mask;
      const qo = q * d;
      for (let i = start; i < end; i++) {
        if (mask && mask[i] === 0) continue;
        let s = dotAt(queries, qo, vectors, i * d, d);
        if (bias) s += bias[i];
        if (s >= heap.threshold) heap.offer(i, s);
      }
    }
  }
}

/** Items per block of the matrix product: [(d + 1) × 8192] floats in, [queries × 8192] scores. */
const GEMM_ITEMS = 8192;
/** Queries per block of the matrix product (bounds the product to 4 MiB of WASM memory). */
const GEMM_QUERIES = 128;
/** Items per group whose largest float32 score is read back (the rest stays in WASM memory). */
const GEMM_GROUP = 8;

/**
 * A bound on |fl32(q̃·x̃) − (dotAt(q, x) + b)| for q̃ = [q, 1], x̃ = [x, b] over any summation
 * order: with u = 2⁻²⁴ a float32 dot product of m terms errs by at most γ_m·Σ|q̃_k x̃_k|
 * (γ_m = m·u / (1 − m·u); Higham, Accuracy and Stability, §3.1, products' rounding included),
 * the double-precision reference by far less, and Σ|q̃_k x̃_k| ≤ ‖q̃‖·‖x̃‖ (Cauchy–Schwarz).
 * The factor is twice γ_{d+2}; the caller adds 1e-30 for underflow.
 */
export function gemmBound(d: number): number {
  const mu = (d + 2) * 2 ** -24;
  return (2 * mu) / (1 - mu);
}

/**
 * Item vectors (and bias) laid out for exact top-N by matrix products on the WASM backend
 * (docs/performance.md#retrieval): blocks of {@link GEMM_ITEMS} items transposed to
 * [(d + 1) × block] tensors with the bias as the last row, each with the largest ‖[x, b]‖ of
 * the block. Holds WASM memory until {@link dispose}; it copies the vectors, so it answers for
 * the vectors as they were when prepared.
 */
export class BlockedItems {
  private constructor(
    readonly items: ItemVectors,
    readonly bias: Float32Array | undefined,
    private readonly blocks: tf.Tensor2D[],
    private readonly norms: Float64Array,
  ) {}

  /**
   * Prepares `items` (with optional bias [count]); null when the WASM backend is not the one
   * in use, or when a vector or bias is not finite (the bound then says nothing).
   */
  static prepare(items: ItemVectors, bias?: Float32Array): BlockedItems | null {
    checkShapes(items, new Float32Array(0), { bias }, 0);
    if (tf.getBackend() !== 'wasm') return null;
    const { vectors, count, dim: d } = items;
    const w = d + 1;
    const blocks: tf.Tensor2D[] = [];
    const norms = new Float64Array(Math.ceil(count / GEMM_ITEMS));
    // Each block written transposed, [(d + 1) × cols] (item j of the block is column j); padded
    // to whole groups with zero columns, which are never rescored.
    const x = new Float32Array(GEMM_ITEMS * w);
    for (let b = 0; b < norms.length; b++) {
      const start = b * GEMM_ITEMS;
      const width = Math.min(GEMM_ITEMS, count - start);
      const cols = Math.ceil(width / GEMM_GROUP) * GEMM_GROUP;
      x.fill(0, 0, cols * w);
      let largest = 0;
      for (let j = 0; j < width; j++) {
        const o = (start + j) * d;
        let s = 0;
        for (let k = 0; k < d; k++) {
          const v = vectors[o + k];
          x[k * cols + j] = v;
          s += v * v;
        }
        const bj = bias ? bias[start + j] : 0;
        x[d * cols + j] = bj;
        s += bj * bj;
        if (!(s <= largest)) largest = s; // NaN propagates
      }
      norms[b] = Math.sqrt(largest);
      if (!Number.isFinite(norms[b])) {
        for (const t of blocks) t.dispose();
        return null;
      }
      blocks.push(tf.tensor2d(x.slice(0, cols * w), [w, cols]));
    }
    return new BlockedItems(items, bias, blocks, norms);
  }

  /**
   * Offers every item that can be among the top N of each query to that query's heap (one per
   * query, as {@link exactTopNBatch}); `options.bias` is ignored (the prepared bias is used).
   * Returns false, touching nothing, when a query is not finite.
   */
  fill(queries: Float32Array, heaps: TopNHeap[], options: ScoreOptions): boolean {
    const { vectors, count, dim: d } = this.items;
    const bias = this.bias;
    const m = heaps.length;
    const w = d + 1;
    const c = gemmBound(d);
    const qNorm = new Float64Array(m);
    const qt = new Float32Array(m * w);
    for (let q = 0; q < m; q++) {
      let s = 1;
      for (let k = 0; k < d; k++) {
        const x = queries[q * d + k];
        qt[q * w + k] = x;
        s += x * x;
      }
      qt[q * w + d] = 1;
      qNorm[q] = Math.sqrt(s);
      if (!Number.isFinite(qNorm[q])) return false;
    }
    if (m > 0 && selectsFirst(heaps[0].capacity, count) && GEMM_QUERIES * count <= 1 << 23) {
      this.fillSelecting(queries, qt, qNorm, heaps, options);
      return true;
    }
    for (let q0 = 0; q0 < m; q0 += GEMM_QUERIES) {
      const mq = Math.min(GEMM_QUERIES, m - q0);
      const qBlock = tf.tensor2d(qt.subarray(q0 * w, (q0 + mq) * w), [mq, w]);
      try {
        for (let b = 0; b < this.blocks.length; b++) {
          const block = this.blocks[b];
          const cols = block.shape[1];
          const groups = cols / GEMM_GROUP;
          const start = b * GEMM_ITEMS;
          const end = Math.min(count, start + GEMM_ITEMS);
          const pooled = tf.tidy(() =>
            tf.max(tf.reshape(tf.matMul(qBlock, block), [mq, groups, GEMM_GROUP]), 2),
          );
          const top = pooled.dataSync() as Float32Array;
          pooled.dispose();
          for (let r = 0; r < mq; r++) {
            const q = q0 + r;
            const heap = heaps[q];
            const mask = options.masks ? options.masks[q] : options.mask;
            const slack = c * qNorm[q] * this.norms[b] + 1e-30;
            const qo = q * d;
            const row = r * groups;
            for (let g = 0; g < groups; g++) {
              if (top[row + g] + slack < heap.threshold) continue;
              const i1 = Math.min(end, start + (g + 1) * GEMM_GROUP);
              for (let i = start + g * GEMM_GROUP; i < i1; i++) {
                if (mask && mask[i] === 0) continue;
                let s = dotAt(queries, qo, vectors, i * d, d);
                if (bias) s += bias[i];
                if (s >= heap.threshold) heap.offer(i, s);
              }
            }
          }
        }
      } finally {
        qBlock.dispose();
      }
    }
    return true;
  }

  /**
   * {@link fill} when N is a large share of the items ({@link selectsFirst}): each query's
   * float32 score of every item is read back whole, the N-th best of them among the allowed
   * items, T, found by selection, and only the items whose float32 score plus their block's
   * bound reaches T minus the largest bound are scored exactly and offered. At least N allowed
   * items score exactly T minus the largest bound or more, so no item left out could be in the
   * top N. `qt` [m × (d + 1)] are the queries with a 1 appended, `qNorm` their norms.
   */
  private fillSelecting(
    queries: Float32Array,
    qt: Float32Array,
    qNorm: Float64Array,
    heaps: TopNHeap[],
    options: ScoreOptions,
  ): void {
    const { vectors, count, dim: d } = this.items;
    const bias = this.bias;
    const m = heaps.length;
    const w = d + 1;
    const c = gemmBound(d);
    const ids = new Int32Array(count);
    const scores = new Float64Array(count);
    const scratch = new Float64Array(count);
    for (let q0 = 0; q0 < m; q0 += GEMM_QUERIES) {
      const mq = Math.min(GEMM_QUERIES, m - q0);
      // The float32 scores of the block's queries [mq × count].
      const approx = new Float32Array(mq * count);
      const qBlock = tf.tensor2d(qt.subarray(q0 * w, (q0 + mq) * w), [mq, w]);
      try {
        for (let b = 0; b < this.blocks.length; b++) {
          const block = this.blocks[b];
          const cols = block.shape[1];
          const start = b * GEMM_ITEMS;
          const width = Math.min(count, start + GEMM_ITEMS) - start;
          const product = tf.matMul(qBlock, block);
          const values = product.dataSync() as Float32Array;
          product.dispose();
          for (let r = 0; r < mq; r++)
            approx.set(values.subarray(r * cols, r * cols + width), r * count + start);
        }
      } finally {
        qBlock.dispose();
      }
      for (let r = 0; r < mq; r++) {
        const q = q0 + r;
        const heap = heaps[q];
        const mask = options.masks ? options.masks[q] : options.mask;
        const row = r * count;
        let widest = 0;
        for (let b = 0; b < this.norms.length; b++) widest = Math.max(widest, this.norms[b]);
        const largestSlack = c * qNorm[q] * widest + 1e-30;
        let len = 0;
        for (let i = 0; i < count; i++)
          if (!mask || mask[i] !== 0) scratch[len++] = approx[row + i];
        let floor = -Infinity;
        if (len > heap.capacity)
          floor = selectNth(scratch, len, len - heap.capacity) - largestSlack;
        let kept = 0;
        for (let b = 0; b < this.norms.length; b++) {
          const slack = c * qNorm[q] * this.norms[b] + 1e-30;
          const end = Math.min(count, (b + 1) * GEMM_ITEMS);
          for (let i = b * GEMM_ITEMS; i < end; i++) {
            if ((mask && mask[i] === 0) || approx[row + i] + slack < floor) continue;
            let s = dotAt(queries, q * d, vectors, i * d, d);
            if (bias) s += bias[i];
            if (s !== s) continue;
            ids[kept] = i;
            scores[kept++] = s;
          }
        }
        offerBest(heap, ids, scores, kept, scratch);
      }
    }
  }

  /**
   * The float32 scores q̃·x̃ of every query [m × d] with every item, and their bounds: score
   * scores[q · count + i] is within slack[q · blocks + ⌊i / blockItems⌋] of the double-precision
   * dotAt(q, x_i) + b_i. Null when a query is not finite. Holds m × count floats: for batches
   * that fit in memory (the funnel's 40 queries × 20 000 videos take 3.2 MB).
   */
  products(queries: Float32Array): ItemProducts | null {
    const { count, dim: d } = this.items;
    checkShapes(this.items, queries, {}, 0);
    const m = queries.length / d;
    const w = d + 1;
    const c = gemmBound(d);
    const blocks = this.blocks.length;
    const qt = new Float32Array(m * w);
    const slack = new Float64Array(m * blocks);
    for (let q = 0; q < m; q++) {
      let s = 1;
      for (let k = 0; k < d; k++) {
        const x = queries[q * d + k];
        qt[q * w + k] = x;
        s += x * x;
      }
      qt[q * w + d] = 1;
      const norm = Math.sqrt(s);
      if (!Number.isFinite(norm)) return null;
      for (let b = 0; b < blocks; b++) slack[q * blocks + b] = c * norm * this.norms[b] + 1e-30;
    }
    const scores = new Float32Array(m * count);
    for (let q0 = 0; q0 < m; q0 += GEMM_QUERIES) {
      const mq = Math.min(GEMM_QUERIES, m - q0);
      const qBlock = tf.tensor2d(qt.subarray(q0 * w, (q0 + mq) * w), [mq, w]);
      try {
        for (let b = 0; b < blocks; b++) {
          const cols = this.blocks[b].shape[1];
          const start = b * GEMM_ITEMS;
          const width = Math.min(count, start + GEMM_ITEMS) - start;
          const product = tf.matMul(qBlock, this.blocks[b]);
          const values = product.dataSync() as Float32Array;
          product.dispose();
          for (let r = 0; r < mq; r++)
            scores.set(values.subarray(r * cols, r * cols + width), (q0 + r) * count + start);
        }
      } finally {
        qBlock.dispose();
      }
    }
    return { scores, slack, blockItems: GEMM_ITEMS };
  }

  /** Exact top-N of each query [m × d], as {@link exactTopNBatch} (the prepared bias). */
  topN(queries: Float32Array, n: number, options: Omit<ScoreOptions, 'bias'> = {}): TopN[] {
    checkShapes(this.items, queries, options, n);
    const heaps = Array.from({ length: queries.length / this.items.dim }, () => new TopNHeap(n));
    for (const h of heaps) h.reset();
    if (!this.fill(queries, heaps, options))
      scanTopN(this.items, queries, heaps, { ...options, bias: this.bias });
    return heaps.map((h) => h.result());
  }

  /** Frees the WASM memory. */
  dispose(): void {
    for (const t of this.blocks) t.dispose();
    this.blocks.length = 0;
  }
}

/** Exact top-N for one query [d]. See {@link exactTopNBatch}. */
export function exactTopN(
  items: ItemVectors,
  query: Float32Array,
  n: number,
  options: ScoreOptions = {},
): TopN {
  if (query.length !== items.dim)
    throw new RangeError(`query has ${query.length} values, need d = ${items.dim}`);
  return exactTopNBatch(items, query, n, options)[0];
}
