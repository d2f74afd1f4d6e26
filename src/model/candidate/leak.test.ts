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
import { SOFTMAX_CHOICES } from './sampled-softmax/choices';

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
  const ranker = new RankingModel(
    world,
    { ...defaultRankingConfig, hidden: [8], batchSize: 16 },
    rtrain,
  );
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

it('every softmax choice: training steps, the held-out loss and weight export / import leave no tensors', async () => {
  const world = generateWorld({ seed: 3, videos: 300, users: 150, days: 20 });
  const train = buildCandidateExamples(world, { split: 'train' });
  const rows = Int32Array.from({ length: 20 }, (_, i) => i);
  for (const sampler of SOFTMAX_CHOICES) {
    const model = new CandidateModel(
      world,
      { ...defaultCandidateConfig, depth: 1, sampler, negatives: 16, batchSize: 16 },
      labelCounts(world, train),
    );
    await model.trainStep(train);
    const before = tf.memory().numTensors;
    await model.trainStep(train);
    await model.heldOutLoss(train, rows, 1);
    model.importWeights(await model.exportWeights());
    expect(tf.memory().numTensors, sampler).toBe(before);
    model.dispose();
  }
});
