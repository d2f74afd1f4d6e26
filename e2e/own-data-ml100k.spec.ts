/**
 * "Your data" with MovieLens 100K's own format (docs/own-data.md): a generated `u.data` (tab-
 * separated user, item, rating, time) and `u.item` (pipe-separated, latin-1 titles, genre flags)
 * written by the project's fixture generator to a temp folder, picked through the file input
 * (`data.files`), parsed in the worker and trained on: the Training tab's most-popular
 * recall@100 is the loaded data's (the same computation in Node) and the model's recall@100
 * climbs above it. A run saved on that data names it: loaded on the generated world it is
 * refused (`needs-data`) with the files' names and the world on screen stays; picking the files
 * from the offer loads the data and then the run.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { generateFixture, toMl100k } from '../src/sim/import/fixtures';
import { parseDataFiles } from '../src/sim/import/parse';
import { worldFromInteractions } from '../src/sim/import/data-world';
import { buildCandidateExamples } from '../src/sim/examples';
import { collectConsoleErrors } from './browser.ts';

const fixture = generateFixture({ seed: 5, users: 400, items: 300, ratings: 16_000 });
const k = toMl100k(fixture);
/** u.item as MovieLens ships it: latin-1, with a title outside ASCII. */
const item = Buffer.from(k.item.replace('Movie 1, The', 'Movie 1, Thé'), 'latin1');

/** Most-popular recall@100 of the fixture as the worker computes it (same code, in Node). */
async function expectedPopular(): Promise<string> {
  const { evaluationRows, popularRanks, retrievalMetrics } =
    await import('../src/model/candidate/evaluate');
  const { EVAL_EXAMPLES } = await import('../src/protocol/training');
  const data = await parseDataFiles([
    { name: 'u.data', size: k.data.length, content: k.data },
    { name: 'u.item', size: item.length, content: item.toString('latin1') },
  ]);
  const { world } = worldFromInteractions(data);
  const testEx = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
  const rows = evaluationRows(testEx, EVAL_EXAMPLES);
  return retrievalMetrics(popularRanks(world, testEx, rows)).recallAt[100].toFixed(3);
}

test('loads a MovieLens 100K u.data + u.item pair, trains, and beats most-popular', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const errors = collectConsoleErrors(page);
  const dir = mkdtempSync(join(tmpdir(), 'recsys-ml100k-'));
  const data = join(dir, 'u.data');
  const items = join(dir, 'u.item');
  writeFileSync(data, k.data);
  writeFileSync(items, item);
  const popular = await expectedPopular();

  await page.goto('/#seed=7&videos=300&users=100&view=data');
  await expect(page.getByTestId('tab.data')).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('data.files').setInputFiles([data, items]);
  const summary = page.getByTestId('data.summary');
  await expect(summary).toContainText('Filesu.data, u.item (ml100k)', { timeout: 60_000 });
  await expect(summary).toContainText('Interactions' + String(fixture.user.length));
  await expect(summary).toContainText('Users400');
  await expect(page.getByTestId('data.error')).toHaveCount(0);

  await page.getByTestId('data.train').click();
  await expect(page.getByTestId('train.state')).toHaveText('paused', { timeout: 60_000 });
  await expect(page.getByTestId('metric.recall100Popular')).toHaveText(popular);
  await page.getByTestId('train.play').click();
  await expect
    .poll(
      async () => {
        const model = Number(await page.getByTestId('metric.recall100').textContent());
        return model - Number(popular);
      },
      { timeout: 90_000, intervals: [1000] },
    )
    .toBeGreaterThan(0);
  await page.getByTestId('train.pause').click();
  await expect(page.getByTestId('train.state')).toHaveText('paused');

  // A run saved on this data names the data: on the generated world it is refused, by name.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('run.save').click(),
  ]);
  const saved = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(saved);
  const step = /-step(\d+)\./.exec(download.suggestedFilename())![1];
  await page.getByTestId('tab.data').click();
  await page.getByTestId('data.back').click();
  await expect(page.getByTestId('data.none')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('tab.training').click();
  await page.getByTestId('run.load').setInputFiles({
    name: download.suggestedFilename(),
    mimeType: 'application/octet-stream',
    buffer: readFileSync(saved),
  });
  const error = page.getByTestId('run.error');
  await expect(error).toHaveAttribute('data-code', 'needs-data');
  await expect(error).toContainText(
    `was trained on your data, u.data + u.item (ml100k: 400 users × 300 items, ${fixture.user.length} interactions`,
  );
  // Picking the files loads the data, then the run on it.
  await page.getByTestId('run.pickData').setInputFiles([data, items]);
  await expect(page.getByTestId('run.error')).toHaveCount(0, { timeout: 60_000 });
  await expect
    .poll(
      async () =>
        ((await page.getByTestId('metric.stepInline').textContent()) ?? '').replace(/[^\d]/g, ''),
      { timeout: 60_000 },
    )
    .toBe(step);
  await expect(page.getByTestId('train.state')).toHaveText('paused');
  await expect(page.getByTestId('metric.recall100Popular')).toHaveText(popular);
  await page.getByTestId('tab.data').click();
  await expect(page.getByTestId('data.summary')).toContainText('Filesu.data, u.item (ml100k)');
  expect(errors).toEqual([]);
});
