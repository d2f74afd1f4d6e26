/**
 * RankingBatch against the per-field path it replaced in the training step: its rows equal the
 * concatenation of rankingInputs's fields and its table gradients equal sharedTableGradients of
 * the fields' column slices of the same input gradient — to the bit, with the tables in
 * WebAssembly and in JavaScript, across reused buffers of different batch sizes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../sim/rng';
import { buildRankingExamples } from '../../sim/ranking-examples';
import { generateWorld } from '../../sim/world';
import { SparseEmbedding } from '../embedding';
import { setWasmTables } from '../wasm/sparse-table';
import { RankingBatch } from './batch';
import { fitFeatureQuantiles, rankingInputs, sharedTableGradients } from './features';
import { RowSlots } from './row-slots';

const world = generateWorld({ seed: 7, videos: 400, users: 150 });
const train = buildRankingExamples(world, { split: 'train' });
const quantiles = fitFeatureQuantiles(train);

afterAll(() => setWasmTables(true));

/** The bit patterns of a float32 array (so +0 and −0, or two NaNs, are told apart). */
const bits = (a: Float32Array): number[] =>
  Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** Columns [from, from + n) of rows [B × W], as a [B × n] array. */
function columns(x: Float32Array, B: number, W: number, from: number, n: number): Float32Array {
  const out = new Float32Array(B * n);
  for (let b = 0; b < B; b++) out.set(x.subarray(b * W + from, b * W + from + n), b * n);
  return out;
}

describe('RowSlots', () => {
  it('numbers distinct rows in first-seen order and forgets them on reset', () => {
    const s = new RowSlots(5000);
    expect([7, 3, 7, 4999, 3].map((r) => s.add(r))).toEqual([0, 1, 0, 2, 1]);
    expect(Array.from(s.rowsCopy())).toEqual([7, 3, 4999]);
    s.reset();
    expect(s.add(3)).toBe(0);
    expect(Array.from(s.rowsCopy())).toEqual([3]);
    for (let r = 0; r < 3000; r++) s.add(r); // grows its list
    expect(s.size).toBe(3000);
    expect(() => s.add(5000)).toThrow(RangeError);
    expect(() => s.add(-1)).toThrow(RangeError);
  });
});

describe('RankingBatch', () => {
  for (const wasm of [true, false]) {
    it(`equals rankingInputs + sharedTableGradients to the bit (wasm tables: ${wasm})`, () => {
      setWasmTables(wasm);
      const rng = createRng(11).uniform;
      const video = new SparseEmbedding(world.videos.count, 8, rng);
      const language = new SparseEmbedding(12, 4, rng);
      const batch = new RankingBatch(world, video, language);
      for (const [B, powers, lang] of [
        [300, true, true],
        [40, false, false],
        [513, true, false],
      ] as const) {
        const features = { language: lang, sources: false };
        // Random rows, then a run of one page's neighbours (shared watch bags).
        const rows = Int32Array.from({ length: B }, (_, i) =>
          i < B / 2 ? Math.floor(rng() * train.count) : 1000 + (i % 37),
        );
        const x = batch.write(train, rows, quantiles, powers, features);
        const f = rankingInputs(world, train, rows, video, quantiles, powers, features, language);
        const parts = [f.impression, f.watchBag];
        if (f.languages) parts.push(f.languages.user, f.languages.video);
        const W = batch.width;
        let at = 0;
        for (const p of parts) {
          expect(bits(columns(x, B, W, at, p.table.dim))).toEqual(bits(p.mean));
          at += p.table.dim;
        }
        expect(bits(columns(x, B, W, at, W - at))).toEqual(bits(f.dense));

        const dx = Float32Array.from({ length: B * W }, () => rng() - 0.5);
        const g = batch.tableGradients(dx);
        const slices = [columns(dx, B, W, 0, 8), columns(dx, B, W, 8, 8)];
        const wantVideo = sharedTableGradients(parts.slice(0, 2), slices);
        expect(Array.from(g.video.ids)).toEqual(wantVideo.ids);
        expect(bits(g.video.grads)).toEqual(bits(wantVideo.grads));
        if (lang) {
          const ls = [columns(dx, B, W, 16, 4), columns(dx, B, W, 20, 4)];
          const wantLang = sharedTableGradients(parts.slice(2), ls);
          expect(Array.from(g.language!.ids)).toEqual(wantLang.ids);
          expect(bits(g.language!.grads)).toEqual(bits(wantLang.grads));
        } else expect(g.language).toBeUndefined();
      }
    });
  }
});
