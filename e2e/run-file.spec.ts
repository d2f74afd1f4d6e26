/**
 * Run files and autosave in the built app, in real Chromium (docs/run-files.md): train, save a
 * `.recsys-run` file, reload, load it — the step, the losses and the next steps are identical
 * to a run that never stopped; reload again — the autosave offers the run and it continues; a
 * truncated file and a file of another version are refused with a named error while the run on
 * screen stays as it was.
 *
 * Losses are compared exactly (float32 for float32), read from files the page saved: the
 * history of a run file holds every step's three training losses.
 *
 * RUN_FILE_STEPS sets the first segment's length (default 60); the continuation is 50 steps, so
 * the resumed segment crosses step 100: an evaluation (EVAL_EVERY 50) and a periodic snapshot
 * (SNAPSHOT_EVERY 100) happen after the load, and their recall is compared too.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { decodeRunFile } from '../src/protocol/run-file';
import { collectConsoleErrors } from './browser.ts';

const FIRST = Number(process.env.RUN_FILE_STEPS ?? 60);
const MORE = 50;
/** A small world and small batches keep a step short on a slow machine. */
const URL = '/#seed=7&videos=1000&users=500&batch=64&negatives=64&view=training';
const PREPARE_TIMEOUT = 120_000;

async function step(page: Page): Promise<number> {
  const text = ((await page.getByTestId('metric.step').textContent()) ?? '').trim();
  return Number(text.replace(/[^\d]/g, ''));
}

async function ready(page: Page): Promise<void> {
  await expect(page.getByTestId('train.state')).toHaveText('paused', { timeout: PREPARE_TIMEOUT });
}

/** Plays until the step counter reaches `atLeast`, pauses, and returns the step it stopped at. */
async function playTo(page: Page, atLeast: number): Promise<number> {
  await page.getByTestId('train.play').click();
  await expect
    .poll(() => step(page), { timeout: 300_000, intervals: [250] })
    .toBeGreaterThanOrEqual(atLeast);
  await page.getByTestId('train.pause').click();
  await expect(page.getByTestId('train.state')).toHaveText('paused');
  return step(page);
}

/** Presses Save run and returns the downloaded file's name and bytes. */
async function save(page: Page): Promise<{ name: string; bytes: Uint8Array }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('run.save').click(),
  ]);
  const path = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(path);
  return { name: download.suggestedFilename(), bytes: new Uint8Array(await readFile(path)) };
}

/** Loads `bytes` through the file input as `name`. */
async function load(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page
    .getByTestId('run.load')
    .setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
}

test('a saved run reloads bit for bit, autosave offers it after a reload, bad files are named', async ({
  page,
}) => {
  test.setTimeout(1_200_000);
  const errors = collectConsoleErrors(page);
  await page.goto(URL);
  await ready(page);

  // The run that never stopped: FIRST steps, saved (file A), then 50 more, saved (file B).
  const s = await playTo(page, FIRST);
  const a = await save(page);
  expect(a.name).toBe(`recsys-seed7-step${s}.recsys-run`);
  const fileA = decodeRunFile(a.bytes);
  expect(fileA.snapshot.step).toBe(s);
  expect(fileA.history.steps.length).toBe(s);
  expect(fileA.history.steps.at(-1)).toBe(s);
  const t1 = await playTo(page, s + MORE);
  const fileB = decodeRunFile((await save(page)).bytes);

  // Reload and load A: its step and history are on screen, and its state is the same.
  await page.reload();
  await ready(page);
  await load(page, a.name, a.bytes);
  await expect.poll(() => step(page), { timeout: 60_000 }).toBe(s);
  await ready(page);
  const again = decodeRunFile((await save(page)).bytes);
  expect(again.snapshot.step).toBe(s);
  expect(again.history.loss).toEqual(fileA.history.loss);
  expect(again.snapshot.weights).toEqual(fileA.snapshot.weights);
  expect(again.snapshot.slots).toEqual(fileA.snapshot.slots);
  expect(again.snapshot.counters).toEqual(fileA.snapshot.counters);

  // The next steps are those of the run that never stopped.
  const t2 = await playTo(page, s + MORE);
  const fileC = decodeRunFile((await save(page)).bytes);
  const n = Math.min(t1, t2);
  expect(n).toBeGreaterThanOrEqual(s + MORE);
  const upTo = (f: typeof fileB, key: 'steps' | 'loss' | 'mfLoss' | 'rankingLoss') =>
    Array.from(f.history[key].subarray(0, n));
  for (const key of ['steps', 'loss', 'mfLoss', 'rankingLoss'] as const)
    expect(upTo(fileC, key), key).toEqual(upTo(fileB, key));
  const resumedLosses = upTo(fileC, 'loss').slice(s);
  expect(resumedLosses).toHaveLength(n - s);
  expect(resumedLosses.every(Number.isFinite)).toBe(true);
  // Evaluations at the same steps agree too (recall of the same weights).
  let resumedEvals = 0;
  for (const e of fileC.history.evals.filter((x) => x.step <= n)) {
    const b = fileB.history.evals.find((x) => x.step === e.step);
    if (b) expect(e.recall, `recall at step ${e.step}`).toEqual(b.recall);
    if (b && e.step > s) resumedEvals++;
  }
  // At least one of them was taken after the load (the resumed segment crosses a multiple of 50).
  expect(resumedEvals).toBeGreaterThanOrEqual(1);
  console.log(
    `run-file e2e: first ${s} steps, resumed to ${t2}; losses of steps ${s + 1}…${n} identical ` +
      `(${n - s} steps; e.g. step ${s + 1}: ${resumedLosses[0]}, step ${n}: ${resumedLosses.at(-1)})`,
  );

  // Reload again: the autosave (written on pause) offers the run, and it continues.
  await page.reload();
  await ready(page);
  await expect(page.getByTestId('run.restore')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('run.offer')).toContainText(`step ${t2}`);
  await page.getByTestId('run.restore').click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBe(t2);
  await ready(page);
  await page.getByTestId('train.step').click();
  await expect.poll(() => step(page), { timeout: 30_000 }).toBe(t2 + 1);
  await ready(page);

  // A truncated file and a file of another version: named errors, the run untouched.
  const before = await step(page);
  const truncated = a.bytes.subarray(0, Math.floor(a.bytes.length / 2));
  await load(page, 'cut.recsys-run', truncated);
  const error = page.getByTestId('run.error');
  await expect(error).toHaveAttribute('data-code', 'truncated');
  await expect(error).toContainText('cut.recsys-run: the file is truncated');
  expect(await step(page)).toBe(before);
  const v2 = a.bytes.slice();
  new DataView(v2.buffer).setUint32(8, 2, true);
  await load(page, 'v2.recsys-run', v2);
  await expect(error).toHaveAttribute('data-code', 'wrong-version');
  await expect(error).toContainText('this is a version 2 run file; this app reads version 1');
  expect(await step(page)).toBe(before);
  await expect(page.getByTestId('train.state')).toHaveText('paused');
  await page.getByTestId('train.step').click();
  await expect.poll(() => step(page), { timeout: 30_000 }).toBe(before + 1);
  expect(errors).toEqual([]);
});
