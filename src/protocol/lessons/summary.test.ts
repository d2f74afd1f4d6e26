import { describe, expect, it } from 'vitest';
import { LESSONS } from './lessons';
import { checkSpec, repeatSeed, type LessonSpec } from './spec';
import { resultCsv, resultJson } from './export';
import { summarise, type ExperimentResult, type RunRecord } from './summary';

const spec: LessonSpec = {
  id: 'toy',
  title: 'toy',
  paper: { source: 'nowhere', claim: 'b beats a', numbers: [] },
  base: {
    world: { videos: 300, users: 100 },
    steps: 10,
    evalEvery: 5,
    evalExamples: 4,
    rankPages: 0,
    models: ['candidate'],
    params: {},
  },
  variants: [
    { id: 'a', label: 'A', params: { negatives: 8 } },
    { id: 'b', label: 'B', params: { negatives: 64 } },
  ],
  repeats: 3,
  metrics: ['recall@10'],
  comparisons: [
    { variant: 'b', base: 'a', metric: 'recall@10', expect: 'higher', claim: 'b beats a' },
  ],
  sizing: 'toy',
};

const run = (variant: string, repeat: number, recall: number, ranks?: number[]): RunRecord => ({
  variant,
  repeat,
  trainSeed: repeatSeed(7, repeat),
  seconds: 1,
  curve: [{ step: 10, values: { 'recall@10': recall } }],
  final: { 'recall@10': recall },
  ...(ranks && { ranks }),
});

const result = (runs: RunRecord[]): ExperimentResult => ({
  lesson: 'toy',
  seed: 7,
  backend: 'cpu',
  world: { videos: 300, users: 100, watches: 1000 },
  steps: 10,
  repeats: 3,
  evalExamples: 4,
  rankPages: 0,
  worldSeconds: 0.1,
  seconds: 6,
  runs,
});

describe('summarise', () => {
  it('pairs by repeat: differences 0.02, 0.03, 0.025 → reproduced, with the t-interval', () => {
    const r = result([
      run('a', 0, 0.1),
      run('b', 0, 0.12),
      run('a', 1, 0.2),
      run('b', 1, 0.23),
      run('a', 2, 0.15),
      run('b', 2, 0.175),
    ]);
    const s = summarise(spec, r);
    const c = s.comparisons[0];
    expect(c.diff.mean).toBeCloseTo(0.025, 10);
    expect(c.diff.lo).toBeCloseTo(0.025 - 0.012422, 5);
    expect(c.baseMean).toBeCloseTo(0.15, 10);
    expect(c.bootstrap).toBeNull();
    expect(s.verdict).toBe('reproduced');
    expect(c.sentence).toMatch(/^reproduced: B raised recall@10 from 0\.1500 \(A\) to 0\.1750/);
    // Unpaired, the same numbers would hold 0 (the repeats' spread is 0.05): pairing matters.
    expect(s.variants[0].metrics['recall@10']!.lo).toBeLessThan(0.1);
  });

  it('reports the opposite direction as not-reproduced', () => {
    const r = result(
      [0, 1, 2].flatMap((i) => [run('a', i, 0.2 + i / 100), run('b', i, 0.1 + i / 90)]),
    );
    expect(summarise(spec, r).verdict).toBe('not-reproduced');
  });

  it('bootstraps over examples when ranks are recorded, and needs both intervals', () => {
    // b hits 3 of 4 examples, a hits 1 of 4 (rank < 10), in every repeat: every interval > 0.
    const ra = [0, 50, 50, 50];
    const rb = [0, 1, 2, 50];
    const r = result(
      [0, 1, 2].flatMap((i) => [run('a', i, 0.25, ra), run('b', i, 0.75 + i / 1000, rb)]),
    );
    const c = summarise(spec, r).comparisons[0];
    expect(c.bootstrap!.n).toBe(4);
    expect(c.bootstrap!.mean).toBeCloseTo(0.5, 10);
    expect(c.verdict).toBe('inconclusive'); // 4 examples: the bootstrap interval reaches 0
  });

  it('exports JSON with per-variant intervals, verdict and seconds, and a CSV per evaluation', () => {
    const r = result([0, 1, 2].flatMap((i) => [run('a', i, 0.1), run('b', i, 0.2 + i / 100)]));
    const j = resultJson(spec, r);
    expect(j.verdict).toBe('reproduced');
    expect(j.seconds).toBe(6);
    expect(j.variants[1].metrics['recall@10'].mean).toBeCloseTo(0.21, 6);
    expect(j.variants[1].metrics['recall@10'].lo).toBeLessThan(0.21);
    const csv = resultCsv(spec, r).trim().split('\n');
    expect(csv[2]).toBe('lesson,seed,variant,repeat,trainSeed,step,recall@10');
    expect(csv).toHaveLength(3 + 6);
    expect(csv[3]).toBe(`toy,7,a,0,${repeatSeed(7, 0)},10,0.1`);
  });

  it('carries the paper’s figures per variant and per comparison beside ours', () => {
    const withPaper: LessonSpec = {
      ...spec,
      variants: [spec.variants[0], { ...spec.variants[1], paper: '0.4664' }],
      comparisons: [{ ...spec.comparisons[0], paper: '+0.0918' }],
    };
    const r = result([0, 1, 2].flatMap((i) => [run('a', i, 0.1), run('b', i, 0.2)]));
    const j = resultJson(withPaper, r);
    expect(j.variants.map((v) => v.paper)).toEqual([null, '0.4664']);
    expect(j.comparisons[0].paper).toBe('+0.0918');
  });
});

describe('specs', () => {
  it('every lesson passes checkSpec (keys and values from the parameter table)', () => {
    for (const l of LESSONS) expect(checkSpec(l), l.id).toEqual([]);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
  });

  it('names unknown knobs, bad values, unknown variants and unrecorded metrics', () => {
    const bad: LessonSpec = {
      ...spec,
      base: { ...spec.base, world: { colour: 3 } as never, params: { negatives: 0 } },
      variants: [...spec.variants, { id: 'c', label: 'C', params: { nope: 1 } as never }],
      comparisons: [{ ...spec.comparisons[0], variant: 'zz', metric: 'auc' }],
    };
    const p = checkSpec(bad).join('\n');
    expect(p).toMatch(/colour is not a world setting/);
    expect(p).toMatch(/negatives must be an integer from 1 to 8192/);
    expect(p).toMatch(/nope is not a training knob/);
    expect(p).toMatch(/unknown variant zz/);
    expect(p).toMatch(/auc is not recorded/);
    const noFunnel = checkSpec({ ...spec, metrics: ['funnelWatch'], comparisons: [] }).join('\n');
    expect(noFunnel).toMatch(/funnel metrics need base.funnel/);
    expect(noFunnel).toMatch(/needs the ranker/);
  });

  it('gives each repeat its own training seed', () => {
    const seeds = [0, 1, 2, 3, 4].map((r) => repeatSeed(7, r));
    expect(new Set(seeds).size).toBe(5);
    expect(repeatSeed(7, 0)).toBe(repeatSeed(7, 0));
    expect(repeatSeed(8, 0)).not.toBe(repeatSeed(7, 0));
  });
});
