import { describe, expect, it } from 'vitest';
import { createRng } from '../../sim/rng';
import { buildRankingExamples } from '../../sim/ranking-examples';
import { generateWorld } from '../../sim/world';
import { bagField, bagGradients } from '../candidate/inputs';
import { SparseEmbedding } from '../embedding';
import {
  ALL_CONTINUOUS,
  CONTINUOUS_FEATURES,
  denseFeatures,
  denseWidth,
  fitFeatureQuantiles,
  rankingInputs,
  rawFeature,
  sharedTableGradients,
} from './features';

// A tiny world: features need no training, only examples (≈ 28 000 train impressions).
const world = generateWorld({ seed: 7, videos: 400, users: 150 });
const train = buildRankingExamples(world, { split: 'train' });
const test = buildRankingExamples(world, { split: 'test' });
const quantiles = fitFeatureQuantiles(train);
const all = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

describe('fitFeatureQuantiles', () => {
  it('fits one normaliser per continuous feature on the train split only', () => {
    expect(Object.keys(quantiles).sort()).toEqual([...ALL_CONTINUOUS].sort());
    expect(() => fitFeatureQuantiles(test)).toThrow(/train split/);
    // bagSize is the watch bag's length
    const i = train.count - 1;
    expect(rawFeature(train, 'bagSize', i)).toBe(train.bagEnd[i] - train.bagStart[i]);
    expect(rawFeature(train, 'videoAge', i)).toBe(train.videoAge[i]);
  });
});

describe('denseFeatures', () => {
  it('maps every continuous feature into [0, 1) on both splits, language match to 0/1', () => {
    for (const ex of [train, test]) {
      const x = denseFeatures(ex, all(ex.count), quantiles, false);
      const width = denseWidth(false);
      expect(x.length).toBe(ex.count * width);
      let outside = 0;
      let languageWrong = 0;
      for (let i = 0; i < ex.count; i++) {
        for (let f = 0; f < width - 1; f++) {
          const v = x[i * width + f];
          if (!(v >= 0 && v < 1)) outside++;
        }
        if (x[i * width + width - 1] !== ex.languageMatch[i]) languageWrong++;
      }
      expect(outside).toBe(0);
      expect(languageWrong).toBe(0);
    }
  });

  it('is roughly uniform on the training data (quantile transform)', () => {
    // videoAge is continuous, so its x̃ over the training set has mean ≈ 1/2.
    const f = CONTINUOUS_FEATURES.indexOf('videoAge');
    const width = denseWidth(false);
    const x = denseFeatures(train, all(train.count), quantiles, false);
    let sum = 0;
    for (let i = 0; i < train.count; i++) sum += x[i * width + f];
    expect(sum / train.count).toBeCloseTo(0.5, 1);
  });

  it('powers toggle adds x̃² and √x̃ (width 7 → 19), same x̃', () => {
    expect(denseWidth(false)).toBe(CONTINUOUS_FEATURES.length + 1);
    expect(denseWidth(true)).toBe(3 * CONTINUOUS_FEATURES.length + 1);
    const rows = [0, 17, 500, train.count - 1];
    const plain = denseFeatures(train, rows, quantiles, false);
    const powered = denseFeatures(train, rows, quantiles, true);
    const [w1, w3] = [denseWidth(false), denseWidth(true)];
    rows.forEach((_, b) => {
      CONTINUOUS_FEATURES.forEach((_, f) => {
        const t = plain[b * w1 + f];
        expect(powered[b * w3 + 3 * f]).toBe(t);
        expect(powered[b * w3 + 3 * f + 1]).toBeCloseTo(t * t, 6);
        expect(powered[b * w3 + 3 * f + 2]).toBeCloseTo(Math.sqrt(t), 6);
      });
      expect(powered[b * w3 + w3 - 1]).toBe(plain[b * w1 + w1 - 1]);
    });
  });
});

