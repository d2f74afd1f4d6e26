/**
 * Exports in the built app: the training history CSV starts with the settings that produced it
 * and has one line per step; the Embedding Projector pair (vectors.tsv, metadata.tsv) has one
 * line per video, in the same order; file names carry the seed and the step.
 */
import { expect, test, type Download, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { collectConsoleErrors } from './browser.ts';

const WORLD = 'seed=7&videos=2000&users=1500';
const PREPARE_TIMEOUT = 90_000;

async function text(d: Download): Promise<string> {
  return readFile((await d.path())!, 'utf8');
}

/** Steps the run `n` times with the Step button (10 steps each), waiting for each. */
async function train(page: Page, steps: number): Promise<void> {
  await expect(page.getByTestId('train.state')).toHaveText('paused', { timeout: PREPARE_TIMEOUT });
  const step = page.getByTestId('train.step');
  let at = Number(await page.getByTestId('metric.step').textContent());
  while (at < steps) {
    await expect(step).toBeEnabled({ timeout: 30_000 });
    await step.click();
    await expect
      .poll(async () => Number(await page.getByTestId('metric.step').textContent()), {
        timeout: 30_000,
      })
      .toBeGreaterThan(at);
    at = Number(await page.getByTestId('metric.step').textContent());
  }
  await expect(page.getByTestId('train.state')).toHaveText('paused');
}

test('training history CSV and Embedding Projector TSVs carry their settings, seed and step', async ({
  page,
}) => {
  test.setTimeout(PREPARE_TIMEOUT + 120_000);
  const errors = collectConsoleErrors(page);
  await page.goto(`/#${WORLD}&view=training&negatives=64`);
  await train(page, 1);
  const step = Number(await page.getByTestId('metric.step').textContent());

  const [history] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export.history').click(),
  ]);
  expect(history.suggestedFilename()).toBe(`recsys-training-history-seed7-step${step}.csv`);
  const lines = (await text(history)).trimEnd().split('\n');
  expect(lines[0]).toBe('# RecSys Playground: training history');
  expect(lines[1]).toMatch(/^# settings: #seed=7&videos=2000&users=1500.*negatives=64/);
  expect(lines[2]).toMatch(new RegExp(`^# seed: 7, step: ${step}, backend: \\w+`));
  const header = lines[3].split(',');
  expect(header.slice(0, 4)).toEqual(['step', 'candidate_loss', 'mf_loss', 'ranking_loss']);
  const rows = lines.slice(4).map((l) => l.split(','));
  // Step 0's evaluation, then one line per trained step.
  expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: step + 1 }, (_, i) => i));
  for (const r of rows) expect(r).toHaveLength(header.length);
  const recall100 = header.indexOf('recall_at_100');
  expect(Number(rows[0][recall100])).toBeGreaterThanOrEqual(0);
  expect(Number(rows.at(-1)![1])).toBeGreaterThan(0); // a training loss on the last step

  await page.getByTestId('tab.projection').click();
  await expect(page.getByTestId('export.projector')).toBeEnabled({ timeout: 30_000 });
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByTestId('export.projector').click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
  const byName = new Map(downloads.map((d) => [d.suggestedFilename(), d]));
  const vectors = byName.get(`recsys-projector-vectors-seed7-step${step}.tsv`);
  const metadata = byName.get(`recsys-projector-metadata-seed7-step${step}.tsv`);
  expect(vectors && metadata, [...byName.keys()].join(', ')).toBeTruthy();
  const vLines = (await text(vectors!)).trimEnd().split('\n');
  const mLines = (await text(metadata!)).trimEnd().split('\n');
  expect(vLines).toHaveLength(2000);
  expect(mLines).toHaveLength(2001);
  expect(mLines[0]).toBe('video\ttitle\ttopic\tpopularity_rank\tage_days\tclickbait');
  const dim = vLines[0].split('\t').length;
  expect(dim).toBeGreaterThanOrEqual(8);
  for (const l of vLines.slice(0, 50)) {
    const cells = l.split('\t').map(Number);
    expect(cells).toHaveLength(dim);
    for (const x of cells) expect(Number.isFinite(x)).toBe(true);
  }
  expect(mLines[1].split('\t')[0]).toBe('0');
  expect(mLines[2000].split('\t')[0]).toBe('1999');
  expect(errors).toEqual([]);
});
