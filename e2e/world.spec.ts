/**
 * The World view in the built app: a world is built in the worker and its statistics and
 * charts appear; a new seed changes them; a bad form value or URL value is reported with its
 * field and range while the world on screen stays as it was.
 *
 * Small worlds (5 000 videos × 1 000 users, ~2–3 s) keep the tests fast.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectConsoleErrors } from './browser.ts';

const SMALL = '#seed=7&videos=5000&users=1000';
/** Building a world takes seconds on a slow machine; the default size takes ~10 s. */
const BUILD_TIMEOUT = 90_000;

/** Every statistic of the World view, by test id suffix. */
const STATS = [
  'videos',
  'users',
  'watches',
  'impressions',
  'watchesPerVideo',
  'ctr',
  'zipfExponent',
  'clickbaitCtr',
  'clickbaitCtrOther',
  'forwardShare',
  'seed',
] as const;
type StatName = (typeof STATS)[number];

/** Page object of the World view. */
class WorldPanel {
  constructor(readonly page: Page) {}

  param(name: string): Locator {
    return this.page.getByTestId(`param.${name}`);
  }
  stat(name: StatName): Locator {
    return this.page.getByTestId(`stat.${name}`);
  }
  get error(): Locator {
    return this.page.getByTestId('world.error');
  }
  get progress(): Locator {
    return this.page.getByTestId('world.progress');
  }
  chart(name: string): Locator {
    return this.page.getByTestId(`chart.${name}`);
  }

  /** The number shown by a statistic (its text is just the number). */
  async value(name: StatName): Promise<number> {
    const text = (await this.stat(name).textContent()) ?? '';
    expect(text.trim(), `stat.${name} is a bare number`).toMatch(/^-?\d+(\.\d+)?$/);
    return Number(text);
  }

  /** Every statistic's text. */
  async texts(): Promise<Record<StatName, string>> {
    const out = {} as Record<StatName, string>;
    for (const s of STATS) out[s] = (await this.stat(s).textContent()) ?? '';
    return out;
  }

  /**
   * Waits until a world is on screen, no build is in flight, and its charts are drawn (they
   * draw one per animation frame after the view painted; the timeline is the last).
   */
  async ready(): Promise<void> {
    await expect(this.stat('watches')).toBeVisible({ timeout: BUILD_TIMEOUT });
    await expect(this.progress).toHaveCount(0, { timeout: BUILD_TIMEOUT });
    await expect(this.chart('timeline').locator('svg text.x-title')).toHaveCount(1);
  }

  async generate(values: Record<string, string>): Promise<void> {
    for (const [k, v] of Object.entries(values)) await this.param(k).fill(v);
    await this.page.getByTestId('world.generate').click();
  }
}

/**
 * Tests 1–3 look at one small world on one page (built once, in `beforeAll`): the statistics,
 * then a refused size that must leave that world on screen, then a new seed (last, as it
 * replaces the world).
 */
