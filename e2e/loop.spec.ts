/**
 * The Feedback loop tab in the built app, with short settings: the loop runs in its worker
 * (progress, a cancel that stops it), then a short run fills the per-round table with R rows per
 * policy whose coverage and Gini are measured values in range, and the curves; the A/B test shows
 * both arms' offline numbers and online differences with their intervals.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectConsoleErrors } from './browser.ts';

/** Fills the loop's form with short settings and the policies `on`. */
async function shortLoop(page: Page, rounds: number, on: string[]) {
  const set = async (key: string, value: string) => page.getByTestId(`loop.${key}`).fill(value);
  await set('rounds', String(rounds));
  await set('videos', '400');
  await set('users', '100');
  await set('steps', '30');
  await set('roundSteps', '10');
  for (const p of ['model', 'ageOff', 'explore', 'frozen', 'legacy', 'oracle']) {
    const box = page.getByTestId(`loop.policy.${p}`);
    if (on.includes(p)) await box.check();
    else await box.uncheck();
  }
}

/** Set LOOP_SCREENSHOTS=/some/dir to save screenshots of the view after each run. */
const SHOTS = process.env.LOOP_SCREENSHOTS;

/** A number shown with an interval: "12.34 [10.01, 14.67]". */
const INTERVAL = /^(-?\d+\.\d+) \[(-?\d+\.\d+), (-?\d+\.\d+)\]$/;

test('the feedback loop runs rounds per policy, cancels, and the A/B test shows intervals', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectConsoleErrors(page);
  await page.goto('/#seed=7&videos=1000&users=500&view=loop');
  await expect(page.getByTestId('view.loop')).toBeVisible();
  const progress = page.getByTestId('loop.progress');
  await expect(progress).toHaveText('not run yet');

  // A bad value is named with its range, and nothing starts.
  await page.getByTestId('loop.rounds').fill('0');
  await page.getByTestId('loop.run').click();
  await expect(page.getByTestId('loop.error')).toHaveText(
    'rounds must be an integer from 1 to 30 (got "0")',
  );
  await expect(progress).toHaveText('not run yet');

  // A long run reports progress, and Cancel stops it.
  await shortLoop(page, 30, ['model', 'legacy']);
  await page.getByTestId('loop.run').click();
  await expect(progress).toContainText(/training on the history|round/, { timeout: 30_000 });
  await page.getByTestId('loop.run').click();
  await expect(progress).toHaveText(/^cancelled/);

  // A short run: R rows per policy, coverage in (0, 1], Gini in [0, 1).
  const R = 3;
  const policies = ['model', 'explore', 'legacy'];
  await shortLoop(page, R, policies);
  await page.getByTestId('loop.run').click();
  await expect(progress).toHaveText(/^done/, { timeout: 60_000 });
  const rows = page.getByTestId('loop.row');
  await expect(rows).toHaveCount(R * policies.length);
  for (const p of policies) {
    const mine = page.locator(`[data-testid="loop.row"][data-policy="${p}"]`);
    await expect(mine).toHaveCount(R);
    for (let r = 0; r < R; r++) {
      const row = mine.nth(r);
      await expect(row).toHaveAttribute('data-round', String(r + 1));
      const coverage = Number(await row.locator('[data-key="coverage"]').textContent());
      expect(coverage).toBeGreaterThan(0);
      expect(coverage).toBeLessThanOrEqual(1);
      const gini = Number(await row.locator('[data-key="gini"]').textContent());
      expect(gini).toBeGreaterThanOrEqual(0);
      expect(gini).toBeLessThan(1);
      const recall = (await row.locator('[data-key="recallNext"]').textContent()) ?? '';
      if (p === 'legacy') expect(recall).toBe('—');
      else expect(Number(recall)).toBeGreaterThanOrEqual(0);
    }
  }
  // One curve per policy on the coverage chart.
  await expect(page.getByTestId('chart.loop.coverage').locator('path.series')).toHaveCount(
    policies.length,
  );

  if (SHOTS) await page.screenshot({ path: `${SHOTS}/loop.png`, fullPage: true });

  // The A/B test, short: both arms offline, online differences with intervals.
  await page.getByTestId('ab.abUsers').fill('200');
  await page.getByTestId('ab.abDays').fill('1');
  await page.getByTestId('ab.run').click();
  await expect(page.getByTestId('ab.progress')).toHaveText(/^done/, { timeout: 60_000 });
  await expect(page.getByTestId('ab.offline').locator('tbody tr')).toHaveCount(2);
  for (const key of ['minutes', 'welfare', 'clicks', 'clickbaitShare']) {
    const text = ((await page.getByTestId(`ab.diff.${key}`).textContent()) ?? '').trim();
    const m = INTERVAL.exec(text);
    expect(m, `${key}: ${text}`).not.toBeNull();
    const [value, lo, hi] = [Number(m![1]), Number(m![2]), Number(m![3])];
    expect(lo).toBeLessThanOrEqual(value);
    expect(hi).toBeGreaterThanOrEqual(value);
    expect(hi).toBeGreaterThan(lo);
  }
  if (SHOTS) await page.getByTestId('ab.result').screenshot({ path: `${SHOTS}/loop-ab.png` });
  expect(errors).toEqual([]);
});

