/**
 * UMAP layout of a row-major table of vectors (the video embeddings) in two dimensions: the
 * on-demand companion of the live PCA projection (`pca.ts`) in the Embedding view. Runs in its
 * own worker (`src/worker/umap-worker.ts`); pure TypeScript on top of `umap-js`, no tfjs, no DOM.
 *
 * How it goes, in four stages (the `stage` names reported to `onProgress`):
 *
 * 1. `neighbours` — the exact k nearest neighbours of every laid-out row by **cosine distance**
 *    (1 − cos θ), brute force over unit-normalised rows, in chunks so that progress and
 *    cancellation are seen. The model scores a (user, video) pair by a dot product; of the
 *    metrics UMAP offers, cosine follows the direction that the dot product reads and ignores
 *    the vector's length, which in a softmax-trained tower mostly encodes popularity (with
 *    Euclidean distance a popular video's long vector would sit "far" from its niche
 *    neighbours). Brute force rather than umap-js's NN-descent: it is exact, deterministic,
 *    reports progress, and at the default sample (5 000 rows of 32 numbers) it takes about a
 *    second.
 * 2. `graph` — umap-js's fuzzy simplicial set from those neighbours (`setPrecomputedKNN` +
 *    `initializeFit`): one synchronous call, reported at its start and end only.
 * 3. `layout` — the SGD epochs, one umap-js `step()` each, progress reported per epoch.
 * 4. `placing` — only when `rows > maxPoints`. UMAP lays out a seeded uniform sample of
 *    `maxPoints` rows ({@link sampleRows}; not an even stride as `pca.ts` takes, which aliases
 *    with any period in the row order and can leave whole groups out). Every other row is put
 *    at the 2-D position of its cosine-nearest sampled row plus a small seeded jitter (±0.5 % of
 *    the layout's extent per axis), so that it lands in its neighbour's cluster without hiding
 *    exactly under it. The nearest one, not a weighted average of several: an average of
 *    neighbours from two clusters would land in the empty space between them. The search is
 *    exact while it costs at most {@link EXACT_PLACEMENT_LIMIT} multiply-adds (the default
 *    20 000 × 32 case is exact); beyond (a million videos, or 256-number embeddings) it is an
 *    inverted-file search ({@link UmapPlacement}), about ten times cheaper and nearly always
 *    the same row.
 *
 * Deterministic: every random draw (the sample, umap-js's initial positions and negative
 * samples, the jitter) comes from d3-random's `randomLcg` seeded from `seed`, so the same seed,
 * vectors and options give the same coordinates bit for bit. umap-js starts from random
 * positions (it has no spectral initialisation), so different seeds give differently
 * arranged, equally valid layouts.
 */
import { randomLcg } from 'd3-random';
import { UMAP } from 'umap-js';
import { mixSeed } from '../sim/rng';

/** The stages of a layout, in order, as reported to {@link UmapLayoutOptions.onProgress}. */
export type UmapStage = 'neighbours' | 'graph' | 'layout' | 'placing';

/**
 * How the rows outside the sample find their nearest sampled row: `exact` compares each with
 * every sampled row; `ivf` groups the sampled rows around ≈√maxPoints seeded pivots and compares
 * a row with the pivots and the rows of its {@link IVF_PROBES} nearest groups only; `auto`
 * (default) is `exact` up to {@link EXACT_PLACEMENT_LIMIT} multiply-adds, else `ivf`.
 */
export type UmapPlacement = 'auto' | 'exact' | 'ivf';

/** Options of {@link umapLayout}. Only `seed` is required. */
export interface UmapLayoutOptions {
  /** Seed of every random draw; same seed + same vectors + same options → identical coords. */
  seed: number;
  /**
   * Neighbours per point in the neighbour graph, the point itself included (umap-js's
   * convention; default 15). Small values keep local detail, large ones global shape. Capped
   * at the number of laid-out rows − 1.
   */
  nNeighbors?: number;
  /** Minimum distance between points in the layout, layout units (default 0.1). */
  minDist?: number;
  /** SGD epochs (default: {@link defaultUmapEpochs} of the number of laid-out rows). */
  epochs?: number;
  /**
   * Most rows UMAP lays out itself (default {@link UMAP_DEFAULTS}.maxPoints, at least 3); above
   * it a seeded sample of this many is laid out and the rest placed beside their nearest
   * sampled row.
   */
  maxPoints?: number;
  /** How the rest find their nearest sampled row (default `auto`). */
  placement?: UmapPlacement;
  /**
   * Told how far the layout has come: `fraction` in [0, 1], roughly proportional to time, never
   * decreasing, the last call exactly 1 (and only that one); `stage` the stage now running.
   * Called often (every chunk, every epoch): throttle it before posting it anywhere.
   */
  onProgress?: (fraction: number, stage: UmapStage) => void;
  /**
   * Asked between chunks of work (every few tens of milliseconds, except inside the one
   * synchronous `graph` stage, about 2 s at the defaults); once it returns true the layout
   * stops and the promise rejects with a {@link UmapCancelledError}. The layout yields to the
   * event loop at least every {@link YIELD_EVERY_MS} ms, so a flag set by a message handler is
   * seen.
   */
  shouldStop?: () => boolean;
}

