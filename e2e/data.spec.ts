/**
 * "Your data" in the built app (docs/own-data.md): a generated MovieLens-format fixture
 * (ratings.csv + movies.csv, written to a temp folder by the project's own generator) is
 * loaded through the file input, parsed in the worker, and trained on: the Training tab's
 * most-popular recall@100 is the loaded data's (checked against the same computation in Node)
 * and the model's recall@100 climbs above it. A file with a bad line is refused with its line
 * number and the data on screen stays; a file over the byte limit is refused before it is read,
 * the message naming the limit; the generated world comes back on request.
 */
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { generateFixture, toMl100k, toMovieLensCsv, withBadLine } from '../src/sim/import/fixtures';
import { parseDataFiles } from '../src/sim/import/parse';
import { worldFromInteractions } from '../src/sim/import/data-world';
import { buildCandidateExamples } from '../src/sim/examples';
import { DATA_LIMITS } from '../src/sim/import/formats';
import { collectConsoleErrors } from './browser.ts';

const fixture = generateFixture({ seed: 5, users: 400, items: 300, ratings: 16_000 });
const ml = toMovieLensCsv(fixture);

/** Most-popular recall@100 of the fixture as the worker computes it (same code, in Node). */
async function expectedPopular(): Promise<string> {
  const { evaluationRows, popularRanks, retrievalMetrics } =
    await import('../src/model/candidate/evaluate');
  const { EVAL_EXAMPLES } = await import('../src/protocol/training');
  const data = await parseDataFiles([
    { name: 'ratings.csv', size: ml.ratings.length, content: ml.ratings },
    { name: 'movies.csv', size: ml.movies.length, content: ml.movies },
  ]);
  const { world } = worldFromInteractions(data);
  const testEx = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
  const rows = evaluationRows(testEx, EVAL_EXAMPLES);
  return retrievalMetrics(popularRanks(world, testEx, rows)).recallAt[100].toFixed(3);
}

test('loads a MovieLens fixture, trains above most-popular, refuses a bad line and an oversized file', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const errors = collectConsoleErrors(page);
  const dir = mkdtempSync(join(tmpdir(), 'recsys-data-'));
  const ratings = join(dir, 'ratings.csv');
  const movies = join(dir, 'movies.csv');
  writeFileSync(ratings, ml.ratings);
  writeFileSync(movies, ml.movies);
  const popular = await expectedPopular();

  await page.goto('/#seed=7&videos=300&users=100&view=data');
  await expect(page.getByTestId('tab.data')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('data.none')).toBeVisible();
  await page.getByTestId('data.files').setInputFiles([ratings, movies]);
  const summary = page.getByTestId('data.summary');
  await expect(summary).toContainText('Interactions' + String(fixture.user.length), {
    timeout: 60_000,
  });
  await expect(summary).toContainText('Users400');

  // Training: the baseline is the loaded data's, and the model passes it.
  await page.getByTestId('data.train').click();
  await expect(page.getByTestId('data.note.training')).toBeVisible();
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

  // A bad line: its line number is shown and the loaded data stays.
  await page.getByTestId('tab.data').click();
  const bad = join(dir, 'bad', 'ratings.csv');
  mkdirSync(join(dir, 'bad'));
  writeFileSync(bad, withBadLine(ml.ratings, 25, '3,12,4.0,soon'));
  await page.getByTestId('data.files').setInputFiles([bad]);
  await expect(page.getByTestId('data.error')).toContainText(
    'ratings.csv line 25, column 4 (timestamp): "soon" is not a whole number of seconds',
  );
  await expect(summary).toContainText('Interactions' + String(fixture.user.length));

  // Over the limit: refused before reading, the limit named (a sparse file: nothing is written).
  const huge = join(dir, 'huge.csv');
  writeFileSync(huge, '');
  truncateSync(huge, DATA_LIMITS.bytesPerFile + 1);
  await page.getByTestId('data.files').setInputFiles([huge]);
  await expect(page.getByTestId('data.error')).toContainText(
    `huge.csv is 64 MB (${DATA_LIMITS.bytesPerFile + 1} bytes); the limit is 64 MB (${DATA_LIMITS.bytesPerFile} bytes) per file (refused before reading)`,
  );
  await expect(summary).toBeVisible();
  // The tab with data, an error and every control passes axe-core's WCAG 2 A/AA rules.
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // Back to the generated world.
  await page.getByTestId('data.back').click();
  await expect(page.getByTestId('data.none')).toBeVisible({ timeout: 60_000 });

  // Dropped files: MovieLens 100K's u.data + u.item (u.item written in latin-1).
  const k = toMl100k(generateFixture({ seed: 9, users: 50, items: 40, ratings: 800 }));
  const item = k.item.replace('Movie 1, The', 'Movie 1, Thé');
  const dataTransfer = await page.evaluateHandle(
    ([data, bytes]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([data], 'u.data'));
      dt.items.add(new File([new Uint8Array(bytes)], 'u.item'));
      return dt;
    },
    [k.data, [...Buffer.from(item, 'latin1')]] as const,
  );
  await page.getByTestId('data.drop').dispatchEvent('drop', { dataTransfer });
  await expect(summary).toContainText('Filesu.data, u.item (ml100k)');
  await expect(summary).toContainText('Users50');
  expect(errors).toEqual([]);
});