test('the A/B test takes any two lesson variants: offline beside online, a bad pair named', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  await page.goto('/#seed=7&videos=400&users=100&view=loop');
  // The A/B test takes the loop's seed, videos and steps as last run: one short round first.
  await shortLoop(page, 1, ['legacy']);
  await page.getByTestId('loop.run').click();
  await expect(page.getByTestId('loop.progress')).toHaveText(/^done/, { timeout: 60_000 });
  await page.getByTestId('ab.preset').selectOption('lessons');
  // K 512 negatives need more than 512 videos: refused by name before anything runs.
  await page.getByTestId('ab.armA').selectOption('negatives:k8');
  await page.getByTestId('ab.armB').selectOption('negatives:k512');
  await page.getByTestId('ab.run').click();
  await expect(page.getByTestId('ab.error')).toHaveText(
    'ab: arm negatives:k512 samples 512 negatives, which needs more than 512 videos (videos is 400)',
  );
  await page.getByTestId('ab.armA').selectOption('watch-time:ctr');
  await page.getByTestId('ab.armB').selectOption('watch-time:weighted');
  await page.getByTestId('ab.abUsers').fill('200');
  await page.getByTestId('ab.abDays').fill('1');
  await page.getByTestId('ab.run').click();
  await expect(page.getByTestId('ab.progress')).toHaveText(/^done/, { timeout: 120_000 });
  const rows = page.getByTestId('ab.offline').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('A: CTR (unweighted) (watch-time)');
  await expect(rows.nth(1)).toContainText('B: weighted by watch time (watch-time)');
  // Both arms share the lesson's candidate model: the same offline recall@100 and MAP.
  const offline = async (i: number) =>
    (await rows.nth(i).locator('td.num').allTextContents()).slice(1, 3);
  expect(await offline(0)).toEqual(await offline(1));
  // Offline beside online: the shared candidate model makes no call on recall and MAP.
  await expect(page.getByTestId('ab.agreement')).toContainText(
    'Offline B − A: recall@100 +0.0000 (no call), MAP +0.0000 (no call), ranker AUC',
  );
  for (const key of ['minutes', 'welfare', 'clicks', 'clickbaitShare']) {
    const text = ((await page.getByTestId(`ab.diff.${key}`).textContent()) ?? '').trim();
    const m = INTERVAL.exec(text);
    expect(m, `${key}: ${text}`).not.toBeNull();
    const [value, lo, hi] = [Number(m![1]), Number(m![2]), Number(m![3])];
    expect(lo).toBeLessThanOrEqual(value);
    expect(hi).toBeGreaterThanOrEqual(value);
  }
  expect(errors).toEqual([]);
});
