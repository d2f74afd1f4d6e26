import { describe, expect, it } from 'vitest';
import { clusteredVectors, gaussianVectors } from '../../serve/synthetic';
import { unitRows } from '../umap-knn';
import { nearestRowSearch } from '../umap-placement';
import { WasmNearestRow } from './nearest-row';

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('WasmNearestRow', () => {
  const cases: [string, Float32Array, number, number][] = [
    [
      'clustered, d 32, m even',
      clusteredVectors(1400, 32, 5, 0, { clusters: 30 }).vectors,
      32,
      800,
    ],
    ['gaussian, d 16, m odd', gaussianVectors(1400, 16, 5).vectors, 16, 799],
    ['gaussian, d 4, m 1', gaussianVectors(300, 4, 6).vectors, 4, 1],
    // Small integers: many exact ties between different rows, and duplicates.
    ['ties, d 8', Float32Array.from({ length: 1400 * 8 }, (_, i) => ((i * 7919) % 5) - 2), 8, 700],
  ];
  for (const [name, vectors, d, m] of cases)
    it(`gives the JavaScript scan's row for every query (${name})`, () => {
      const n = vectors.length / d;
      const u = unitRows(vectors, d, all(m));
      const queries = unitRows(vectors, d, all(n));
      // The JavaScript scan of the placing (umap-placement.ts) is what the module must equal.
      const scan = nearestRowSearch(u, m, d, 'exact', 1);
      const wasm = WasmNearestRow.create(u, m, d, 64);
      expect(wasm).not.toBeNull();
      const out = new Int32Array(64);
      let differ = 0;
      let checked = 0;
      for (let start = 0; start < n; start += 64) {
        const count = Math.min(64, n - start);
        wasm!.queries().set(queries.subarray(start * d, (start + count) * d));
        wasm!.nearest(count, out);
        for (let i = 0; i < count; i++, checked++)
          if (out[i] !== scan.nearest(queries, (start + i) * d)) differ++;
      }
      expect(checked).toBe(n);
      expect(differ).toBe(0);
    });

  it('declines what it cannot scan: d not a multiple of 4, no rows', () => {
    expect(WasmNearestRow.create(new Float64Array(30), 5, 6, 8)).toBeNull();
    expect(WasmNearestRow.create(new Float64Array(0), 0, 4, 8)).toBeNull();
    expect(() =>
      WasmNearestRow.create(new Float64Array(8), 2, 4, 8)!.nearest(9, new Int32Array(9)),
    ).toThrow(RangeError);
  });
});
