/**
 * Deploy anywhere: the app built with `--base /sub/` works served under /sub/ by a plain static
 * server (a GitHub Pages project site), without cross-origin isolation (single-threaded WASM,
 * said in the backend line), and under the Content-Security-Policy the README documents.
 */
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectConsoleErrors } from './browser.ts';
import { serveStatic } from './static-server.ts';

const WORLD = 'seed=7&videos=1000&users=500';
const PREPARE_TIMEOUT = 90_000;
const BASE = '/recsys-playground/';

/** The policy documented in the README's "Hosting" section (keep the two the same). */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

let outDir = '';

test.beforeAll(() => {
  test.setTimeout(180_000);
  outDir = mkdtempSync(join(tmpdir(), 'recsys-sub-'));
  const r = spawnSync(
    'npx',
    ['vite', 'build', '--base', BASE, '--outDir', outDir, '--emptyOutDir'],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`vite build --base ${BASE} failed:\n${r.stderr}${r.stdout}`);
});

test.afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** Loads the small world on the Training view, presses Step and waits for a trained step. */
async function trainsAStep(page: Page, url: string): Promise<void> {
  await page.goto(`${url}#${WORLD}&view=training`);
  const state = page.getByTestId('train.state');
  await expect(state).toHaveText(/^(paused|stopped)$/, { timeout: PREPARE_TIMEOUT });
  if ((await state.textContent()) === 'stopped')
    throw new Error(`training stopped: ${await page.getByTestId('train.failure').textContent()}`);
  await page.getByTestId('train.step').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric.step').textContent()), {
      timeout: 60_000,
    })
    .toBeGreaterThan(0);
  await expect(page.getByTestId('metric.loss')).toHaveText(/^\d+\.\d+$/);
}

test('built with --base, served under a sub-path without cross-origin isolation: trains on one WASM thread and says why', async ({
  page,
}) => {
  test.setTimeout(PREPARE_TIMEOUT + 90_000);
  const server = await serveStatic(outDir, BASE);
  try {
    const errors = collectConsoleErrors(page);
    await trainsAStep(page, server.url);
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);
    await expect(page.getByTestId('backend.name')).toHaveText('wasm');
    await expect(page.getByTestId('backend')).toContainText('1 thread (not cross-origin isolated');
    expect(errors).toEqual([]);
  } finally {
    await server.close();
  }
});

test('under the documented Content-Security-Policy the page builds, trains and reports no violation', async ({
  page,
}) => {
  test.setTimeout(PREPARE_TIMEOUT + 90_000);
  const server = await serveStatic(outDir, BASE, {
    ...ISOLATION,
    'Content-Security-Policy': CSP,
  });
  try {
    const errors = collectConsoleErrors(page);
    await page.addInitScript(() => {
      (window as unknown as { cspViolations: string[] }).cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { cspViolations: string[] }).cspViolations.push(
          `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`,
        );
      });
    });
    await trainsAStep(page, server.url);
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    await expect(page.getByTestId('chart.loss')).toBeVisible();
    // Every tab draws its charts under the policy.
    for (const [tab, ready] of [
      ['world', 'chart.topics'],
      ['projection', 'projection.canvas'],
      ['softmax', 'chart.softmaxScatter'],
      ['funnel', 'chart.funnelRecall'],
      ['watchtime', 'chart.watchTime'],
    ]) {
      await page.getByTestId(`tab.${tab}`).click();
      await expect(page.getByTestId(ready)).toBeVisible({ timeout: 60_000 });
    }
    const violations = await page.evaluate(
      () => (window as unknown as { cspViolations: string[] }).cspViolations,
    );
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await server.close();
  }
});
