import { beforeAll, describe, expect, it } from 'vitest';
import { buildCandidateExamples } from '../../sim/examples';
import { generateWorld } from '../../sim/world';
import { useBackend } from '../backend';
import { defaultCandidateConfig } from './config';
import { evaluationRows, modelRanks } from './evaluate';
import { CandidateModel, labelCounts } from './model';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('modelRanks', () => {
  it('equals a plain-TypeScript ranking of u·v + b over live videos, for the tower and for factorisation', async () => {
    const world = generateWorld({ seed: 5, videos: 600, users: 200, days: 20 });
    const train = buildCandidateExamples(world, { split: 'train' });
    const test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
    const rows = evaluationRows(test, 150);
    for (const userInput of ['features', 'id'] as const) {
      const model = new CandidateModel(
        world,
        { ...defaultCandidateConfig, userInput, batchSize: 64 },
        labelCounts(world, train),
      );
      for (let i = 0; i < 5; i++) await model.trainStep(train);
      const ranks = await modelRanks(model, test, rows, 32);
      const uT = model.userVectors(model.inputs(test, rows, true));
      const u = (await uT.data()) as Float32Array;
      uT.dispose();
      const d = model.d;
      const N = world.videos.count;
      const score = (b: number, v: number): number => {
        let s = model.videoBias.weights[v];
        for (let k = 0; k < d; k++) s += u[b * d + k] * model.videoOut.weights[v * d + k];
        return s;
      };
      let agree = 0;
      rows.forEach((r, b) => {
        const target = score(b, test.label[r]);
        // Float32 sums on the backend and float64 here may order near-ties differently: the
        // backend's rank must lie between the clear winners and the winners-or-near-ties.
        let lo = 0;
        let hi = 0;
        for (let v = 0; v < N; v++) {
          if (world.videos.uploadTime[v] > test.time[r] || v === test.label[r]) continue;
          const sv = score(b, v);
          if (sv > target + 1e-4) lo++;
          if (sv > target - 1e-4) hi++;
        }
        if (ranks[b] >= lo && ranks[b] <= hi) agree++;
      });
      expect(agree).toBe(rows.length);
      expect(Math.max(...ranks)).toBeGreaterThan(0);
      model.dispose();
    }
  }, 60_000);
});
