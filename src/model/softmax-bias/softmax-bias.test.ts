import { describe, expect, it } from 'vitest';
import { createRng } from '../../sim/rng';
import { makeSampler } from '../candidate/sampled-softmax/samplers';
import {
  fullSoftmax,
  negativesBiasSweep,
  softmaxBias,
  userScores,
  type NegativesBiasPoint,
} from './index';

/**
 * A synthetic user over 3 000 items: Zipf label counts in a shuffled id order, and scores that
 * favour popular items (0.5·log count) plus N(0, 1) taste, as a trained model with a bias does.
 */
const n = 3000;
const rng = createRng(3);
const rank = Int32Array.from({ length: n }, (_, i) => i);
for (let i = n - 1; i > 0; i--) {
  const j = rng.int(i + 1);
  [rank[i], rank[j]] = [rank[j], rank[i]];
}
const counts = Float32Array.from(rank, (r) => Math.floor(20000 / (1 + r)));
const scores = Float32Array.from(counts, (c) => 0.5 * Math.log(c + 1) + rng.normal());
const popularity = makeSampler('popularity', { numItems: n, counts });
const uniform = makeSampler('uniform', { numItems: n });

const at = (points: NegativesBiasPoint[], k: number, logQ: boolean): NegativesBiasPoint =>
  points.find((p) => p.negatives === k && p.logQ === logQ)!;

describe('fullSoftmax and userScores', () => {
  it('normalises, gives −∞ scores zero mass and refuses NaN or no finite score', () => {
    const p = fullSoftmax([0, Math.log(3), -Infinity]);
    expect(p[0]).toBeCloseTo(0.25, 12);
    expect(p[1]).toBeCloseTo(0.75, 12);
    expect(p[2]).toBe(0);
    expect(() => fullSoftmax([0, NaN])).toThrow(RangeError);
    expect(() => fullSoftmax([-Infinity])).toThrow(RangeError);
  });

  it('scores u·v + b and masks items that are not live', () => {
    const v = Float32Array.of(1, 2, 3, 4, 5, 6);
    const s = userScores([1, -1], v, 3, [0.5, 0, 0], [1, 1, 0]);
    expect(Array.from(s)).toEqual([-0.5, -1, -Infinity]);
  });
});

