/**
 * The ranker's inputs without repeated work, checked value for value against the ways they were
 * built before: one user's candidates share a watch bag (averaged once, `rangeField`), the dense
 * features go column by column, and the tower reads one matrix written row by row instead of a
 * `tf.concat` of the fields — every logit equal to the bit.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { candidateRankingExamples } from '../../sim/candidate-features';
import { buildRankingExamples, type RankingExamples } from '../../sim/ranking-examples';
import { generateWorld } from '../../sim/world';
import { useBackend } from '../backend';
import { bagField, csrField, rangeField } from '../candidate/inputs';
import { SparseEmbedding } from '../embedding';
import { defaultRankingConfig } from './config';
import {
  continuousFeatures,
  denseFeatures,
  denseWidth,
  fitFeatureQuantiles,
  rankingInputs,
  rawFeature,
  type FeatureQuantiles,
} from './features';
import { RankingModel } from './model';
import { rankingInputRows } from './batch';

const world = generateWorld({ seed: 7, videos: 400, users: 150 });
const train = buildRankingExamples(world, { split: 'train' });
const test = buildRankingExamples(world, { split: 'test' });
const quantiles = fitFeatureQuantiles(train);

beforeAll(async () => {
  expect(await useBackend()).toBe('wasm');
});

/** denseFeatures as it was written before: row by row, feature by feature. */
function denseRowByRow(
  ex: RankingExamples,
  rows: ArrayLike<number>,
  q: FeatureQuantiles,
  powers: boolean,
  features = defaultRankingConfig.features,
): Float32Array {
  const width = denseWidth(powers, features);
  const out = new Float32Array(rows.length * width);
  for (let b = 0; b < rows.length; b++) {
    let o = b * width;
    for (const f of continuousFeatures(features)) {
      const t = q[f].transform(rawFeature(ex, f, rows[b]));
      out[o++] = t;
      if (powers) {
        out[o++] = t * t;
        out[o++] = Math.sqrt(t);
      }
    }
    if (features.language) out[o] = ex.languageMatch[rows[b]];
  }
  return out;
}

/** One user's candidates: every live video at a held-out session's time. */
function candidates(): RankingExamples {
  const r = test.count >> 1;
  const videos = Int32Array.from({ length: 300 }, (_, i) => i);
  return candidateRankingExamples(world, test.user[r], test.time[r], videos);
}

describe('rangeField', () => {
  it('equals csrField of the same bags, ids, offsets and averages, repeated and empty bags included', () => {
    const table = new SparseEmbedding(world.videos.count, 16, Math.random);
    const wv = world.logs.watchVideo;
    const starts = [5, 0, 5, 5, 7, 5, 9, 0];
    const ends = [40, 3, 40, 12, 7, 40, 60, 3];
    const got = rangeField(table, wv, starts, ends);
    const want = bagField(
      table,
      starts.map((s, b) => wv.subarray(s, ends[b])),
    );
    expect(Array.from(got.offsets)).toEqual(Array.from(want.offsets));
    expect(Array.from(got.ids)).toEqual(Array.from(want.ids));
    expect(Array.from(got.mean)).toEqual(Array.from(want.mean));
    expect(Array.from(got.mean.subarray(4 * 16, 5 * 16))).toEqual(new Array(16).fill(0));
    const viaCsr = csrField(table, want.ids, want.offsets);
    expect(Array.from(got.mean)).toEqual(Array.from(viaCsr.mean));
  });
});

describe('the ranker’s inputs', () => {
  it('dense features column by column equal the row-by-row ones (with and without powers)', () => {
    const ex = candidates();
    const rows = Int32Array.from({ length: ex.count }, (_, i) => ex.count - 1 - i);
    for (const powers of [true, false]) {
      const got = denseFeatures(ex, rows, quantiles, powers);
      expect(Array.from(got)).toEqual(Array.from(denseRowByRow(ex, rows, quantiles, powers)));
    }
    const testRows = Int32Array.from({ length: 500 }, (_, i) => (i * 7) % test.count);
    const sources = { language: true, sources: true };
    expect(Array.from(denseFeatures(test, testRows, quantiles, true, sources))).toEqual(
      Array.from(denseRowByRow(test, testRows, quantiles, true, sources)),
    );
  });

  it('rankingInputRows is the concatenation of rankingInputs’s fields, value for value', () => {
    const table = new SparseEmbedding(world.videos.count, 16, Math.random);
    const languages = new SparseEmbedding(12, 4, Math.random);
    for (const ex of [candidates(), test]) {
      const rows = Int32Array.from(
        { length: Math.min(ex.count, 900) },
        (_, i) => (i * 13) % ex.count,
      );
      for (const features of [
        { language: true, sources: false },
        { language: false, sources: true },
      ]) {
        const got = rankingInputRows(world, ex, rows, table, quantiles, true, features, languages);
        const f = rankingInputs(world, ex, rows, table, quantiles, true, features, languages);
        const parts = [f.impression.mean, f.watchBag.mean];
        const widths = [16, 16];
        if (f.languages) {
          parts.push(f.languages.user.mean, f.languages.video.mean);
          widths.push(4, 4);
        }
        parts.push(f.dense);
        widths.push(f.dense.length / rows.length);
        const want: number[] = [];
        for (let b = 0; b < rows.length; b++)
          parts.forEach((p, i) => want.push(...p.subarray(b * widths[i], (b + 1) * widths[i])));
        expect(Array.from(got)).toEqual(want);
      }
    }
  });

  it('predictLogits equals the tower applied to the concatenated fields, bit for bit', async () => {
    const model = new RankingModel(world, { ...defaultRankingConfig, batchSize: 64 }, train);
    for (let s = 0; s < 5; s++) await model.trainStep(train);
    const weights = await model.exportWeights();
    const byName = new Map(weights.map((w) => [w.name, w]));
    for (const ex of [candidates(), test]) {
      const rows = Int32Array.from({ length: Math.min(ex.count, 700) }, (_, i) => i);
      const got = await model.predictLogits(ex, rows, 256);
      // The path before: one tensor per field, tf.concat, then each layer's product and bias.
      const inputs = model.inputs(ex, rows);
      const B = rows.length;
      const fields = [inputs.impression, inputs.watchBag];
      if (inputs.languages) fields.push(inputs.languages.user, inputs.languages.video);
      const layers = defaultRankingConfig.hidden.length + 1;
      const want = tf.tidy(() => {
        let x = tf.concat(
          [
            ...fields.map((f) => tf.tensor2d(f.mean, [B, f.table.dim])),
            tf.tensor2d(inputs.dense, [B, inputs.dense.length / B]),
          ],
          1,
        ) as tf.Tensor2D;
        for (let i = 0; i < layers; i++) {
          const w = byName.get(`layer${i}.w`)!;
          const b = byName.get(`layer${i}.b`)!;
          const width = b.data.length;
          x = tf.add(
            tf.matMul(x, tf.tensor2d(w.data, [w.data.length / width, width])),
            tf.tensor1d(b.data),
          ) as tf.Tensor2D;
          if (i < layers - 1) x = tf.relu(x);
        }
        return tf.reshape(x, [-1]);
      });
      const wanted = (await want.data()) as Float32Array;
      want.dispose();
      expect(Array.from(got)).toEqual(Array.from(wanted));
    }
    model.dispose();
  });
});
