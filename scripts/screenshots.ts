/**
 * `npm run screenshots`: trains the app's default world in headless Chromium and saves a
 * full-page screenshot of every tab under docs/, printing each file with its size, the key
 * figures read from each tab (the text of its `metric.*` test ids) and any console errors.
 *
 * Usage (builds nothing itself: build first):
 *
 *   npx vite build && npm run screenshots
 *   npm run screenshots -- --steps 500
 *   npm run screenshots -- --world "#seed=3&videos=2000&users=1500"
 *
 * Flags:
 *   --steps N        train until the step counter reads at least N, then pause (default 300)
 *   --world "<hash>" the world's URL hash, with or without `#`
 *                    (default "seed=7&videos=20000&users=5000"); `view=` is set by the script
 *   --help           print this and exit
 *
 * What it does: serves dist/ with `npx vite preview --port 4180 --strictPort` (killed at the
 * end, also on failure or Ctrl-C); launches Chromium as the e2e tests do (e2e/browser.ts:
 * PLAYWRIGHT_CHROMIUM_PATH, else /usr/bin/chromium, else Playwright's own) at 1280×900; opens
 * the Training tab, waits until the run is built (`train.state` reads `paused`, up to 3 min),
 * presses Play until `metric.stepInline` ≥ N, pauses; then clicks each tab in turn, waits for
 * its live answer (training: `metric.evalStep`, embeddings: `projection.step`, softmax:
 * `softmax.step`, funnel: `funnel.step`, watch time: `metric.watchTimeStep`, each ≥ N − 50)
 * and writes
 *
 *   docs/screenshot-world.png        docs/screenshot-training.png
 *   docs/screenshot-embeddings.png   docs/screenshot-embeddings-umap.png (after Compute UMAP)
 *   docs/screenshot-softmax.png      docs/screenshot-funnel.png
 *   docs/screenshot-watchtime.png
 *
 * Exits 1 with a message naming the step that failed (and the page's console errors so far).
 */
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable, collectConsoleErrors } from '../e2e/browser';
import { parseArgs } from './args';
import { startPreview, stopPreview } from './preview-server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCS = join(ROOT, 'docs');
const PORT = 4180;
const BASE = `http://localhost:${PORT}/`;
const DEFAULT_WORLD = 'seed=7&videos=20000&users=5000';
const DEFAULT_STEPS = 300;
/** How far behind the training step a view's answer may be (evaluations run every 50 steps). */
const LAG = 50;

const PREPARE_MS = 180_000;
const VIEW_MS = 180_000;
const UMAP_MS = 120_000;

const HELP = readFileSync(fileURLToPath(import.meta.url), 'utf8')
  .split('*/')[0]
  .replace(/^\/\*\*\n?/, '')
  .replace(/^ \* ?/gm, '');

const t0 = Date.now();
const log = (msg: string) =>
  console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}`);

/** Reads the flags; throws on a bad one. */
function options(): { world: string; steps: number } | null {
  const flags = parseArgs(process.argv.slice(2));
  if (flags.help) return null;
  for (const name of Object.keys(flags))
    if (!['steps', 'world'].includes(name)) throw new Error(`unknown flag --${name} (see --help)`);
  const steps = flags.steps === undefined ? DEFAULT_STEPS : Number(flags.steps);
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`--steps must be a positive integer, got ${String(flags.steps)}`);
  let world = flags.world === undefined ? DEFAULT_WORLD : flags.world;
  if (typeof world !== 'string' || world.replace(/^#/, '') === '')
    throw new Error('--world needs a URL hash, e.g. --world "#seed=7&videos=2000&users=1500"');
  world = world
    .replace(/^#/, '')
    .split('&')
    .filter((kv) => kv !== '' && !kv.startsWith('view='))
    .join('&');
  return { world, steps };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until `ok` holds; throws naming `what` and the last value seen. */
async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs: number,
  check?: () => Promise<void>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (check) await check();
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${what} (last seen: ${JSON.stringify(last)})`,
      );
    await sleep(500);
  }
}

