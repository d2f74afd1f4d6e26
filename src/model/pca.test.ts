import { describe, expect, it } from 'vitest';
import { covariance, pca } from './pca';

describe('pca', () => {
  // Hand example: points on the line y = x plus a small orthogonal wiggle.
  // Rows (x, y): (−2,−2) (−1,−1) (0,0) (1,1) (2,2) and (0.5,−0.5) (−0.5,0.5): the first
  // component is (1,1)/√2 with variance (8+2+0+2+8)/6 = 10/3, the second (1,−1)/√2 with
  // variance (0.5+0.5)/6 = 1/6.
  const x = Float32Array.from([-2, -2, -1, -1, 0, 0, 1, 1, 2, 2, 0.5, -0.5, -0.5, 0.5]);

  it('computes the sample covariance of a hand example', () => {
    const c = covariance(x, 7, 2, [0, 1, 2, 3, 4, 5, 6], new Float64Array(2));
    expect(c[0]).toBeCloseTo((4 + 1 + 0 + 1 + 4 + 0.25 + 0.25) / 6, 10);
    expect(c[1]).toBeCloseTo((4 + 1 + 0 + 1 + 4 - 0.25 - 0.25) / 6, 10);
    expect(c[2]).toBe(c[1]);
  });

  it('finds the top two components, their variances and every row’s coordinates', () => {
    const r = pca(x, 7, 2);
    const s = Math.SQRT1_2;
    expect(Math.abs(r.components[0])).toBeCloseTo(s, 6);
    expect(r.components[0] * r.components[1]).toBeCloseTo(0.5, 6); // same sign: (1,1)
    expect(r.components[2] * r.components[3]).toBeCloseTo(-0.5, 6); // opposite: (1,−1)
    expect(r.variances[0]).toBeCloseTo(10 / 3, 6);
    expect(r.variances[1]).toBeCloseTo(1 / 6, 6);
    expect(r.explained[0] + r.explained[1]).toBeCloseTo(1, 6);
    // Row (2,2) lies 2√2 along PC 1 and 0 along PC 2 (up to the component's sign).
    expect(Math.abs(r.coords[8])).toBeCloseTo(2 * Math.SQRT2, 5);
    expect(r.coords[9]).toBeCloseTo(0, 5);
    expect(Math.abs(r.coords[11])).toBeCloseTo(s, 5);
  });

  it('keeps the signs of the starting components (no flipping between live snapshots)', () => {
    const first = pca(x, 7, 2);
    const flipped = Float64Array.from(first.components, (v) => -v);
    const again = pca(x, 7, 2, { init: flipped });
    for (let j = 0; j < 4; j++) expect(again.components[j]).toBeCloseTo(flipped[j], 6);
  });

  it('matches a random low-rank table: the components span its two directions', () => {
    const n = 500;
    const d = 8;
    const a = [1, 2, 0, 0, 1, 0, 0, 1].map((v) => v / Math.sqrt(7));
    const b = [0, 0, 1, -1, 0, 1, 1, 0].map((v) => v / 2);
    const t = new Float32Array(n * d);
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    for (let i = 0; i < n; i++) {
      const p = 3 * rand();
      const q = rand();
      for (let j = 0; j < d; j++) t[i * d + j] = p * a[j] + q * b[j] + 0.01 * rand();
    }
    const r = pca(t, n, d, { maxRows: 200 });
    const dot = (u: number[], q: number) =>
      u.reduce((s, v, j) => s + v * r.components[q * d + j], 0);
    expect(Math.abs(dot(a, 0))).toBeGreaterThan(0.99);
    expect(Math.abs(dot(b, 1))).toBeGreaterThan(0.99);
    expect(r.explained[0]).toBeGreaterThan(r.explained[1]);
  });
});
