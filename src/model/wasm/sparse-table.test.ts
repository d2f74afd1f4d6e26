import { afterEach, describe, expect, it } from 'vitest';
import { createRng } from '../../sim/rng';
import { defaultAdam, SparseEmbedding } from '../embedding';
import { setWasmTables } from './sparse-table';

/** A table of `rows` × `dim` built with WebAssembly on or off (same seeded initial weights). */
function table(rows: number, dim: number, wasm: boolean): SparseEmbedding {
  setWasmTables(wasm);
  const rng = createRng(3);
  const t = new SparseEmbedding(rows, dim, () => rng.uniform());
  setWasmTables(true);
  return t;
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

afterEach(() => setWasmTables(true));

describe('WasmTable: the same numbers as the JavaScript', () => {
  it('lazy Adam: 40 steps of random distinct rows and gradients of every scale give equal weights and moments to the bit', () => {
    for (const dim of [4, 32]) {
      const rows = 5000;
      const js = table(rows, dim, false);
      const wasm = table(rows, dim, true);
      const rng = createRng(11);
      for (let step = 0; step < 40; step++) {
        const ids = new Set<number>();
        const n = 1 + rng.int(2000);
        while (ids.size < n) ids.add(rng.int(rows));
        const list = [...ids];
        const scale = 10 ** (rng.int(9) - 6);
        const grads = Float32Array.from({ length: n * dim }, () => scale * rng.normal());
        const adam = { ...defaultAdam, learningRate: step % 2 ? 0.01 : 0.3 };
        js.applyGradients(list, grads, adam);
        wasm.applyGradients(step % 3 ? Int32Array.from(list) : list, grads, adam);
      }
      expect(bits(wasm.weights)).toEqual(bits(js.weights));
      const a = js.exportState();
      const b = wasm.exportState();
      expect(bits(b.m)).toEqual(bits(a.m));
      expect(bits(b.v)).toEqual(bits(a.v));
      expect(b.step).toBe(40);
    }
  });

  it('bag averages: repeated rows, empty bags and bags of one give equal averages to the bit', () => {
    const rows = 3000;
    const dim = 32;
    const js = table(rows, dim, false);
    const wasm = table(rows, dim, true);
    const rng = createRng(5);
    const bags = 700;
    const offsets = new Int32Array(bags + 1);
    for (let b = 0; b < bags; b++) offsets[b + 1] = offsets[b] + (b % 7 === 0 ? 0 : rng.int(60));
    const ids = Int32Array.from({ length: offsets[bags] }, () => rng.int(rows));
    const a = js.bagMean(ids, offsets);
    const b = wasm.bagMean(ids, offsets);
    expect(a.length).toBe(bags * dim);
    expect(a.some((x) => x !== 0)).toBe(true);
    expect(bits(b)).toEqual(bits(a));
  });

  it('spread bag gradients: repeated rows, empty bags and gradients of every scale give equal gradients to the bit', () => {
    const dim = 32;
    const js = table(4000, dim, false);
    const wasm = table(4000, dim, true);
    const rng = createRng(8);
    const bags = 300;
    const offsets = new Int32Array(bags + 1);
    for (let b = 0; b < bags; b++) offsets[b + 1] = offsets[b] + (b % 9 === 0 ? 0 : rng.int(50));
    const rows = 900;
    const slots = Int32Array.from({ length: offsets[bags] }, () => rng.int(rows));
    const gMean = Float32Array.from(
      { length: bags * dim },
      () => 10 ** (rng.int(7) - 5) * rng.normal(),
    );
    const a = js.spreadBagGradients(slots, offsets, gMean, rows);
    const b = wasm.spreadBagGradients(slots, offsets, gMean, rows);
    expect(a.length).toBe(rows * dim);
    expect(a.some((x) => x !== 0)).toBe(true);
    expect(bits(b)).toEqual(bits(a));
  });

  it('falls back to the same JavaScript for frozen rows and for widths not a multiple of 4', () => {
    const mask = new Uint8Array(100).map((_, i) => (i % 3 === 0 ? 1 : 0));
    const js = table(100, 8, false);
    const wasm = table(100, 8, true);
    js.freezeRows(mask);
    wasm.freezeRows(mask);
    const grads = Float32Array.from({ length: 10 * 8 }, (_, i) => Math.sin(i));
    const ids = Array.from({ length: 10 }, (_, i) => i * 7);
    js.applyGradients(ids, grads, defaultAdam);
    wasm.applyGradients(ids, grads, defaultAdam);
    expect(bits(wasm.weights)).toEqual(bits(js.weights));
    expect(wasm.weights[0]).toBe(0);
    const odd = table(50, 3, true);
    odd.applyGradients([1, 2], new Float32Array(6).fill(0.5), defaultAdam);
    expect(odd.weights.length).toBe(150);
  });
});