describe('softmaxBias', () => {
  it('returns a distribution: p̂ sums to 1 up to Monte Carlo error; ratio = p̂ / p', () => {
    const b = softmaxBias(scores, popularity, { negatives: 64, logQ: true, popularity: counts });
    expect(b.summary.mass).toBeGreaterThan(0.95);
    expect(b.summary.mass).toBeLessThan(1.05);
    expect(b.ratio[7]).toBeCloseTo(b.estimate[7] / b.full[7], 12);
    expect(b.summary.groups).toHaveLength(10);
    expect(b.summary.groups.reduce((a, g) => a + g.items, 0)).toBe(n);
    // Deterministic for a seed.
    const again = softmaxBias(scores, popularity, {
      negatives: 64,
      logQ: true,
      popularity: counts,
    });
    expect(again.estimate).toEqual(b.estimate);
  });

  it('with logQ, the bias is small and shrinks as K grows', () => {
    const sweep = negativesBiasSweep(scores, popularity, {
      popularity: counts,
      repeats: 128,
      removeAccidentalHits: false,
    });
    const tv = [4, 16, 64, 256, 1024].map((k) => at(sweep, k, true).estimate.tv);
    for (let i = 1; i < tv.length; i++) expect(tv[i]).toBeLessThan(tv[i - 1] * 1.05);
    expect(tv[4]).toBeLessThan(tv[0] / 10);
    expect(tv[4]).toBeLessThan(0.005);
    expect(at(sweep, Infinity, true).estimate.tv).toBeCloseTo(0, 12);
  });

  it('without logQ, a popularity sampler over-weights popular items as negatives, so the model learns to under-weight them', () => {
    const off = softmaxBias(scores, popularity, {
      negatives: 256,
      logQ: false,
      popularity: counts,
    });
    const on = softmaxBias(scores, popularity, { negatives: 256, logQ: true, popularity: counts });
    const first = (x: typeof off.summary) => x.groups[0].meanLogRatio;
    const last = (x: typeof off.summary) => x.groups[x.groups.length - 1].meanLogRatio;
    // Push-down view: the most popular decile gets far more than its share, the least far less.
    expect(last(off.summary) - first(off.summary)).toBeGreaterThan(1);
    expect(off.summary.groups.at(-1)!.massLogRatio).toBeGreaterThan(0);
    expect(off.summary.groups[0].massLogRatio).toBeLessThan(0);
    // What training converges to: popular items under-weighted (the sign logQ corrects).
    expect(last(off.learnedSummary)).toBeLessThan(0);
    expect(first(off.learnedSummary) - last(off.learnedSummary)).toBeGreaterThan(1);
    // The trend rises decile by decile.
    const ratios = off.learnedSummary.groups.map((g) => g.meanLogRatio);
    for (let i = 1; i < ratios.length; i++) expect(ratios[i]).toBeLessThan(ratios[i - 1]);
    // logQ removes it.
    expect(on.summary.tv).toBeLessThan(off.summary.tv / 20);
    expect(Math.abs(last(on.learnedSummary) - first(on.learnedSummary))).toBeLessThan(0.05);
  });

  it('uniform sampler: logQ makes no difference (it shifts every logit by the same log n)', () => {
    for (const negatives of [4, 256]) {
      const off = softmaxBias(scores, uniform, { negatives, logQ: false, popularity: counts });
      const on = softmaxBias(scores, uniform, { negatives, logQ: true, popularity: counts });
      for (let j = 0; j < n; j += 97) {
        expect(on.estimate[j]).toBeCloseTo(off.estimate[j], 14);
        expect(on.estimate[j] / off.estimate[j]).toBeCloseTo(1, 10);
      }
      expect(on.summary.tv).toBeCloseTo(off.summary.tv, 12);
    }
  });

  it('removing accidental hits converges to its closed-form limit', () => {
    const sweep = negativesBiasSweep(scores, popularity, {
      popularity: counts,
      ks: [1024],
      repeats: 64,
    });
    const limit = at(sweep, Infinity, true).estimate;
    const k1024 = at(sweep, 1024, true).estimate;
    expect(limit.tv).toBeGreaterThan(0);
    expect(Math.abs(k1024.tv - limit.tv)).toBeLessThan(0.001);
  });

  it('items that are not live get no probability and are skipped by the summary', () => {
    const masked = Float32Array.from(scores, (s, j) => (j % 3 === 0 ? -Infinity : s));
    const b = softmaxBias(masked, popularity, { negatives: 64, logQ: true, popularity: counts });
    for (let j = 0; j < n; j += 3) {
      expect(b.full[j]).toBe(0);
      expect(b.estimate[j]).toBe(0);
      expect(b.ratio[j]).toBeNaN();
    }
    expect(b.summary.groups.reduce((a, g) => a + g.items, 0)).toBe(n - Math.ceil(n / 3));
    expect(Number.isFinite(b.summary.kl)).toBe(true);
  });

  it('works for the in-batch and log-uniform samplers and refuses bad settings', () => {
    for (const kind of ['in-batch', 'log-uniform'] as const) {
      const s = makeSampler(kind, { numItems: n, counts });
      const off = softmaxBias(scores, s, { negatives: 256, logQ: false, popularity: counts });
      const on = softmaxBias(scores, s, { negatives: 256, logQ: true, popularity: counts });
      expect(on.summary.tv).toBeLessThan(off.summary.tv / 10);
    }
    expect(() => softmaxBias(scores.subarray(1), popularity, { negatives: 4, logQ: true })).toThrow(
      RangeError,
    );
    expect(() => softmaxBias(scores, popularity, { negatives: 0, logQ: true })).toThrow(RangeError);
    expect(() => softmaxBias(scores, popularity, { negatives: 4, logQ: true, repeats: 0 })).toThrow(
      RangeError,
    );
  });

  it('sweeps K × logQ, then the two limits', () => {
    const sweep = negativesBiasSweep(scores, popularity, { popularity: counts, repeats: 8 });
    expect(sweep.map((p) => `${p.negatives}/${p.logQ}`)).toEqual([
      '4/false',
      '4/true',
      '16/false',
      '16/true',
      '64/false',
      '64/true',
      '256/false',
      '256/true',
      '1024/false',
      '1024/true',
      'Infinity/false',
      'Infinity/true',
    ]);
    // Without logQ the K = 1024 estimate is close to its limit ∝ q·p.
    expect(
      Math.abs(at(sweep, 1024, false).estimate.tv - at(sweep, Infinity, false).estimate.tv),
    ).toBeLessThan(0.02);
  });
});
