/**
 * Label ranks through float32 products (WASM) against scoring every item with `userScores`,
 * the recall curve's own scores: equal counts on random vectors with a bias and a mask per
 * query, on small-integer vectors full of exact ties, and for a label that is not allowed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import { userScores } from '../model/softmax-bias';
import { createRng } from '../sim/rng';
import { BlockedItems, type ItemVectors } from './exact';
import { labelRanks } from './label-rank';
import { gaussianVectors } from './synthetic';

beforeAll(async () => {
  await useBackend('wasm');
});

/** Ranks as the Funnel view computed them: every item scored, those above the label counted. */
function reference(
  items: ItemVectors,
  bias: Float32Array,
  queries: Float32Array,
  labels: number[],
  masks: Uint8Array[],
): number[] {
  const d = items.dim;
  return labels.map((label, q) => {
    const s = userScores(
      queries.subarray(q * d, q * d + d),
      items.vectors,
      items.count,
      bias,
      masks[q],
    );
    let rank = 0;
    for (let i = 0; i < s.length; i++) if (s[i] > s[label]) rank++;
    return rank;
  });
}

function check(
  items: ItemVectors,
  bias: Float32Array,
  queries: Float32Array,
  labels: number[],
  masks: Uint8Array[],
) {
  const want = reference(items, bias, queries, labels, masks);
  const blocked = BlockedItems.prepare(items, bias);
  expect(blocked).not.toBeNull();
  try {
    expect(labelRanks(items, bias, queries, labels, masks, blocked)).toEqual(want);
  } finally {
    blocked?.dispose();
  }
  expect(labelRanks(items, bias, queries, labels, masks)).toEqual(want);
  return want;
}

describe('labelRanks', () => {
  it('equals scoring every item: random vectors, bias, a mask per query, a label not allowed', () => {
    const items = gaussianVectors(20_003, 32, 61);
    const queries = gaussianVectors(40, 32, 62, 1).vectors;
    const rng = createRng(63);
    const bias = Float32Array.from({ length: items.count }, () => rng.normal());
    const masks = Array.from({ length: 40 }, (_, q) =>
      Uint8Array.from({ length: items.count }, (_, i) => (i % 40 <= q + 5 ? 1 : 0)),
    );
    const labels = Array.from({ length: 40 }, (_, q) => (q * 997) % items.count);
    labels[3] = 39; // not allowed for query 3: every allowed item is above it
    const ranks = check(items, bias, queries, labels, masks);
    expect(ranks[3]).toBe(masks[3].reduce((s, x) => s + x, 0));
    expect(new Set(ranks).size).toBeGreaterThan(20);
  });

  it('equals scoring every item where scores tie (integer vectors and bias)', () => {
    const rng = createRng(64, 0x1e);
    const items: ItemVectors = {
      vectors: Float32Array.from({ length: 9000 * 8 }, () => rng.int(5) - 2),
      count: 9000,
      dim: 8,
    };
    const queries = Float32Array.from({ length: 16 * 8 }, () => rng.int(5) - 2);
    const bias = Float32Array.from({ length: 9000 }, (_, i) => i % 3);
    const masks = Array.from({ length: 16 }, () => new Uint8Array(9000).fill(1));
    const labels = Array.from({ length: 16 }, (_, q) => q * 31);
    check(items, bias, queries, labels, masks);
  });
});
