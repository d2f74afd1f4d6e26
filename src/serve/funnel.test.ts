/**
 * The funnel on a small world (3 000 videos, 800 users) with a candidate model and a ranker
 * each trained 150 steps, served at the session starts of held-out next watches.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import { defaultCandidateConfig } from '../model/candidate/config';
import { modelRanks } from '../model/candidate/evaluate';
import { CandidateModel, labelCounts } from '../model/candidate/model';
import { recallFromRanks } from '../model/metrics';
import { defaultRankingConfig } from '../model/ranking/config';
import { RankingModel } from '../model/ranking/model';
import {
  candidateRankingExamples,
  oracleWatchOf,
  sessionStartRows,
  userHistory,
} from '../sim/candidate-features';
import { buildCandidateExamples, type CandidateExamples } from '../sim/examples';
import { buildRankingExamples } from '../sim/ranking-examples';
import { generateWorld } from '../sim/world';
import { BlockedItems, exactTopN } from './exact';
import {
  funnelAtEachN,
  funnelQueries,
  funnelSweep,
  liveMask,
  runFunnel,
  type FunnelModels,
  type FunnelSweep,
} from './funnel';
import { IvfIndex } from './ivf';

const K = 5;
const NPROBE = 4;
let models: FunnelModels;
let test: CandidateExamples;
let rows: Int32Array;
let index: IvfIndex;
let sweep: FunnelSweep;

beforeAll(async () => {
  await useBackend('wasm');
  const world = generateWorld({ seed: 7, videos: 3000, users: 800 });
  const candTrain = buildCandidateExamples(world, { split: 'train' });
  test = buildCandidateExamples(world, { split: 'test', perUserCap: 5 });
  const candidate = new CandidateModel(
    world,
    defaultCandidateConfig,
    labelCounts(world, candTrain),
  );
  for (let s = 0; s < 150; s++) await candidate.trainStep(candTrain);
  const rankTrain = buildRankingExamples(world, { split: 'train' });
  const ranker = new RankingModel(world, { ...defaultRankingConfig, hidden: [32] }, rankTrain);
  for (let s = 0; s < 150; s++) await ranker.trainStep(rankTrain);
  models = { world, candidate, ranker };
  const starts = sessionStartRows(world, test);
  rows = Int32Array.from({ length: 60 }, (_, i) => starts[Math.floor((i * starts.length) / 60)]);
  index = IvfIndex.build(
    { vectors: candidate.videoOut.weights, count: world.videos.count, dim: candidate.d },
    candidate.videoBias.weights,
  );
  let progress = 0;
  sweep = await funnelSweep(models, test, rows, {
    k: K,
    index,
    nprobe: NPROBE,
    onProgress: (done, total) => {
      expect(total).toBe(60);
      progress = done;
    },
  });
  expect(progress).toBe(60);
  if (process.env.FUNNEL_FIGURES) console.log(JSON.stringify(sweep, null, 1));
}, 120_000);

describe('funnelSweep', () => {
  it('recall@N does not fall as N grows, exact and approximate', () => {
    expect(sweep.queries).toBe(60);
    expect(sweep.exact.map((p) => p.n)).toEqual([10, 20, 50, 100, 200, 500, 1000]);
    for (const points of [sweep.exact, sweep.approx!]) {
      for (let i = 1; i < points.length; i++) {
        expect(points[i].recall).toBeGreaterThanOrEqual(points[i - 1].recall);
        expect(points[i].retrieved).toBeGreaterThanOrEqual(points[i - 1].retrieved);
      }
    }
    expect(sweep.exact.at(-1)!.recall).toBeGreaterThan(sweep.exact[0].recall);
    expect(sweep.exact[0].retrieved).toBe(10);
  });

  it('exact retrieval recalls at least as much as the index, summed over N', () => {
    expect(sweep.nprobe).toBe(NPROBE);
    // Not a theorem at each N: the index ranks the label among fewer videos, so at a small N it
    // can keep a label that exact top-N pushes out; over all N, exact must win.
    const sum = (ps: { recall: number }[]) => ps.reduce((a, p) => a + p.recall, 0);
    expect(sum(sweep.exact)).toBeGreaterThanOrEqual(sum(sweep.approx!));
    expect(sweep.exact.at(-1)!.recall).toBeGreaterThanOrEqual(sweep.approx!.at(-1)!.recall);
    expect(sweep.approx!.some((p, i) => p.recall < sweep.exact[i].recall)).toBe(true);
  });

  it('end to end the top k never beats the oracle’s own top k', () => {
    expect(sweep.oracleWatchPerImpression).toBeGreaterThan(0);
    for (const p of [...sweep.exact, ...sweep.approx!]) {
      expect(p.watchPerImpression).toBeGreaterThan(0);
      expect(p.watchPerImpression).toBeLessThanOrEqual(sweep.oracleWatchPerImpression);
      expect(p.regret).toBeCloseTo(sweep.oracleWatchPerImpression - p.watchPerImpression, 9);
      expect(p.labelInTopK).toBeLessThanOrEqual(p.recall);
      // The ranker picks better than a random k of the same N.
      expect(p.watchPerImpression).toBeGreaterThan(p.unrankedWatchPerImpression);
      expect(p.retrievalMs).toBeGreaterThanOrEqual(0);
      expect(p.rankingMs).toBeGreaterThan(0);
    }
  });

  it('exact recall@N agrees with the model’s label ranks (evaluate.ts)', async () => {
    const ranks = await modelRanks(models.candidate, test, rows);
    for (const p of sweep.exact) {
      expect(Math.abs(p.recall - recallFromRanks(ranks, p.n))).toBeLessThanOrEqual(1 / 60 + 1e-9);
    }
  });
});

describe('funnelSweep against requests served in full', () => {
  it('gives every N the figures of a request of that N (exact and index)', async () => {
    const few = rows.subarray(0, 6);
    const small = await funnelSweep(models, test, few, { k: K, index, nprobe: NPROBE });
    expect(small.latencyQueries).toBe(4);
    const { queries } = await funnelQueries(models.candidate, test, few);
    for (const [mode, points] of [
      [{}, small.exact],
      [{ index, nprobe: NPROBE }, small.approx!],
    ] as const) {
      for (const p of points) {
        let recall = 0;
        let inTopK = 0;
        let watch = 0;
        let unranked = 0;
        let retrieved = 0;
        for (const q of queries) {
          const r = await runFunnel(models, q, { n: p.n, k: K, ...mode });
          recall += r.labelRetrievalRank >= 0 ? 1 : 0;
          inTopK += r.topK.includes(q.label) ? 1 : 0;
          watch += r.watchPerImpression;
          unranked += r.unrankedWatchPerImpression;
          retrieved += r.retrieved.length;
        }
        const n = queries.length;
        expect(p.recall).toBeCloseTo(recall / n, 12);
        expect(p.labelInTopK).toBeCloseTo(inTopK / n, 12);
        expect(p.watchPerImpression).toBeCloseTo(watch / n, 9);
        expect(p.unrankedWatchPerImpression).toBeCloseTo(unranked / n, 9);
        expect(p.retrieved).toBe(retrieved / n);
        expect(p.rankingMs).toBeGreaterThan(0);
      }
    }
  });
});

describe('what a sweep served, and one query at every N', () => {
  it('keeps each query’s top N_max: its first 100 are the top 100 of a request of 100', async () => {
    const { queries, exact, approx } = sweep.served;
    expect(queries).toHaveLength(60);
    expect(exact).toHaveLength(60);
    expect(approx).toHaveLength(60);
    const { world, candidate } = models;
    const items = {
      vectors: candidate.videoOut.weights,
      count: world.videos.count,
      dim: candidate.d,
    };
    for (const [i, q] of queries.entries()) {
      expect(exact[i].ids).toHaveLength(1000);
      const mask = liveMask(world, q.time);
      const e = exactTopN(items, q.u, 100, { bias: candidate.videoBias.weights, mask });
      expect(Array.from(exact[i].ids.subarray(0, 100))).toEqual(Array.from(e.ids));
      expect(Array.from(exact[i].scores.subarray(0, 100))).toEqual(Array.from(e.scores));
      const a = index.search(q.u, 100, NPROBE, mask);
      expect(Array.from(approx![i].ids.subarray(0, 100))).toEqual(Array.from(a.ids));
    }
  });

  it('funnelAtEachN equals runFunnel at each N, field for field', async () => {
    const { queries } = await funnelQueries(models.candidate, test, rows.subarray(0, 3));
    const ns = [10, 50, 200, 1000];
    for (const q of queries) {
      const each = await funnelAtEachN(models, q, ns, K);
      expect(each.map((e) => e.n)).toEqual(ns);
      for (const e of each) {
        const r = await runFunnel(models, q, { n: e.n, k: K });
        expect(e.labelRetrievalRank).toBe(r.labelRetrievalRank);
        expect(Array.from(e.topK)).toEqual(Array.from(r.topK));
        expect(Array.from(e.topKLogits)).toEqual(Array.from(r.topKLogits));
        expect(Array.from(e.topKOracleWatch)).toEqual(Array.from(r.topKOracleWatch));
      }
    }
    await expect(funnelAtEachN(models, queries[0], [0], K)).rejects.toThrow(RangeError);
  });

  it('funnelAtEachN from a sweep’s retrieval and scores of the same query: the same answer', async () => {
    const { queries, exact, exactScores } = sweep.served;
    const ns = [10, 100, 1000];
    for (const i of [0, 7]) {
      const known = { ids: exact[i].ids, scored: exactScores[i] };
      const fresh = await funnelAtEachN(models, queries[i], ns, K);
      expect(await funnelAtEachN(models, queries[i], ns, K, undefined, null, known)).toEqual(fresh);
    }
  });
});

describe('runFunnel', () => {
  it('serves one query: N retrieved, k shown, regret ≥ 0', async () => {
    const { queries } = await funnelQueries(models.candidate, test, rows.subarray(0, 1));
    const r = await runFunnel(models, queries[0], { n: 100, k: K });
    expect(r.retrieved).toHaveLength(100);
    expect(r.topK).toHaveLength(K);
    for (const v of r.topK) expect(r.retrieved).toContain(v);
    for (let i = 1; i < K; i++) expect(r.topKLogits[i]).toBeLessThanOrEqual(r.topKLogits[i - 1]);
    expect(r.labelRetrievalRank).toBe(r.retrieved.indexOf(r.label));
    expect(r.regret).toBeGreaterThanOrEqual(0);
    expect(r.oracleTopK).toHaveLength(K);
    const approx = await runFunnel(models, queries[0], { n: 100, k: K, index, nprobe: NPROBE });
    expect(approx.retrieved.length).toBeLessThanOrEqual(100);
    await expect(runFunnel(models, queries[0], { n: 0, k: K })).rejects.toThrow(RangeError);
  });

  it('with N = all the ranker sees every live video and recall is 1', async () => {
    const { world, ranker } = models;
    const { queries } = await funnelQueries(models.candidate, test, rows.subarray(0, 5));
    for (const q of queries) {
      const r = await runFunnel(models, q, { n: world.videos.count, k: K });
      const live = Int32Array.from({ length: world.videos.count }, (_, v) => v).filter(
        (v) => world.videos.uploadTime[v] <= q.time,
      );
      expect(r.retrieved).toHaveLength(live.length);
      expect(r.labelRetrievalRank).toBeGreaterThanOrEqual(0);
      // The ranker's own top k over all live videos.
      const z = await ranker.predictLogits(candidateRankingExamples(world, q.user, q.time, live));
      const best = Array.from(live.keys())
        .sort((a, b) => z[b] - z[a] || live[a] - live[b])
        .slice(0, K)
        .map((i) => live[i]);
      expect(Array.from(r.topK)).toEqual(best);
    }
  });

  it('the oracle’s top k is the sort of every live video, whatever k came before (memo)', async () => {
    const { world } = models;
    const { queries } = await funnelQueries(models.candidate, test, rows.subarray(10, 13));
    for (const q of queries) {
      const live = Int32Array.from({ length: world.videos.count }, (_, v) => v).filter(
        (v) => world.videos.uploadTime[v] <= q.time,
      );
      const watch = oracleWatchOf(world, userHistory(world, q.user, q.time), live);
      const order = Array.from(live.keys()).sort((a, b) => watch[b] - watch[a] || a - b);
      for (const k of [3, 60, 7, 50, 51]) {
        const r = await runFunnel(models, q, { n: 10, k });
        const want = order.slice(0, k);
        expect(Array.from(r.oracleTopK)).toEqual(want.map((i) => live[i]));
        const mean = want.reduce((s, i) => s + watch[i], 0) / k;
        expect(r.oracleWatchPerImpression).toBe(mean);
      }
    }
  });

  it('gives the same figures when exact retrieval searches prepared blocks (BlockedItems)', async () => {
    const { world, candidate } = models;
    const blocked = BlockedItems.prepare(
      { vectors: candidate.videoOut.weights, count: world.videos.count, dim: candidate.d },
      candidate.videoBias.weights,
    );
    expect(blocked).not.toBeNull();
    try {
      const some = rows.subarray(0, 12);
      const strip = (p: FunnelSweep['exact'][number]) => ({ ...p, retrievalMs: 0, rankingMs: 0 });
      const plain = await funnelSweep(models, test, some, { k: K, index, nprobe: NPROBE });
      const viaBlocks = await funnelSweep(models, test, some, {
        k: K,
        index,
        nprobe: NPROBE,
        blocked,
      });
      expect(viaBlocks.exact.map(strip)).toEqual(plain.exact.map(strip));
      expect(viaBlocks.approx!.map(strip)).toEqual(plain.approx!.map(strip));
      expect(viaBlocks.served).toEqual(plain.served);
      const q = plain.served.queries[0];
      expect(await funnelAtEachN(models, q, [10, 100, 1000], K, undefined, blocked)).toEqual(
        await funnelAtEachN(models, q, [10, 100, 1000], K),
      );
    } finally {
      blocked?.dispose();
    }
  });
});
