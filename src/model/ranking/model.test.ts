import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRankingExamples } from '../../sim/ranking-examples';
import { generateWorld } from '../../sim/world';
import { useBackend } from '../backend';
import {
  defaultRankingConfig,
  lossWeights,
  TABLE1_TOWERS,
  validateRankingConfig,
  type RankingConfig,
} from './config';
import { denseWidth, fitFeatureQuantiles } from './features';
import { oddsOf, priorLogit, RankingModel, weightedLogisticLoss } from './model';

// A tiny world (≈ 28 000 train impressions): enough to see a step work and the loss fall.
const world = generateWorld({ seed: 7, videos: 400, users: 150 });
const train = buildRankingExamples(world, { split: 'train' });
const test = buildRankingExamples(world, { split: 'test' });
const quantiles = fitFeatureQuantiles(train);
const small: RankingConfig = { ...defaultRankingConfig, hidden: [32], batchSize: 256 };

beforeAll(async () => {
  expect(await useBackend()).toBe('wasm');
});

const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('weightedLogisticLoss', () => {
  it('is Σ w·BCE(z, y) / Σ w with (a, b) = (y·w, (1 − y)·w), and its gradient', async () => {
    const z = [2, -1, 0.5, 40, -40];
    const y = [1, 0, 0, 1, 0];
    const w = [7.5, 1, 1, 3, 1];
    const a = y.map((yi, i) => yi * w[i]);
    const b = y.map((yi, i) => (1 - yi) * w[i]);
    const W = w.reduce((s, x) => s + x, 0);
    const expected = z.reduce((s, zi, i) => s + w[i] * (softplus(zi) - y[i] * zi), 0) / W;
    const zT = tf.variable(tf.tensor1d(z));
    const [aT, bT] = [tf.tensor1d(a), tf.tensor1d(b)];
    const { value, grads } = tf.variableGrads(() => weightedLogisticLoss(zT, aT, bT), [zT]);
    expect((await value.data())[0]).toBeCloseTo(expected, 5);
    const g = await grads[zT.name].data();
    z.forEach((zi, i) => expect(g[i]).toBeCloseTo((w[i] * (sigmoid(zi) - y[i])) / W, 6));
    tf.dispose([zT, aT, bT, value, ...Object.values(grads)]);
  });
});

describe('loss weights and the prior', () => {
  it('follows the table: CTR, the paper, exact odds', () => {
    const ctr = { weighted: false, exactOdds: false };
    const paper = { weighted: true, exactOdds: false };
    const exact = { weighted: true, exactOdds: true };
    expect(lossWeights(true, 6, ctr)).toEqual([1, 0]);
    expect(lossWeights(false, 0, ctr)).toEqual([0, 1]);
    expect(lossWeights(true, 6, paper)).toEqual([6, 0]);
    expect(lossWeights(false, 0, paper)).toEqual([0, 1]);
    expect(lossWeights(true, 6, exact)).toEqual([6, 1]);
    expect(lossWeights(false, 0, exact)).toEqual([0, 1]);
  });

  it('starts the output at the training log-odds Σa/Σb', () => {
    let clicks = 0;
    let minutes = 0;
    for (let i = 0; i < train.count; i++) {
      clicks += train.clicked[i];
      minutes += train.watchMinutes[i];
    }
    const n = train.count;
    expect(priorLogit(train, { weighted: false, exactOdds: false })).toBeCloseTo(
      Math.log(clicks / (n - clicks)),
      6,
    );
    expect(priorLogit(train, { weighted: true, exactOdds: false })).toBeCloseTo(
      Math.log(minutes / (n - clicks)),
      6,
    );
    // exact odds: log of mean watch minutes per impression
    expect(priorLogit(train, { weighted: true, exactOdds: true })).toBeCloseTo(
      Math.log(minutes / n),
      6,
    );
  });
});

describe('config', () => {
  it("lists Table 1's towers scaled by 1/8 with the paper's losses", () => {
    expect(TABLE1_TOWERS.map((t) => t.hidden.join('-'))).toEqual([
      '',
      '32',
      '64',
      '128',
      '64-32',
      '128-64',
      '128-64-32',
    ]);
    expect(TABLE1_TOWERS.map((t) => t.paperLossPercent)).toEqual([
      41.6, 36.9, 36.7, 35.8, 35.2, 34.7, 34.6,
    ]);
    for (const t of TABLE1_TOWERS) expect(t.hidden).toEqual(t.paperHidden.map((w) => w / 8));
  });

  it('rejects bad settings by name', () => {
    expect(() => validateRankingConfig({ ...small, hidden: [0] })).toThrow(/hidden\[0\]/);
    expect(() => validateRankingConfig({ ...small, batchSize: 1.5 })).toThrow(/batchSize/);
    expect(() => validateRankingConfig({ ...small, learningRate: 0 })).toThrow(/learningRate/);
  });
});

