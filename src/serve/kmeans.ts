/**
 * Seeded k-means (Lloyd's algorithm) for the coarse quantizer of the IVF index: k-means++ or
 * random initial centres, then a few Lloyd iterations, all on a random sample of the points
 * (as FAISS does: a few dozen points per centre fix the centres about as well as all of them,
 * at a fraction of the cost). Assigning every point afterwards is {@link nearestCentroids}.
 *
 * Nearest means smallest Euclidean distance. ‖x − c‖² = ‖x‖² − 2 x·c + ‖c‖², and ‖x‖² is the
 * same for every c, so the nearest centre is the one with the largest x·c − ‖c‖²/2: one dot
 * product per centre and no square roots.
 */
import { createRng, type Rng } from '../sim/rng';
import { dotAt } from './exact';
import { nearestByProducts, PlusPlusProducts } from './kmeans-products';

/** How the initial centres are chosen. */
export type KMeansInit = 'kmeans++' | 'random';

/** Settings of {@link trainKMeans}. */
export interface KMeansSettings {
  /** Number of centres k ≥ 1 (at most the number of points used). */
  k: number;
  /** Lloyd iterations after the initial centres (each: assign the sample, move the centres). */
  iterations: number;
  /** Points sampled (without replacement) to train on; the whole set if it is smaller. */
  sampleSize: number;
  /** 'kmeans++': each next centre drawn with probability ∝ squared distance to the nearest chosen one. */
  init: KMeansInit;
  /** Seed of the sample, the initial centres and the re-seeding of empty clusters. */
  seed: number;
  /**
   * Centres [k × dim] to start Lloyd's iterations from instead of `init` (e.g. those of an index
   * built on earlier vectors: a warm start); k is then their count and `k` is not read. The
   * sample is drawn as without them. Not changed (copied).
   */
  from?: Float32Array;
  /**
   * `'auto'` (default): float32 matrix products on the WASM backend where they pay
   * (kmeans-products.ts); `'loop'`: the plain loops. The centres are the same either way.
   */
  method?: 'auto' | 'loop';
}

/**
 * Centres [k' × dim] of the n points [n × dim], k' = min(k, sample size) (or the count of
 * `from`). Deterministic for a seed (and `from`). A centre left empty by an iteration is moved onto the sampled point farthest from
 * its own centre, so no centre is wasted.
 */
export function trainKMeans(
  points: Float32Array,
  n: number,
  dim: number,
  settings: KMeansSettings,
): Float32Array {
  return finish(trainKMeansSteps(points, n, dim, settings));
}

/**
 * {@link trainKMeans} in steps, for work spread over idle moments (the Funnel view's index,
 * src/worker/funnel-index.ts): the generator pauses after drawing the sample, after every
 * {@link PLUS_PLUS_ROUNDS} rounds of k-means++ and after every {@link KMEANS_ROWS} sample
 * points assigned in a Lloyd iteration, and returns the same centres (the same operations in
 * the same order; each point's nearest centre does not depend on the others). `points` must not change until it is done. Abandoning it
 * (`return()`) frees what it holds.
 */
