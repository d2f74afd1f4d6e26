import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../model/backend';
import { feedbackLoop } from '../../protocol/lessons/feedback-loop';
import { lessonById } from '../../protocol/lessons/lessons';
import {
  checkSpec,
  lateRounds,
  lessonWith,
  repeatSeed,
  type LessonSpec,
} from '../../protocol/lessons/spec';
import { resultJson } from '../../protocol/lessons/export';
import { summarise, type ExperimentResult, type RunRecord } from '../../protocol/lessons/summary';
import type { World } from '../../sim/types';
import { generateWorld } from '../../sim/world';
import { loopWorldSettings, runLoop } from '../loop/runner';
import { lateMeans, loopLessonSettings, roundValues } from './loop-lesson';
import { runExperiment } from './runner';

/** The lesson at a size a unit test affords (same policies, metrics and comparisons). */
const tiny: LessonSpec = {
  ...feedbackLoop,
  base: {
    ...feedbackLoop.base,
    steps: 2,
    loop: { ...feedbackLoop.base.loop!, videos: 400, users: 60, steps: 10, roundSteps: 5 },
  },
  repeats: 2,
};

const timeless = (runs: RunRecord[]) => runs.map((r) => ({ ...r, seconds: 0 }));

beforeAll(async () => {
  await useBackend('wasm');
});

describe('the feedback-loop lesson spec', () => {
  it('is a valid lesson, listed, with the policies as variants', () => {
    expect(checkSpec(feedbackLoop)).toEqual([]);
    expect(lessonById('feedback-loop')).toBe(feedbackLoop);
    expect(feedbackLoop.variants.map((v) => v.policy)).toEqual([
      'model',
      'frozen',
      'legacy',
      'ageOff',
      'explore',
    ]);
    // Example age off and exploration are optional: off (with their comparisons) unless on.
    const plain = lessonWith(feedbackLoop);
    expect(plain.variants.map((v) => v.id)).toEqual(['model', 'frozen', 'legacy']);
    expect(plain.comparisons).toHaveLength(6);
    const explore = lessonWith(feedbackLoop, ['explore']);
    expect(explore.variants.map((v) => v.id)).toEqual(['model', 'frozen', 'legacy', 'explore']);
    expect(explore.comparisons.slice(6).map((c) => `${c.variant}-${c.base}:${c.metric}`)).toEqual([
      'explore-model:loopCoverage',
      'explore-model:loopGini',
      'explore-model:loopHomogenisation',
    ]);
    expect(lessonWith(feedbackLoop, ['age-off', 'explore']).comparisons).toHaveLength(10);
  });

  it('refuses what a loop lesson cannot do, naming it', () => {
    const bad: LessonSpec = {
      ...feedbackLoop,
      base: { ...feedbackLoop.base, steps: 31 },
      variants: [
        { id: 'a', label: 'a', params: { negatives: 8 }, policy: 'model' },
        { id: 'b', label: 'b', params: {}, policy: 'model' },
        { id: 'c', label: 'c', params: {} },
      ],
      metrics: ['loopGini', 'recall@100'],
      comparisons: [],
    };
    expect(checkSpec(bad)).toEqual([
      'a loop lesson cannot record recall@100',
      'metric recall@100 needs the candidate, which the experiment does not train',
      "variant a: a loop lesson's variants set no knobs",
      'policy model appears twice',
      'variant c must name a policy (model, ageOff, explore, frozen, legacy, oracle)',
      'rounds must be an integer from 1 to 30 (got "31")',
    ]);
    const { loop: _loop, ...base } = feedbackLoop.base;
    void _loop;
    expect(checkSpec({ ...feedbackLoop, base })).toContain('metric loopGini needs base.loop');
  });

  it('takes the later half of the rounds as a run’s value', () => {
    expect(lateRounds(5)).toEqual({ from: 3, to: 5 });
    expect(lateRounds(6)).toEqual({ from: 4, to: 6 });
    expect(lateRounds(1)).toEqual({ from: 1, to: 1 });
    const curve = [1, 2, 3, 4, 5].map((step) => ({
      step,
      values: step === 4 ? { loopGini: step / 10 } : { loopGini: step / 10, loopWelfare: step },
    }));
    const m = lateMeans(['loopGini', 'loopWelfare', 'loopTop1'], curve, 5);
    expect(m.loopGini).toBeCloseTo(0.4, 12);
    // Round 4 has no welfare: the mean of rounds 3 and 5.
    expect(m.loopWelfare).toBe(4);
    expect(m.loopTop1).toBeUndefined();
  });
});

