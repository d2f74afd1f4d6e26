/**
 * Accessibility of every tab, checked with axe-core (WCAG 2 A and AA rules: every control has a
 * label, text contrast ≥ 4.5:1, ARIA used correctly), and the tab bar moved with the arrow keys.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const WORLD = 'seed=7&videos=1000&users=500';

const TABS: [string, string][] = [
  ['world', 'chart.topics'],
  ['training', 'chart.loss'],
  ['projection', 'projection.canvas'],
  ['softmax', 'chart.softmaxScatter'],
  ['funnel', 'chart.funnelRecall'],
  ['watchtime', 'chart.watchTime'],
  ['lessons', 'lesson.paper'],
  ['loop', 'loop.run'],
];

async function violations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return r.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join('; ')}${v.nodes.length > 3 ? ` … ${v.nodes.length} in all` : ''}`,
  );
}

test('every tab passes axe-core’s WCAG 2 A/AA rules', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(`/#${WORLD}`);
  await expect(page.getByTestId('chart.topics')).toBeVisible({ timeout: 90_000 });
  const found: string[] = [];
  for (const [tab, ready] of TABS) {
    await page.getByTestId(`tab.${tab}`).click();
    await expect(page.getByTestId(ready)).toBeVisible({ timeout: 90_000 });
    for (const v of await violations(page)) found.push(`${tab}: ${v}`);
  }
  // The glossary panel, open over the last tab, and closed again with Escape.
  await page.getByTestId('glossary.open').click();
  await expect(page.getByTestId('glossary')).toContainText('recall@k');
  for (const v of await violations(page)) found.push(`glossary: ${v}`);
  await page.getByTestId('glossary').press('Escape');
  await expect(page.getByTestId('glossary')).toBeHidden();
  expect(found).toEqual([]);
});

test('the tab bar moves with the arrow keys, Home and End', async ({ page }) => {
  await page.goto(`/#${WORLD}`);
  const world = page.getByTestId('tab.world');
  await world.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab.training')).toBeFocused();
  await expect(page.getByTestId('tab.training')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page.getByTestId('tab.loop')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(world).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('tab.loop')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(world).toBeFocused();
  await expect(world).toHaveAttribute('aria-selected', 'true');
});