export function* trainKMeansSteps(
  points: Float32Array,
  n: number,
  dim: number,
  settings: KMeansSettings,
): Generator<void, Float32Array> {
  const rng = createRng(settings.seed, 0x4b3a);
  const method = settings.method ?? 'auto';
  const sample = samplePoints(points, n, dim, Math.min(n, settings.sampleSize), rng);
  yield;
  const s = sample.length / dim;
  const from = settings.from;
  if (from && (from.length === 0 || from.length % dim !== 0))
    throw new RangeError(`initial centres hold ${from.length} values, not k × dim = k × ${dim}`);
  const k = from ? from.length / dim : Math.max(1, Math.min(settings.k, s));
  const centroids = from
    ? from.slice()
    : settings.init === 'kmeans++'
      ? yield* plusPlusCentres(sample, s, dim, k, rng, method === 'auto')
      : randomCentres(sample, s, dim, k, rng);
  const assign = new Int32Array(s);
  const dist = new Float64Array(s);
  const sums = new Float64Array(k * dim);
  const sizes = new Int32Array(k);
  for (let it = 0; it < settings.iterations; it++) {
    // Each point's nearest centre is its own: assigned in blocks, a pause between two.
    for (let a = 0; a < s; a += KMEANS_ROWS) {
      if (a > 0 || it > 0 || !from) yield;
      const b = Math.min(s, a + KMEANS_ROWS);
      nearestCentroids(
        sample.subarray(a * dim, b * dim),
        b - a,
        dim,
        centroids,
        k,
        assign.subarray(a, b),
        dist.subarray(a, b),
        method,
      );
    }
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < s; i++) {
      const c = assign[i];
      sizes[c]++;
      for (let j = 0; j < dim; j++) sums[c * dim + j] += sample[i * dim + j];
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) {
        // Re-seed on the point worst served by its centre; zero its distance so that a
        // second empty centre takes the next-worst point.
        let far = 0;
        for (let i = 1; i < s; i++) if (dist[i] > dist[far]) far = i;
        dist[far] = 0;
        centroids.set(sample.subarray(far * dim, far * dim + dim), c * dim);
      } else {
        for (let j = 0; j < dim; j++) centroids[c * dim + j] = sums[c * dim + j] / sizes[c];
      }
    }
  }
  return centroids;
}

/**
 * For each of the n points [n × dim], the index of its nearest centre among k [k × dim]
 * (ties: the lower index), written to `out` [n]. If `dist` [n] is given it receives the
 * squared distance to that centre. `'auto'` takes float32 matrix products on the WASM backend
 * where they pay (kmeans-products.ts), `'loop'` the plain loop; both give the same answer.
 */
export function nearestCentroids(
  points: Float32Array,
  n: number,
  dim: number,
  centroids: Float32Array,
  k: number,
  out: Int32Array,
  dist?: Float64Array,
  method: 'auto' | 'loop' = 'auto',
): void {
  // On WASM, through matrix products with the same answer (kmeans-products.ts).
  if (method === 'auto' && nearestByProducts(points, n, dim, centroids, k, out, dist)) return;
  const halfNorm = new Float64Array(k);
  for (let c = 0; c < k; c++) halfNorm[c] = dotAt(centroids, c * dim, centroids, c * dim, dim) / 2;
  const k4 = k - (k % 4);
  for (let i = 0; i < n; i++) {
    const xo = i * dim;
    let best = 0;
    let bestScore = -Infinity;
    // Four centres at a time: each coordinate of x is read once for four products. This is
    // the hot loop of a build (n · k · dim multiply-adds); it ran 1.2–1.7× faster so than one
    // centre at a time with dotAt (Node, dim = 32).
    let c = 0;
    for (; c < k4; c += 4) {
      const o0 = c * dim;
      const o1 = o0 + dim;
      const o2 = o1 + dim;
      const o3 = o2 + dim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < dim; j++) {
        const x = points[xo + j];
        s0 += x * centroids[o0 + j];
        s1 += x * centroids[o1 + j];
        s2 += x * centroids[o2 + j];
        s3 += x * centroids[o3 + j];
      }
      s0 -= halfNorm[c];
      s1 -= halfNorm[c + 1];
      s2 -= halfNorm[c + 2];
      s3 -= halfNorm[c + 3];
      if (s0 > bestScore) {
        bestScore = s0;
        best = c;
      }
      if (s1 > bestScore) {
        bestScore = s1;
        best = c + 1;
      }
      if (s2 > bestScore) {
        bestScore = s2;
        best = c + 2;
      }
      if (s3 > bestScore) {
        bestScore = s3;
        best = c + 3;
      }
    }
    for (; c < k; c++) {
      const score = dotAt(points, xo, centroids, c * dim, dim) - halfNorm[c];
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    out[i] = best;
    if (dist) dist[i] = Math.max(0, dotAt(points, xo, points, xo, dim) - 2 * bestScore);
  }
}

