/**
 * Browser helpers for the Playwright tests: which Chromium to launch, with which flags
 * (docs/tfjs-notes.md#chromium), and a console-error collector.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';

/** Debian's Chromium, used when no path is given in the environment. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Chromium flags for headless runs on these machines. `--enable-unsafe-webgpu` is what makes
 * WebGPU (SwiftShader) exist at all, in the page and in Workers; the rest keep Chromium quiet
 * and off the network.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

const HOW_TO_FIX =
  'Either set PLAYWRIGHT_CHROMIUM_PATH=/path/to/chromium, ' +
  'or install one: `apt-get install chromium` (gives /usr/bin/chromium, found automatically) ' +
  'or `npx playwright install chromium`.';

/** Where `npx playwright install` puts its browsers (see Playwright's PLAYWRIGHT_BROWSERS_PATH). */
function playwrightBrowsersDir(): string {
  const env = process.env.PLAYWRIGHT_BROWSERS_PATH;
  if (env && env !== '0') return env;
  if (env === '0') return join(process.cwd(), 'node_modules', 'playwright-core', '.local-browsers');
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'ms-playwright');
}

/** True when Playwright's own Chromium (full or headless shell) has been downloaded. */
function playwrightChromiumInstalled(): boolean {
  try {
    if (existsSync(chromium.executablePath())) return true;
  } catch {
    // executablePath() throws on platforms Playwright has no build for; fall through.
  }
  const dir = playwrightBrowsersDir();
  try {
    return readdirSync(dir).some((name) => name.startsWith('chromium'));
  } catch {
    return false;
  }
}

/**
 * The Chromium executable to launch:
 * 1. `PLAYWRIGHT_CHROMIUM_PATH` (or `CHROMIUM_PATH`) when set — it must exist;
 * 2. else `/usr/bin/chromium` when it exists;
 * 3. else `undefined`, meaning Playwright's own downloaded Chromium, if it is installed.
 *
 * @throws Error naming both ways to fix it when no browser can be found at all.
 */
export function chromiumExecutable(): string | undefined {
  const fromEnv = process.env.PLAYWRIGHT_CHROMIUM_PATH || process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) {
      throw new Error(`Chromium not found at ${fromEnv} (from the environment). ${HOW_TO_FIX}`);
    }
    return fromEnv;
  }
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  if (playwrightChromiumInstalled()) return undefined;
  throw new Error(
    `No Chromium found for the browser tests: PLAYWRIGHT_CHROMIUM_PATH is unset, ` +
      `${SYSTEM_CHROMIUM} does not exist and Playwright's own Chromium is not installed ` +
      `(looked in ${playwrightBrowsersDir()}). ${HOW_TO_FIX}`,
  );
}

/**
 * Starts recording the page's console errors (including those logged inside Workers) and
 * uncaught page errors. Call it before `page.goto`; the returned array fills as they happen,
 * so a test ends with `expect(errors).toEqual([])`.
 */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const { url, lineNumber } = msg.location();
    errors.push(`console.error: ${msg.text()}${url ? ` (${url}:${lineNumber})` : ''}`);
  });
  page.on('pageerror', (err) => {
    errors.push(`pageerror: ${err.stack ?? err.message}`);
  });
  return errors;
}
