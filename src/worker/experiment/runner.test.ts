import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useBackend } from '../../model/backend';
import { CandidateModel } from '../../model/candidate/model';
import { RankingBatch } from '../../model/ranking/batch';
import { repeatSeed, type LessonSpec } from '../../protocol/lessons/spec';
import { summarise } from '../../protocol/lessons/summary';
import * as worldModule from '../../sim/world';
import { runExperiment, type ExperimentProgress } from './runner';
import { FRESH_DAYS } from '../../model/candidate/age-mass';

vi.mock('../../sim/world', async (importOriginal) => {
  const orig = await importOriginal<typeof worldModule>();
  return { ...orig, generateWorld: vi.fn(orig.generateWorld) };
});

const spec: LessonSpec = {
  id: 'tiny',
  title: 'tiny',
  paper: { source: 'test', claim: 'none', numbers: [] },
  base: {
    world: { videos: 200, users: 80, days: 12 },
    steps: 4,
    evalEvery: 2,
    evalExamples: 30,
    rankPages: 0,
    models: ['candidate'],
    params: { batch: 16, depth: 0 },
  },
  variants: [
    { id: 'k4', label: 'K = 4', params: { negatives: 4 } },
    { id: 'k4b', label: 'K = 4 again', params: { negatives: 4 } },
    { id: 'k16', label: 'K = 16', params: { negatives: 16, logQ: false } },
  ],
  repeats: 2,
  metrics: ['recall@10', 'recall@50', 'map'],
  comparisons: [
    { variant: 'k16', base: 'k4', metric: 'recall@50', expect: 'higher', claim: 'none' },
  ],
  sizing: 'test',
};

beforeAll(async () => {
  await useBackend('wasm');
});

