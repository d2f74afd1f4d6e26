/**
 * Exact top-N against a brute-force reference (score every item, sort them all): on
 * continuous random vectors, on small-integer vectors full of exact ties (ordered by id), with
 * a bias and with a mask, for single queries and batches.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import { createRng } from '../sim/rng';
import {
  BlockedItems,
  dotAt,
  exactTopN,
  exactTopNBatch,
  selectsFirst,
  type ItemVectors,
  type ScoreOptions,
} from './exact';
import { gaussianVectors } from './synthetic';
import { offerBest, selectNth, TopNHeap, type TopN } from './topn';

/** Every item's score by a left-to-right sum, all of them sorted (score desc, id asc), the first n kept. */
function bruteForce(
  items: ItemVectors,
  query: Float32Array,
  n: number,
  { bias, mask }: ScoreOptions = {},
): TopN {
  const { vectors, count, dim } = items;
  const all: { id: number; score: number }[] = [];
  for (let i = 0; i < count; i++) {
    if (mask && !mask[i]) continue;
    let s = 0;
    for (let k = 0; k < dim; k++) s += query[k] * vectors[i * dim + k];
    all.push({ id: i, score: s + (bias ? bias[i] : 0) });
  }
  all.sort((a, b) => b.score - a.score || a.id - b.id);
  const top = all.slice(0, n);
  return { ids: Int32Array.from(top, (t) => t.id), scores: Float64Array.from(top, (t) => t.score) };
}

/** n × d vectors with integer entries in [−2, 2]: many items share a score exactly. */
function integerVectors(n: number, d: number, seed: number): ItemVectors {
  const rng = createRng(seed, 0x1e);
  return { vectors: Float32Array.from({ length: n * d }, () => rng.int(5) - 2), count: n, dim: d };
}

function expectSameTop(got: TopN, want: TopN, exactScores: boolean): void {
  expect(Array.from(got.ids)).toEqual(Array.from(want.ids));
  if (exactScores) expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
  else got.scores.forEach((s, i) => expect(s).toBeCloseTo(want.scores[i], 9));
}

describe('exact top-N', () => {
  const items = gaussianVectors(3000, 32, 11);
  const queries = gaussianVectors(8, 32, 11, 1).vectors;
  const rng = createRng(11, 2);
  const bias = Float32Array.from({ length: 3000 }, () => rng.normal());
  const mask = Uint8Array.from({ length: 3000 }, () => (rng.uniform() < 0.3 ? 1 : 0));

  it('equals a full sort of every score (random vectors; with bias; with a mask; with both)', () => {
    for (const options of [{}, { bias }, { mask }, { bias, mask }] as ScoreOptions[]) {
      for (const n of [1, 10, 100, 500]) {
        for (let q = 0; q < 8; q++) {
          const query = queries.subarray(q * 32, q * 32 + 32);
          expectSameTop(
            exactTopN(items, query, n, options),
            bruteForce(items, query, n, options),
            false,
          );
        }
      }
    }
  });

  it('orders exact ties by ascending id (integer vectors and bias)', () => {
    const ints = integerVectors(4000, 8, 3);
    const intBias = Float32Array.from({ length: 4000 }, (_, i) => (i * 7) % 3);
    const intQueries = integerVectors(6, 8, 4).vectors;
    const intMask = Uint8Array.from({ length: 4000 }, (_, i) => (i % 5 === 3 ? 0 : 1));
    for (let q = 0; q < 6; q++) {
      const query = intQueries.subarray(q * 8, q * 8 + 8);
      const want = bruteForce(ints, query, 300, { bias: intBias, mask: intMask });
      // Ties really occur, and straddle the cut at N.
      const cut = want.scores[299];
      expect(new Set(want.scores).size).toBeLessThan(100);
      expect(
        bruteForce(ints, query, 4000, { bias: intBias, mask: intMask }).scores.filter(
          (s) => s === cut,
        ).length,
      ).toBeGreaterThan(want.scores.filter((s) => s === cut).length);
      expectSameTop(exactTopN(ints, query, 300, { bias: intBias, mask: intMask }), want, true);
    }
  });

  it('gives the same answer for a batch as query by query, in query order', () => {
    const batch = exactTopNBatch(items, queries, 50, { bias });
    expect(batch).toHaveLength(8);
    batch.forEach((r, q) =>
      expectSameTop(r, exactTopN(items, queries.subarray(q * 32, q * 32 + 32), 50, { bias }), true),
    );
  });

  it('returns only allowed items, fewer than N when fewer are allowed, and nothing for N = 0', () => {
    const few = new Uint8Array(3000);
    [5, 17, 2999].forEach((i) => (few[i] = 1));
    const r = exactTopN(items, queries.subarray(0, 32), 10, { mask: few });
    expect(Array.from(r.ids).sort((a, b) => a - b)).toEqual([5, 17, 2999]);
    expect(exactTopN(items, queries.subarray(0, 32), 0).ids).toHaveLength(0);
    expect(exactTopN(items, queries.subarray(0, 32), 5000).ids).toHaveLength(3000);
  });

  it('refuses mismatched shapes', () => {
    expect(() => exactTopN(items, new Float32Array(31), 10)).toThrow(RangeError);
    expect(() =>
      exactTopN(items, queries.subarray(0, 32), 10, { bias: new Float32Array(10) }),
    ).toThrow(RangeError);
    expect(() => exactTopNBatch(items, new Float32Array(33), 10)).toThrow(RangeError);
    expect(() => exactTopN(items, queries.subarray(0, 32), -1)).toThrow(RangeError);
  });
});