/** A finished layout. */
export interface UmapLayout {
  /** Coordinates, row-major [rows × 2], in the input's row order; finite; unitless layout units. */
  coords: Float32Array;
  /** Wall-clock duration of the whole call, milliseconds. */
  ms: number;
  /** Rows laid out by UMAP itself: min(rows, maxPoints). The others were placed beside them. */
  sampled: number;
}

/**
 * Defaults of {@link umapLayout}. `maxPoints` 5 000 with {@link defaultUmapEpochs} (200 epochs
 * at 5 000 rows) keeps 20 000 × 32 at roughly 10–20 s on a slow laptop core (measured in Node:
 * ≈ 1 s neighbours, 2–3 s graph, 6 s layout, 4–6 s exact placing), of which the 15 000
 * unsampled rows cost only the placing. Laying out all 20 000 would take several times longer
 * (the graph and every epoch grow with the rows laid out) for a picture whose clusters look
 * the same.
 */
export const UMAP_DEFAULTS = {
  nNeighbors: 15,
  minDist: 0.1,
  maxPoints: 5000,
} as const;

/** The layout yields to the event loop at least this often, milliseconds. */
export const YIELD_EVERY_MS = 100;

/**
 * Most multiply-adds, (rows − sampled) · sampled · dim, that `auto` placement spends on an
 * exact nearest-row search (≈ 5 s on a slow core) before it switches to `ivf`.
 */
export const EXACT_PLACEMENT_LIMIT = 4e9;

/** Groups an `ivf` placement searches per row (of ≈√sampled groups). */
export const IVF_PROBES = 8;

/** The error a cancelled layout rejects with (`shouldStop` returned true). */
export class UmapCancelledError extends Error {
  constructor() {
    super('the UMAP layout was cancelled');
    this.name = 'UmapCancelledError';
  }
}

/**
 * Default number of SGD epochs for `n` laid-out rows: 500 up to 2 000 rows (UMAP's own
 * default for small data), then ⌊10⁶ / n⌋, so that n × epochs, which the layout stage's time is
 * proportional to, stays about 10⁶, down to 200 (UMAP's default for large data) from 5 000
 * rows on. The learning rate decays linearly to 0 over the epochs, so fewer epochs still give a
 * settled layout, only a coarser one.
 */
export function defaultUmapEpochs(n: number): number {
  return Math.max(200, Math.min(500, Math.floor(1e6 / Math.max(1, n))));
}

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
function dot(x: Float64Array, a: number, y: Float64Array, b: number, d: number): number {
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
function normaliseAt(v: Float64Array, o: number, d: number) {
  let s = 0;
  for (let c = 0; c < d; c++) s += v[o + c] * v[o + c];
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let c = 0; c < d; c++) v[o + c] *= inv;
  }
}

