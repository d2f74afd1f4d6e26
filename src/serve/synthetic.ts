/**
 * Seeded synthetic embeddings for the retrieval tests and benchmark: isotropic Gaussian
 * vectors (the hardest case for any index: no structure to exploit) and clustered Gaussian
 * vectors, which look more like trained embeddings, where videos of a topic sit together.
 * All draws come from {@link createRng}, so a seed gives the same vectors in Node and in a
 * browser worker.
 */
import { createRng } from '../sim/rng';
import type { ItemVectors } from './exact';

/** n × d vectors with independent N(0, 1) entries. `stream` picks an independent sequence. */
export function gaussianVectors(n: number, d: number, seed: number, stream = 0): ItemVectors {
  const rng = createRng(seed, 0x5e7e, stream);
  const vectors = new Float32Array(n * d);
  for (let i = 0; i < vectors.length; i++) vectors[i] = rng.normal();
  return { vectors, count: n, dim: d };
}

/** Settings of {@link clusteredVectors}. */
export interface ClusterSettings {
  /** Number of cluster centres ("topics"). */
  clusters: number;
  /** Standard deviation of a point around its centre, per coordinate (centres are N(0, 1)). */
  spread: number;
  /**
   * Standard deviation of log ‖x‖ across points: each point is scaled by exp(N(0, σ²)), as
   * trained vectors of popular videos are longer than those of rare ones. 0 = no scaling.
   */
  normSpread: number;
}

/** Defaults of {@link ClusterSettings}: 200 clusters, spread 0.5, norm spread 0.25. */
export const defaultClusters: ClusterSettings = { clusters: 200, spread: 0.5, normSpread: 0.25 };

/**
 * n × d points around `clusters` N(0, I) centres; each point picks a centre uniformly, adds
 * N(0, spread² I) and is scaled by exp(N(0, normSpread²)). The centres depend only on `seed`
 * (and d, clusters); `stream` draws other points around the same centres, so stream 0 can be
 * the items and stream 1 the queries of one world.
 */
export function clusteredVectors(
  n: number,
  d: number,
  seed: number,
  stream = 0,
  settings: Partial<ClusterSettings> = {},
): ItemVectors {
  const { clusters, spread, normSpread } = { ...defaultClusters, ...settings };
  const centres = gaussianVectors(clusters, d, seed, 0xce).vectors;
  const rng = createRng(seed, 0xc105, stream);
  const vectors = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(clusters) * d;
    const scale = normSpread > 0 ? Math.exp(normSpread * rng.normal()) : 1;
    for (let k = 0; k < d; k++)
      vectors[i * d + k] = scale * (centres[c + k] + spread * rng.normal());
  }
  return { vectors, count: n, dim: d };
}
