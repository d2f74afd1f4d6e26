import { expect, test } from '@playwright/test';
import { collectConsoleErrors } from './browser.ts';

test('the page loads with its title and no console errors', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await page.goto('/');
  await expect(page).toHaveTitle('RecSys Playground');
  // Let the app mount and start its worker before judging the console.
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);
});
