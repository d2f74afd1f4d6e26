/**
 * The Sampled-softmax and Funnel views in the built app, in real Chromium, on a small world
 * (2 000 videos × 1 500 users): both render from live training (their step and figures move
 * as training advances), the softmax controls change the estimate, the funnel slider changes N
 * and the recall figure, bad k is refused with a message while the figures stay; no console
 * errors.
 *
 * Set VIEWS_SCREENSHOTS=/some/dir to save screenshots of both views.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectConsoleErrors } from './browser.ts';

const PREPARE_TIMEOUT = 90_000;
const SHOTS = process.env.VIEWS_SCREENSHOTS;
const WORLD = 'seed=7&videos=2000&users=1500';

/** A bare number of a test id. */
async function numberOf(page: Page, testId: string): Promise<number> {
  const text = ((await page.getByTestId(testId).textContent()) ?? '').trim();
  expect(text, `${testId} is a bare number`).toMatch(/^-?\d+(\.\d+)?$/);
  return Number(text);
}

/** Plays until the view's answer is of step ≥ `step`, then pauses. */
async function trainUntil(page: Page, stepId: string, step: number): Promise<void> {
  await page.getByTestId('train.play').click();
  await expect
    .poll(() => numberOf(page, stepId).catch(() => -1), { timeout: 120_000, intervals: [500] })
    .toBeGreaterThanOrEqual(step);
  await page.getByTestId('train.pause').click();
  await expect(page.getByTestId('train.state')).toHaveText('paused');
}

