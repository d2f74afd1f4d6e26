import { randomLcg } from 'd3-random';
import { describe, expect, it } from 'vitest';
import { UMAP } from 'umap-js';
import { clusteredVectors } from '../serve/synthetic';
import { symmetricGraph, useTypedGraph } from './umap-graph';
import { exactCosineKnn, unitRows } from './umap-knn';

/** A umap-js layout of `unit` [m × d] from its exact neighbours, typed graph or umap-js's own. */
async function layout(unit: Float64Array, m: number, d: number, k: number, typed: boolean) {
  const knn = await exactCosineKnn(unit, m, d, k, async () => {});
  const umap = new UMAP({ nComponents: 2, nNeighbors: k, nEpochs: 30, random: randomLcg(0.25) });
  umap.setPrecomputedKNN(knn.indices, knn.distances);
  if (typed) useTypedGraph(umap);
  const data: number[][] = [];
  for (let t = 0; t < m; t++) data.push(Array.from(unit.subarray(t * d, (t + 1) * d)));
  const epochs = umap.initializeFit(data);
  // What the epochs read of the graph: the edges in order, their weights' schedule.
  const state = (umap as unknown as { optimizationState: Record<string, number[]> })
    .optimizationState;
  const edges = { head: [...state.head], tail: [...state.tail], eps: [...state.epochsPerSample] };
  for (let e = 0; e < epochs; e++) umap.step();
  return { edges, embedding: umap.getEmbedding() };
}

describe('useTypedGraph', () => {
  it("gives umap-js's own edges and layout bit for bit (clustered rows, duplicates included)", async () => {
    const m = 600;
    const d = 8;
    const { vectors } = clusteredVectors(m, d, 3, 0, { clusters: 12 });
    // Exact duplicates: distance 0 between different rows, as identical embeddings give.
    for (let i = 0; i < 20; i++) vectors.copyWithin((100 + i) * d, i * d, (i + 1) * d);
    const all = Int32Array.from({ length: m }, (_, i) => i);
    const unit = unitRows(vectors, d, all);
    for (const k of [5, 15]) {
      const stock = await layout(unit, m, d, k, false);
      const typed = await layout(unit, m, d, k, true);
      expect(typed.edges.head.length).toBeGreaterThan(m * k * 0.5);
      expect(typed.edges).toEqual(stock.edges);
      expect(typed.embedding).toEqual(stock.embedding);
    }
  });

  it('builds S + Sᵀ − S∘Sᵀ with the last of a duplicate triplet and the zero diagonal kept', () => {
    // S: (0,1)=0.5, (1,0)=0.25, (1,2)=0.1 then again (1,2)=0.75, (2,2)=0.
    const g = symmetricGraph(3, [0, 1, 1, 1, 2], [1, 0, 2, 2, 2], [0.5, 0.25, 0.1, 0.75, 0]);
    expect(g.getAll()).toEqual([
      { row: 0, col: 1, value: 0.5 + 0.25 - 0.5 * 0.25 },
      { row: 1, col: 0, value: 0.25 + 0.5 - 0.25 * 0.5 },
      { row: 1, col: 2, value: 0.75 },
      { row: 2, col: 1, value: 0.75 },
      { row: 2, col: 2, value: 0 },
    ]);
    expect(g.map((v, r, c) => v + 10 * r + c).getValues()).toEqual([
      0.625 + 1,
      0.625 + 10,
      0.75 + 12,
      0.75 + 21,
      22,
    ]);
  });
});
