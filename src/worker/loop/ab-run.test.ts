/**
 * A run file as an A/B arm (docs/loop.md#a-run-as-an-arm): its knobs are retrained in the A/B
 * world like a lesson variant's, so an arm from a run file with watch-time:ctr's knobs gives
 * the numbers of the lesson-variant arm, value for value (only the label differs).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../model/backend';
import { runArmFromFile } from '../../protocol/loop/ab-run';
import { runFileOf } from '../../protocol/loop/ab-run.fixture';
import { defaultAbSettings, type AbSettings } from '../../protocol/loop/ab-settings';
import { generateWorld } from '../../sim/world';
import { runAb } from './ab';
import { loopWorldSettings } from './runner';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('a run file as an arm of the A/B test', () => {
  it('gives the same numbers as the lesson variant of the same knobs', async () => {
    const s: AbSettings = {
      ...defaultAbSettings(),
      ab: 'watch-time:ctr,watch-time:weighted',
      videos: 400,
      abUsers: 120,
      abDays: 1,
      steps: 20,
      evalExamples: 100,
      retrieve: 30,
    };
    const world = generateWorld(loopWorldSettings(s.seed, s.videos, s.abUsers));
    const lesson = await runAb(s, { world });
    const run = runArmFromFile('ctr.recsys-run', runFileOf({ weighting: 'unweighted' }));
    const fromRun = await runAb(
      { ...s, ab: 'run:ctr.recsys-run,watch-time:weighted', runs: [run] },
      { world },
    );
    expect(fromRun.ab).toBe('run:ctr.recsys-run,watch-time:weighted');
    expect(fromRun.arms[0].label).toBe('run ctr.recsys-run (weighting unweighted)');
    expect(fromRun.arms[0].note).toContain('its weights are not used');
    expect(fromRun.arms.map((a) => a.offline)).toEqual(lesson.arms.map((a) => a.offline));
    expect(fromRun.arms.map((a) => a.activeUsers)).toEqual(lesson.arms.map((a) => a.activeUsers));
    expect(fromRun.metrics).toEqual(lesson.metrics);
  }, 120_000);
});