/** The trimmed text of a test id, or '' when it is not on the page. */
async function textOf(page: Page, testId: string): Promise<string> {
  const el = page.getByTestId(testId);
  if ((await el.count()) === 0) return '';
  return ((await el.first().textContent()) ?? '').trim();
}

/** A test id's text as a number; -1 when absent or not a number (e.g. `n/a`). */
async function numberOf(page: Page, testId: string): Promise<number> {
  const text = await textOf(page, testId);
  const x = text === '' ? NaN : Number(text);
  return Number.isFinite(x) ? x : -1;
}

/** Fails fast when the run stopped (`train.state` reads `stopped`). */
async function runNotStopped(page: Page): Promise<void> {
  if ((await textOf(page, 'train.state')) !== 'stopped') return;
  const why = [await textOf(page, 'train.failure'), await textOf(page, 'train.error')]
    .filter(Boolean)
    .join(' / ');
  throw new Error(`the training run stopped${why ? `: ${why}` : ''}`);
}

/** Waits until a number-valued test id reads at least `min`. */
async function waitForStep(page: Page, testId: string, min: number, ms = VIEW_MS): Promise<number> {
  return waitFor(
    `${testId} ≥ ${min}`,
    () => numberOf(page, testId),
    (x) => x >= min,
    ms,
    () => runNotStopped(page),
  );
}

/** Waits until the view's "updating…" note is gone. */
async function waitSettled(page: Page): Promise<void> {
  await waitFor(
    'the view to finish updating',
    () => page.getByText('updating…').count(),
    (n) => n === 0,
    VIEW_MS,
  );
}

/** The figures on screen: each `metric.*` (and `stat.*` when asked) test id and its text. */
async function figures(page: Page, withStats: boolean): Promise<[string, string][]> {
  const sel = withStats
    ? '[data-testid^="metric."], [data-testid^="stat."]'
    : '[data-testid^="metric."]';
  return page
    .locator(sel)
    .evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-testid') ?? '', (e as HTMLElement).innerText.trim()]),
    ) as Promise<[string, string][]>;
}

const written: string[] = [];

