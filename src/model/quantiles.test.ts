import { randomLcg, randomLogNormal } from 'd3-random';
import { describe, expect, it } from 'vitest';
import { BELOW_ONE, expand, fitQuantiles, QuantileNormalizer } from './quantiles.ts';

const logNormal = (seed: number, n: number) => {
  const draw = randomLogNormal.source(randomLcg(seed))(0, 1);
  return Float32Array.from({ length: n }, draw);
};

describe('fitQuantiles', () => {
  it('interpolates knots between order statistics (hand example)', () => {
    // sorted 0, 2, 4: knot j sits at position 2·j/4 → 0, 1, 2, 3, 4
    expect(Array.from(fitQuantiles([4, 0, 2], 4).knots)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(fitQuantiles([0, 10], 2).knots)).toEqual([0, 5, 10]);
    expect(Array.from(fitQuantiles([0, 0, 0, 1], 2).knots)).toEqual([0, 0, 1]);
    expect(fitQuantiles(new Float32Array(500)).buckets).toBe(100);
  });

  it('skips non-finite values and rejects bad input', () => {
    expect(Array.from(fitQuantiles([NaN, 0, 10, Infinity], 2).knots)).toEqual([0, 5, 10]);
    expect(() => fitQuantiles([NaN])).toThrow(RangeError);
    expect(() => fitQuantiles([1, 2], 0)).toThrow(RangeError);
    expect(() => new QuantileNormalizer([1])).toThrow(RangeError);
    expect(() => new QuantileNormalizer([0, 2, 1])).toThrow(/decreases/);
  });
});

describe('QuantileNormalizer.transform', () => {
  it('maps hand examples by linear interpolation, clipped to [0, 1)', () => {
    const q = fitQuantiles([0, 1, 2, 3, 4], 4);
    expect(q.transform(2.5)).toBe(0.625);
    expect(q.transform(1)).toBe(0.25);
    expect(q.transform(0)).toBe(0);
    expect(q.transform(-5)).toBe(0);
    expect(q.transform(4)).toBe(BELOW_ONE);
    expect(q.transform(1e9)).toBe(BELOW_ONE);
    expect(q.transform(NaN)).toBeNaN();
    expect(fitQuantiles([0, 10], 2).transform(7.5)).toBe(0.75);
    expect(Math.fround(BELOW_ONE)).toBeLessThan(1);
  });

  it('puts a point mass at its mid-rank', () => {
    const q = fitQuantiles([0, 0, 0, 1], 2); // knots 0, 0, 1
    expect(q.transform(0)).toBe(0.25);
    expect(q.transform(0.5)).toBe(0.75);
    expect(q.transform(1)).toBe(BELOW_ONE);
    expect(fitQuantiles([3, 3, 3]).transform(3)).toBe(0.5);
    const inner = new QuantileNormalizer([0, 1, 1, 1, 2]);
    expect(inner.transform(1)).toBe(0.5);
    expect(inner.transform(0.999)).toBeLessThan(0.25);
    expect(inner.transform(1.001)).toBeGreaterThan(0.75);
  });

  it('maps every knot to the middle of its run of equal knots, first and last runs too', () => {
    const knots = [0, 0, 0, 1, 2, 2, 3, 3, 3, 3];
    const q = new QuantileNormalizer(knots);
    const b = knots.length - 1;
    for (const x of new Set(knots)) {
      const first = knots.indexOf(x);
      const last = knots.lastIndexOf(x);
      expect(q.transform(x)).toBe(Math.min((first + last) / 2 / b, BELOW_ONE));
    }
  });

  it('is monotone and stays in [0, 1), also for a zero-inflated feature', () => {
    const u = randomLcg(3);
    const skewed = logNormal(1, 2000);
    const zeroInflated = Float32Array.from(skewed, (x, i) => (i % 3 === 0 ? 0 : x));
    for (const train of [skewed, zeroInflated]) {
      const q = fitQuantiles(train, 50);
      const xs = Float64Array.from({ length: 3000 }, () => -2 + 30 * u() ** 3).sort();
      const t = q.transformAll(xs);
      for (let i = 0; i < xs.length; i++) {
        expect(t[i]).toBeGreaterThanOrEqual(0);
        expect(t[i]).toBeLessThan(1);
        if (i > 0) expect(t[i]).toBeGreaterThanOrEqual(t[i - 1]);
      }
    }
  });

  it('maps the training set, and fresh draws of it, to about uniform', () => {
    const train = logNormal(7, 20000);
    const q = fitQuantiles(train, 100);
    const histogram = (t: Float32Array) => {
      const h = new Array<number>(10).fill(0);
      for (const x of t) h[Math.floor(x * 10)] += 1 / t.length;
      return h;
    };
    for (const share of histogram(q.transformAll(train))) expect(share).toBeCloseTo(0.1, 3);
    const fresh = q.transformAll(logNormal(8, 20000)).sort();
    let ks = 0; // Kolmogorov–Smirnov distance to U[0, 1)
    for (let i = 0; i < fresh.length; i++) ks = Math.max(ks, Math.abs(fresh[i] - i / fresh.length));
    expect(ks).toBeLessThan(0.02);
  });
});

describe('expand', () => {
  it('gives x̃, x̃² and √x̃', () => {
    expect(expand(0.25)).toEqual([0.25, 0.0625, 0.5]);
    expect(expand(0)).toEqual([0, 0, 0]);
    const q = fitQuantiles([0, 1, 2, 3, 4], 4);
    expect(Array.from(q.expandAll([1, 4]))).toEqual([
      0.25,
      0.0625,
      0.5,
      ...expand(BELOW_ONE).map(Math.fround),
    ]);
    expect(() => q.expandAll([1, 2], new Float32Array(5))).toThrow(RangeError);
  });
});
