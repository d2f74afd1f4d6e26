/**
 * The command line as a user meets it: each test spawns the real script (`node --import tsx
 * scripts/<name>.ts …`) and checks that a mistake exits 2 with one line naming the flag and
 * the allowed values, on stderr, before anything is built (so each answers in about a second).
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `scripts/<script>.ts` with `args`. */
function cli(script: 'train' | 'world', args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `scripts/${script}.ts`, ...args],
      // Generous: on a loaded machine tsx's start alone has taken 30 s; an answer takes ~2 s.
      { timeout: 110_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Mistakes and the one line each answers. */
const MISTAKES: [script: 'train' | 'world', args: string[], line: string][] = [
  [
    'train',
    ['foo'],
    'error: unexpected argument "foo": flags start with -- and take their value after them, as in --seed 7 (see --help)',
  ],
  ['train', ['--steps'], 'error: --steps needs a value: an integer from 1 to 1000000'],
  [
    'train',
    ['--backend', 'webgpu'],
    'error: --backend must be one of auto, wasm, cpu in Node (webgpu runs only in the browser) (got "webgpu")',
  ],
  [
    'train',
    ['--ranking-hidden', 'abc'],
    'error: --ranking-hidden: rankingHidden must be a comma list of up to 4 integers from 1 to 2048, or none (got "abc")',
  ],
  [
    'train',
    ['--negatives', '8000', '--videos', '200'],
    'error: --negatives must be fewer than the world\'s 200 videos with sampler popularity: an integer from 1 to 199 (got "8000")',
  ],
  [
    'train',
    ['--sampler', 'in-batch', '--batch', '1'],
    'error: --batch: batch must be an integer from 8 to 4096 (got "1")',
  ],
  [
    'train',
    ['--steps', '0'],
    'error: --steps: steps must be an integer from 1 to 1000000 (got "0")',
  ],
  ['train', ['--frobnicate', '1'], 'error: unknown flag --frobnicate; see --help'],
  ['train', ['--seed', '1', '--seed', '2'], 'error: --seed is given twice; give it once'],
  [
    'world',
    ['--bench', '0'],
    'error: --bench takes no value (got "0"): give --bench alone to turn it on, or leave it out',
  ],
  [
    'world',
    ['--videos', '100000000'],
    'error: --videos: videos must be an integer from 100 to 1000000 (got "100000000")',
  ],
  [
    'world',
    [
      '--users',
      '100000',
      '--days',
      '120',
      '--sessions-per-day',
      '20',
      '--impressions-per-session',
      '30',
    ],
    'error: this world is too large for this machine',
  ],
];

describe('npm run train / npm run world answer a mistake with one line and exit code 2', () => {
  it.concurrent.each(MISTAKES)('%s %j', async (script, args, line) => {
    const r = await cli(script, args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(line), lines[0]).toBe(true);
  });

  it('--help still prints the flags and exits 0', async () => {
    const r = await cli('world', ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--videos <value>');
    expect(r.stderr).toBe('');
  });
});
