/**
 * The Funnel view's index between requests (funnel-index.ts): cold the first time, kept at the
 * same step, and at a later step rebuilt on the current vectors with its k-means warm-started
 * from the kept index's centres — the index `IvfIndex.build` gives with those centres.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import type { TrainingParams } from '../protocol/training';
import { IvfIndex } from '../serve/ivf';
import { generateWorld } from '../sim/world';
import { funnelIndexAt, keptFunnelIndex, WARM_ITERATIONS } from './funnel-index';
import { testHost } from './test-host';

const PARAMS: TrainingParams = { ...DEFAULT_TRAINING_PARAMS, batch: 64, negatives: 64 };

beforeAll(async () => {
  await useBackend('wasm');
});

describe('funnelIndexAt', () => {
  it('builds cold, keeps the index at the same step, warm-starts at a later one', async () => {
    const world = generateWorld({ seed: 3, videos: 600, users: 200, days: 20 });
    const h = testHost(world);
    const steps = async (count: number) => {
      h.host.handle({ type: 'step', runId: 1, params: PARAMS, count });
      await h.host.idle();
      return h.host.current!;
    };
    const s = await steps(5);
    const cold = funnelIndexAt(s);
    expect(cold.step).toBe(5);
    expect(cold.warm).toBeUndefined();
    expect(funnelIndexAt(s).index).toBe(cold.index);

    await steps(3);
    expect(keptFunnelIndex(s)?.step).toBe(5); // nothing is built until the worker is quiet
    await h.quiet();
    // The quiet time after the steps built the index of step 8 ahead of the request.
    const prepared = keptFunnelIndex(s);
    expect(prepared?.step).toBe(8);
    expect(prepared?.preparedAhead).toBe(true);
    const warm = funnelIndexAt(s);
    expect(warm).toBe(prepared);
    expect(warm.step).toBe(8);
    expect(warm.warm).toEqual({ from: 5, cold: 5, iterations: WARM_ITERATIONS });
    const c = s.candidate;
    const items = { vectors: c.videoOut.weights, count: world.videos.count, dim: c.d };
    const want = IvfIndex.build(items, c.videoBias.weights, {
      from: cold.index.centroids,
      iterations: WARM_ITERATIONS,
    });
    expect(Array.from(warm.index.centroids)).toEqual(Array.from(want.centroids));
    expect(Array.from(warm.index.ids)).toEqual(Array.from(want.ids));
    expect(Array.from(warm.index.offsets)).toEqual(Array.from(want.offsets));
    // The vectors moved: the warm start's centres are not the cold build's.
    expect(Array.from(warm.index.centroids)).not.toEqual(Array.from(cold.index.centroids));

    await steps(2);
    expect(funnelIndexAt(s).warm).toEqual({ from: 8, cold: 5, iterations: WARM_ITERATIONS });
  }, 120_000);

  it('builds the cold index of a run whose view was never asked once the worker is quiet', async () => {
    const world = generateWorld({ seed: 4, videos: 400, users: 150, days: 20 });
    const h = testHost(world);
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 2 });
    await h.host.idle();
    const s = h.host.current!;
    expect(keptFunnelIndex(s)).toBeUndefined();
    await h.quiet();
    const prepared = keptFunnelIndex(s)!;
    expect(prepared).toMatchObject({ step: 2, preparedAhead: true });
    expect(prepared.warm).toBeUndefined();
    expect(funnelIndexAt(s)).toBe(prepared);
    const c = s.candidate;
    const items = { vectors: c.videoOut.weights, count: world.videos.count, dim: c.d };
    const want = IvfIndex.build(items, c.videoBias.weights);
    expect(Array.from(prepared.index.centroids)).toEqual(Array.from(want.centroids));
    expect(Array.from(prepared.index.ids)).toEqual(Array.from(want.ids));
  }, 120_000);
});
