import { describe, expect, it } from 'vitest';
import {
  bootstrapInterval,
  mean,
  pairedDifferences,
  sampleSd,
  tInterval,
  tQuantile975,
  verdictOf,
} from './stats';

const iv = (lo: number, hi: number) => ({ mean: (lo + hi) / 2, lo, hi, n: 3 });

describe('mean, sd, t quantiles', () => {
  it('computes known values', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sampleSd([1, 2, 3, 4])).toBeCloseTo(1.2909944, 6);
    expect(mean([])).toBeNaN();
    expect(sampleSd([1])).toBeNaN();
  });

  it('gives the table for small df and the Cornish–Fisher term beyond 30', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(2)).toBe(4.303);
    expect(tQuantile975(30)).toBe(2.042);
    expect(tQuantile975(40)).toBeCloseTo(2.021, 2); // exact 2.0211
    expect(tQuantile975(120)).toBeCloseTo(1.98, 2); // exact 1.9799
    expect(tQuantile975(0)).toBeNaN();
  });
});

describe('tInterval', () => {
  it('is mean ± t(n−1)·sd/√n', () => {
    const i = tInterval([1, 2, 3]);
    const half = (4.303 * 1) / Math.sqrt(3);
    expect(i.mean).toBe(2);
    expect(i.lo).toBeCloseTo(2 - half, 10);
    expect(i.hi).toBeCloseTo(2 + half, 10);
    expect(i.n).toBe(3);
  });

  it('has no bounds for one value', () => {
    const i = tInterval([0.4]);
    expect(i.mean).toBe(0.4);
    expect(i.lo).toBeNaN();
  });

  it('pairs differences and refuses unequal lengths', () => {
    expect(pairedDifferences([3, 5], [1, 1])).toEqual([2, 4]);
    expect(() => pairedDifferences([1], [1, 2])).toThrow(/equal lengths/);
  });
});

describe('bootstrapInterval', () => {
  it('is a point for constant differences', () => {
    const i = bootstrapInterval(new Array(50).fill(0.1));
    expect(i.lo).toBeCloseTo(0.1, 12);
    expect(i.hi).toBeCloseTo(0.1, 12);
  });

  it('matches the normal approximation for a large 0/1 sample and is seeded', () => {
    const d = Array.from({ length: 1000 }, (_, i) => i % 2);
    const a = bootstrapInterval(d, 1000, 3);
    const b = bootstrapInterval(d, 1000, 3);
    expect(a).toEqual(b);
    // 0.5 ± 1.96·0.5/√1000 = 0.5 ± 0.031
    expect(a.mean).toBe(0.5);
    expect(a.lo).toBeGreaterThan(0.46);
    expect(a.lo).toBeLessThan(0.48);
    expect(a.hi).toBeGreaterThan(0.52);
    expect(a.hi).toBeLessThan(0.54);
  });
});

describe('verdictOf (the one rule)', () => {
  it('reproduced when the interval excludes 0 on the paper’s side', () => {
    expect(verdictOf('higher', iv(0.01, 0.03))).toBe('reproduced');
    expect(verdictOf('lower', iv(-0.03, -0.01))).toBe('reproduced');
  });

  it('not-reproduced when it excludes 0 on the other side', () => {
    expect(verdictOf('higher', iv(-0.03, -0.01))).toBe('not-reproduced');
    expect(verdictOf('lower', iv(0.01, 0.03))).toBe('not-reproduced');
  });

  it('inconclusive when an interval holds 0, is missing, or the two disagree', () => {
    expect(verdictOf('higher', iv(-0.01, 0.03))).toBe('inconclusive');
    expect(verdictOf('higher', { mean: 0.1, lo: NaN, hi: NaN, n: 1 })).toBe('inconclusive');
    expect(verdictOf('higher', iv(0.01, 0.03), iv(-0.001, 0.02))).toBe('inconclusive');
    expect(verdictOf('higher', iv(0.01, 0.03), iv(-0.02, -0.01))).toBe('inconclusive');
    expect(verdictOf('higher', iv(0.01, 0.03), iv(0.005, 0.02))).toBe('reproduced');
  });

  it('decides a worked example: differences 0.02, 0.03, 0.025 over 3 repeats', () => {
    const d = tInterval([0.02, 0.03, 0.025]);
    // sd 0.005, half-width 4.303·0.005/√3 = 0.01242
    expect(d.lo).toBeCloseTo(0.025 - 0.012422, 5);
    expect(d.hi).toBeCloseTo(0.025 + 0.012422, 5);
    expect(verdictOf('higher', d)).toBe('reproduced');
    // A noisier set with the same mean holds 0.
    expect(verdictOf('higher', tInterval([-0.01, 0.06, 0.025]))).toBe('inconclusive');
  });
});
