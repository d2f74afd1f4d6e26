/**
 * `npm run train -- --data …` as a user meets it: the real script spawned on generated files
 * (src/sim/import/fixtures.ts) — a short run prints the data's numbers and recall beside
 * most-popular and the factorisation baseline; a bad line and a bad flag answer one line with
 * exit code 2.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFixture, toMl100k, toMovieLensCsv, withBadLine } from '../src/sim/import/fixtures';

function train(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/train.ts', ...args],
      { timeout: 110_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const dir = mkdtempSync(join(tmpdir(), 'recsys-data-cli-'));
const fixture = generateFixture({ users: 120, items: 80, ratings: 3000 });
const k = toMl100k(fixture);
mkdirSync(join(dir, 'ml'));
writeFileSync(join(dir, 'ml', 'u.data'), k.data);
writeFileSync(join(dir, 'ml', 'u.item'), k.item, 'latin1');
writeFileSync(join(dir, 'ratings.csv'), withBadLine(toMovieLensCsv(fixture).ratings, 7, '1,2,3'));

describe('npm run train -- --data', () => {
  it('trains on a folder of MovieLens 100K files and prints recall beside the baselines', async () => {
    const r = await train([
      '--data',
      join(dir, 'ml'),
      '--steps',
      '40',
      '--mf-steps',
      '40',
      '--eval-examples',
      '120',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      data: { format: string; users: number; items: number; heldOutUsers: number };
      retrieval: { recallAt: Record<string, number>; examples: number };
      baselines: { popular: { recallAt: Record<string, number> }; mf: object };
      notShown: string;
    };
    expect(out.data).toMatchObject({ format: 'ml100k', users: 120, heldOutUsers: 120 });
    expect(out.retrieval.examples).toBe(120);
    expect(out.retrieval.recallAt['100']).toBeGreaterThanOrEqual(out.retrieval.recallAt['10']);
    expect(out.baselines.popular.recallAt['100']).toBeGreaterThan(0);
    expect(out.notShown).toContain('no unclicked impressions');
  }, 120_000);

  it('answers a bad line and a bad flag in one line, exit code 2', async () => {
    const bad = await train(['--data', join(dir, 'ratings.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'error: ratings.csv line 7, column 4 (missing field): 3 field(s) where 4 are needed (userId, movieId, rating, timestamp)',
    );
    const flag = await train(['--data', join(dir, 'ml'), '--held-out', 'soon']);
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim()).toBe('error: --held-out must be one of last, time (got "soon")');
  }, 120_000);
});
