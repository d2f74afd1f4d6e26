/**
 * An IVF index built in steps (`IvfIndex.buildSteps`, for the Funnel view's idle preparation)
 * against one built at once: the same centres, lists and ids to the bit, cold and warm-started,
 * on WASM (the k-means' matrix products) — even when the source vectors change between steps
 * (the build copies them before its first pause) — and abandoning one frees its tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import { IvfIndex } from './ivf';
import { clusteredVectors } from './synthetic';

beforeAll(async () => {
  await useBackend('wasm');
});

function sameIndex(a: IvfIndex, b: IvfIndex): void {
  expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
  expect(Array.from(a.offsets)).toEqual(Array.from(b.offsets));
  expect(Array.from(a.ids)).toEqual(Array.from(b.ids));
  expect(a.stats.largestList).toBe(b.stats.largestList);
}

describe('IvfIndex.buildSteps', () => {
  it('gives the index build gives, cold and warm, with the vectors changed between pauses', () => {
    const { vectors } = clusteredVectors(12_000, 32, 5);
    const items = { vectors, count: 12_000, dim: 32 };
    const bias = Float32Array.from({ length: 12_000 }, (_, i) => ((i * 7919) % 101) / 500);
    const want = IvfIndex.build(items, bias);

    const copy = { ...items, vectors: vectors.slice() };
    const biasCopy = bias.slice();
    const steps = IvfIndex.buildSteps(copy, biasCopy);
    let pauses = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) {
      pauses++;
      copy.vectors.fill(pauses); // training moved on: the build holds its own copy
      biasCopy.fill(-pauses);
    }
    expect(pauses).toBeGreaterThan(10);
    sameIndex(r.value, want);
    expect(r.value.stats.buildMs).toBeGreaterThan(0);

    const warmWant = IvfIndex.build(items, bias, { from: want.centroids, iterations: 2 });
    const warm = IvfIndex.buildSteps(items, bias, { from: want.centroids, iterations: 2 });
    let w = warm.next();
    while (!w.done) w = warm.next();
    sameIndex(w.value, warmWant);
  });

  it('frees its tensors when abandoned halfway through k-means++', () => {
    const { vectors } = clusteredVectors(12_000, 32, 6);
    const before = tf.memory().numTensors;
    const steps = IvfIndex.buildSteps({ vectors, count: 12_000, dim: 32 });
    for (let i = 0; i < 4; i++) steps.next(); // copy, sample, the first rounds of k-means++
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    steps.return(undefined as never);
    expect(tf.memory().numTensors).toBe(before);
  });
});
