/**
 * `npm run loop`'s flags: each mistake is one ConfigError naming the flag and what it allows
 * (read before tfjs loads), and the real script answers one with exit code 2 on stderr.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFileOf } from '../src/protocol/loop/ab-run.fixture';
import { parseArgs } from './args';
import { settingsFromFlags } from './loop-flags';

const read = (args: string[]) => settingsFromFlags(parseArgs(args));

describe('npm run loop flags', () => {
  it('reads the loop settings over the defaults', () => {
    const r = read([
      '--rounds',
      '3',
      '--seed',
      '11',
      '--policies',
      'model,legacy',
      '--epsilon',
      '0.2',
    ]);
    expect(r.mode).toBe('loop');
    if (r.mode !== 'loop') return;
    expect(r.settings.rounds).toBe(3);
    expect(r.settings.seed).toBe(11);
    expect(r.settings.epsilon).toBe(0.2);
    expect(r.settings.policies).toEqual({
      model: true,
      ageOff: false,
      explore: false,
      frozen: false,
      legacy: true,
      oracle: false,
    });
    expect(read([]).settings).toMatchObject({ rounds: 10, seed: 7, videos: 2000, users: 1000 });
  });

  it('reads the A/B settings with --ab', () => {
    const r = read(['--ab', 'weighting', '--ab-days', '2', '--seed', '11']);
    expect(r.mode).toBe('ab');
    expect(r.settings).toMatchObject({ ab: 'weighting', abDays: 2, seed: 11, abUsers: 4000 });
    // Any two lesson variants; the second may leave out its lesson.
    expect(read(['--ab', 'watch-time:ctr,weighted']).settings).toMatchObject({
      ab: 'watch-time:ctr,watch-time:weighted',
    });
    expect(read(['--ab', 'logq:off,negatives:k512']).settings).toMatchObject({
      ab: 'logq:off,negatives:k512',
    });
  });

  it('takes a run file as an arm, and names a bad file and its bad field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loop-cli-'));
    const good = join(dir, 'ctr.recsys-run');
    writeFileSync(good, runFileOf({ weighting: 'unweighted' }));
    const r = read(['--ab', `run:${good},watch-time:weighted`, '--seed', '11']);
    expect(r.mode).toBe('ab');
    if (r.mode !== 'ab') return;
    expect(r.settings.ab).toBe(`run:${good},watch-time:weighted`);
    expect(r.settings.runs?.map((x) => [x.name, x.params.weighting, x.step])).toEqual([
      [good, 'unweighted', 200],
    ]);
    const bad = join(dir, 'bad.recsys-run');
    writeFileSync(bad, runFileOf({}, 'not-hex'));
    expect(() => read(['--ab', `run:${bad},watch-time:weighted`])).toThrow(
      new RegExp(`^--ab: ab: run file ${bad}: bad-manifest: .*world\\.fingerprint`),
    );
    expect(() => read(['--ab', `run:${join(dir, 'none.recsys-run')},logq:on`])).toThrow(
      `--ab: run file ${join(dir, 'none.recsys-run')} cannot be read (ENOENT`,
    );
  });

  it('names the flag and its range for every mistake', () => {
    expect(() => read(['--rounds', '0'])).toThrow(
      '--rounds: rounds must be an integer from 1 to 30 (got "0")',
    );
    expect(() => read(['--rounds', '31'])).toThrow('from 1 to 30');
    expect(() => read(['--epsilon', 'lots'])).toThrow(
      '--epsilon: epsilon must be a number from 0 to 1',
    );
    expect(() => read(['--policies', 'model,best'])).toThrow(
      'policies must be a comma list of model, ageOff, explore, frozen, legacy, oracle, or none',
    );
    expect(() => read(['--policies', 'none'])).toThrow('policies must name at least one');
    expect(() => read(['--roundz', '3'])).toThrow('unknown flag --roundz');
    expect(() => read(['--rounds'])).toThrow('--rounds needs a value');
    expect(() => read(['--ab', 'both'])).toThrow(
      '--ab: ab must be negatives, weighting, or two lesson variants as lesson:variant,lesson:variant',
    );
    expect(() => read(['--ab', 'watch-time:ctr,fast'])).toThrow(
      '--ab: ab: lesson watch-time has no variant "fast" (its variants: ctr, weighted)',
    );
    expect(() => read(['--ab', 'feedback-loop:model,frozen'])).toThrow(
      "feedback-loop's variants are policies of the loop, not models",
    );
    expect(() => read(['--ab', 'negatives:k512,k8', '--videos', '400'])).toThrow(
      'ab: arm negatives:k512 samples 512 negatives, which needs more than 512 videos (videos is 400)',
    );
    expect(() => read(['--ab', 'negatives', '--rounds', '3'])).toThrow(
      '--rounds is a setting of the loop, not of --ab',
    );
    expect(() => read(['--ab-days', '2'])).toThrow('--ab-days needs --ab');
  });

  it('the script answers a mistake with one line and exit code 2', async () => {
    const out = await new Promise<{ code: number | null; stderr: string; stdout: string }>(
      (resolve) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', 'scripts/loop.ts', '--window', '99'],
          { timeout: 110_000 },
          (error, stdout, stderr) =>
            resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
        ),
    );
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.trim()).toBe(
      'error: --window: window must be an integer from 1 to 30 (got "99")',
    );
  }, 120_000);
});
