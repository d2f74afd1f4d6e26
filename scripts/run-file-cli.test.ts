/**
 * `npm run train -- --load f --save f`: a run saved after N steps and continued M steps from
 * its file ends with the losses, weights and optimiser state of a run of N + M steps straight
 * (WASM in Node); a bad file, a missing name and a structural flag on a loaded run exit 2 with
 * one line (the real command, spawned).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeRunFile } from '../src/protocol/run-file';
import { runFileSession } from './run-file-cli';

const WORLD = { seed: '5', videos: '200', users: '80', days: '12', batch: '16', negatives: '16' };
const quiet = () => {};
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-file-cli-'));
});

const read = async (path: string) => decodeRunFile(new Uint8Array(await readFile(path)));

describe('npm run train -- --load / --save', () => {
  it('continues a saved run bit for bit', async () => {
    const a = join(dir, 'a.recsys-run');
    const b = join(dir, 'b.recsys-run');
    const c = join(dir, 'c.recsys-run');
    await runFileSession({ ...WORLD, steps: '4', save: a }, quiet);
    const out = (await runFileSession({ load: a, steps: '3', save: b }, quiet)) as {
      step: number;
    };
    expect(out.step).toBe(7);
    await runFileSession({ ...WORLD, steps: '7', save: c }, quiet);
    const [fb, fc] = [await read(b), await read(c)];
    expect(Array.from(fb.history.steps)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const key of ['loss', 'mfLoss', 'rankingLoss'] as const)
      expect(fb.history[key], key).toEqual(fc.history[key]);
    expect(fb.snapshot.weights).toEqual(fc.snapshot.weights);
    expect(fb.snapshot.slots).toEqual(fc.snapshot.slots);
    expect(fb.snapshot.counters).toEqual(fc.snapshot.counters);
    expect(fb.world).toEqual(fc.world);
  }, 120_000);

  it('answers a bad file, a missing name and a structural flag with one line and exit 2', async () => {
    const a = join(dir, 'small.recsys-run');
    await runFileSession({ ...WORLD, steps: '1', save: a }, quiet);
    const bytes = await readFile(a);
    const cut = join(dir, 'cut.recsys-run');
    await writeFile(cut, bytes.subarray(0, 1000));
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', 'scripts/train.ts', ...args],
          { timeout: 60_000 },
          (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
        ),
      );
    expect(await run(['--load', cut])).toEqual({
      code: 2,
      stderr: `error: --load ${cut}: truncated: the file is truncated: its manifest needs ${bytes.readUInt32LE(12)} bytes after the header, 984 are there\n`,
    });
    expect(await run(['--load'])).toEqual({
      code: 2,
      stderr: 'error: --load needs a file name (e.g. --load run.recsys-run)\n',
    });
    expect(await run(['--load', a, '--depth', '3'])).toEqual({
      code: 2,
      stderr: 'error: --depth cannot change a loaded run (it needs a new one); live knobs can\n',
    });
  }, 180_000);
});
