/**
 * Size limits and honest status in the built app (issue 12 items 6, 9): the World form shows
 * the estimate of a world before building it; a link to the largest world asks first
 * (`world.confirm`) and builds nothing by itself; a world beyond what a tab can hold is
 * refused with the limit named; a second Generate during a build says so; the training badge
 * waits for the world instead of saying "ready", and Play while preparing says it is queued.
 *
 * Nothing large is ever built here: the large worlds are only asked about and cancelled.
 */
import { expect, test } from '@playwright/test';
import { collectConsoleErrors } from './browser.ts';

const LARGEST = '#seed=7&videos=1000000&users=100000';
const BEYOND_A_TAB =
  '#seed=7&videos=1000000&users=100000&days=120&sessionsPerDay=20&impressionsPerSession=30';
const SMALL = '#seed=7&videos=2000&users=300';
const BUILD_TIMEOUT = 90_000;

test('a link with the largest world asks before building, and builds nothing by itself', async ({
  page,
}) => {
  const errors = collectConsoleErrors(page);
  await page.goto('/' + LARGEST);
  const confirm = page.getByTestId('world.confirm');
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText('1000000 videos, 100000 users');
  await expect(confirm).toContainText(/about 90 million impressions, \d\.\d GB of memory/);
  // Nothing is being built while the question waits.
  await page.waitForTimeout(1000);
  await expect(page.getByTestId('world.progress')).toHaveCount(0);
  await expect(page.getByTestId('world.generate')).toHaveText('Generate');

  await page.getByTestId('world.confirm.cancel').click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByTestId('world.progress')).toHaveCount(0);
  // The URL goes back to the settings the page holds (nothing was built).
  expect(new URL(page.url()).hash).toBe('#seed=7&videos=20000&users=5000');
  expect(errors).toEqual([]);
});

test('a link beyond what a tab can hold is refused, naming the limit', async ({ page }) => {
  await page.goto('/' + BEYOND_A_TAB);
  const error = page.getByTestId('world.error');
  await expect(error).toContainText(
    "this world is too large for a browser tab: about 4.4 billion impressions, above the limit of 2.1 billion (the logs' 32-bit offsets)",
  );
  await expect(page.getByTestId('world.confirm')).toHaveCount(0);
  await expect(page.getByTestId('world.progress')).toHaveCount(0);
});

test('the form shows the estimate, asks before a large world and keeps the world on screen', async ({
  page,
}) => {
  await page.goto('/' + SMALL);
  await expect(page.getByTestId('stat.videos')).toHaveText('2000', { timeout: BUILD_TIMEOUT });
  await expect(page.getByTestId('world.progress')).toHaveCount(0, { timeout: BUILD_TIMEOUT });
  const estimate = page.getByTestId('world.estimate');
  await expect(estimate).toContainText(/^This world: about [\d.]+ thousand impressions, [\d.]+ MB/);
  await expect(estimate).not.toContainText('ask');

  await page.getByTestId('param.videos').fill('1000000');
  await page.getByTestId('param.users').fill('100000');
  await expect(estimate).toContainText('about 90 million impressions');
  await expect(estimate).toContainText('Generate will ask before building it.');
  await page.getByTestId('world.generate').click();
  await expect(page.getByTestId('world.confirm')).toBeVisible();
  await expect(page.getByTestId('world.progress')).toHaveCount(0);
  await expect(page.getByTestId('stat.videos')).toHaveText('2000');

  await page.getByTestId('world.confirm.cancel').click();
  await expect(page.getByTestId('world.confirm')).toHaveCount(0);
  await expect(page.getByTestId('stat.videos')).toHaveText('2000');
  expect(new URL(page.url()).hash).toBe(SMALL);

  // Beyond a tab: the form says so before Generate, and Generate refuses naming the limit.
  await page.locator('details.controls-more summary').click();
  await page.getByTestId('param.days').fill('120');
  await page.getByTestId('param.sessionsPerDay').fill('20');
  await expect(estimate).toContainText('too large for a browser tab; Generate will refuse it.');
  await page.getByTestId('world.generate').click();
  await expect(page.getByTestId('world.error')).toContainText(
    'this world is too large for a browser tab',
  );
  await expect(page.getByTestId('world.confirm')).toHaveCount(0);
  await expect(page.getByTestId('stat.videos')).toHaveText('2000');
});

test('a second Generate during a build says so; the badge waits for the world; Play while preparing is queued', async ({
  page,
}) => {
  // The default world takes seconds to build: long enough to press Generate again.
  await page.goto('/#seed=7&videos=20000&users=5000');
  const progress = page.getByTestId('world.progress');
  await expect(progress).toBeVisible();
  await page.getByTestId('world.generate').click();
  await expect(page.getByTestId('world.notice')).toContainText(
    /^This world is already being built \(\d+% done\); it goes on, not restarted\.$/,
  );

  await page.getByTestId('tab.training').click();
  const badge = page.getByTestId('train.state');
  // Still building (or just built): never "ready" before the world is.
  if (await progress.count()) await expect(badge).toHaveText('waiting for the world');
  await expect(badge).not.toHaveText('ready');

  // Once the world is built the models are prepared; Play pressed then is queued.
  await expect(badge).toHaveText(/^preparing/, { timeout: BUILD_TIMEOUT });
  await page.getByTestId('train.play').click();
  await expect(badge).toHaveText(/^(preparing — play queued|training)$/);
  const text = await badge.textContent();
  if (text !== 'training') await expect(page.getByTestId('train.play')).toHaveText('▶ Queued');
  await expect(badge).toHaveText('training', { timeout: BUILD_TIMEOUT });
  await page.getByTestId('train.pause').click();
});