/** Saves a full-page screenshot and prints its size and the tab's figures. */
async function shoot(page: Page, name: string, withStats = false): Promise<void> {
  await page.mouse.move(0, 0); // no hover tooltip in the picture
  await sleep(300); // a frame for the charts to draw the last answer
  const path = join(DOCS, `screenshot-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  const png = readFileSync(path);
  const size = statSync(path).size;
  const rel = relative(ROOT, path);
  written.push(rel);
  console.log(
    `\n== ${rel}: ${(size / 1024).toFixed(1)} KiB (${size} bytes), ` +
      `${png.readUInt32BE(16)}×${png.readUInt32BE(20)} px`,
  );
  for (const [id, text] of await figures(page, withStats)) {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    if (lines.length <= 1) console.log(`   ${id}: ${lines[0] ?? ''}`);
    else
      console.log(`   ${id}:\n${lines.map((l) => `      ${l.replace(/\t/g, ' | ')}`).join('\n')}`);
  }
}

async function main(): Promise<number> {
  const opts = options();
  if (!opts) {
    console.log(HELP);
    return 0;
  }
  const { world, steps } = opts;
  if (!existsSync(join(ROOT, 'dist', 'index.html')))
    throw new Error('dist/index.html not found: run `npx vite build` first');
  mkdirSync(DOCS, { recursive: true });

  let server: ChildProcess | null = null;
  let browser: Browser | null = null;
  const stop = () => stopPreview(server);
  const onSignal = (signal: string) => {
    console.error(`\nscreenshots interrupted (${signal}): vite preview stopped`);
    stop();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', stop);
  let errors: string[] = [];
  try {
    log(`starting vite preview on port ${PORT}`);
    server = await startPreview({ root: ROOT, port: PORT });
    const executablePath = chromiumExecutable();
    log(`launching ${executablePath ?? "Playwright's Chromium"}`);
    browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = collectConsoleErrors(page);

    const url = `${BASE}#${world}&view=training`;
    log(`opening ${url}`);
    await page.goto(url);
    log(`waiting for the run to be built (train.state = paused, up to ${PREPARE_MS / 1000} s)`);
    await waitFor(
      'train.state to read "paused" (the run built)',
      () => textOf(page, 'train.state'),
      (s) => s === 'paused',
      PREPARE_MS,
      () => runNotStopped(page),
    );
    const backend = await page.getByTestId('backend').innerText();
    log(backend.replace(/\s*\n\s*/g, '; '));

    const trainMs = 120_000 + 3_000 * steps;
    log(`training to step ${steps} (up to ${trainMs / 1000} s)`);
    const started = Date.now();
    await page.getByTestId('train.play').click();
    await waitForStep(page, 'metric.stepInline', steps, trainMs);
    await page.getByTestId('train.pause').click();
    await waitFor(
      'train.state to read "paused" after Pause',
      () => textOf(page, 'train.state'),
      (s) => s === 'paused',
      VIEW_MS,
      () => runNotStopped(page),
    );
    const step = await numberOf(page, 'metric.stepInline');
    log(`paused at step ${step} after ${((Date.now() - started) / 1000).toFixed(0)} s of training`);
    const min = steps - LAG;

    await page.getByTestId('tab.world').click();
    await page.getByTestId('chart.topics').locator('svg').first().waitFor({ timeout: VIEW_MS });
    await shoot(page, 'world', true);

    await page.getByTestId('tab.training').click();
    await waitForStep(page, 'metric.evalStep', min);
    await shoot(page, 'training');

    await page.getByTestId('tab.projection').click();
    await waitForStep(page, 'projection.step', min);
    await shoot(page, 'embeddings');
    log('computing UMAP (up to 2 min)');
    await page.getByTestId('projection.umap').click();
    await waitFor(
      'projection.umapProgress to contain "UMAP of step"',
      () => textOf(page, 'projection.umapProgress'),
      (s) => s.includes('UMAP of step'),
      UMAP_MS,
    );
    log(await textOf(page, 'projection.umapProgress'));
    await shoot(page, 'embeddings-umap');

    await page.getByTestId('tab.softmax').click();
    await waitForStep(page, 'softmax.step', min);
    await waitSettled(page);
    await shoot(page, 'softmax');

    await page.getByTestId('tab.funnel').click();
    await waitForStep(page, 'funnel.step', min);
    await waitSettled(page);
    await shoot(page, 'funnel');

    await page.getByTestId('tab.watchtime').click();
    await waitForStep(page, 'metric.watchTimeStep', min);
    await shoot(page, 'watchtime');

    console.log(`\n${written.length} screenshots written under ${relative(ROOT, DOCS)}/`);
    console.log(
      errors.length
        ? `console errors of the page (${errors.length}):\n${errors.map((e) => `  ${e}`).join('\n')}`
        : 'console errors of the page: none',
    );
    return 0;
  } catch (err) {
    console.error(`\nscreenshots FAILED: ${(err as Error).message}`);
    if (written.length) console.error(`written before the failure: ${written.join(', ')}`);
    if (errors.length)
      console.error(`console errors of the page:\n${errors.map((e) => `  ${e}`).join('\n')}`);
    return 1;
  } finally {
    await browser?.close().catch(() => undefined);
    stop();
    if (server && server.exitCode === null && server.signalCode === null)
      await new Promise((r) => {
        server!.once('exit', r);
        setTimeout(r, 5_000);
      });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`screenshots FAILED: ${(err as Error).message ?? String(err)}`);
    process.exit(1);
  },
);
