/**
 * "Step in slow motion" in the built app, in real Chromium, on a small world (2 000 videos ×
 * 1 500 users) whose run trains with B = 8 and K = 12, the trace's own size: the frozen step is
 * then exactly the run's next step. The test walks every phase forward (and one back), checks the
 * heatmap has B × (1 + K) cells, that the loss shown is the mean of the per-example losses shown,
 * and that when the run takes that step, the loss training reports for it is the loss the view
 * showed, to every digit shown. axe-core's WCAG 2 A/AA rules pass on two phases.
 *
 * Set STEP_SCREENSHOTS=/some/dir to save screenshots of four phases.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { collectConsoleErrors } from './browser.ts';

const PREPARE_TIMEOUT = 90_000;
const SHOTS = process.env.STEP_SCREENSHOTS;
const B = 8;
const K = 12;
const WORLD = `seed=7&videos=2000&users=1500&batch=${B}&negatives=${K}`;
const PHASES = [
  'batch & positives',
  'sampled negatives',
  'logit matrix',
  '−log q correction',
  'accidental-hit mask',
  'softmax',
  'loss',
  'gradients',
];

/** axe-core's WCAG 2 A/AA violations on the page as it stands (ids and first targets). */
async function violations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
}

/** Takes one training step and waits for the step counter to reach `to`. */
async function stepTo(page: Page, to: number): Promise<void> {
  await page.getByTestId('train.step').click();
  await expect(page.getByTestId('metric.stepInline')).toHaveText(String(to), { timeout: 60_000 });
}

test('one step in slow motion: every phase, B × (1 + K) cells, the loss training reports', async ({
  page,
}) => {
  test.setTimeout(PREPARE_TIMEOUT + 90_000);
  const errors = collectConsoleErrors(page);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(`/#${WORLD}&view=step`);
  await expect(page.getByTestId('view.step')).toBeVisible();
  await expect(page.getByTestId('train.state')).toHaveText('paused', { timeout: PREPARE_TIMEOUT });
  for (let s = 1; s <= 3; s++) await stepTo(page, s);

  await page.getByTestId('step.freeze').click();
  const phase = page.getByTestId('step.phase');
  await expect(phase).toHaveText(PHASES[0]);
  await expect(page.getByTestId('step.info')).toContainText(`after step 3: B = ${B}, K = ${K}`);
  await expect(page.getByTestId('step.batch').locator('tbody tr')).toHaveCount(B);
  await expect(page.getByTestId('step.prev')).toBeDisabled();

  let loss = '';
  for (let i = 1; i < PHASES.length; i++) {
    await page.getByTestId('step.next').click();
    await expect(phase).toHaveText(PHASES[i]);
    const name = PHASES[i];
    if (name === 'sampled negatives')
      await expect(page.getByTestId('step.negatives').locator('tbody tr')).toHaveCount(K);
    if (
      ['logit matrix', '−log q correction', 'accidental-hit mask', 'softmax', 'loss'].includes(name)
    )
      await expect(page.getByTestId('step.heatmap').locator('rect.step-cell')).toHaveCount(
        B * (1 + K),
      );
    if (name === 'logit matrix' && SHOTS)
      await page.screenshot({ path: `${SHOTS}/step-logits.png`, fullPage: true });
    if (name === 'accidental-hit mask') expect(await violations(page)).toEqual([]);
    if (name === 'softmax' && SHOTS)
      await page.screenshot({ path: `${SHOTS}/step-softmax.png`, fullPage: true });
    if (name === 'loss') {
      loss = (await page.getByTestId('step.loss').textContent()) ?? '';
      expect(loss).toMatch(/^\d+\.\d{6}$/);
      const each = (await page.getByTestId('step.example-loss').allTextContents()).map(Number);
      expect(each).toHaveLength(B);
      const mean = each.reduce((a, x) => a + x, 0) / B;
      // Each shown to 6 decimals: their mean is within 1e-6 of the loss, plus float32 rounding.
      expect(Math.abs(mean - Number(loss))).toBeLessThan(1e-5);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/step-loss.png`, fullPage: true });
    }
    if (name === 'gradients') {
      const arrows = page.getByTestId('step.arrows');
      await expect(arrows.locator('line.step-arrow')).toHaveCount(2 * B + K);
      await expect(arrows.locator('.step-point')).toHaveCount(2 * B + K);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/step-gradients.png`, fullPage: true });
      expect(await violations(page)).toEqual([]);
    }
  }
  await expect(page.getByTestId('step.next')).toBeDisabled();
  await page.getByTestId('step.prev').click();
  await expect(phase).toHaveText('loss');
  await expect(page.getByTestId('step.loss')).toHaveText(loss);

  // The run trains with the trace's B and K: its next step is the frozen one, and the loss the
  // training step reports for it is the loss the view showed.
  await expect(page.getByTestId('step.same')).toContainText('exactly its next step (step 4)');
  await stepTo(page, 4);
  await expect(page.getByTestId('step.trained-loss')).toHaveText(loss);
  expect(errors).toEqual([]);
});