/** Rows `rows` of `x` [· × d] (row-major), each scaled to unit length, as one [rows.length × d] table. */
function unitRows(x: Float32Array, d: number, rows: Int32Array): Float64Array {
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
async function exactCosineKnn(
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

/**
 * A nearest-row search over the unit table `u` [m × d]: `nearest(q, o)` gives the index of the
 * row of `u` with the largest dot product with the unit row at offset `o` of `q`, and `cost`
 * the multiply-adds per query.
 *
 * `ivf`: P = round(√m) pivots (a seeded sample of the rows); every row joins the group of its
 * nearest pivot; a query scans the P pivots, then the rows of its `IVF_PROBES` nearest groups.
 */
function nearestRowSearch(
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

/**
 * Rough cost of each stage in nanoseconds on a slow laptop core (fitted to measurements of this
 * module in Node); only used to split the progress bar so that it moves about evenly in time.
 */
function stageCosts(
  rows: number,
  m: number,
  d: number,
  k: number,
  epochs: number,
  placeCostPerRow: number,
) {
  return {
    neighbours: ((m * (m - 1)) / 2) * (2 * d + 20),
    graph: 35_000 * m * k,
    layout: 400 * m * k * epochs,
    placing: (rows - m) * (2 * placeCostPerRow + 50),
  };
}

/**
 * Lays out `rows` vectors of `dim` numbers each (`vectors`, row-major [rows × dim]; only the
 * first rows × dim numbers are read) in two dimensions with UMAP on the cosine-distance
 * neighbour graph. See the module comment for the stages, the sampling above `maxPoints` and
 * determinism. Returns the coordinates [rows × 2], the duration and the number of rows UMAP
 * laid out itself.
 *
 * Rejects with a `RangeError` if `vectors` holds fewer than rows × dim numbers or a
 * non-finite one, and with a {@link UmapCancelledError} once `shouldStop()` returns true.
 * Fewer than 3 rows need no layout: they are put on a line at x = 0, 1 (y = 0).
 */
export async function umapLayout(
  vectors: Float32Array,
  rows: number,
  dim: number,
  options: UmapLayoutOptions,
): Promise<UmapLayout> {
  const start = performance.now();
  const { seed, onProgress, shouldStop } = options;
  const nNeighbors = options.nNeighbors ?? UMAP_DEFAULTS.nNeighbors;
  const minDist = options.minDist ?? UMAP_DEFAULTS.minDist;
  const maxPoints = Math.max(3, Math.floor(options.maxPoints ?? UMAP_DEFAULTS.maxPoints));
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(dim) || dim < 1)
    throw new RangeError(`rows (${rows}) and dim (${dim}) must be whole numbers, dim ≥ 1`);
  if (vectors.length < rows * dim)
    throw new RangeError(`vectors hold ${vectors.length} values, need ${rows} × ${dim}`);
  for (let i = 0; i < rows * dim; i++)
    if (!Number.isFinite(vectors[i]))
      throw new RangeError(`vectors[${i}] is ${vectors[i]}: the embeddings are not finite`);

  let lastYield = performance.now();
  let reported = 0;
  const report = (fraction: number, stage: UmapStage) => {
    // Only the final report says 1.
    reported = Math.max(reported, Math.min(0.999, fraction));
    onProgress?.(reported, stage);
  };
  /** Reports, yields to the event loop when it is time, and checks for cancellation. */
  const tick = async (fraction: number, stage: UmapStage) => {
    report(fraction, stage);
    if (performance.now() - lastYield >= YIELD_EVERY_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = performance.now();
    }
    if (shouldStop?.()) throw new UmapCancelledError();
  };

  if (rows < 3) {
    const coords = new Float32Array(rows * 2);
    for (let i = 0; i < rows; i++) coords[i * 2] = i;
    onProgress?.(1, 'layout');
    return { coords, ms: performance.now() - start, sampled: rows };
  }

  const m = Math.min(rows, maxPoints);
  const sample = sampleRows(rows, m, seed);
  const k = Math.max(2, Math.min(nNeighbors, m - 1));
  const epochs = options.epochs ?? defaultUmapEpochs(m);
  const placing = m < rows;
  const placement =
    options.placement === 'exact' || options.placement === 'ivf'
      ? options.placement
      : (rows - m) * m * dim <= EXACT_PLACEMENT_LIMIT
        ? 'exact'
        : 'ivf';
  const placeCostPerRow =
    placement === 'exact' ? m * dim : (Math.sqrt(m) + IVF_PROBES * Math.sqrt(m)) * dim;
  const cost = stageCosts(rows, m, dim, k, epochs, placing ? placeCostPerRow : 0);
  const totalCost = cost.neighbours + cost.graph + cost.layout + cost.placing;
  const share = {
    neighbours: cost.neighbours / totalCost,
    graph: cost.graph / totalCost,
    layout: cost.layout / totalCost,
    placing: cost.placing / totalCost,
  };

  // 1. Neighbours.
  await tick(0, 'neighbours');
  const unit = unitRows(vectors, dim, sample);
  const knn = await exactCosineKnn(unit, m, dim, k, (f) =>
    tick(f * share.neighbours, 'neighbours'),
  );

  // 2. Graph (one synchronous call inside umap-js).
  let base = share.neighbours;
  await tick(base, 'graph');
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: k,
    minDist,
    nEpochs: epochs,
    random: randomLcg(mixSeed(seed, 0x75)),
  });
  umap.setPrecomputedKNN(knn.indices, knn.distances);
  // umap-js reads only the row count from the data once the neighbours are given.
  const data: number[][] = [];
  for (let t = 0; t < m; t++) data.push(Array.from(unit.subarray(t * dim, (t + 1) * dim)));
  const totalEpochs = umap.initializeFit(data);
  base += share.graph;

  // 3. Layout.
  await tick(base, 'layout');
  let epoch = 0;
  while (epoch < totalEpochs) {
    epoch = umap.step();
    await tick(base + (share.layout * epoch) / totalEpochs, 'layout');
  }
  base += share.layout;
  const embedding = umap.getEmbedding();
  const coords = new Float32Array(rows * 2);
  for (let t = 0; t < m; t++) {
    coords[sample[t] * 2] = embedding[t][0];
    coords[sample[t] * 2 + 1] = embedding[t][1];
  }

  // 4. Placing the rows outside the sample beside their nearest sampled row.
  if (placing) {
    await tick(base, 'placing');
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
    const search = nearestRowSearch(unit, m, dim, placement, seed);
    const inSample = new Uint8Array(rows);
    for (const r of sample) inSample[r] = 1;
    const q = new Float64Array(dim);
    const rest = rows - m;
    const chunk = Math.max(1, Math.floor(2e6 / search.cost));
    let placed = 0;
    for (let r = 0; r < rows; r++) {
      if (inSample[r]) continue;
      q.set(vectors.subarray(r * dim, (r + 1) * dim));
      normaliseAt(q, 0, dim);
      const [x, y] = embedding[search.nearest(q, 0)];
      coords[r * 2] = x + (2 * jitter() - 1) * jx;
      coords[r * 2 + 1] = y + (2 * jitter() - 1) * jy;
      if (++placed % chunk === 0) await tick(base + (share.placing * placed) / rest, 'placing');
    }
  }

  onProgress?.(1, placing ? 'placing' : 'layout');
  return { coords, ms: performance.now() - start, sampled: m };
}
