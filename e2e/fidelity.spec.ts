/**
 * Issue 11's rows in the built app: each knob set by a URL shows in its form control and
 * reaches what the page builds or trains — the world's languages (own-language watches),
 * demographic effect (logged-out users' thinner histories), the video vocabulary (the
 * out-of-vocabulary share of the evaluation), the odds (the Watch-time view), the ranker's
 * feature groups, the labels, the cap, the widths and the embeddings (a run that trains with
 * them) — and a bad value gets a message naming the knob and its range. A small world and one
 * step keep it quick.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectConsoleErrors } from './browser.ts';

const WORLD = 'seed=3&videos=800&users=300';
/** World build + examples + models (CBOW pretraining included) on a slow, shared machine. */
const PREPARE_TIMEOUT = 90_000;

/** Logged-out watches per user ÷ logged-in, from the World view's audience figure. */
async function loggedOutRatio(page: Page): Promise<number> {
  const stat = page.getByTestId('stat.loggedOut');
  await expect(stat).toHaveText(/^\d+(\.\d)?$/, { timeout: PREPARE_TIMEOUT });
  const out = Number(await stat.textContent());
  const title = (await stat.locator('..').getAttribute('title')) ?? '';
  const loggedIn = Number(/per user; ([\d.]+) per logged-in user/.exec(title)?.[1]);
  expect(loggedIn, title).toBeGreaterThan(0);
  return out / loggedIn;
}

test('the world rows: languages and demographic effect from the URL reach the built world', async ({
  page,
}) => {
  test.setTimeout(3 * PREPARE_TIMEOUT);
  const errors = collectConsoleErrors(page);
  await page.goto(`/#${WORLD}&languages=1&demographicEffect=0&view=world`);
  await expect(page.getByTestId('param.languages')).toHaveValue('1');
  await expect(page.getByTestId('param.demographicEffect')).toHaveValue('0');
  // One language: every watch is in the watcher's language.
  const own = page.getByTestId('stat.ownLanguage');
  await expect(own).toHaveText('1.000', { timeout: PREPARE_TIMEOUT });
  // The figure's box (the value's parent) carries its note.
  await expect(own.locator('..')).toHaveAttribute('title', /^1 languages/);
  const flat = await loggedOutRatio(page);

  // Eight languages and the strongest demographic effect: foreign watches appear, and
  // logged-out users (activity × e^(−0.7·2)) watch far less than logged-in ones.
  await page.goto(`/#${WORLD}&languages=8&demographicEffect=2&view=world`);
  await page.reload();
  await expect(page.getByTestId('param.languages')).toHaveValue('8');
  await expect(own.locator('..')).toHaveAttribute('title', /^8 languages/, {
    timeout: PREPARE_TIMEOUT,
  });
  expect(Number(await own.textContent())).toBeLessThan(1);
  const strong = await loggedOutRatio(page);
  expect(strong).toBeLessThan(flat);
  expect(strong).toBeLessThan(0.6);
  expect(errors).toEqual([]);
});

test('the training rows from the URL show in the form and reach the run', async ({ page }) => {
  test.setTimeout(2 * PREPARE_TIMEOUT);
  const errors = collectConsoleErrors(page);
  const knobs = [
    'videoVocab=100',
    'tokenVocab=50',
    'embeddingWidths=log',
    'embeddings=pretrained-finetune',
    'label=heldout',
    'perUserCap=5',
    'odds=paper',
    'rankingFeatures=language,sources',
  ];
  await page.goto(`/#${WORLD}&${knobs.join('&')}&view=training`);
  for (const [key, value] of knobs.map((kv) => kv.split('='))) {
    if (key === 'rankingFeatures') continue;
    await expect(page.getByTestId(`param.${key}`), key).toHaveValue(value);
  }
  await expect(page.getByTestId('param.rankingFeatures.language')).toBeChecked();
  await expect(page.getByTestId('param.rankingFeatures.sources')).toBeChecked();

  // The run is built with them and steps (CBOW pretraining, the sources filled by the worker).
  await expect(page.getByTestId('train.state')).toHaveText('paused', { timeout: PREPARE_TIMEOUT });
  await page.getByTestId('train.step').click();
  await expect(page.getByTestId('metric.step')).toHaveText('1', { timeout: 60_000 });
  // 100 of 800 videos in the vocabulary: most held-out next watches are out of it.
  const oov = parseFloat((await page.getByTestId('metric.outOfVocab').textContent()) ?? '');
  expect(oov).toBeGreaterThan(30); // percent
  expect(oov).toBeLessThan(100);
  expect(Number(await page.getByTestId('metric.rankingAuc').textContent())).toBeGreaterThan(0);

  await page.getByTestId('tab.watchtime').click();
  await expect(page.getByTestId('watchtime.odds')).toContainText("paper's odds");
  await expect(page.getByTestId('watchtime.odds.paper')).toContainText('← in use');
  const hash = decodeURIComponent(new URL(page.url()).hash);
  for (const kv of knobs) expect(hash).toContain(kv);
  await expect(page.getByTestId('train.failure')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('bad values name the knob and its range', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await page.goto(
    `/#${WORLD}&languages=9&demographicEffect=3&videoVocab=-5&odds=maybe&rankingFeatures=colour&view=training`,
  );
  const train = page.getByTestId('train.error');
  await expect(train).toContainText('videoVocab must be an integer from 0 to 10000000');
  await expect(train).toContainText('odds must be one of exact, paper');
  await expect(train).toContainText('rankingFeatures must be a comma list of language, sources');
  await page.getByTestId('tab.world').click();
  const world = page.getByTestId('world.error');
  await expect(world).toContainText('languages must be an integer from 1 to 8');
  await expect(world).toContainText('demographicEffect must be a number from 0 to 2');
  // The fields with bad values are marked.
  await expect(page.getByTestId('param.languages')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('param.demographicEffect')).toHaveAttribute('aria-invalid', 'true');
  expect(errors).toEqual([]);
});
