/**
 * Arms of the simulated A/B test from elsewhere (docs/loop.md#a-run-as-an-arm,
 * docs/lessons.md#classroom): a lesson's "A/B these arms" opens the Feedback loop tab's A/B form
 * with the lesson's headline pair preselected; a run file picked as an arm is refused by name
 * when bad and, when good, is its knobs retrained — the numbers of the lesson variant with the
 * same knobs. Also: the feedback-loop lesson offers its optional policies and no A/B link.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectConsoleErrors } from './browser.ts';
import { runFileOf } from '../src/protocol/loop/ab-run.fixture.ts';

test('a lesson’s “A/B these arms” opens the A/B form with its two variants', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await page.goto('/#seed=7&videos=400&users=100&view=lessons&lesson=logq&chapter=3');
  await expect(page.getByTestId('lesson.ab')).toHaveText('A/B these arms: logQ off vs logQ on');
  await page.getByTestId('lesson.ab').click();
  await expect(page.getByTestId('view.loop')).toBeVisible();
  await expect(page.getByTestId('ab.preset')).toHaveValue('lessons');
  await expect(page.getByTestId('ab.armA')).toHaveValue('logq:off');
  await expect(page.getByTestId('ab.armB')).toHaveValue('logq:on');
  await expect(page.getByTestId('ab.progress')).toHaveText('not run yet');

  // The loop lesson's variants are policies, not models: no link; its optional policies offered.
  await page.goto('about:blank');
  await page.goto('/#seed=7&videos=400&users=100&view=lessons&lesson=feedback-loop&chapter=3');
  await expect(page.getByTestId('lesson.extra.explore')).not.toBeChecked();
  await expect(page.getByTestId('lesson.extra.age-off')).toBeVisible();
  await expect(page.getByTestId('lesson.ab')).toHaveCount(0);
  // A box switched on stays in the link, and the link switches it on again.
  await page.getByTestId('lesson.extra.explore').check();
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/lessonExtras=explore/);
  const link = await page.evaluate(() => location.hash);
  await page.goto('about:blank');
  await page.goto('/' + link);
  await expect(page.getByTestId('lesson.extra.explore')).toBeChecked();
  await expect(page.getByTestId('lesson.extra.age-off')).not.toBeChecked();
  expect(errors).toEqual([]);
});

/** Runs the A/B test with 200 users for a day and returns the offline and online cells. */
async function runAb(page: Page) {
  await page.getByTestId('ab.abUsers').fill('200');
  await page.getByTestId('ab.abDays').fill('1');
  await page.getByTestId('ab.run').click();
  await expect(page.getByTestId('ab.progress')).toHaveText(/^done/, { timeout: 120_000 });
  const offline = page.getByTestId('ab.offline').locator('tbody tr');
  const cells = async (i: number) => offline.nth(i).locator('td.num').allTextContents();
  return {
    labels: await offline.locator('th').allTextContents(),
    offline: [await cells(0), await cells(1)],
    online: await page.getByTestId('ab.online').locator('tbody td').allTextContents(),
  };
}

test('a run file as an arm: a bad one named, a good one gives its lesson twin’s numbers', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  await page.goto('/#seed=7&videos=400&users=100&view=loop');
  // The A/B takes the loop's seed, videos and steps as last run: a short loop first.
  await page.getByTestId('loop.rounds').fill('1');
  await page.getByTestId('loop.videos').fill('400');
  await page.getByTestId('loop.users').fill('100');
  await page.getByTestId('loop.steps').fill('30');
  for (const p of ['model', 'ageOff', 'explore', 'frozen', 'oracle'])
    await page.getByTestId(`loop.policy.${p}`).uncheck();
  await page.getByTestId('loop.run').click();
  await expect(page.getByTestId('loop.progress')).toHaveText(/^done/, { timeout: 60_000 });

  await page.getByTestId('ab.preset').selectOption('lessons');
  await page.getByTestId('ab.armA').selectOption('watch-time:ctr');
  await page.getByTestId('ab.armB').selectOption('watch-time:weighted');
  const lesson = await runAb(page);

  // A bad run file: refused, naming the file, its code and the knob; the arm stays.
  await page.getByTestId('ab.runFile').setInputFiles({
    name: 'bad.recsys-run',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(runFileOf({ negatives: 0 })),
  });
  await expect(page.getByTestId('ab.runError')).toHaveText(
    'ab: run file bad.recsys-run: bad-params: bad training settings in the file: negatives must be an integer from 1 to 8192 (got "0")',
  );
  await expect(page.getByTestId('ab.armA')).toHaveValue('watch-time:ctr');

  // A run file with watch-time:ctr's knobs as arm A.
  await page.getByTestId('ab.runFile').setInputFiles({
    name: 'ctr.recsys-run',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(runFileOf({ weighting: 'unweighted' })),
  });
  await expect(page.getByTestId('ab.armA')).toHaveValue('run:ctr.recsys-run');
  await expect(page.getByTestId('ab.runError')).toHaveCount(0);
  const fromRun = await runAb(page);
  expect(fromRun.labels[0]).toContain('A: run ctr.recsys-run (weighting unweighted)');
  await expect(page.getByTestId('ab.note.A')).toContainText('its weights are not used');
  expect(fromRun.offline).toEqual(lesson.offline);
  expect(fromRun.online).toEqual(lesson.online);
  expect(errors).toEqual([]);
});