/** Every query's top N by the plain scan and by the matrix-product path, which must be equal. */
function bothWays(items: ItemVectors, queries: Float32Array, n: number, options: ScoreOptions) {
  return {
    scan: exactTopNBatch(items, queries, n, options, 'scan'),
    gemm: exactTopNBatch(items, queries, n, options, 'gemm'),
  };
}

describe('exact top-N by matrix products (WASM)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('gives the scan’s ids and scores bit for bit: random vectors, bias, one mask, a mask per query', () => {
    // 20 000 items: three blocks of the product, the last one partial and not a whole group.
    const items = gaussianVectors(20_003, 32, 11);
    const queries = gaussianVectors(40, 32, 12, 1).vectors;
    const rng = createRng(13, 0x2b);
    const bias = Float32Array.from({ length: items.count }, () => rng.normal() * 3);
    const mask = Uint8Array.from({ length: items.count }, () => (rng.uniform() < 0.7 ? 1 : 0));
    const masks = Array.from({ length: 40 }, (_, q) =>
      Uint8Array.from({ length: items.count }, (_, i) => (i % 40 <= q ? 1 : 0)),
    );
    for (const options of [{}, { bias }, { bias, mask }, { bias, masks }]) {
      const { scan, gemm } = bothWays(items, queries, 500, options);
      expect(gemm).toHaveLength(40);
      for (let q = 0; q < 40; q++) expectSameTop(gemm[q], scan[q], true);
    }
    // The per-query masks were obeyed: query 0 sees only ids ≡ 0 (mod 40).
    const { gemm } = bothWays(items, queries, 500, { bias, masks });
    expect(Array.from(gemm[0].ids).every((i) => i % 40 === 0)).toBe(true);
  });

  it('orders exact ties by id as the scan does (integer vectors, duplicated rows)', () => {
    const items = integerVectors(9000, 8, 5);
    const queries = integerVectors(16, 8, 6).vectors;
    const bias = Float32Array.from({ length: 9000 }, (_, i) => i % 3);
    for (const options of [{}, { bias }]) {
      const { scan, gemm } = bothWays(items, queries, 300, options);
      for (let q = 0; q < 16; q++) expectSameTop(gemm[q], scan[q], true);
    }
  });

  it('returns fewer than N when fewer are allowed, nothing for N = 0, and scans what is not finite', () => {
    const items = gaussianVectors(3000, 16, 21);
    const queries = gaussianVectors(9, 16, 22, 1).vectors;
    const mask = Uint8Array.from({ length: 3000 }, (_, i) => (i < 7 ? 1 : 0));
    const few = bothWays(items, queries, 50, { mask });
    for (let q = 0; q < 9; q++) {
      expect(few.gemm[q].ids).toHaveLength(7);
      expectSameTop(few.gemm[q], few.scan[q], true);
    }
    expect(exactTopNBatch(items, queries, 0, {}, 'gemm').every((t) => t.ids.length === 0)).toBe(
      true,
    );
    // A NaN or infinite item: no bound holds, so the vectors are scanned (the same answer).
    const broken = { ...items, vectors: items.vectors.slice() };
    broken.vectors[5 * 16] = NaN;
    broken.vectors[9 * 16] = Infinity;
    expect(BlockedItems.prepare(broken)).toBeNull();
    const b = bothWays(broken, queries, 20, {});
    for (let q = 0; q < 9; q++) expectSameTop(b.gemm[q], b.scan[q], true);
  });

  it('answers many batches from one preparation, as exactTopNBatch does', () => {
    const items = gaussianVectors(10_000, 32, 31);
    const bias = Float32Array.from({ length: 10_000 }, (_, i) => (i % 7) / 10);
    const blocked = BlockedItems.prepare(items, bias)!;
    try {
      for (const seed of [32, 33]) {
        const queries = gaussianVectors(12, 32, seed, 1).vectors;
        const want = exactTopNBatch(items, queries, 100, { bias }, 'scan');
        const got = blocked.topN(queries, 100);
        for (let q = 0; q < 12; q++) expectSameTop(got[q], want[q], true);
      }
    } finally {
      blocked.dispose();
    }
  });
});