describe('RankingModel', () => {
  it('takes 2·embeddingDim + dense inputs; the powers toggle changes the width', () => {
    const withPowers = new RankingModel(world, small, train, quantiles);
    const without = new RankingModel(world, { ...small, powers: false }, train, quantiles);
    // The language group (on by default) adds the user's and the video's language (4 each).
    expect(withPowers.inputWidth).toBe(2 * 16 + 2 * 4 + denseWidth(true));
    expect(without.inputWidth).toBe(2 * 16 + 2 * 4 + denseWidth(false));
    expect(withPowers.inputWidth - without.inputWidth).toBe(12);
    withPowers.dispose();
    without.dispose();
  });

  it('rankingFeatures: language adds the language table and 2·4 + 1 inputs, sources 2 (6 with powers)', async () => {
    const none = { language: false, sources: false };
    const off = new RankingModel(world, { ...small, features: none }, train, quantiles);
    const lang = new RankingModel(
      world,
      { ...small, features: { ...none, language: true } },
      train,
      quantiles,
    );
    const src = new RankingModel(
      world,
      { ...small, features: { ...none, sources: true } },
      train,
      quantiles,
    );
    expect(lang.inputWidth - off.inputWidth).toBe(2 * 4 + 1);
    expect(src.inputWidth - off.inputWidth).toBe(6);
    expect((await off.exportWeights()).map((w) => w.name)).not.toContain('language');
    const named = await lang.exportWeights();
    expect(named.find((w) => w.name === 'language')?.data.length).toBe(8 * 4);
    // The language rows a batch reads take a step; the model trains with and without the group.
    const before = Float32Array.from(lang.languageTable!.weights);
    await lang.trainStep(train);
    expect(lang.languageTable!.weights).not.toEqual(before);
    expect(Number.isFinite((await off.trainStep(train)).loss)).toBe(true);
    expect(Number.isFinite((await src.trainStep(train)).loss)).toBe(true);
    expect(() => lang.applyConfig({ ...lang.config, features: none })).toThrow(/rankingFeatures/);
    for (const m of [off, lang, src]) m.dispose();
  });

  it('is reproducible from its seed, and takes one lazy-Adam step per training step', async () => {
    const losses = async () => {
      const m = new RankingModel(world, small, train, quantiles);
      const out: number[] = [];
      for (let s = 0; s < 3; s++) out.push((await m.trainStep(train)).loss);
      // impression and watch-bag gradients are merged: one optimizer step on the shared table
      expect(m.table.step).toBe(3);
      m.dispose();
      return out;
    };
    expect(await losses()).toEqual(await losses());
  });

  it('trains: the held-out weighted loss falls, for the tower and for logistic regression', async () => {
    for (const hidden of [[32], []]) {
      const m = new RankingModel(world, { ...small, hidden }, train, quantiles);
      const rows = Int32Array.from({ length: 3000 }, (_, i) => Math.floor((i * test.count) / 3000));
      const heldOut = async () => {
        const z = await m.predictLogits(test, rows);
        let num = 0;
        let den = 0;
        rows.forEach((r, b) => {
          const [a, w] = lossWeights(test.clicked[r] === 1, test.watchMinutes[r], m.config);
          num += a * softplus(-z[b]) + w * softplus(z[b]);
          den += a + w;
        });
        return num / den;
      };
      const before = await heldOut();
      let first = 0;
      let last = 0;
      // 300 steps: with observed popularity counted only before each session (no future
      // watches), logistic regression gains 0.008 in 150 steps here and 0.024 in 300.
      for (let s = 0; s < 300; s++) {
        const { loss } = await m.trainStep(train);
        if (s < 20) first += loss / 20;
        if (s >= 280) last += loss / 20;
      }
      const after = await heldOut();
      expect(last).toBeLessThan(first);
      expect(after).toBeLessThan(before - 0.01);
      m.dispose();
    }
  });

  it('predicts the same logits whatever the chunk size, and serves e^z', async () => {
    const m = new RankingModel(world, small, train, quantiles);
    for (let s = 0; s < 5; s++) await m.trainStep(train);
    const rows = [5, 1, 99, 1234, 7, 1];
    const a = await m.predictLogits(test, rows);
    const b = await m.predictLogits(test, rows, 4);
    Array.from(a).forEach((z, i) => expect(b[i]).toBeCloseTo(z, 5));
    expect(a[1]).toBe(a[5]);
    const odds = await m.predictOdds(test, rows);
    Array.from(a).forEach((z, i) => expect(odds[i]).toBeCloseTo(Math.exp(z), 5));
    expect(Array.from(oddsOf([0, Math.log(3)]))).toEqual([1, Math.fround(3)]);
    m.dispose();
  });
});
