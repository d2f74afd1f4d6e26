/**
 * Placing the rows outside UMAP's sample (`umap-layout.ts`, stage `placing`): every such row is
 * put at the 2-D position of its cosine-nearest sampled row plus a small seeded jitter (±0.5 %
 * of the layout's extent per axis). The search is exact while it costs at most
 * {@link EXACT_PLACEMENT_LIMIT} multiply-adds, else an inverted-file search over ≈√m seeded
 * pivots ({@link UmapPlacement}). The exact search runs in WebAssembly SIMD where it can
 * (`wasm/nearest-row.ts`: the same rows as the JavaScript scan, several times faster), else in
 * JavaScript. No tfjs.
 */
import { randomLcg } from 'd3-random';
import { mixSeed } from '../sim/rng';
import { dot, normaliseAt, sampleRows } from './umap-knn';
import { WasmNearestRow } from './wasm/nearest-row';

/**
 * How the rows outside the sample find their nearest sampled row: `exact` compares each with
 * every sampled row; `ivf` groups the sampled rows around ≈√maxPoints seeded pivots and compares
 * a row with the pivots and the rows of its {@link IVF_PROBES} nearest groups only; `auto`
 * (default) is `exact` up to {@link EXACT_PLACEMENT_LIMIT} multiply-adds, else `ivf`.
 */
export type UmapPlacement = 'auto' | 'exact' | 'ivf';

/**
 * Most multiply-adds, (rows − sampled) · sampled · dim, that `auto` placement spends on an
 * exact nearest-row search (≈ 5 s on a slow core) before it switches to `ivf`.
 */
export const EXACT_PLACEMENT_LIMIT = 4e9;

/** Groups an `ivf` placement searches per row (of ≈√sampled groups). */
export const IVF_PROBES = 8;

/**
 * A nearest-row search over the unit table `u` [m × d]: `nearest(q, o)` gives the index of the
 * row of `u` with the largest dot product with the unit row at offset `o` of `q`, and `cost`
 * the multiply-adds per query.
 *
 * `ivf`: P = round(√m) pivots (a seeded sample of the rows); every row joins the group of its
 * nearest pivot; a query scans the P pivots, then the rows of its `IVF_PROBES` nearest groups.
 */
export function nearestRowSearch(
  u: Float64Array,
  m: number,
  d: number,
  kind: 'exact' | 'ivf',
  seed: number,
): { nearest: (q: Float64Array, o: number) => number; cost: number } {
  if (kind === 'exact')
    return {
      cost: m * d,
      nearest: (q, o) => {
        let best = 0;
        let bestDot = -Infinity;
        for (let t = 0; t < m; t++) {
          const s = dot(q, o, u, t * d, d);
          if (s > bestDot) {
            bestDot = s;
            best = t;
          }
        }
        return best;
      },
    };

  const p = Math.max(1, Math.round(Math.sqrt(m)));
  const probes = Math.min(p, IVF_PROBES);
  const pivots = sampleRows(m, p, mixSeed(seed, 0x70));
  const pivotTable = new Float64Array(p * d);
  for (let c = 0; c < p; c++) pivotTable.set(u.subarray(pivots[c] * d, (pivots[c] + 1) * d), c * d);
  const nearestPivot = (q: Float64Array, o: number) => {
    let best = 0;
    let bestDot = -Infinity;
    for (let c = 0; c < p; c++) {
      const s = dot(q, o, pivotTable, c * d, d);
      if (s > bestDot) {
        bestDot = s;
        best = c;
      }
    }
    return best;
  };
  // Groups as CSR: members of group c are order[start[c] … start[c+1]), ascending.
  const group = new Int32Array(m);
  const start = new Int32Array(p + 1);
  for (let t = 0; t < m; t++) {
    group[t] = nearestPivot(u, t * d);
    start[group[t] + 1]++;
  }
  for (let c = 0; c < p; c++) start[c + 1] += start[c];
  const fill = start.slice(0, p);
  const order = new Int32Array(m);
  for (let t = 0; t < m; t++) order[fill[group[t]]++] = t;

  const pivotDots = new Float64Array(p);
  const chosen = new Int32Array(probes);
  return {
    cost: (p + (probes * m) / p) * d,
    nearest: (q, o) => {
      for (let c = 0; c < p; c++) pivotDots[c] = dot(q, o, pivotTable, c * d, d);
      // The `probes` best pivots, by repeated selection (p is small).
      for (let z = 0; z < probes; z++) {
        let best = -1;
        for (let c = 0; c < p; c++)
          if (pivotDots[c] > -Infinity && (best < 0 || pivotDots[c] > pivotDots[best])) best = c;
        chosen[z] = best;
        pivotDots[best] = -Infinity;
      }
      let best = 0;
      let bestDot = -Infinity;
      for (let z = 0; z < probes; z++) {
        const c = chosen[z];
        for (let w = start[c]; w < start[c + 1]; w++) {
          const t = order[w];
          const s = dot(q, o, u, t * d, d);
          if (s > bestDot || (s === bestDot && t < best)) {
            bestDot = s;
            best = t;
          }
        }
      }
      return best;
    },
  };
}

