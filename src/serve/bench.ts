/**
 * The retrieval benchmark's core (issue 5, "Must show"): on seeded clustered Gaussian
 * vectors, the ms per query of exact and approximate (IVF) top-N, the index's build time and
 * memory, and its recall@k against the exact top k over a sweep of nprobe. Plain TypeScript
 * with no Node API, so the same function runs in Node (scripts/bench-serve.ts) and in a
 * browser worker. Figures are measured, never asserted.
 */
import { BlockedItems, exactTopN, exactTopNBatch } from './exact';
import { IvfIndex } from './ivf';
import { recallAtK } from './recall';
import { clusteredVectors, defaultClusters } from './synthetic';
import type { IvfStats } from './ivf';
import type { TopN } from './topn';

/** Optional settings of {@link benchServe}. */
export interface ServeBenchOptions {
  /** Queries run through the exact scan (and so the recall sample): fewer at large n. Default: min(queries, max(20, 5·10⁶ / n)). */
  exactQueries: number;
  /** N of top-N retrieval. Default 500. */
  topN: number;
  /** k of the index's recall@k against the exact top k (k ≤ N). Default 100. */
  recallK: number;
  /** Cluster centres of the synthetic vectors. Default 200. */
  clusters: number;
  /** Lists of the index. Default: {@link IvfIndex.build}'s rule of thumb. */
  lists: number;
  /** The nprobe values swept. Default 1, 2, 4, …, 64 (those ≤ lists). */
  nprobes: number[];
  /** The recall@k the headline nprobe must reach (the smallest swept nprobe that does). Default 0.95. */
  targetRecall: number;
  /** Called as each stage starts. */
  onProgress: (stage: 'generate' | 'exact' | 'build' | 'probe', n: number) => void;
}

/** The approximate index at one nprobe. */
export interface ProbeFigures {
  nprobe: number;
  /** Mean ms per query (top N, one query at a time). */
  msPerQuery: number;
  /** recall@k against the exact top k, over the exact queries. */
  recall: number;
  /** Mean items scored per query. */
  scannedPerQuery: number;
}

/** What {@link benchServe} measured. Times are wall-clock ms. */
export interface ServeBenchFigures {
  n: number;
  d: number;
  /** Queries timed on the index, and the first `exactQueries` of them also exactly. */
  queries: number;
  exactQueries: number;
  topN: number;
  recallK: number;
  clusters: number;
  seed: number;
  /** Time to generate items and queries. */
  generateMs: number;
  /**
   * Exact top N, one query at a time, and as one batch of `exactQueries` (ms per query in both
   * cases). The batch takes blocked matrix products on WASM, its items' preparation included.
   */
  exactMsPerQuery: number;
  exactBatchMsPerQuery: number;
  /**
   * The blocked path's one-off preparation of the items (transposed blocks in WASM memory) in
   * ms, and its ms per query once prepared, over batches of {@link PREPARED_BATCH} queries; null
   * where the WASM backend is not in use (e.g. in the browser benchmark, which loads no tfjs
   * backend).
   */
  exactPrepareMs: number | null;
  exactPreparedMsPerQuery: number | null;
  /** The index's build figures (lists, buildMs, bytes, …). */
  build: IvfStats;
  /** One row per nprobe swept. */
  sweep: ProbeFigures[];
  /** The headline row: the smallest nprobe with recall ≥ targetRecall (else the largest swept). */
  approx: ProbeFigures;
  /** exactMsPerQuery / approx.msPerQuery. */
  speedup: number;
}

/**
 * Benchmarks exact and IVF top-N over n × d clustered Gaussian items (seeded by `seed`;
 * queries drawn around the same centres) with `queries` queries. Takes seconds at 10⁵ items
 * and about a minute at 10⁶ on a slow machine, mostly the index build.
 */
