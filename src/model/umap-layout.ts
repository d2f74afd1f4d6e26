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
 *    `initializeFit`), built on typed arrays by `umap-graph.ts` (umap-js's own graph, bit for
 *    bit, without its string-keyed sparse matrices): one synchronous call, reported at its start
 *    and end only.
 * 3. `layout` — the SGD epochs, one umap-js `step()` each, progress reported per epoch.
 * 4. `placing` — only when `rows > maxPoints`. UMAP lays out a seeded uniform sample of
 *    `maxPoints` rows ({@link sampleRows}; not an even stride as `pca.ts` takes, which aliases
 *    with any period in the row order and can leave whole groups out). Every other row is put
 *    at the 2-D position of its cosine-nearest sampled row plus a small seeded jitter (±0.5 % of
 *    the layout's extent per axis), so that it lands in its neighbour's cluster without hiding
 *    exactly under it. The nearest one, not a weighted average of several: an average of
 *    neighbours from two clusters would land in the empty space between them. The search is
 *    exact while it costs at most {@link EXACT_PLACEMENT_LIMIT} multiply-adds (the default
 *    20 000 × 32 case is exact; the scan runs in WebAssembly SIMD where it can,
 *    `wasm/nearest-row.ts`, with the same float64 arithmetic and answer as in JavaScript); beyond (a million videos, or 256-number embeddings) it is an
 *    inverted-file search ({@link UmapPlacement}), about ten times cheaper and nearly always
 *    the same row.
 *
 * The code: the neighbour search and the sample in `umap-knn.ts`, the placing in
 * `umap-placement.ts`, the stages driven here (re-exporting what the others export).
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
import { useTypedGraph } from './umap-graph';
import { exactCosineKnn, sampleRows, unitRows } from './umap-knn';
import {
  EXACT_PLACEMENT_LIMIT,
  placeRest,
  placementCostPerRow,
  type UmapPlacement,
} from './umap-placement';

export { sampleRows } from './umap-knn';
export { EXACT_PLACEMENT_LIMIT, IVF_PROBES, type UmapPlacement } from './umap-placement';

/** The stages of a layout, in order, as reported to {@link UmapLayoutOptions.onProgress}. */
export type UmapStage = 'neighbours' | 'graph' | 'layout' | 'placing';

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
   * synchronous `graph` stage, about 0.3 s at the defaults); once it returns true the layout
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
 * ≈ 1 s neighbours, 0.3 s graph, 6 s layout, 0.6 s exact placing), of which the 15 000
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
    graph: 3_500 * m * k,
    layout: 400 * m * k * epochs,
    // The exact scan runs in WebAssembly SIMD (wasm/nearest-row.ts), about 8× the JavaScript's.
    placing: (rows - m) * (placeCostPerRow / 4 + 50),
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
  const placeCostPerRow = placementCostPerRow(placement, m, dim);
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
  useTypedGraph(umap);
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
    await placeRest(vectors, rows, dim, sample, unit, embedding, coords, placement, seed, (f) =>
      tick(base + share.placing * f, 'placing'),
    );
  }

  onProgress?.(1, placing ? 'placing' : 'layout');
  return { coords, ms: performance.now() - start, sampled: m };
}