test('sampled softmax: live estimate, logQ and K change the bias, the sweep trains per K', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  // Batches of 64: the sweep trains 5 models × 200 steps with the run's settings, and what it
  // checks (a table of recalls, one row per K) does not need the default 256 rows a step.
  await page.goto(`/#${WORLD}&batch=64&view=softmax`);
  await expect(page.getByTestId('view.softmax')).toBeVisible();
  await expect(page.getByTestId('train.state')).toHaveText('paused', { timeout: PREPARE_TIMEOUT });
  await expect(page.getByTestId('softmax.step')).toHaveText('0', { timeout: 60_000 });
  // The scatter's dots (one path per colour, data-count of them in all) are drawn.
  const dots = page.getByTestId('chart.softmaxScatter').locator('g.dots');
  await expect(dots.locator('path').first()).toBeAttached();
  expect(Number(await dots.getAttribute('data-count'))).toBeGreaterThan(100);

  // One answer after step 0 (a new one follows every evaluation, every 50 steps).
  await trainUntil(page, 'softmax.step', 50);
  await expect(page.getByTestId('softmax.step')).not.toHaveText('0');

  // The popularity sampler without logQ is biased; with it the estimate is much closer.
  await page.getByTestId('param.studySampler').selectOption('popularity');
  await page.getByTestId('param.studyNegatives').selectOption('64');
  await page.getByTestId('param.studyLogQ').uncheck();
  await expect(page.getByTestId('softmax.step')).toBeVisible();
  await expect.poll(async () => page.getByTestId('param.studyLogQ').isChecked()).toBe(false);
  await page.waitForTimeout(300);
  await expect(page.getByText('updating…')).toHaveCount(0, { timeout: 30_000 });
  const tvOff = await numberOf(page, 'metric.softmaxTv');
  await page.getByTestId('param.studyLogQ').check();
  await expect
    .poll(() => numberOf(page, 'metric.softmaxTv'), { timeout: 30_000 })
    .toBeLessThan(tvOff / 2);
  for (const id of ['chart.softmaxDeciles', 'chart.softmaxBiasK', 'chart.samplingDistribution'])
    await expect(page.getByTestId(id).locator('path').first()).toBeAttached();
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/softmax.png`, fullPage: true });

  // The sweep trains a model per K and fills its table.
  await page.getByTestId('softmax.sweep').click();
  await expect(page.getByTestId('softmax.sweepTable').locator('tbody tr')).toHaveCount(5, {
    timeout: 180_000,
  });
  const recalls = await page
    .getByTestId('softmax.sweepTable')
    .locator('tbody td.key')
    .allTextContents();
  for (const r of recalls.map(Number)) {
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThanOrEqual(1);
  }
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/softmax-sweep.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('funnel: live figures, the N slider moves recall, bad k is refused', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/#${WORLD}&view=funnel`);
  await expect(page.getByTestId('view.funnel')).toBeVisible();
  await expect(page.getByTestId('train.state')).toHaveText('paused', { timeout: PREPARE_TIMEOUT });
  await expect(page.getByTestId('funnel.step')).toHaveText('0', { timeout: 60_000 });
  const recallAtStart = await numberOf(page, 'metric.funnelRecall');
  await expect(page.getByTestId('funnel.indexNote')).toContainText('built cold');

  // One answer after step 0: the funnel follows training every 100 steps. Its index's k-means
  // starts from the step-0 index's centres (worker/funnel-index.ts), and the page says so.
  await trainUntil(page, 'funnel.step', 100);
  await expect(page.getByTestId('funnel.indexNote')).toContainText(
    "warm-started from the centres of step 0's index",
  );
  const recall100 = await numberOf(page, 'metric.funnelRecall');
  const watch100 = await numberOf(page, 'metric.funnelWatchTime');
  expect(recall100).not.toBe(recallAtStart);
  expect(watch100).toBeGreaterThan(0);
  expect(await page.getByTestId('funnel.topK').locator('tbody tr').count()).toBe(10);

  // Slider to the far right: N = 2000 retrieves the whole 2 000-video corpus, recall 1.
  const slider = page.getByTestId('param.funnelN');
  await slider.fill('7');
  await expect(page.getByTestId('funnel.n')).toHaveText('2000');
  await expect(page).toHaveURL(/funnelN=2000/);
  const recallAll = await numberOf(page, 'metric.funnelRecall');
  expect(recallAll).toBe(1);
  // Far left: N = 10 keeps fewer next watches than N = 100.
  await slider.fill('0');
  await expect(page.getByTestId('funnel.n')).toHaveText('10');
  expect(await numberOf(page, 'metric.funnelRecall')).toBeLessThan(recallAll);
  expect(await numberOf(page, 'metric.funnelRecall')).toBeLessThanOrEqual(recall100);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/funnel.png`, fullPage: true });

  // k = 0 is refused with the field and range named; the figures stay on screen.
  const k = page.getByTestId('param.funnelK');
  await k.fill('0');
  await k.press('Enter');
  await expect(page.getByTestId('problem.funnel')).toContainText(
    'funnelK must be an integer from 1 to 50',
  );
  expect(await numberOf(page, 'metric.funnelWatchTime')).toBeGreaterThan(0);
  // k = 3: a new answer with three rows.
  await k.fill('3');
  await k.press('Enter');
  await expect(page.getByTestId('problem.funnel')).toHaveCount(0);
  await expect(page.getByTestId('funnel.topK').locator('tbody tr')).toHaveCount(3, {
    timeout: 60_000,
  });
  await expect(page).toHaveURL(/funnelK=3/);
  expect(errors).toEqual([]);
});

test('embeddings: UMAP on demand in its worker, the PCA/UMAP switch, the user field', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/#${WORLD}&view=projection`);
  await expect(page.getByTestId('train.state')).toHaveText('paused', { timeout: PREPARE_TIMEOUT });
  await page.getByTestId('train.step').click();
  await expect(page.getByTestId('train.state')).toHaveText('paused');
  const pixels = () =>
    page
      .getByTestId('projection.canvas')
      .locator('canvas')
      .evaluate((c: HTMLCanvasElement) => c.toDataURL());
  // Drawn (the canvas differs from a blank one of its size) before it is compared.
  await expect
    .poll(() =>
      page
        .getByTestId('projection.canvas')
        .locator('canvas')
        .evaluate((c: HTMLCanvasElement) => {
          const blank = document.createElement('canvas');
          blank.width = c.width;
          blank.height = c.height;
          return c.toDataURL() !== blank.toDataURL();
        }),
    )
    .toBe(true);
  const pca = await pixels();

  await page.getByTestId('projection.umap').click();
  await expect(page.getByTestId('projection.umapProgress')).toContainText('UMAP of step', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('param.layout')).toHaveValue('umap');
  const umap = await pixels();
  expect(umap).not.toBe(pca);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/projection-umap.png`, fullPage: true });
  await page.getByTestId('param.layout').selectOption('pca');
  await expect.poll(pixels).not.toBe(umap);

  // A user out of range is refused, naming the range; a valid one moves the diamond.
  const user = page.getByTestId('param.focusUser');
  await user.fill('99999');
  await user.press('Enter');
  await expect(page.getByTestId('problem.focus')).toContainText(
    'user must be an integer from 0 to 1499',
  );
  const before = await pixels();
  await user.fill('7');
  await user.press('Enter');
  await expect(page.getByTestId('problem.focus')).toHaveCount(0);
  await expect.poll(pixels).not.toBe(before);
  expect(errors).toEqual([]);
});
