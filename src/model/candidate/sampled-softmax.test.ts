/**
 * Sampled softmax on a corpus small enough for the full softmax: the logQ sign check that
 * guards TFRS's old error, accidental-hit removal, sparse updates, and sampled → full recall.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCandidateExamples, type CandidateExamples } from '../../sim/examples';
import type { World } from '../../sim/types';
import { generateWorld } from '../../sim/world';
import { useBackend } from '../backend';
import { defaultCandidateConfig } from './config';
import { candidateLogits, MASKED_LOGIT } from './logits';
import { CandidateModel, labelCounts } from './model';
import { trainCandidate } from './train';

let world: World;
let train: CandidateExamples;
let test: CandidateExamples;

beforeAll(async () => {
  await useBackend('wasm');
  world = generateWorld({ seed: 11, videos: 1000, users: 1500, days: 40 });
  train = buildCandidateExamples(world, { split: 'train' });
  test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
}, 120_000);

describe('logQ correction', () => {
  it('lowers the logits of popular items relative to rare ones (logit − log q, never +)', () => {
    const model = new CandidateModel(world, { ...defaultCandidateConfig, sampler: 'popularity' }, labelCounts(world, train));
    const counts = labelCounts(world, train);
    let popular = 0;
    let rare = 0;
    for (let v = 0; v < counts.length; v++) {
      if (counts[v] > counts[popular]) popular = v;
      if (counts[v] < counts[rare]) rare = v;
    }
    const sampler = model.sampler!;
    expect(sampler.logQ(popular)).toBeGreaterThan(sampler.logQ(rare));
    const u = tf.ones([1, 4]) as tf.Tensor2D;
    const w = tf.ones([2, 4]) as tf.Tensor2D; // identical raw logits for both items
    const b = tf.zeros([2]) as tf.Tensor1D;
    const logQ = tf.tensor1d([sampler.logQ(popular), sampler.logQ(rare)]);
    const raw = candidateLogits(u, w, b).dataSync();
    const corrected = candidateLogits(u, w, b, logQ).dataSync();
    expect(corrected[0]).toBeLessThan(corrected[1]); // popular below rare
    expect(corrected[0] - raw[0]).toBeCloseTo(-sampler.logQ(popular), 4);
    const mask = tf.tensor2d([[MASKED_LOGIT, 0]]);
    expect(candidateLogits(u, w, b, logQ, mask).dataSync()[0]).toBeLessThan(-1e8);
    tf.dispose([u, w, b, logQ, mask]);
    model.dispose();
  });
});

describe('a training step', () => {
  it('updates only the embedding rows its batch touches, and the loss is finite', async () => {
    const model = new CandidateModel(world, { ...defaultCandidateConfig, negatives: 16, batchSize: 8 }, labelCounts(world, train));
    const before = model.videoOut.weights.slice();
    const { loss } = await model.trainStep(train);
    expect(Number.isFinite(loss)).toBe(true);
    let changedRows = 0;
    const d = model.d;
    for (let v = 0; v < world.videos.count; v++) {
      for (let k = 0; k < d; k++) {
        if (model.videoOut.weights[v * d + k] !== before[v * d + k]) {
          changedRows++;
          break;
        }
      }
    }
    expect(changedRows).toBeGreaterThan(0);
    expect(changedRows).toBeLessThanOrEqual(8 + 16); // labels + negatives, nothing else
    model.dispose();
  });

  it('is deterministic for a seed', async () => {
    const losses = [];
    for (let r = 0; r < 2; r++) {
      const model = new CandidateModel(world, { ...defaultCandidateConfig, negatives: 32, batchSize: 32 }, labelCounts(world, train));
      const l = [];
      for (let s = 0; s < 3; s++) l.push((await model.trainStep(train)).loss);
      losses.push(l);
      model.dispose();
    }
    expect(losses[0]).toEqual(losses[1]);
  });
});

describe('sampled softmax against the full softmax', () => {
  it('approaches the full softmax recall with enough negatives', async () => {
    const steps = 500;
    const full = await trainCandidate(world, train, test, { sampler: 'full' }, steps);
    const many = await trainCandidate(world, train, test, { negatives: 500, sampler: 'popularity' }, steps);
    const few = await trainCandidate(world, train, test, { negatives: 4, sampler: 'popularity' }, steps);
    for (const r of [full, many, few]) r.model.dispose();
    expect(full.metrics.recallAt[100]).toBeGreaterThan(0.2);
    expect(many.metrics.recallAt[100]).toBeGreaterThan(0.9 * full.metrics.recallAt[100]);
    expect(many.metrics.recallAt[100]).toBeGreaterThan(few.metrics.recallAt[100]);
  }, 300_000);
});
