/**
 * The Figure 4 quantity (age-mass.ts): bucketing by days before the split, the watched share
 * counted by hand, and the model's mass a proper distribution that matches a softmax computed
 * here from the model's own vectors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCandidateExamples, type CandidateExamples } from '../../sim/examples';
import type { World } from '../../sim/types';
import { generateWorld } from '../../sim/world';
import { useBackend } from '../backend';
import { defaultCandidateConfig } from './config';
import { AGE_DAYS, ageBuckets, freshShare, labelAgeShare, modelAgeMass } from './age-mass';
import { evaluationRows } from './evaluate';
import { CandidateModel, labelCounts } from './model';

let world: World;
let train: CandidateExamples;
let test: CandidateExamples;

beforeAll(async () => {
  await useBackend('wasm');
  world = generateWorld({ seed: 3, videos: 300, users: 120, days: 30 });
  train = buildCandidateExamples(world, { split: 'train' });
  test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
});

describe('age buckets', () => {
  it('count whole days before the split and leave out later uploads', () => {
    const split = world.config.splitDay;
    const b = ageBuckets(world);
    for (let v = 0; v < world.videos.count; v++) {
      const t = world.videos.uploadTime[v];
      if (t >= split) expect(b[v]).toBe(-1);
      else if (split - t >= AGE_DAYS) expect(b[v]).toBe(AGE_DAYS);
      else expect(b[v]).toBe(Math.floor(split - t));
    }
    expect(b.some((x) => x === 0)).toBe(true);
    expect(b.some((x) => x === AGE_DAYS)).toBe(true);
  });

  it('the watched share counts labels per bucket among pre-split labels', () => {
    const rows = evaluationRows(test);
    const share = labelAgeShare(world, test, rows);
    const b = ageBuckets(world);
    const counts = new Array<number>(AGE_DAYS + 1).fill(0);
    let n = 0;
    for (const r of rows)
      if (b[test.label[r]] >= 0) {
        counts[b[test.label[r]]]++;
        n++;
      }
    expect(n).toBeGreaterThan(20);
    for (let k = 0; k <= AGE_DAYS; k++) expect(share[k]).toBeCloseTo(counts[k] / n, 12);
    expect(freshShare(share)).toBeCloseTo(counts.slice(0, 7).reduce((s, x) => s + x, 0) / n, 12);
  });
});

describe('modelAgeMass', () => {
  it('is the mean over examples of the serving softmax, summed per bucket', async () => {
    const model = new CandidateModel(
      world,
      { ...defaultCandidateConfig, batchSize: 16, negatives: 8, seed: 4 },
      labelCounts(world, train),
    );
    try {
      for (let s = 0; s < 5; s++)
        await model.trainBatch(
          train,
          Int32Array.from({ length: 16 }, (_, i) => (i * 7 + s * 16) % train.count),
        );
      const rows = evaluationRows(test, 10);
      const mass = await modelAgeMass(model, test, rows, 4);
      expect(mass.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
      // The same by hand: scores u·v + b over pre-split videos, softmax, bucket sums.
      const b = ageBuckets(world);
      const d = model.d;
      const u = model.userVectors(model.inputs(test, rows, true));
      const U = (await u.data()) as Float32Array;
      u.dispose();
      const want = new Float64Array(AGE_DAYS + 1);
      for (let i = 0; i < rows.length; i++) {
        const z: number[] = [];
        const vs: number[] = [];
        for (let v = 0; v < world.videos.count; v++) {
          if (b[v] < 0) continue;
          let s = model.videoBias.weights[v];
          for (let k = 0; k < d; k++) s += U[i * d + k] * model.videoOut.weights[v * d + k];
          z.push(s);
          vs.push(v);
        }
        const m = Math.max(...z);
        const e = z.map((x) => Math.exp(x - m));
        const sum = e.reduce((s, x) => s + x, 0);
        vs.forEach((v, j) => (want[b[v]] += e[j] / sum / rows.length));
      }
      for (let k = 0; k <= AGE_DAYS; k++) expect(mass[k]).toBeCloseTo(want[k], 4);
    } finally {
      model.dispose();
    }
  });
});