describe('a loop lesson runs whole loops per repeat', () => {
  let world: World;
  let result: ExperimentResult;
  beforeAll(async () => {
    const s = tiny.base.loop!;
    world = generateWorld(loopWorldSettings(7, s.videos, s.users));
    result = await runExperiment(tiny, { seed: 7, world });
  }, 240_000);

  it('records one run per policy and repeat, a point per round, the later rounds’ mean', () => {
    expect(result.runs.map((r) => `${r.variant}#${r.repeat}`)).toEqual([
      'model#0',
      'frozen#0',
      'legacy#0',
      'model#1',
      'frozen#1',
      'legacy#1',
    ]);
    expect(result.steps).toBe(2);
    expect(result.world).toMatchObject({ videos: 400, users: 60 });
    expect(result.interestHomogenisation).toBeGreaterThan(0);
    for (const r of result.runs) {
      expect(r.trainSeed).toBe(repeatSeed(7, r.repeat));
      expect(r.curve.map((p) => p.step)).toEqual([1, 2]);
      // Two rounds: the later half is round 2 alone.
      expect(r.final).toEqual(r.curve[1].values);
      expect(r.final.loopCoverage).toBeGreaterThan(0);
      expect(r.final.loopCoverage).toBeLessThanOrEqual(1);
      expect(r.final.loopGini).toBeGreaterThanOrEqual(0);
      expect(r.final.loopGini).toBeLessThan(1);
    }
    // Round 1: the retrained model has not retrained yet, so it serves what its frozen copy does.
    for (const rep of [0, 1]) {
      const at = (v: string) => result.runs.find((r) => r.variant === v && r.repeat === rep)!;
      expect(at('model').curve[0]).toEqual(at('frozen').curve[0]);
    }
    // The repeats differ (other weights, visits and clicks).
    expect(result.runs[0].curve[0]).not.toEqual(result.runs[3].curve[0]);
  });

  it('is the loop of npm run loop with the repeat’s seeds, value for value', async () => {
    const settings = loopLessonSettings(tiny, 7, 2, lessonWith(tiny).variants);
    const direct = await runLoop(settings, {
      world,
      trainSeed: repeatSeed(7, 1),
      drawSeed: repeatSeed(7, 1),
      recall: false,
    });
    for (const p of direct.policies) {
      const run = result.runs.find((r) => r.variant === p.id && r.repeat === 1)!;
      expect(run.curve.map((c) => c.values)).toEqual(
        p.rounds.map((m) => roundValues(tiny.metrics, m)),
      );
    }
  }, 120_000);

  it('gives the same runs again, and for any split of its variants (the page’s workers)', async () => {
    const again = await runExperiment(tiny, { seed: 7, world });
    expect(timeless(again.runs)).toEqual(timeless(result.runs));
    const part = await runExperiment(tiny, { seed: 7, world, variants: ['frozen'] });
    expect(timeless(part.runs)).toEqual(
      timeless(result.runs.filter((r) => r.variant === 'frozen')),
    );
  }, 240_000);

  it('summarises like every lesson: intervals, verdicts, a sentence in rounds', () => {
    const s = summarise(lessonWith(tiny), result);
    expect(s.variants.map((v) => v.id)).toEqual(['model', 'frozen', 'legacy']);
    expect(s.comparisons).toHaveLength(6);
    const c = s.comparisons[0];
    expect(c.metric).toBe('loopHomogenisation');
    expect(c.bootstrap).toBeNull();
    expect(c.diff.n).toBe(2);
    expect(c.sentence).toContain('2 rounds, 400 videos × 60 users');
    expect(c.sentence).toMatch(/^(reproduced|not-reproduced|inconclusive): /);
    // npm run lesson --json carries the users' own interests' homogenisation too.
    const json = resultJson(lessonWith(tiny), result);
    expect(json.interestHomogenisation).toBeCloseTo(result.interestHomogenisation!, 6);
    expect(json.verdict).toBe(s.verdict);
  });

  it('runs the optional policies when asked, their verdicts computed by the one rule', async () => {
    const spec = lessonWith(tiny, ['age-off', 'explore']);
    const r = await runExperiment(spec, {
      seed: 7,
      world,
      variants: spec.variants.map((v) => v.id),
    });
    expect(r.runs.filter((x) => x.repeat === 0).map((x) => x.variant)).toEqual([
      'model',
      'frozen',
      'legacy',
      'age-off',
      'explore',
    ]);
    // The default three are the same runs as without the optional ones (paired, same seeds).
    expect(
      timeless(r.runs.filter((x) => ['model', 'frozen', 'legacy'].includes(x.variant))),
    ).toEqual(timeless(result.runs));
    const s = summarise(spec, r);
    expect(s.comparisons).toHaveLength(10);
    for (const c of s.comparisons.slice(6)) {
      expect(c.diff.n).toBe(2);
      expect(c.sentence).toMatch(/^(reproduced|not-reproduced|inconclusive): /);
    }
  }, 240_000);
});
