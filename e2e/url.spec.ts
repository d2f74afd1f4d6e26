/**
 * The URL in the built app: a shared link restores every table of knobs (world, training,
 * serving, the Sampled-softmax study, the Embedding view's colour and the tab) and states them
 * again after the page settled; unknown keys are named in a quiet note that can be dismissed;
 * `__proto__` is refused; a value of 10 000 characters is cut in its message and does not
 * widen the page.
 */
import { expect, test } from '@playwright/test';
import { collectConsoleErrors } from './browser.ts';

const WORLD = 'seed=3&videos=800&users=300';

test('a shared link restores the knobs of every table and keeps them in the URL', async ({
  page,
}) => {
  const errors = collectConsoleErrors(page);
  const knobs =
    'negatives=64&logQ=off&nprobe=4&funnelK=3&studyNegatives=16&studyLogQ=off&colorBy=age';
  await page.goto(`/#${WORLD}&${knobs}&view=funnel`);
  await expect(page.getByTestId('param.nprobe')).toHaveValue('4');
  await expect(page.getByTestId('param.funnelK')).toHaveValue('3');

  await page.getByTestId('tab.softmax').click();
  await expect(page.getByTestId('param.studyNegatives')).toHaveValue('16');
  await expect(page.getByTestId('param.studyLogQ')).not.toBeChecked();

  await page.getByTestId('tab.projection').click();
  await expect(page.getByTestId('param.colorBy')).toHaveValue('age');

  await page.getByTestId('tab.training').click();
  await expect(page.getByTestId('param.negatives')).toHaveValue('64');
  await expect(page.getByTestId('param.logQ')).not.toBeChecked();

  // Every knob is still stated, and the tab moved with the clicks.
  const hash = decodeURIComponent(new URL(page.url()).hash);
  for (const kv of knobs.split('&')) expect(hash).toContain(kv);
  expect(hash).toContain('view=training');
  await expect(page.getByTestId('url.messages')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('unknown keys get a quiet note, __proto__ is refused, a huge value is cut, and the messages can be dismissed', async ({
  page,
}) => {
  const errors = collectConsoleErrors(page);
  const huge = 'x'.repeat(10_000);
  await page.goto(`/#${WORLD}&colour=red&__proto__=1&lr=${huge}&view=training`);
  const note = page.getByTestId('url.note');
  await expect(note).toContainText('"colour"');
  const message = page.getByTestId('train.error');
  await expect(message).toContainText('lr must be a number from 0.00001 to 1');
  await expect(message).toContainText('10000 characters');
  expect(((await message.textContent()) ?? '').length).toBeLessThan(300);
  await expect(page.getByTestId('param.lr')).toHaveValue('0.02');
  // The page is not widened by the value.
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    view: window.innerWidth,
  }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.view + 1);
  expect(await page.evaluate(() => ({}) as Record<string, unknown>)).toEqual({});
  expect(await page.evaluate(() => (Object.prototype as Record<string, unknown>)['1'])).toBe(
    undefined,
  );

  await page.getByTestId('tab.world').click();
  await expect(page.getByTestId('world.error')).toContainText('"__proto__" is refused');

  await page.getByTestId('url.dismiss').click();
  await expect(page.getByTestId('url.messages')).toHaveCount(0);
  await expect(page.getByTestId('world.error')).toHaveCount(0);
  expect(errors).toEqual([]);
});
