import { describe, expect, it } from 'vitest';
import {
  abMean,
  abRatio,
  differenceEstimate,
  meanEstimate,
  ratioEstimate,
  usersNeeded,
  Z_80,
  Z_975,
} from './ab-stats';

describe('A/B statistics', () => {
  it('mean and Welch difference with normal 95% intervals', () => {
    const a = [1, 2, 3, 4, 5];
    const m = meanEstimate(a);
    expect(m.value).toBe(3);
    expect(m.se).toBeCloseTo(Math.sqrt(2.5 / 5), 12);
    expect(m.hi - m.value).toBeCloseTo(Z_975 * m.se, 12);
    const d = differenceEstimate(a, [3, 4, 5, 6, 7]);
    expect(d.value).toBe(2);
    expect(d.se).toBeCloseTo(Math.sqrt(0.5 + 0.5), 12);
  });

  it('users needed: n = 2(z₀.₉₇₅ + z₀.₈)²σ²/δ² per arm', () => {
    // The textbook case: σ = 1, δ = 0.5 → 2·7.849/0.25 = 62.8 → 63.
    expect((Z_975 + Z_80) ** 2).toBeCloseTo(7.849, 3);
    expect(usersNeeded(1, 0.5)).toBe(63);
    expect(usersNeeded(1, -0.5)).toBe(63);
    expect(usersNeeded(1, 0)).toBe(Infinity);
  });

  it('a ratio of sums with the delta method', () => {
    // Every user has the same ratio 1/4: variance 0.
    const r0 = ratioEstimate([1, 2, 3], [4, 8, 12]);
    expect(r0.value).toBeCloseTo(0.25, 12);
    expect(r0.se).toBeCloseTo(0, 12);
    const r = ratioEstimate([1, 0, 2, 1], [2, 2, 4, 2]);
    expect(r.value).toBeCloseTo(0.4, 12);
    // Residuals y − R·c = 0.2, −0.8, 0.4, 0.2: Σ² = 0.88; se = √(0.88/12)/2.5.
    expect(r.se).toBeCloseTo(Math.sqrt(0.88 / 12) / 2.5, 12);
    const m = abRatio([1, 0, 2, 1], [2, 2, 4, 2], [1, 2, 3], [4, 8, 12]);
    expect(m.diff.value).toBeCloseTo(-0.15, 12);
    expect(m.diff.se).toBeCloseTo(r.se, 12);
    expect(m.usersNeeded).toBeGreaterThan(0);
  });

  it('abMean: arms, difference and the users needed from the pooled sd', () => {
    const a = Array.from({ length: 100 }, (_, i) => i % 10);
    const b = a.map((x) => x + 1);
    const m = abMean(a, b);
    expect(m.diff.value).toBeCloseTo(1, 12);
    const sd = Math.sqrt(meanEstimate(a).se ** 2 * 100);
    expect(m.usersNeeded).toBe(usersNeeded(sd, 1));
  });
});
