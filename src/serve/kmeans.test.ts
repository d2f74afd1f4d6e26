/**
 * The k-means through matrix products (kmeans-products.ts, WASM) against its plain loops: the
 * same centres, assignments and distances to the bit — on clustered vectors with a bias
 * coordinate (like an IVF build), and on small-integer vectors full of exact ties.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import { createRng } from '../sim/rng';
import { nearestCentroids, trainKMeans, type KMeansSettings } from './kmeans';
import { clusteredVectors } from './synthetic';

beforeAll(async () => {
  await useBackend('wasm');
});

/** n × dim vectors with integer entries in [−2, 2]: many equal distances. */
function integerPoints(n: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed, 0x3c);
  return Float32Array.from({ length: n * dim }, () => rng.int(5) - 2);
}

/** Centres, assignment of every point and squared distances, by products and by the loops. */
function bothWays(points: Float32Array, n: number, dim: number, settings: KMeansSettings) {
  return (['auto', 'loop'] as const).map((method) => {
    const centroids = trainKMeans(points, n, dim, { ...settings, method });
    const k = centroids.length / dim;
    const assign = new Int32Array(n);
    const dist = new Float64Array(n);
    nearestCentroids(points, n, dim, centroids, k, assign, dist, method);
    return { centroids: Array.from(centroids), assign: Array.from(assign), dist: Array.from(dist) };
  });
}

describe('k-means by matrix products', () => {
  it('equals the loops on clustered vectors with a bias coordinate (33 wide)', () => {
    const { vectors } = clusteredVectors(12_000, 33, 5);
    const settings: KMeansSettings = {
      k: 110,
      iterations: 4,
      sampleSize: 110 * 64,
      init: 'kmeans++',
      seed: 1,
    };
    const tensors = tf.memory().numTensors;
    const [auto, loop] = bothWays(vectors, 12_000, 33, settings);
    expect(tf.memory().numTensors).toBe(tensors); // the products' tensors are all freed
    expect(auto).toEqual(loop);
    expect(new Set(auto.assign).size).toBeGreaterThan(50);
  });

  it('equals the loops where distances tie (integer vectors; random initial centres too)', () => {
    const points = integerPoints(8000, 8, 6);
    for (const init of ['kmeans++', 'random'] as const) {
      const [auto, loop] = bothWays(points, 8000, 8, {
        k: 40,
        iterations: 3,
        sampleSize: 5000,
        init,
        seed: 2,
      });
      expect(auto).toEqual(loop);
    }
  });

  it('a warm start from earlier centres continues the same iterations (same sample, same centres)', () => {
    const { vectors } = clusteredVectors(6000, 33, 7);
    const base = { k: 60, sampleSize: 60 * 64, init: 'kmeans++', seed: 3 } as const;
    for (const method of ['auto', 'loop'] as const) {
      const six = trainKMeans(vectors, 6000, 33, { ...base, iterations: 6, method });
      const four = trainKMeans(vectors, 6000, 33, { ...base, iterations: 4, method });
      const warm = trainKMeans(vectors, 6000, 33, { ...base, iterations: 2, method, from: four });
      expect(Array.from(warm)).toEqual(Array.from(six));
      expect(Array.from(four)).not.toEqual(Array.from(six)); // the two iterations moved them
    }
    expect(() =>
      trainKMeans(vectors, 6000, 33, { ...base, iterations: 1, from: new Float32Array(10) }),
    ).toThrow(RangeError);
  });
});
