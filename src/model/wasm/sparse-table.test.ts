import { afterEach, describe, expect, it } from 'vitest';
import { createRng } from '../../sim/rng';
import { defaultAdam, SparseEmbedding } from '../embedding';
import { SortedSlots } from '../sorted-slots';
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

  it('sorted slots: the WebAssembly sort numbers the distinct rows as SortedSlots.index does, and leaves rows outside the table to it', () => {
    const rng = createRng(13);
    for (const rows of [1, 7, 2048, 2049, 100_000, 5_000_000]) {
      const t = table(rows, 4, true);
      for (const n of [0, 1, 300, 9000]) {
        const ids = Int32Array.from({ length: n }, () => rng.int(rows));
        const a = new SortedSlots().index(ids);
        const b = t.sortRows(ids, new SortedSlots());
        expect(b.size).toBe(a.size);
        expect(Array.from(b.rows.subarray(0, b.size))).toEqual(
          Array.from(a.rows.subarray(0, a.size)),
        );
        expect(Array.from(b.slots.subarray(0, n))).toEqual(Array.from(a.slots.subarray(0, n)));
      }
    }
    // A row outside the table: the WebAssembly sort declines and the JavaScript one answers.
    const outside = table(10, 4, true).sortRows(Int32Array.of(3, 10, 3), new SortedSlots());
    expect(Array.from(outside.rows.subarray(0, outside.size))).toEqual([3, 10]);
    expect(Array.from(outside.slots.subarray(0, 3))).toEqual([0, 1, 0]);
  });

  it('spread and Adam in one call: the same weights, moments and step as spreadBagGradients then applyGradients', () => {
    const dim = 32;
    const rows = 6000;
    const js = table(rows, dim, false);
    const two = table(rows, dim, true);
    const fused = table(rows, dim, true);
    const rng = createRng(21);
    for (let step = 0; step < 12; step++) {
      const bags = 1 + rng.int(200);
      const offsets = new Int32Array(bags + 1);
      for (let b = 0; b < bags; b++) offsets[b + 1] = offsets[b] + (b % 5 === 0 ? 0 : rng.int(40));
      const ids = Int32Array.from({ length: offsets[bags] }, () => rng.int(rows));
      const sorted = fused.sortRows(ids, new SortedSlots());
      const distinct = sorted.rows.slice(0, sorted.size);
      const slots = sorted.slots.slice(0, ids.length);
      const gMean = Float32Array.from(
        { length: bags * dim },
        () => 10 ** (rng.int(7) - 5) * rng.normal(),
      );
      for (const t of [js, two])
        t.applyGradients(
          distinct,
          t.spreadBagGradients(slots, offsets, gMean, sorted.size),
          defaultAdam,
        );
      fused.applyBagGradients(distinct, slots, offsets, gMean, defaultAdam);
    }
    for (const t of [two, fused]) {
      expect(bits(t.weights)).toEqual(bits(js.weights));
      expect(bits(t.exportState().m)).toEqual(bits(js.exportState().m));
      expect(bits(t.exportState().v)).toEqual(bits(js.exportState().v));
      expect(t.step).toBe(12);
    }
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
