import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { buildCandidateExamples } from '../../sim/examples';
import { buildRankingExamples } from '../../sim/ranking-examples';
import { generateWorld } from '../../sim/world';
import { useBackend } from '../backend';
import { defaultRankingConfig } from '../ranking/config';
import { RankingModel } from '../ranking/model';
import { defaultCandidateConfig } from './config';
import { CandidateModel, labelCounts } from './model';

beforeAll(async () => {
  await useBackend('wasm');
});

it('training steps leave no tensors behind (candidate, factorisation and ranking)', async () => {
  const world = generateWorld({ seed: 3, videos: 500, users: 200, days: 20 });
  const train = buildCandidateExamples(world, { split: 'train' });
  const rtrain = buildRankingExamples(world, { split: 'train' });
  const small = { ...defaultCandidateConfig, negatives: 16, batchSize: 16 };
  const models = [
    new CandidateModel(world, small, labelCounts(world, train)),
    new CandidateModel(world, { ...small, userInput: 'id' }, labelCounts(world, train)),
  ];
  const ranker = new RankingModel(world, { ...defaultRankingConfig, hidden: [8], batchSize: 16 }, rtrain);
  for (const m of models) await m.trainStep(train);
  await ranker.trainStep(rtrain);
  const before = tf.memory().numTensors;
  for (let s = 0; s < 3; s++) {
    for (const m of models) await m.trainStep(train);
    await ranker.trainStep(rtrain);
  }
  expect(tf.memory().numTensors).toBe(before);
  for (const m of models) m.dispose();
  ranker.dispose();
});
