/**
 * How much of the exact top N an approximate index finds: recall@k = |approx top k ∩ exact
 * top k| / |exact top k|, averaged over queries (the index's own recall, as distinct from the
 * model's recall of held-out watches in src/model/candidate/evaluate.ts).
 */
import { exactTopNBatch } from './exact';
import type { IvfIndex } from './ivf';
import type { ItemVectors } from './exact';
import type { TopN } from './topn';

/**
 * Mean over queries of the share of the exact top k (the first k of `exact[q]`) found among
 * the first k of `approx[q]`. A query whose exact list is empty counts as 1. Both arrays
 * are in query order and of equal length.
 */
export function recallAtK(approx: readonly TopN[], exact: readonly TopN[], k: number): number {
  if (approx.length !== exact.length)
    throw new RangeError(`${approx.length} approximate results for ${exact.length} exact ones`);
  if (exact.length === 0) return 1;
  let total = 0;
  for (let q = 0; q < exact.length; q++) {
    const truth = exact[q].ids.subarray(0, k);
    if (truth.length === 0) {
      total += 1;
      continue;
    }
    const found = new Set(approx[q].ids.subarray(0, k));
    let hit = 0;
    for (const id of truth) if (found.has(id)) hit++;
    total += hit / truth.length;
  }
  return total / exact.length;
}

/** Figures of {@link measureRecall}. */
export interface RecallFigures {
  /** recall@k of the index against the exact scan. */
  recall: number;
  /** Mean wall-clock ms per query of the exact scan and of the index (both top N, batched). */
  exactMsPerQuery: number;
  approxMsPerQuery: number;
  /** Mean items scored per query by the index. */
  scannedPerQuery: number;
}

/**
 * Runs the exact scan and the index on the same queries [m × d] (top `n` each, the index
 * with `nprobe` lists, both with the index's bias and the optional `mask`) and reports the
 * index's recall@k (k ≤ n) and both latencies.
 */
export function measureRecall(
  index: IvfIndex,
  items: ItemVectors,
  queries: Float32Array,
  n: number,
  k: number,
  nprobe: number,
  mask?: Uint8Array,
): RecallFigures {
  const m = queries.length / items.dim;
  const t0 = performance.now();
  const exact = exactTopNBatch(items, queries, n, { bias: index.bias, mask });
  const t1 = performance.now();
  const approx = index.searchBatch(queries, n, nprobe, mask);
  const t2 = performance.now();
  return {
    recall: recallAtK(approx, exact, k),
    exactMsPerQuery: (t1 - t0) / m,
    approxMsPerQuery: (t2 - t1) / m,
    scannedPerQuery: approx.reduce((a, r) => a + r.scanned, 0) / m,
  };
}