describe('runExperiment', () => {
  it('builds one world, gives every variant of a repeat the same batch rows, and records curves', async () => {
    const gen = vi.mocked(worldModule.generateWorld);
    gen.mockClear();
    const rows: { seed: number; negatives: number; rows: number[] }[] = [];
    // Record each batch's rows, then train on them as usual.
    const original = CandidateModel.prototype.trainBatch;
    CandidateModel.prototype.trainBatch = function (this: CandidateModel, ex, r, u) {
      rows.push({ seed: this.config.seed, negatives: this.config.negatives, rows: Array.from(r) });
      return original.call(this, ex, r, u);
    };
    const progress: ExperimentProgress[] = [];
    let result;
    try {
      result = await runExperiment(spec, { seed: 5, onProgress: (p) => progress.push(p) });
    } finally {
      CandidateModel.prototype.trainBatch = original;
    }
    expect(gen).toHaveBeenCalledTimes(1);
    expect(result.runs.map((r) => `${r.variant}/${r.repeat}`)).toEqual([
      'k4/0',
      'k4b/0',
      'k16/0',
      'k4/1',
      'k4b/1',
      'k16/1',
    ]);
    // 6 runs × 4 steps; per repeat every variant saw the same rows, step by step.
    expect(rows).toHaveLength(24);
    for (const r of [0, 1]) {
      const seed = repeatSeed(5, r);
      const of = (k: number) => rows.filter((x) => x.seed === seed && x.negatives === k);
      expect(of(4)).toHaveLength(8);
      expect(of(16)).toHaveLength(4);
      expect(of(16).map((x) => x.rows)).toEqual(
        of(4)
          .slice(0, 4)
          .map((x) => x.rows),
      );
      expect(
        of(4)
          .slice(4)
          .map((x) => x.rows),
      ).toEqual(
        of(4)
          .slice(0, 4)
          .map((x) => x.rows),
      );
      expect(of(4)[0].rows).toHaveLength(16);
    }
    const s0 = rows.filter((x) => x.seed === repeatSeed(5, 0))[0].rows;
    const s1 = rows.filter((x) => x.seed === repeatSeed(5, 1))[0].rows;
    expect(s1).not.toEqual(s0);
    // Identical knobs in one repeat give identical numbers (same world, seed, batches).
    const k4 = result.runs[0];
    const k4b = result.runs[1];
    expect(k4b.final).toEqual(k4.final);
    expect(k4b.ranks).toEqual(k4.ranks);
    expect(k4.ranks).toHaveLength(30);
    expect(k4.curve.map((p) => p.step)).toEqual([2, 4]);
    expect(Object.keys(k4.final).sort()).toEqual(['map', 'recall@10', 'recall@50']);
    expect(result.world.videos).toBe(200);
    expect(result.evalExamples).toBe(30);
    // Progress names each variant and ends each run with its record.
    expect(progress.filter((p) => p.finished).map((p) => p.variant)).toEqual([
      'k4',
      'k4b',
      'k16',
      'k4',
      'k4b',
      'k16',
    ]);
    expect(progress.filter((p) => p.point).length).toBe(12);
    const s = summarise(spec, result);
    expect(s.comparisons[0].diff.n).toBe(2);
    expect(['reproduced', 'not-reproduced', 'inconclusive']).toContain(s.verdict);
  });

  it('stops between steps when cancelled, with the signal’s reason', async () => {
    const ac = new AbortController();
    const reason = new Error('stop');
    let reports = 0;
    await expect(
      runExperiment(spec, {
        seed: 5,
        repeats: 1,
        onProgress: () => {
          if (++reports === 1) ac.abort(reason);
        },
        signal: ac.signal,
      }),
    ).rejects.toBe(reason);
    expect(reports).toBe(1);
  });

  it('trains only the ranker when the spec asks, on whole held-out pages', async () => {
    const ranker: LessonSpec = {
      ...spec,
      base: { ...spec.base, models: ['ranker'], evalExamples: 0, rankPages: 20, params: {} },
      variants: [
        { id: 'ctr', label: 'CTR', params: { weighting: 'unweighted', rankingHidden: [8] } },
        { id: 'w', label: 'weighted', params: { weighting: 'weighted', rankingHidden: [8] } },
      ],
      repeats: 1,
      metrics: ['weightedPerUserLoss', 'watchPerImpression', 'clickbaitShare', 'auc'],
      comparisons: [
        { variant: 'w', base: 'ctr', metric: 'watchPerImpression', expect: 'higher', claim: '' },
      ],
    };
    const trained = vi.spyOn(CandidateModel.prototype, 'trainBatch');
    const inputs = vi.spyOn(RankingBatch.prototype, 'write');
    const shapes: LessonSpec = {
      ...ranker,
      variants: [
        ...ranker.variants,
        { id: 'deep', label: 'deep', params: { rankingHidden: [16, 8] } },
        { id: 'none', label: 'none', params: { rankingHidden: [] } },
      ],
    };
    const result = await runExperiment(shapes, { seed: 5, steps: 2 });
    expect(trained).not.toHaveBeenCalled();
    trained.mockRestore();
    // Training batches (512 rows; evaluation reads the ~100 rows of 20 pages): every variant
    // of the repeat, whatever its tower, draws the same rows step by step.
    const batches = inputs.mock.calls.map((c) => Array.from(c[1])).filter((r) => r.length === 512);
    inputs.mockRestore();
    expect(batches).toHaveLength(4 * 2);
    for (let v = 1; v < 4; v++) {
      expect(batches[2 * v]).toEqual(batches[0]);
      expect(batches[2 * v + 1]).toEqual(batches[1]);
    }
    expect(batches[1]).not.toEqual(batches[0]);
    expect(result.rankPages).toBe(20);
    for (const r of result.runs) {
      expect(r.ranks).toBeUndefined();
      expect(r.final.weightedPerUserLoss).toBeGreaterThan(0);
      expect(r.final.weightedPerUserLoss).toBeLessThan(1);
      expect(r.final.clickbaitShare).toBeGreaterThanOrEqual(0);
    }
    // One repeat: no interval, so the verdict cannot be decided.
    expect(summarise(ranker, result).verdict).toBe('inconclusive');
  });

  it('records the model’s mass by age and the watched share for the example-age metrics', async () => {
    const ages: LessonSpec = {
      ...spec,
      base: { ...spec.base, world: { videos: 200, users: 80, days: 30 } },
      variants: spec.variants.slice(0, 1),
      metrics: ['freshShare', 'freshGap'],
      comparisons: [],
    };
    const result = await runExperiment(ages, { seed: 5, steps: 2, repeats: 1 });
    const watched = result.ageShare!;
    expect(watched.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
    const fresh = (xs: number[]) => xs.slice(0, FRESH_DAYS).reduce((s, x) => s + x, 0);
    for (const r of result.runs) {
      expect(r.ageMass!.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 4);
      expect(r.final.freshShare).toBeCloseTo(fresh(r.ageMass!), 9);
      expect(r.final.freshGap).toBeCloseTo(Math.abs(fresh(r.ageMass!) - fresh(watched)), 9);
    }
  });

  it('refuses a spec the parameter table rejects, before building anything', async () => {
    const bad = { ...spec, variants: [{ id: 'x', label: 'x', params: { negatives: 0 } }] };
    await expect(runExperiment(bad)).rejects.toThrow(/negatives must be an integer/);
  });
});