test.describe.serial('one small world on one page', () => {
  let page: Page;
  let w: WorldPanel;
  let errors: string[];

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    errors = collectConsoleErrors(page);
    await page.goto('/' + SMALL);
    w = new WorldPanel(page);
    await w.ready();
  });

  test.afterAll(async () => {
    await page.close();
  });

  test('the page builds the world of the URL and shows its statistics and charts, with no console errors', async () => {
    expect(await w.value('videos')).toBe(5000);
    expect(await w.value('users')).toBe(1000);
    expect(await w.value('seed')).toBe(7);
    const watches = await w.value('watches');
    const impressions = await w.value('impressions');
    expect(watches).toBeGreaterThan(0);
    expect(impressions).toBeGreaterThan(watches);
    expect(await w.value('ctr')).toBeCloseTo(watches / impressions, 3);
    expect(await w.value('watchesPerVideo')).toBeCloseTo(watches / 5000, 1);
    const zipf = await w.value('zipfExponent');
    expect(zipf).toBeGreaterThan(0.5);
    expect(zipf).toBeLessThan(2);
    // Clickbait is clicked more than the rest; CTRs are shares.
    const cb = await w.value('clickbaitCtr');
    const rest = await w.value('clickbaitCtrOther');
    expect(cb).toBeGreaterThan(rest);
    expect(cb).toBeLessThan(1);
    expect(rest).toBeGreaterThan(0);
    const fwd = await w.value('forwardShare');
    expect(fwd).toBeGreaterThan(0.5);
    expect(fwd).toBeLessThanOrEqual(1);
    await expect(w.stat('watchesPerVideo')).toHaveText((watches / 5000).toFixed(1));

    // The five charts are drawn, each with a caption; the popularity caption names the fit.
    await expect(w.chart('topics').locator('svg rect')).not.toHaveCount(0);
    await expect(w.chart('topics').locator('svg g.bars rect')).toHaveCount(40);
    await expect
      .poll(() => w.chart('popularity').locator('svg g.points circle').count())
      .toBeGreaterThan(20);
    await expect(w.chart('popularity').locator('figcaption')).toContainText(
      /Zipf exponent \d\.\d\d/,
    );
    await expect
      .poll(() => w.chart('duration').locator('svg g.bars rect').count())
      .toBeGreaterThan(5);
    await expect(w.chart('clickbait').locator('svg g.bars rect')).toHaveCount(4);
    await expect
      .poll(() => w.chart('timeline').locator('svg g.marks circle').count())
      .toBeGreaterThan(0);
    await expect(w.chart('timeline').locator('figcaption')).toContainText(
      /User \d+ \(age .+top interests/,
    );
    for (const name of ['topics', 'popularity', 'duration', 'clickbait', 'timeline']) {
      await expect(w.chart(name).locator('figcaption')).not.toBeEmpty();
      await expect(w.chart(name).locator('svg text.x-title, svg text.y-title')).not.toHaveCount(0);
    }

    await expect(page).toHaveURL(/#seed=7&videos=5000&users=1000$/);
    await expect(w.error).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('an invalid size names the field and range and keeps the world on screen', async () => {
    const before = await w.texts();
    const topicsSvg = await w.chart('topics').locator('svg').innerHTML();

    await w.generate({ videos: '5' });
    await expect(w.error).toBeVisible();
    await expect(w.error).toContainText('videos must be an integer from 100 to 1000000');
    await expect(w.error).toContainText('"5"');
    await expect(w.param('videos')).toHaveAttribute('aria-invalid', 'true');
    // Nothing is built, and nothing on screen changes (give a stray build time to show up).
    await page.waitForTimeout(1500);
    await expect(w.progress).toHaveCount(0);
    expect(await w.texts()).toEqual(before);
    expect(await w.chart('topics').locator('svg').innerHTML()).toBe(topicsSvg);
    await expect(page).toHaveURL(/#seed=7&videos=5000&users=1000$/);

    // Text is rejected the same way.
    await w.generate({ videos: 'abc' });
    await expect(w.error).toContainText(
      'videos must be an integer from 100 to 1000000 (got "abc")',
    );
    expect(await w.texts()).toEqual(before);
    expect(errors).toEqual([]);
  });

  test('a new seed builds a new world with new statistics', async () => {
    const before = await w.texts();

    // The form still holds the refused size of the test above: a valid one goes with the seed.
    await w.generate({ videos: '5000', seed: '8' });
    await expect(w.stat('seed')).toHaveText('8', { timeout: BUILD_TIMEOUT });
    await w.ready();
    const after = await w.texts();
    expect(after.watches).not.toBe(before.watches);
    expect(after.impressions).not.toBe(before.impressions);
    expect(after.videos).toBe('5000');
    expect(after.users).toBe('1000');
    await expect(page).toHaveURL(/#seed=8&videos=5000&users=1000$/);

    // Editing the URL by hand builds that world too, and the form follows.
    await page.evaluate(() => (window.location.hash = '#seed=9&videos=5000&users=1000'));
    await expect(w.stat('seed')).toHaveText('9', { timeout: BUILD_TIMEOUT });
    await expect(w.param('seed')).toHaveValue('9');
    expect(errors).toEqual([]);
  });
});

test('an invalid URL value is reported and the default is used', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  // users=1000 keeps the default-sized catalogue (20 000 videos) quick to build.
  await page.goto('/#videos=abc&users=1000');
  const w = new WorldPanel(page);
  await expect(w.error).toContainText(
    'videos must be an integer from 100 to 1000000 (got "abc") in the URL',
  );
  await expect(w.error).toContainText('using the default 20000');
  await w.ready();
  expect(await w.value('videos')).toBe(20000);
  expect(await w.value('users')).toBe(1000);
  expect(await w.value('seed')).toBe(7);
  expect(await w.value('watches')).toBeGreaterThan(0);
  await expect(w.param('videos')).toHaveValue('20000');
  // The message stays after the world is ready, and the URL now states what was built.
  await expect(w.error).toBeVisible();
  await expect(page).toHaveURL(/#seed=7&videos=20000&users=1000$/);
  expect(errors).toEqual([]);
});