describe('TopNHeap', () => {
  it('keeps the N best of a stream in any order, ties by id, NaN refused', () => {
    const rng = createRng(5);
    const pairs = Array.from({ length: 2000 }, (_, id) => ({ id, score: rng.int(50) }));
    pairs.push({ id: 2000, score: NaN });
    const want = [...pairs.filter((p) => p.score === p.score)]
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, 77);
    for (let shuffle = 0; shuffle < 3; shuffle++) {
      const order = [...pairs];
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const heap = new TopNHeap(77);
      heap.reset();
      for (const p of order) heap.offer(p.id, p.score);
      const r = heap.result();
      expect(Array.from(r.ids)).toEqual(want.map((p) => p.id));
      expect(heap.threshold).toBe(want[76].score);
    }
  });
});

/**
 * The scan as it was before the selection pass: every allowed item, in id order, offered to a
 * heap of N with its dotAt score plus bias.
 */
function offerEveryItem(
  items: ItemVectors,
  queries: Float32Array,
  n: number,
  { bias, mask, masks }: ScoreOptions,
): TopN[] {
  const { vectors, count, dim: d } = items;
  return Array.from({ length: queries.length / d }, (_, q) => {
    const heap = new TopNHeap(n);
    heap.reset();
    const m = masks ? masks[q] : mask;
    for (let i = 0; i < count; i++) {
      if (m && m[i] === 0) continue;
      heap.offer(i, dotAt(queries, q * d, vectors, i * d, d) + (bias ? bias[i] : 0));
    }
    return heap.result();
  });
}

