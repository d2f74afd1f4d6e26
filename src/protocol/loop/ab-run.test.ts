import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_PARAMS } from '../params';
import { runFileOf } from './ab-run.fixture';
import { runArmFromFile } from './ab-run';
import { abArms, checkAbSettings, defaultAbSettings, parseAb } from './ab-settings';

describe('a run file as an A/B arm', () => {
  it('takes the file’s knobs and world; the arm is those knobs, retrained', () => {
    const arm = runArmFromFile('a.recsys-run', runFileOf({ weighting: 'unweighted' }));
    expect(arm.params).toEqual({ ...DEFAULT_TRAINING_PARAMS, weighting: 'unweighted' });
    expect(arm.world).toEqual({ seed: 7, videos: 1000, users: 500 });
    expect(arm.step).toBe(200);
    expect(parseAb('run:a.recsys-run,watch-time:weighted')).toBe(
      'run:a.recsys-run,watch-time:weighted',
    );
    const [a, b] = abArms('run:a.recsys-run,watch-time:weighted', 2000, [arm]);
    // The same knobs as the lesson variant watch-time:ctr.
    expect(a.params).toEqual(abArms('watch-time:ctr,watch-time:weighted', 2000)[0].params);
    expect(a.label).toBe('run a.recsys-run (weighting unweighted)');
    expect(a.ref).toBe('run:a.recsys-run');
    expect(a.note).toContain('seed 7, 1000 videos × 500 users) to step 200');
    expect(b.ref).toBe('watch-time:weighted');
  });

  it('refuses a bad run file, naming the file and the field', () => {
    expect(() => runArmFromFile('bad.recsys-run', runFileOf({ negatives: 0 }))).toThrow(
      'ab: run file bad.recsys-run: bad-params: bad training settings in the file: negatives must be an integer from 1 to 8192 (got "0")',
    );
    expect(() => runArmFromFile('f.recsys-run', runFileOf({}, 'not-hex'))).toThrow(
      /^ab: run file f\.recsys-run: bad-manifest: .*world\.fingerprint/,
    );
    expect(() => runArmFromFile('x.txt', new TextEncoder().encode('user,item'))).toThrow(
      'ab: run file x.txt: not-a-run-file: not a run file',
    );
  });

  it('checks that a run arm names a run given, and the run’s knobs', () => {
    const s = { ...defaultAbSettings(), ab: 'run:a,logq:on' };
    expect(() => checkAbSettings(s)).toThrow('ab: arm run:a names no run given (runs: none)');
    const run = runArmFromFile('a', runFileOf({}));
    expect(checkAbSettings({ ...s, runs: [run] }).ab).toBe('run:a,logq:on');
    const bad = { ...run, params: { ...run.params, negatives: 9999 } };
    expect(() => checkAbSettings({ ...s, runs: [bad] })).toThrow(
      'ab: run a: negatives must be an integer from 1 to 8192 (got "9999")',
    );
    expect(() => parseAb('run:,logq:on')).toThrow("ab: run: needs the run's name or file");
  });
});