describe('feature groups', () => {
  const rows = [0, 17, 500, train.count - 1];
  const none = { language: false, sources: false };
  const both = { language: true, sources: true };

  it('language off drops language match; sources on adds score and log rank after the six', () => {
    expect(denseWidth(false, none)).toBe(6);
    expect(denseWidth(false, both)).toBe(9);
    expect(denseWidth(true, both)).toBe(25);
    const scored = {
      ...train,
      sourceScore: Float32Array.from({ length: train.count }, (_, i) => Math.sin(i)),
      sourceRank: Float32Array.from({ length: train.count }, (_, i) => (i % 97) / 10),
    };
    const q = fitFeatureQuantiles(scored);
    const off = denseFeatures(scored, rows, q, false, none);
    const on = denseFeatures(scored, rows, q, false, both);
    rows.forEach((r, b) => {
      for (let f = 0; f < 6; f++) expect(on[b * 9 + f]).toBe(off[b * 6 + f]);
      expect(on[b * 9 + 6]).toBeCloseTo(q.sourceScore.transform(scored.sourceScore[r]), 6);
      expect(on[b * 9 + 7]).toBeCloseTo(q.sourceRank.transform(scored.sourceRank[r]), 6);
      expect(on[b * 9 + 8]).toBe(train.languageMatch[r]);
    });
    // Without attached sources the source features read 0.
    expect(rawFeature(train, 'sourceScore', 3)).toBe(0);
  });

  it('the language group reads the user and video language from one language table', () => {
    const video = new SparseEmbedding(world.videos.count, 4, createRng(1).uniform);
    const language = new SparseEmbedding(8, 3, createRng(5).uniform);
    const inp = rankingInputs(world, train, rows, video, quantiles, false, both, language);
    expect(inp.languages?.user.table).toBe(language);
    expect(inp.languages?.video.table).toBe(language);
    rows.forEach((r, b) => {
      const ul = world.users.language[train.user[r]];
      const vl = world.videos.language[train.video[r]];
      for (let k = 0; k < 3; k++) {
        expect(inp.languages?.user.mean[b * 3 + k]).toBeCloseTo(language.weights[ul * 3 + k], 6);
        expect(inp.languages?.video.mean[b * 3 + k]).toBeCloseTo(language.weights[vl * 3 + k], 6);
      }
    });
    expect(
      rankingInputs(world, train, rows, video, quantiles, false, none, language).languages,
    ).toBe(undefined);
  });
});

describe('rankingInputs', () => {
  it('reads the impression video and the averaged watch bag from one shared table', () => {
    const table = new SparseEmbedding(world.videos.count, 4, createRng(1).uniform);
    let withBag = -1;
    let empty = -1;
    for (let i = 0; i < train.count && (withBag < 0 || empty < 0); i++) {
      if (train.bagEnd[i] - train.bagStart[i] >= 3 && withBag < 0) withBag = i;
      if (train.bagEnd[i] === train.bagStart[i] && empty < 0) empty = i;
    }
    const inp = rankingInputs(world, train, [withBag, empty], table, quantiles, true);
    expect(inp.batch).toBe(2);
    expect(inp.impression.table).toBe(table);
    expect(inp.watchBag.table).toBe(table);
    expect(inp.dense.length).toBe(2 * denseWidth(true));
    const row = (v: number) => Array.from(table.weights.subarray(v * 4, v * 4 + 4));
    for (const [b, r] of [withBag, empty].entries()) {
      Array.from(inp.impression.mean.subarray(b * 4, b * 4 + 4)).forEach((x, k) =>
        expect(x).toBeCloseTo(row(train.video[r])[k], 6),
      );
    }
    const bag = Array.from(
      world.logs.watchVideo.subarray(train.bagStart[withBag], train.bagEnd[withBag]),
    );
    for (let k = 0; k < 4; k++) {
      const mean = bag.reduce((s, v) => s + row(v)[k], 0) / bag.length;
      expect(inp.watchBag.mean[k]).toBeCloseTo(mean, 6);
    }
    expect(Array.from(inp.watchBag.mean.subarray(4, 8))).toEqual([0, 0, 0, 0]);
  });
});

describe('sharedTableGradients', () => {
  it('sums the gradients of an id used by both fields into one row', () => {
    const table = new SparseEmbedding(10, 2, createRng(2).uniform);
    const impression = bagField(table, [[3], [5]]);
    const bag = bagField(table, [[3, 4], []]);
    const gImp = Float32Array.from([1, 2, 10, 20]);
    const gBag = Float32Array.from([4, 6, 99, 99]); // the empty bag's gradient is ignored
    const { ids, grads } = sharedTableGradients([impression, bag], [gImp, gBag]);
    expect(ids).toEqual([3, 5, 4]);
    // id 3: 1 + 4/2, 2 + 6/2; id 5: 10, 20; id 4: 4/2, 6/2
    expect(Array.from(grads)).toEqual([3, 5, 10, 20, 2, 3]);
    // Same as adding bagGradients of each field.
    const a = bagGradients(impression, gImp);
    const b = bagGradients(bag, gBag);
    expect(a.grads[0] + b.grads[0]).toBe(grads[0]);
  });

  it('refuses fields of different tables', () => {
    const t1 = new SparseEmbedding(4, 2, createRng(3).uniform);
    const t2 = new SparseEmbedding(4, 2, createRng(4).uniform);
    expect(() =>
      sharedTableGradients(
        [bagField(t1, [[0]]), bagField(t2, [[0]])],
        [new Float32Array(2), new Float32Array(2)],
      ),
    ).toThrow(/different tables/);
    expect(sharedTableGradients([], []).ids).toEqual([]);
  });
});