export function benchServe(
  n: number,
  d: number,
  queries: number,
  seed: number,
  options: Partial<ServeBenchOptions> = {},
): ServeBenchFigures {
  const exactQueries = Math.max(
    1,
    Math.min(queries, options.exactQueries ?? Math.max(20, Math.round(5e6 / n))),
  );
  const topN = options.topN ?? 500;
  const recallK = Math.min(topN, options.recallK ?? 100);
  const clusters = options.clusters ?? defaultClusters.clusters;
  const targetRecall = options.targetRecall ?? 0.95;
  const progress = options.onProgress ?? (() => {});

  progress('generate', n);
  let t = performance.now();
  const items = clusteredVectors(n, d, seed, 0, { clusters });
  const q = clusteredVectors(queries, d, seed, 1, { clusters }).vectors;
  const generateMs = performance.now() - t;
  const query = (i: number): Float32Array => q.subarray(i * d, i * d + d);

  progress('exact', n);
  exactTopN(items, query(0), topN); // warm-up (JIT)
  t = performance.now();
  const exact: TopN[] = [];
  for (let i = 0; i < exactQueries; i++) exact.push(exactTopN(items, query(i), topN));
  const exactMsPerQuery = (performance.now() - t) / exactQueries;
  exactTopNBatch(items, q.subarray(0, Math.min(exactQueries, 8) * d), topN); // warm-up (JIT)
  t = performance.now();
  exactTopNBatch(items, q.subarray(0, exactQueries * d), topN);
  const exactBatchMsPerQuery = (performance.now() - t) / exactQueries;
  t = performance.now();
  const blocked = BlockedItems.prepare(items);
  const exactPrepareMs = blocked ? performance.now() - t : null;
  let exactPreparedMsPerQuery: number | null = null;
  if (blocked) {
    exactPreparedMsPerQuery = preparedMsPerQuery(blocked, q, queries, topN);
    blocked.dispose();
  }

  progress('build', n);
  const index = IvfIndex.build(
    items,
    undefined,
    options.lists ? { lists: options.lists, seed } : { seed },
  );

  progress('probe', n);
  const nprobes = (options.nprobes ?? [1, 2, 4, 8, 16, 32, 64]).filter((p) => p <= index.lists);
  if (nprobes.length === 0) nprobes.push(index.lists);
  const sweep: ProbeFigures[] = nprobes.map((nprobe) => {
    for (let i = 0; i < Math.min(queries, 5); i++) index.search(query(i), topN, nprobe); // warm-up (JIT)
    t = performance.now();
    const approx = [];
    let scanned = 0;
    for (let i = 0; i < queries; i++) {
      const r = index.search(query(i), topN, nprobe);
      scanned += r.scanned;
      if (i < exactQueries) approx.push(r);
    }
    const msPerQuery = (performance.now() - t) / queries;
    return {
      nprobe,
      msPerQuery,
      recall: recallAtK(approx, exact, recallK),
      scannedPerQuery: scanned / queries,
    };
  });
  const approx = sweep.find((r) => r.recall >= targetRecall) ?? sweep[sweep.length - 1];
  return {
    n,
    d,
    queries,
    exactQueries,
    topN,
    recallK,
    clusters,
    seed,
    generateMs,
    exactMsPerQuery,
    exactBatchMsPerQuery,
    exactPrepareMs,
    exactPreparedMsPerQuery,
    build: index.stats,
    sweep,
    approx,
    speedup: exactMsPerQuery / approx.msPerQuery,
  };
}

/** Queries per batch of the prepared exact top-N (and of the PyTorch reference). */
export const PREPARED_BATCH = 64;

/**
 * Ms per query of `blocked.topN` over `count` queries of `queries` [≥ count × d] in batches of
 * {@link PREPARED_BATCH}, after one batch of warm-up.
 */
export function preparedMsPerQuery(
  blocked: BlockedItems,
  queries: Float32Array,
  count: number,
  topN: number,
): number {
  const d = blocked.items.dim;
  blocked.topN(queries.subarray(0, Math.min(count, PREPARED_BATCH) * d), topN); // warm-up
  const t = performance.now();
  for (let s = 0; s < count; s += PREPARED_BATCH)
    blocked.topN(queries.subarray(s * d, Math.min(count, s + PREPARED_BATCH) * d), topN);
  return (performance.now() - t) / count;
}