/** A copy of `size` distinct points chosen uniformly (partial Fisher–Yates), [size × dim]. */
function samplePoints(
  points: Float32Array,
  n: number,
  dim: number,
  size: number,
  rng: Rng,
): Float32Array {
  if (size >= n) return points.slice(0, n * dim);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const out = new Float32Array(size * dim);
  for (let i = 0; i < size; i++) {
    const j = i + rng.int(n - i);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
    out.set(points.subarray(order[i] * dim, order[i] * dim + dim), i * dim);
  }
  return out;
}

/** k distinct sample points chosen uniformly as centres. */
function randomCentres(
  sample: Float32Array,
  s: number,
  dim: number,
  k: number,
  rng: Rng,
): Float32Array {
  const picked = samplePoints(sample, s, dim, k, rng);
  return picked.length === k * dim ? picked : picked.slice(0, k * dim);
}

/** Sample points assigned between two pauses of {@link trainKMeansSteps}. */
export const KMEANS_ROWS = 2048;

/**
 * Rounds of k-means++ between two pauses of {@link trainKMeansSteps} (a few milliseconds each
 * on the default world's 9 024 × 33 sample).
 */
export const PLUS_PLUS_ROUNDS = 8;

/** Runs a generator of {@link trainKMeansSteps} (or a build of steps) to its end. */
export function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** k-means++ (Arthur & Vassilvitskii 2007): O(s · k · dim). */
function* plusPlusCentres(
  sample: Float32Array,
  s: number,
  dim: number,
  k: number,
  rng: Rng,
  products: boolean,
): Generator<void, Float32Array> {
  // With products (WASM), a distance is computed only where it may lower the nearest one.
  const byProducts = products ? PlusPlusProducts.create(sample, s, dim, k) : null;
  try {
    return yield* plusPlusRounds(sample, s, dim, k, rng, byProducts);
  } finally {
    byProducts?.dispose();
  }
}

/** The k rounds of {@link plusPlusCentres}, by products where `byProducts` is given. */
function* plusPlusRounds(
  sample: Float32Array,
  s: number,
  dim: number,
  k: number,
  rng: Rng,
  byProducts: PlusPlusProducts | null,
): Generator<void, Float32Array> {
  const centroids = new Float32Array(k * dim);
  const nearest = new Float64Array(s).fill(Infinity);
  let pick = rng.int(s);
  for (let c = 0; c < k; c++) {
    if (c > 0 && c % PLUS_PLUS_ROUNDS === 0) yield;
    centroids.set(sample.subarray(pick * dim, pick * dim + dim), c * dim);
    const centre = centroids.subarray(c * dim, c * dim + dim);
    if (!byProducts?.nearer(centre, nearest)) {
      for (let i = 0; i < s; i++) {
        let d2 = 0;
        for (let j = 0; j < dim; j++) {
          const diff = sample[i * dim + j] - centroids[c * dim + j];
          d2 += diff * diff;
        }
        if (d2 < nearest[i]) nearest[i] = d2;
      }
    }
    let total = 0;
    for (let i = 0; i < s; i++) total += nearest[i];
    if (c + 1 === k) break;
    // Draw the next centre ∝ squared distance; if every point is a centre already, uniformly.
    let r = rng.uniform() * total;
    pick = total > 0 ? -1 : rng.int(s);
    if (pick < 0) {
      for (let i = 0; i < s; i++) {
        r -= nearest[i];
        if (r < 0 && nearest[i] > 0) {
          pick = i;
          break;
        }
      }
      if (pick < 0)
        for (let i = s - 1; i >= 0; i--)
          if (nearest[i] > 0) {
            pick = i;
            break;
          }
    }
  }
  return centroids;
}
