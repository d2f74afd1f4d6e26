import { beforeAll, describe, expect, it } from 'vitest';
import { buildCandidateExamples } from '../sim/examples';
import { generateWorld } from '../sim/world';
import { useBackend } from '../model/backend';
import { defaultCandidateConfig } from '../model/candidate/config';
import { evaluationRows, modelRanks } from '../model/candidate/evaluate';
import { CandidateModel, labelCounts } from '../model/candidate/model';
import { liveRanks } from './live-ranks';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('liveRanks', () => {
  it('gives exactly the ranks of modelRanks, for the tower and for factorisation', async () => {
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
      const fast = await liveRanks(model, test, rows, 32);
      expect(Array.from(fast)).toEqual(Array.from(await modelRanks(model, test, rows)));
      expect(Math.max(...fast)).toBeGreaterThan(0);
      model.dispose();
    }
  }, 60_000);
});
