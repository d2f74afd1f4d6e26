/**
 * `npm run train` stops a diverging model with one line naming the model and the step, and exit
 * code 3 (docs/architecture.md#faults): the real command, spawned, on a tiny world with a
 * ranking learning rate of 0.99 (the largest the ranker accepts), which sends a ranker's loss
 * past 10 000 within a few steps. In the run-file mode the unweighted twin goes first.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const TINY = ['--seed', '5', '--videos', '200', '--users', '80', '--days', '12'];
const SMALL = ['--batch', '16', '--negatives', '16', '--ranking-lr', '0.99'];

function train(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/train.ts', ...args],
      // Generous: on a loaded machine tsx's start alone has taken 30 s.
      { timeout: 170_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    ),
  );
}

const LINE = /^diverged: (.+)'s loss diverged at step (\d+) \((.+)\); lower its learning rate$/;

describe('npm run train: a diverging model', () => {
  it('stops the page’s run (--save) at the unweighted twin ranker, exit 3, nothing saved', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'diverge-')), 'never.recsys-run');
    const r = await train([...TINY, ...SMALL, '--steps', '30', '--save', out]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const last = r.stderr.trimEnd().split('\n').at(-1)!;
    const m = LINE.exec(last);
    expect(m, last).not.toBeNull();
    expect(m![1]).toBe('the unweighted ranker (CTR)');
    expect(Number(m![2])).toBeGreaterThan(0);
    expect(Number(m![2])).toBeLessThanOrEqual(30);
    expect(r.stderr).not.toContain(`saved ${out}`);
  }, 180_000);

  it('stops the experiment at the weighted ranker, exit 3', async () => {
    const r = await train([...TINY, ...SMALL, '--steps', '5', '--mf-steps', '5', '--json']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const last = r.stderr.trimEnd().split('\n').at(-1)!;
    expect(LINE.exec(last)?.[1], last).toBe('the weighted ranker');
  }, 180_000);
});
