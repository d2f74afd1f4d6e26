/**
 * Worker faults in the built app (docs/architecture.md#faults): a training worker killed behind
 * the page's back (the `?test-hooks` page's `killWorker`, as a crash that reports nothing)
 * answers no ping; the page notices within the heartbeat's limit, keeps what is on screen and
 * offers a restart, which rebuilds the world in a fresh worker and resumes at the snapshot's
 * step. And a world build can be cancelled, the world on screen kept.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectConsoleErrors } from './browser.ts';

/** A small world and small batches keep a step short on a slow machine. */
const HASH = '#seed=7&videos=1000&users=500&batch=64&negatives=64';
const PREPARE_TIMEOUT = 120_000;

async function step(page: Page): Promise<number> {
  const text = ((await page.getByTestId('metric.step').textContent()) ?? '').trim();
  return Number(text.replace(/[^\d]/g, ''));
}

test('a killed worker is noticed, the run stays on screen, restart resumes at the snapshot', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = collectConsoleErrors(page);
  await page.goto(`/?test-hooks${HASH}&view=training`);
  await expect(page.getByTestId('train.state')).toHaveText('paused', { timeout: PREPARE_TIMEOUT });
  await page.getByTestId('train.play').click();
  await expect.poll(() => step(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(5);
  await page.getByTestId('train.pause').click();
  await expect(page.getByTestId('train.state')).toHaveText('paused');
  const paused = await step(page);
  // Pausing after play takes the autosave's snapshot: the restart offer names its step.
  await expect(page.getByTestId('run.save')).toBeEnabled();

  await page.evaluate(() =>
    (
      window as unknown as { __recsysTestHooks: { killWorker(): void } }
    ).__recsysTestHooks.killWorker(),
  );
  const restart = page.getByTestId('worker.restart');
  await expect(restart).toHaveText(`Restart the worker from the snapshot of step ${paused}`, {
    timeout: 60_000,
  });
  // Nothing on screen was lost meanwhile.
  expect(await step(page)).toBe(paused);
  await expect(page.getByTestId('train.state')).toHaveText('paused');

  await restart.click();
  await expect(page.getByTestId('worker.stalled')).toHaveCount(0);
  await expect(page.getByTestId('train.notice')).toContainText(`snapshot of step ${paused}`, {
    timeout: PREPARE_TIMEOUT,
  });
  await expect(page.getByTestId('train.state')).toHaveText('paused', { timeout: PREPARE_TIMEOUT });
  expect(await step(page)).toBe(paused);
  // The fresh worker trains on.
  await page.getByTestId('train.step').click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBe(paused + 1);
  expect(errors).toEqual([]);
});

test('a world build can be cancelled and the world on screen stays', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`/${HASH}`);
  const built = page.getByText(/^World of seed \d+ built/);
  await expect(built).toContainText('World of seed 7', { timeout: PREPARE_TIMEOUT });
  // The default-sized world of another seed: long enough to cancel mid-build.
  await page.goto(`/#seed=8&videos=20000&users=5000`);
  const cancel = page.getByTestId('world.cancel');
  await cancel.click({ timeout: 60_000 });
  await expect(page.getByTestId('world.notice')).toContainText('Build cancelled');
  await expect(page.getByTestId('world.progress')).toHaveCount(0, { timeout: PREPARE_TIMEOUT });
  await expect(built).toContainText('World of seed 7');
  expect(page.url()).toContain('seed=7');
});