describe('exact top-N with N a large share of the items (selection first)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('the scan and the products give what offering every item gives, bit for bit', () => {
    const items = gaussianVectors(20_003, 32, 41);
    const queries = gaussianVectors(40, 32, 42, 1).vectors;
    const rng = createRng(43, 0x2b);
    const bias = Float32Array.from({ length: items.count }, () => rng.normal() * 3);
    const mask = Uint8Array.from({ length: items.count }, () => (rng.uniform() < 0.7 ? 1 : 0));
    const masks = Array.from({ length: 40 }, (_, q) =>
      Uint8Array.from({ length: items.count }, (_, i) => (i % 40 <= q ? 1 : 0)),
    );
    expect(selectsFirst(2000, items.count)).toBe(true);
    for (const options of [{}, { bias }, { bias, mask }, { bias, masks }] as ScoreOptions[]) {
      const want = offerEveryItem(items, queries, 2000, options);
      const { scan, gemm } = bothWays(items, queries, 2000, options);
      for (let q = 0; q < 40; q++) {
        expectSameTop(scan[q], want[q], true);
        expectSameTop(gemm[q], want[q], true);
      }
    }
    // Query 0 of the per-query masks allows 501 items: fewer than N, all of them returned.
    expect(bothWays(items, queries, 2000, { bias, masks }).gemm[0].ids).toHaveLength(501);
  });

  it('keeps ties at the N-th score by id (integer vectors and bias, many equal scores)', () => {
    const items = integerVectors(9000, 8, 45);
    const queries = integerVectors(16, 8, 46).vectors;
    const bias = Float32Array.from({ length: 9000 }, (_, i) => i % 3);
    const mask = Uint8Array.from({ length: 9000 }, (_, i) => (i % 5 === 3 ? 0 : 1));
    for (const options of [{ bias }, { bias, mask }] as ScoreOptions[]) {
      const want = offerEveryItem(items, queries, 1000, options);
      const { scan, gemm } = bothWays(items, queries, 1000, options);
      // Ties straddle the cut: more items share the N-th score than the top N holds.
      const cut = want[0].scores[999];
      const everything = offerEveryItem(items, queries.subarray(0, 8), 9000, options)[0];
      expect(everything.scores.filter((x) => x === cut).length).toBeGreaterThan(
        want[0].scores.filter((x) => x === cut).length,
      );
      for (let q = 0; q < 16; q++) {
        expectSameTop(scan[q], want[q], true);
        expectSameTop(gemm[q], want[q], true);
      }
    }
  });
});

describe('selection helpers', () => {
  it('selectNth finds the m-th smallest, with runs of equal values', () => {
    const rng = createRng(47);
    for (const distinct of [3, 50, 100_000]) {
      const values = Float64Array.from({ length: 5000 }, () => rng.int(distinct) - distinct / 2);
      const sorted = Float64Array.from(values).sort();
      for (const m of [0, 1, 2500, 4998, 4999])
        expect(selectNth(Float64Array.from(values), 5000, m)).toBe(sorted[m]);
    }
    expect(() => selectNth(new Float64Array(3), 3, 3)).toThrow(RangeError);
  });

  it('offerBest leaves the heap as offering every pair does', () => {
    const rng = createRng(48);
    const ids = Int32Array.from({ length: 3000 }, (_, i) => i * 2);
    const scores = Float64Array.from({ length: 3000 }, () => rng.int(40));
    for (const n of [0, 1, 700, 2999, 3000, 4000]) {
      const all = new TopNHeap(n);
      all.reset();
      for (let i = 0; i < 3000; i++) all.offer(ids[i], scores[i]);
      const best = new TopNHeap(n);
      best.reset();
      offerBest(best, ids, scores, 3000, new Float64Array(3000));
      expectSameTop(best.result(), all.result(), true);
    }
  });

  it('a heap’s result is sorted by score, then id, and leaves the heap unchanged', () => {
    const rng = createRng(49);
    const heap = new TopNHeap(300);
    heap.reset();
    for (let i = 0; i < 5000; i++) heap.offer(i, rng.int(30) + (i % 2 ? 0.5 : 0));
    const before = [Array.from(heap.ids), Array.from(heap.scores)];
    const r = heap.result();
    const pairs = Array.from(heap.ids, (id, i) => ({ id, score: heap.scores[i] })).sort(
      (a, b) => b.score - a.score || a.id - b.id,
    );
    expect(Array.from(r.ids)).toEqual(pairs.map((p) => p.id));
    expect(Array.from(r.scores)).toEqual(pairs.map((p) => p.score));
    expect([Array.from(heap.ids), Array.from(heap.scores)]).toEqual(before);
  });
});
