import { randomLcg } from 'd3-random';
import { describe, expect, it } from 'vitest';
import { AliasTable } from './alias';

/** P(i) implied by the table: (keep[i] + Σ_{alias[j] = i} (1 − keep[j])) / n. */
function implied(t: AliasTable): number[] {
  const p = new Array<number>(t.size).fill(0);
  for (let j = 0; j < t.size; j++) {
    p[j] += t.keep[j] / t.size;
    p[t.alias[j]] += (1 - t.keep[j]) / t.size;
  }
  return p;
}

/**
 * Frequencies of `draw` when its source sweeps every column × `coins` evenly spaced coin
 * values (midpoints): the exact probabilities for a table whose keep values are dyadic.
 */
function swept(t: AliasTable, coins = 1024): number[] {
  const counts = new Array<number>(t.size).fill(0);
  for (let c = 0; c < t.size; c++) {
    for (let k = 0; k < coins; k++) {
      const values = [(c + 0.5) / t.size, (k + 0.5) / coins];
      let i = 0;
      counts[t.draw(() => values[i++])]++;
    }
  }
  return counts.map((x) => x / (t.size * coins));
}

describe('AliasTable', () => {
  it('normalises the weights', () => {
    const t = new AliasTable([1, 1, 2, 4]);
    expect(t.size).toBe(4);
    expect(Array.from(t.p)).toEqual([0.125, 0.125, 0.25, 0.5]);
  });

  it('builds a table whose implied probabilities are the weights (1, 1, 2, 4), exactly', () => {
    const t = new AliasTable([1, 1, 2, 4]);
    for (let i = 0; i < t.size; i++) {
      expect(t.keep[i]).toBeGreaterThanOrEqual(0);
      expect(t.keep[i]).toBeLessThanOrEqual(1);
      expect(t.alias[i]).toBeGreaterThanOrEqual(0);
      expect(t.alias[i]).toBeLessThan(t.size);
    }
    expect(implied(t)).toEqual([0.125, 0.125, 0.25, 0.5]);
    expect(swept(t)).toEqual([0.125, 0.125, 0.25, 0.5]);
  });

  it('draws each outcome with its probability (weights 1, 2, 3, 4, 0)', () => {
    const t = new AliasTable(Float32Array.of(1, 2, 3, 4, 0));
    const want = [0.1, 0.2, 0.3, 0.4, 0];
    const imp = implied(t);
    const sw = swept(t, 5000);
    for (let i = 0; i < want.length; i++) {
      expect(imp[i]).toBeCloseTo(want[i], 12);
      expect(sw[i]).toBeCloseTo(want[i], 3);
    }
    // A zero weight is never drawn, however the source falls.
    expect(sw[4]).toBe(0);
  });

  it('always gives the one outcome with weight', () => {
    expect(swept(new AliasTable([0, 0, 3, 0]), 64)).toEqual([0, 0, 1, 0]);
    expect(new AliasTable([5]).draw(() => 0.999)).toBe(0);
  });

  it('matches the probabilities empirically on a skewed (Zipf) law', () => {
    const n = 50;
    const t = new AliasTable(Array.from({ length: n }, (_, i) => 1 / (i + 1)));
    const u = randomLcg(0.25);
    const draws = 200_000;
    const counts = new Float64Array(n);
    for (let k = 0; k < draws; k++) counts[t.draw(u)]++;
    let chi2 = 0;
    for (let i = 0; i < n; i++) {
      const p = t.p[i];
      const sd = Math.sqrt((p * (1 - p)) / draws);
      expect(Math.abs(counts[i] / draws - p), `outcome ${i}`).toBeLessThan(5 * sd);
      chi2 += (counts[i] - p * draws) ** 2 / (p * draws);
    }
    // χ²(49): mean 49, P(> 100) < 1e-5.
    expect(chi2).toBeLessThan(100);
  });

  it('is deterministic for a seeded source', () => {
    const t = new AliasTable([3, 1, 4, 1, 5, 9, 2, 6]);
    const a = randomLcg(0.5);
    const b = randomLcg(0.5);
    const xs = Array.from({ length: 100 }, () => t.draw(a));
    expect(Array.from({ length: 100 }, () => t.draw(b))).toEqual(xs);
    expect(new Set(xs).size).toBeGreaterThan(4);
  });

  it('rejects empty, negative, non-finite and all-zero weights', () => {
    expect(() => new AliasTable([])).toThrow(RangeError);
    expect(() => new AliasTable([1, -1])).toThrow('weight 1 is -1');
    expect(() => new AliasTable([1, Number.NaN])).toThrow('weight 1 is NaN');
    expect(() => new AliasTable([Infinity, 1])).toThrow('weight 0 is Infinity');
    expect(() => new AliasTable([0, 0])).toThrow(RangeError);
  });
});
