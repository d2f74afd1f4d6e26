/**
 * The Lessons tab in the built app: a lesson opens by its id, runs its experiment in lesson
 * workers (short settings here: a few steps, two repeats), fills its table and computes a verdict
 * from the measured runs; the Training tab's run is untouched.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectConsoleErrors } from './browser.ts';

const VERDICT = /^(reproduced|not-reproduced|inconclusive): /;

test('the logQ lesson runs in its workers and gives a verdict computed from its runs', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  await page.goto('/#seed=7&videos=1000&users=500&view=lessons');
  await expect(page.getByTestId('view.lessons')).toBeVisible();
  await page.getByTestId('lesson.logq').click();
  await expect(page.getByTestId('lesson.paper')).toContainText('Yi et al.');
  await page.getByTestId('lesson.steps').fill('20');
  await page.getByTestId('lesson.repeats').fill('2');
  await page.getByTestId('lesson.run').click();
  const progress = page.getByTestId('lesson.progress');
  await expect(progress).toContainText('running');
  await page.getByTestId('lesson.chapter2').click();
  await expect(progress).toHaveText(/^done: 4 of 4 runs, 100% of steps/, { timeout: 200_000 });
  await page.getByTestId('lesson.chapter3').click();
  const verdict = page.getByTestId('lesson.verdict');
  await expect(verdict).toHaveText(VERDICT);
  await expect(verdict).toContainText('20 steps, 5,000 videos × 2,500 users');
  // The table has one row per variant, each with a measured recall@100.
  const rows = page.getByTestId('lesson.table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  for (const text of await rows.allTextContents()) expect(text).toMatch(/0\.\d{4} ± 0\.\d{4}/);
  expect(errors).toEqual([]);
});

/** Runs lesson `id` with a short setting (chapter 2 shown) and returns its verdict locator. */
async function runShort(page: Page, id: string, runs: number) {
  // Steps and repeats come from the link, and stay in it.
  await page.goto(
    `/#seed=7&videos=1000&users=500&view=lessons&lesson=${id}&chapter=2&lessonSteps=10&lessonRepeats=2`,
  );
  await expect(page.getByTestId('lesson.steps')).toHaveValue('10');
  await expect(page.getByTestId('lesson.repeats')).toHaveValue('2');
  await page.getByTestId('lesson.run').click();
  await expect(page.getByTestId('lesson.progress')).toHaveText(
    new RegExp(`^done: ${runs} of ${runs} runs, 100% of steps`),
    { timeout: 220_000 },
  );
  expect(await page.evaluate(() => location.hash)).toMatch(/lessonSteps=10.*lessonRepeats=2/);
}

test('the example-age lesson draws watched, without and with example age, and a verdict', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  await runShort(page, 'example-age', 4);
  // The Figure 4 chart: what users watched and both models, one line each.
  const chart = page.getByTestId('chart.lesson.age');
  await expect(chart.locator('path.series')).toHaveCount(3);
  for (const label of ['watched', 'without example age', 'with example age'])
    await expect(chart.locator(`path.series[data-label="${label}"]`)).toHaveCount(1);
  await page.getByTestId('lesson.chapter3').click();
  const verdict = page.getByTestId('lesson.verdict');
  await expect(verdict).toHaveText(VERDICT);
  await expect(verdict).toContainText('|model − watched| share, last 7 days');
  await expect(verdict).toContainText('10 steps, 5,000 videos × 2,500 users');
  const rows = page.getByTestId('lesson.table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  for (const text of await rows.allTextContents()) expect(text).toMatch(/0\.\d{4} ± 0\.\d{4}/);
  // The paper's column and the inline help with its glossary link.
  await expect(rows.first()).toContainText('flat: the training window’s average');
  await page.getByTestId('help.term.example-age').first().click();
  await expect(page.getByTestId('help.term.example-age.text')).toContainText('set to 0');
  await page.getByTestId('glossary.link.example-age').click();
  await expect(page.getByTestId('glossary')).toContainText('watch bag');
  expect(errors).toEqual([]);
});

test('the funnel lesson serves both models end to end and gives a verdict', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  await runShort(page, 'funnel', 6);
  await page.getByTestId('lesson.chapter3').click();
  const verdict = page.getByTestId('lesson.verdict');
  await expect(verdict).toHaveText(VERDICT);
  await expect(verdict).toContainText('end-to-end watch min per impression');
  const rows = page.getByTestId('lesson.table').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  // Watch minutes per impression (> 0) and a recall in [0, 1] for every arm.
  for (const text of await rows.allTextContents()) expect(text).toMatch(/\d\.\d{4} ± /);
  expect(errors).toEqual([]);
});

test('the embeddings lesson pretrains in the page and gives a verdict', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  await runShort(page, 'embeddings', 6);
  await page.getByTestId('lesson.chapter3').click();
  const verdict = page.getByTestId('lesson.verdict');
  await expect(verdict).toHaveText(VERDICT);
  await expect(verdict).toContainText('(pretrained (CBOW), frozen)');
  const rows = page.getByTestId('lesson.table').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  for (const text of await rows.allTextContents()) expect(text).toMatch(/0\.\d{4} ± 0\.\d{4}/);
  expect(errors).toEqual([]);
});

