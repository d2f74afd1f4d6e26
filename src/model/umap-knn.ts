/**
 * The neighbour search under the UMAP layout (`umap-layout.ts`): unit-normalised rows, the seeded
 * sample of rows UMAP lays out, and the exact k nearest neighbours by cosine distance (1 − cos θ),
 * brute force in chunks so that progress and cancellation are seen. Pure TypeScript, no tfjs.
 */
import { randomLcg } from 'd3-random';
import { mixSeed } from '../sim/rng';

/**
 * `m` distinct row indices of [0, rows), drawn uniformly without replacement with a seeded
 * partial Fisher–Yates shuffle, ascending. All rows, in order, when m ≥ rows.
 */
export function sampleRows(rows: number, m: number, seed: number): Int32Array {
  const all = Int32Array.from({ length: rows }, (_, i) => i);
  if (m >= rows) return all;
  const random = randomLcg(mixSeed(seed, 0x73));
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(random() * (rows - i));
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return all.slice(0, m).sort();
}

/** Dot product of the rows at offsets `a` of `x` and `b` of `y`, `d` numbers, unrolled by four. */
export function dot(x: Float64Array, a: number, y: Float64Array, b: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let c = 0;
  for (; c + 3 < d; c += 4) {
    s0 += x[a + c] * y[b + c];
    s1 += x[a + c + 1] * y[b + c + 1];
    s2 += x[a + c + 2] * y[b + c + 2];
    s3 += x[a + c + 3] * y[b + c + 3];
  }
  for (; c < d; c++) s0 += x[a + c] * y[b + c];
  return s0 + s1 + (s2 + s3);
}

/** Scales `v[o … o+d)` to unit length in place (a zero row stays zero). */
export function normaliseAt(v: Float64Array, o: number, d: number) {
  let s = 0;
  for (let c = 0; c < d; c++) s += v[o + c] * v[o + c];
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let c = 0; c < d; c++) v[o + c] *= inv;
  }
}

/** Rows `rows` of `x` [· × d] (row-major), each scaled to unit length, as one [rows.length × d] table. */
export function unitRows(x: Float32Array, d: number, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length * d);
  for (let t = 0; t < rows.length; t++) {
    out.set(x.subarray(rows[t] * d, (rows[t] + 1) * d), t * d);
    normaliseAt(out, t * d, d);
  }
  return out;
}

/** Inserts (j, dist) into the ascending top-k list at `base` of `idx`/`dst` if it beats the worst. */
function offer(
  idx: Int32Array,
  dst: Float64Array,
  base: number,
  k: number,
  j: number,
  dist: number,
) {
  let p = base + k - 1;
  if (!(dist < dst[p])) return;
  while (p > base && dst[p - 1] > dist) {
    dst[p] = dst[p - 1];
    idx[p] = idx[p - 1];
    p--;
  }
  dst[p] = dist;
  idx[p] = j;
}

/**
 * Exact k nearest neighbours [m × k] of each row of the unit table `u` [m × d] by cosine
 * distance, the row itself first at distance 0, ties kept in index order. `tick` is awaited
 * between chunks with the fraction of pairs done.
 */
export async function exactCosineKnn(
  u: Float64Array,
  m: number,
  d: number,
  k: number,
  tick: (fraction: number) => Promise<void>,
): Promise<{ indices: number[][]; distances: number[][] }> {
  const idx = new Int32Array(m * k).fill(-1);
  const dst = new Float64Array(m * k).fill(Infinity);
  for (let i = 0; i < m; i++) {
    idx[i * k] = i;
    dst[i * k] = 0;
  }
  const totalPairs = (m * (m - 1)) / 2;
  let pairs = 0;
  let sinceTick = 0;
  for (let i = 0; i < m; i++) {
    const oi = i * d;
    for (let j = i + 1; j < m; j++) {
      const dist = Math.max(0, 1 - dot(u, oi, u, j * d, d));
      offer(idx, dst, i * k, k, j, dist);
      offer(idx, dst, j * k, k, i, dist);
    }
    pairs += m - 1 - i;
    sinceTick += m - 1 - i;
    if (sinceTick >= 100_000) {
      sinceTick = 0;
      await tick(pairs / totalPairs);
    }
  }
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < m; i++) {
    indices.push(Array.from(idx.subarray(i * k, (i + 1) * k)));
    distances.push(Array.from(dst.subarray(i * k, (i + 1) * k)));
  }
  return { indices, distances };
}
