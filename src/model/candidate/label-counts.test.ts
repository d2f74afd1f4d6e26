import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { defaultCandidateConfig } from './config';
import { generateWorld } from '../../sim/world';
import { CandidateModel } from './model';

describe('CandidateModel.setLabelCounts', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('rebuilds the sampler from new counts, and refuses counts of the wrong length', () => {
    const world = generateWorld({ seed: 2, videos: 200, users: 20, days: 10 });
    const N = world.videos.count;
    const counts = new Float32Array(N).fill(1);
    const model = new CandidateModel(world, { ...defaultCandidateConfig }, counts);
    try {
      // Equal counts: q uniform.
      expect(model.sampler!.logQ(0)).toBeCloseTo(-Math.log(N), 6);
      const skewed = new Float32Array(N);
      skewed[5] = 1000;
      model.setLabelCounts(skewed);
      // q ∝ (count + 1)^α: video 5 now holds most of the mass.
      const q = model.sampler!.probabilities();
      const alpha = model.config.alpha;
      const z = 1001 ** alpha + (N - 1);
      expect(q[5]).toBeCloseTo(1001 ** alpha / z, 6);
      expect(q[0]).toBeCloseTo(1 / z, 6);
      expect(() => model.setLabelCounts(new Float32Array(N - 1))).toThrow(
        `label counts need one entry per video (${N}, got ${N - 1})`,
      );
    } finally {
      model.dispose();
    }
  });
});