test('the feedback-loop lesson runs whole loops per repeat and gives a verdict', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  // Two rounds and two repeats from the link; a loop lesson's steps are rounds.
  await page.goto(
    '/#seed=7&videos=1000&users=500&view=lessons&lesson=feedback-loop&chapter=2&lessonSteps=2&lessonRepeats=2',
  );
  await expect(page.getByTestId('lesson.steps')).toHaveValue('2');
  await expect(page.locator('.lesson-run label').first()).toContainText('rounds');
  // More rounds than the loop world has days is refused, naming the field and its range.
  await page.getByTestId('lesson.steps').fill('31');
  await page.getByTestId('lesson.run').click();
  await expect(page.getByTestId('lesson.error')).toHaveText(
    'rounds must be an integer from 1 to 30 (got "31")',
  );
  await page.getByTestId('lesson.steps').fill('2');
  await page.getByTestId('lesson.run').click();
  await expect(page.getByTestId('lesson.progress')).toHaveText(
    /^done: 6 of 6 runs, 100% of rounds/,
    { timeout: 220_000 },
  );
  // One curve per policy, one point per round.
  const chart = page.getByTestId('chart.lesson.loopHomogenisation');
  await expect(chart.locator('path.series')).toHaveCount(3);
  await page.getByTestId('lesson.chapter3').click();
  const verdict = page.getByTestId('lesson.verdict');
  await expect(verdict).toHaveText(VERDICT);
  await expect(verdict).toContainText('homogenisation of what users watch');
  await expect(verdict).toContainText('2 rounds, 1,000 videos × 500 users');
  const rows = page.getByTestId('lesson.table').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  // Every policy's homogenisation, Gini, coverage, top-1% and clickbait shares lie in [0, 1];
  // topics per user is at least 1; true watch minutes are above 0.
  for (let i = 0; i < 3; i++) {
    const cells = await rows.nth(i).locator('td.num').allTextContents();
    const means = cells.map((c) => Number(/^(\d+\.\d+) ± /.exec(c)?.[1] ?? NaN));
    expect(means).toHaveLength(7);
    for (const j of [0, 2, 3, 4, 6]) {
      expect(means[j]).toBeGreaterThanOrEqual(0);
      expect(means[j]).toBeLessThanOrEqual(1);
    }
    expect(means[1]).toBeGreaterThanOrEqual(1);
    expect(means[5]).toBeGreaterThan(0);
  }
  await expect(page.getByTestId('lesson.interests')).toHaveText(
    /the users’ own interests: homogenisation 0\.\d{4}/,
  );
  expect(errors).toEqual([]);
});

test('a lesson link opens that lesson at its chapter; hide= hides what it names; present=on enlarges', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectConsoleErrors(page);
  await page.goto(
    '/#seed=7&videos=1000&users=500&view=lessons&lesson=negatives&chapter=2&hide=tabs,header',
  );
  await expect(page.getByTestId('lesson.negatives')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('lesson.chapter2')).toHaveAttribute('aria-current', 'step');
  await expect(page.getByTestId('lesson.run')).toBeVisible();
  await expect(page.getByTestId('tab.world')).toBeHidden();
  await expect(page.locator('.app-header')).toBeHidden();
  // The URL keeps the lesson, the chapter and what is hidden.
  await page.getByTestId('lesson.chapter3').click();
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('lesson=negatives');
  expect(await page.evaluate(() => location.hash)).toContain('chapter=3');
  expect(await page.evaluate(() => decodeURIComponent(location.hash))).toContain(
    'hide=header,tabs',
  );

  await page.goto(
    '/#seed=7&videos=1000&users=500&view=training&hide=negatives,tab.softmax,intro&present=on',
  );
  await expect(page.getByTestId('param.lr')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('param.negatives')).toBeHidden();
  await expect(page.getByTestId('tab.softmax')).toBeHidden();
  await expect(page.getByTestId('tab.funnel')).toBeVisible();
  await expect(page.locator('.train-intro')).toBeHidden();
  expect(await page.evaluate(() => document.documentElement.classList.contains('present'))).toBe(
    true,
  );
  const size = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  expect(parseFloat(size)).toBeGreaterThan(16);
  // An unknown name is reported with the key and what is allowed (and the default, nothing hidden, used).
  await page.goto('/#seed=7&videos=1000&users=500&hide=negatives,nonsense');
  await expect(page.getByText(/hide must be a comma list of knob keys/)).toBeVisible();
  expect(errors).toEqual([]);
});

test('a pinned run’s curves stay on the charts, labelled by the knobs that differ, while a new run trains', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  await page.goto('/#seed=7&videos=1000&users=500&view=training');
  const state = page.getByTestId('train.state');
  await expect(state).toHaveText('paused', { timeout: 90_000 });
  await expect(page.getByTestId('run.pin')).toBeDisabled();
  const stepTo = async (n: number) => {
    while (Number(await page.getByTestId('metric.step').textContent()) < n) {
      await page.getByTestId('train.step').click();
      await expect(state).toHaveText('paused', { timeout: 30_000 });
    }
  };
  await stepTo(50);
  await page.getByTestId('run.pin').click();
  await expect(page.getByTestId('run.unpin1')).toBeVisible();
  const recall = page.getByTestId('chart.recall');
  await expect(recall).toContainText('pinned 1 (same knobs)');
  // Another knob value and a reset: the new run trains, the pin stays, its label names the knob.
  await page.getByTestId('param.negatives').fill('16');
  await page.getByTestId('param.negatives').press('Enter');
  await page.getByTestId('train.reset').click();
  await expect(state).toHaveText('paused', { timeout: 90_000 });
  await stepTo(10);
  await expect(recall).toContainText('pinned 1: negatives');
  await expect(page.getByTestId('chart.loss')).toContainText('pinned 1: negatives');
  await page.getByTestId('run.unpin1').click();
  await expect(recall).not.toContainText('pinned 1');
  expect(errors).toEqual([]);
});
