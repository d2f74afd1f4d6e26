/**
 * Exact retrieval (docs/model.md#exact-retrieval, paper §3.1): the top N items by u·v_i + b_i, by
 * scanning every item in plain TypeScript. It is the reference the approximate index is measured
 * against and the "exact" side of the funnel. A scan of n items of width d costs n·d multiply-adds
 * per query plus a bounded heap of N ({@link TopNHeap}), never a full sort.
 */
import { TopNHeap, type TopN } from './topn';

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
}

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
  if (!(n >= 0) || !Number.isInteger(n)) throw new RangeError(`N must be an integer ≥ 0, got ${n}`);
}

/** Items per block of the batched scan: 2048 × 32 floats = 256 KiB, which stays in cache. */
const BLOCK = 2048;

/**
 * Exact top-N for a batch of queries [m × d] (m = queries.length / d). Returns one
 * {@link TopN} per query, in query order.
 *
 * The scan goes block by block over the items and, inside a block, query by query, so each
 * block is read from memory once for the whole batch rather than once per query.
 */
export function exactTopNBatch(
  items: ItemVectors,
  queries: Float32Array,
  n: number,
  options: ScoreOptions = {},
): TopN[] {
  checkShapes(items, queries, options, n);
  const { vectors, count, dim: d } = items;
  const { bias, mask } = options;
  const m = queries.length / d;
  const heaps = Array.from({ length: m }, () => new TopNHeap(n));
  for (const h of heaps) h.reset();
  for (let start = 0; start < count; start += BLOCK) {
    const end = Math.min(count, start + BLOCK);
    for (let q = 0; q < m; q++) {
      const heap = heaps[q];
      const qo = q * d;
      for (let i = start; i < end; i++) {
        if (mask && mask[i] === 0) continue;
        let s = dotAt(queries, qo, vectors, i * d, d);
        if (bias) s += bias[i];
        if (s >= heap.threshold) heap.offer(i, s);
      }
    }
  }
  return heaps.map((h) => h.result());
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