/** Multiply-adds per row that a `placement` search over `m` sampled rows of `dim` numbers costs. */
export function placementCostPerRow(placement: 'exact' | 'ivf', m: number, dim: number): number {
  return placement === 'exact' ? m * dim : (Math.sqrt(m) + IVF_PROBES * Math.sqrt(m)) * dim;
}

/**
 * Puts every row of `vectors` [rows × dim] that is not in `sample` beside its cosine-nearest
 * sampled row: at that row's position in `embedding` (one [x, y] per sampled row, in `sample`'s
 * order) plus the seeded jitter, written into `coords` [rows × 2]. `unit` holds the sampled rows
 * [m × dim], unit length. `tick` is awaited every few million multiply-adds with the fraction of
 * the rows placed.
 */
export async function placeRest(
  vectors: Float32Array,
  rows: number,
  dim: number,
  sample: Int32Array,
  unit: Float64Array,
  embedding: number[][],
  coords: Float32Array,
  placement: 'exact' | 'ivf',
  seed: number,
  tick: (fraction: number) => Promise<void>,
): Promise<void> {
  const m = sample.length;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [x, y] of embedding) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const jx = 0.005 * (maxX - minX);
  const jy = 0.005 * (maxY - minY);
  const jitter = randomLcg(mixSeed(seed, 0x6a));
  const inSample = new Uint8Array(rows);
  for (const r of sample) inSample[r] = 1;
  const rest = rows - m;
  const put = (r: number, nearest: number) => {
    const [x, y] = embedding[nearest];
    coords[r * 2] = x + (2 * jitter() - 1) * jx;
    coords[r * 2 + 1] = y + (2 * jitter() - 1) * jy;
  };
  // The exact scan in WebAssembly SIMD where it runs (the same rows as the scan below), in
  // chunks of rows so that progress and cancellation are seen.
  const chunkRows = Math.max(1, Math.floor(8e6 / (m * dim)));
  const wasm = placement === 'exact' ? WasmNearestRow.create(unit, m, dim, chunkRows) : null;
  if (wasm) {
    const pending = new Int32Array(chunkRows);
    const nearest = new Int32Array(chunkRows);
    let count = 0;
    let placed = 0;
    const q = wasm.queries();
    const flush = async () => {
      wasm.nearest(count, nearest);
      for (let i = 0; i < count; i++) put(pending[i], nearest[i]);
      placed += count;
      count = 0;
      await tick(placed / rest);
    };
    for (let r = 0; r < rows; r++) {
      if (inSample[r]) continue;
      q.set(vectors.subarray(r * dim, (r + 1) * dim), count * dim);
      normaliseAt(q, count * dim, dim);
      pending[count++] = r;
      if (count === chunkRows) await flush();
    }
    if (count) await flush();
    return;
  }
  const search = nearestRowSearch(unit, m, dim, placement, seed);
  const q = new Float64Array(dim);
  const chunk = Math.max(1, Math.floor(2e6 / search.cost));
  let placed = 0;
  for (let r = 0; r < rows; r++) {
    if (inSample[r]) continue;
    q.set(vectors.subarray(r * dim, (r + 1) * dim));
    normaliseAt(q, 0, dim);
    put(r, search.nearest(q, 0));
    if (++placed % chunk === 0) await tick(placed / rest);
  }
}
