import { describe, expect, it } from 'vitest';
import {
  coverage,
  gini,
  liveValues,
  meanEffectiveCount,
  meanPairwiseCosine,
  topShare,
} from './metrics';

describe('loop metrics on hand-made inputs', () => {
  it('Gini: 0 when equal, (n − 1)/n when one has everything, and a worked case', () => {
    expect(gini([3, 3, 3, 3])).toBe(0);
    expect(gini([0, 0, 0, 0])).toBe(0);
    expect(gini([0, 0, 0, 8])).toBeCloseTo(3 / 4, 12);
    // [1, 2, 3, 4]: Σ(2i − n − 1)x = −3·1 − 1·2 + 1·3 + 3·4 = 10; 10 / (4·10) = 0.25.
    expect(gini([4, 1, 3, 2])).toBeCloseTo(0.25, 12);
    expect(() => gini([1, -1])).toThrow(/≥ 0/);
  });

  it('top-1% share: the largest ⌈n/100⌉ values over the total', () => {
    const x = new Array(200).fill(1);
    x[7] = 101;
    x[9] = 99;
    // n = 200 → the top 2 hold 200 of 398.
    expect(topShare(x)).toBeCloseTo(200 / 398, 12);
    expect(topShare([5])).toBe(1);
    expect(topShare([0, 0])).toBe(0);
  });

  it('coverage: the share of live entries shown at least once', () => {
    expect(coverage([0, 2, 0, 1])).toBe(0.5);
    expect(coverage([0, 2, 0, 1], [0, 1, 1, 0])).toBe(0.5);
    expect(coverage([0, 0], [0, 0])).toBe(0);
    expect(Array.from(liveValues([5, 6, 7], [1, 0, 1]))).toEqual([5, 7]);
  });

  it('homogenisation: 1 for identical mixes, 0 for disjoint, the mean of pairs otherwise', () => {
    expect(meanPairwiseCosine([1, 2, 0, 2, 4, 0, 0.5, 1, 0], 3, 3).value).toBeCloseTo(1, 12);
    expect(meanPairwiseCosine([1, 0, 0, 0, 1, 0, 0, 0, 1], 3, 3).value).toBeCloseTo(0, 12);
    // Rows (1,0), (1,1), (0,1) and an empty row: cosines 1/√2, 0, 1/√2 → mean √2/3.
    const r = meanPairwiseCosine([1, 0, 1, 1, 0, 1, 0, 0], 4, 2);
    expect(r.rows).toBe(3);
    expect(r.value).toBeCloseTo(Math.SQRT2 / 3, 12);
    // Brute force on a random matrix.
    const x = Array.from({ length: 6 * 4 }, (_, i) => ((i * 37) % 11) / 10);
    const rows: number[][] = [];
    for (let i = 0; i < 6; i++) rows.push(x.slice(i * 4, i * 4 + 4));
    const cos = (a: number[], b: number[]) =>
      a.reduce((s, v, k) => s + v * b[k], 0) /
      Math.sqrt(a.reduce((s, v) => s + v * v, 0) * b.reduce((s, v) => s + v * v, 0));
    let sum = 0;
    let pairs = 0;
    for (let i = 0; i < 6; i++)
      for (let j = i + 1; j < 6; j++) {
        sum += cos(rows[i], rows[j]);
        pairs++;
      }
    expect(meanPairwiseCosine(x, 6, 4).value).toBeCloseTo(sum / pairs, 12);
    expect(Number.isNaN(meanPairwiseCosine([1, 0], 1, 2).value)).toBe(true);
  });

  it('topic diversity: exp(entropy) per user, averaged', () => {
    // One user on one topic (1), one split evenly over four (4), an empty row ignored.
    expect(meanEffectiveCount([5, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0], 3, 4)).toBeCloseTo(2.5, 12);
  });
});
