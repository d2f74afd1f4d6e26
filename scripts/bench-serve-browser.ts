/**
 * The Chromium half of `npm run bench:serve`: runs src/serve/bench.ts's `benchServe` unchanged
 * in a dedicated Web Worker of a headless Chromium page (where the app would run it), one
 * fresh worker per size, and returns the same {@link ServeBenchFigures} rows as the Node run.
 *
 * How: Vite's `build` API bundles bench.ts with a few lines of worker glue into one IIFE held
 * in memory; a throwaway `node:http` server on 127.0.0.1 (random port) serves it and an empty
 * page, with COOP/COEP headers so the page and worker are cross-origin isolated (finer
 * `performance.now()`: 5 µs instead of 100 µs); Playwright launches Chromium with the same
 * executable and flags as the e2e tests (e2e/browser.ts). If the page cannot start a Worker,
 * the bundle runs on the page's main thread instead, and the result says so.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build, type Plugin } from 'vite';
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/browser';
import type { ServeBenchFigures, ServeBenchOptions } from '../src/serve/bench';

/** What one size's run in Chromium needs (`options` must be structured-cloneable). */
export interface BrowserBenchSize {
  n: number;
  queries: number;
  options?: Partial<Omit<ServeBenchOptions, 'onProgress'>>;
}

/** Settings of {@link benchServeInChromium}. */
export interface BrowserBenchSettings {
  d: number;
  seed: number;
  sizes: BrowserBenchSize[];
  /** Called as each stage of each size starts (inside the browser). */
  onProgress?: (stage: string, n: number) => void;
  /** Called once the browser is up, before the first size, with what the result will say. */
  onReady?: (info: Omit<BrowserBenchResult, 'rows'>) => void;
  /** Called with each size's figures as soon as they are in. */
  onRow?: (row: ServeBenchFigures) => void;
}

/** The Chromium run: the browser, where in it the benchmark ran, and one row per size. */
export interface BrowserBenchResult {
  /** E.g. "Chromium 156.0.8078.108 (headless)". */
  runtime: string;
  version: string;
  /** The executable launched; "playwright" for Playwright's own download. */
  executable: string;
  /** Where in the page `benchServe` ran. */
  where: 'dedicated worker' | 'main thread';
  /** Whether the page was cross-origin isolated (5 µs rather than 100 µs timer resolution). */
  crossOriginIsolated: boolean;
  rows: ServeBenchFigures[];
}

/** Thrown when no Chromium can be found; the message says how to get one. */
export class ChromiumNotFoundError extends Error {
  override name = 'ChromiumNotFoundError';
}

const BENCH_TS = fileURLToPath(new URL('../src/serve/bench.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = 'virtual:bench-serve-browser-entry';

/**
 * The bundle's entry: exposes `benchServe` on the global object and, inside a worker, answers
 * `{ n, d, queries, seed, options }` with `progress` messages and then one `row` (or `error`).
 */
const ENTRY_SOURCE = `
import { benchServe } from ${JSON.stringify(BENCH_TS)};
const g = globalThis;
g.benchServe = benchServe;
if (typeof g.WorkerGlobalScope !== 'undefined' && g instanceof g.WorkerGlobalScope) {
  g.onmessage = (e) => {
    if (!e.data || typeof e.data.n !== 'number') return;
    const { n, d, queries, seed, options } = e.data;
    try {
      const onProgress = (stage, size) => g.postMessage({ type: 'progress', stage, n: size });
      const row = benchServe(n, d, queries, seed, { ...options, onProgress });
      g.postMessage({ type: 'row', row });
    } catch (err) {
      g.postMessage({ type: 'error', message: String((err && err.stack) || err) });
    }
  };
}
`;

/** Bundles bench.ts and the worker glue into one unminified IIFE, in memory. */
async function bundle(): Promise<string> {
  const entry: Plugin = {
    name: 'bench-serve-browser-entry',
    enforce: 'pre',
    // Vite's library mode hands the entry over as a path under `root`.
    resolveId: (id) => (id.endsWith(ENTRY) ? `\0${ENTRY}` : null),
    load: (id) => (id === `\0${ENTRY}` ? ENTRY_SOURCE : null),
  };
  const out = await build({
    configFile: false,
    root: ROOT,
    publicDir: false,
    logLevel: 'warn',
    plugins: [entry],
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: {
        entry: ENTRY,
        formats: ['iife'],
        name: 'benchServeBundle',
        fileName: () => 'bench.js',
      },
    },
  });
  const outputs = Array.isArray(out) ? out : [out];
  for (const o of outputs) {
    if (!('output' in o)) continue;
    for (const chunk of o.output) if (chunk.type === 'chunk' && chunk.isEntry) return chunk.code;
  }
  throw new Error('bench-serve-browser: Vite produced no entry chunk');
}

const PAGE =
  '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">' +
  '<title>bench:serve</title><script src="/bench.js"></script>';

/** Serves the page at / and the bundle at /bench.js on 127.0.0.1, cross-origin isolated. */
async function serve(code: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const body = path === '/' ? PAGE : path === '/bench.js' ? code : null;
    res.writeHead(body === null ? 404 : 200, {
      'Content-Type': path === '/bench.js' ? 'text/javascript' : 'text/html; charset=utf-8',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    });
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

/** What the page-side runner is handed (structured-cloneable). */
interface PageJob {
  n: number;
  d: number;
  queries: number;
  seed: number;
  options: Partial<Omit<ServeBenchOptions, 'onProgress'>>;
}

type BenchWindow = Window & {
  benchServe?: (
    n: number,
    d: number,
    queries: number,
    seed: number,
    options: Partial<ServeBenchOptions>,
  ) => ServeBenchFigures;
  __benchProgress?: (stage: string, n: number) => Promise<void>;
};

/**
 * Runs `benchServe` for each size in headless Chromium and returns the figures.
 *
 * @throws ChromiumNotFoundError when no Chromium is installed (see e2e/browser.ts).
 */
export async function benchServeInChromium(
  settings: BrowserBenchSettings,
): Promise<BrowserBenchResult> {
  let executablePath: string | undefined;
  try {
    executablePath = chromiumExecutable();
  } catch (err) {
    throw new ChromiumNotFoundError((err as Error).message);
  }
  const code = await bundle();
  const { server, url } = await serve(code);
  const browser = await chromium
    .launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] })
    .catch((err: unknown) => {
      server.close();
      throw err;
    });
  try {
    const version = browser.version();
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
    await page.exposeFunction('__benchProgress', (stage: string, n: number) =>
      settings.onProgress?.(stage, n),
    );
    await page.goto(url);
    const crossOriginIsolated = await page.evaluate(() => self.crossOriginIsolated);
    const canWork = await page.evaluate(
      () =>
        new Promise<boolean>((resolve) => {
          try {
            const w = new Worker('/bench.js');
            w.onerror = () => resolve(false); // e.g. the script failed to load
            setTimeout(() => {
              w.terminate();
              resolve(true);
            }, 200);
          } catch {
            resolve(false);
          }
        }),
    );
    const info: Omit<BrowserBenchResult, 'rows'> = {
      runtime: `Chromium ${version} (headless)`,
      version,
      executable: executablePath ?? 'playwright',
      where: canWork ? 'dedicated worker' : 'main thread',
      crossOriginIsolated,
    };
    settings.onReady?.(info);
    const rows: ServeBenchFigures[] = [];
    for (const size of settings.sizes) {
      const job: PageJob = {
        n: size.n,
        d: settings.d,
        queries: size.queries,
        seed: settings.seed,
        options: size.options ?? {},
      };
      const row = canWork
        ? await page.evaluate(
            (job) =>
              new Promise<ServeBenchFigures>((resolve, reject) => {
                const w = new Worker('/bench.js');
                const win = window as BenchWindow;
                w.onmessage = (e: MessageEvent) => {
                  const m = e.data as
                    | { type: 'progress'; stage: string; n: number }
                    | { type: 'row'; row: ServeBenchFigures }
                    | { type: 'error'; message: string };
                  if (m.type === 'progress') void win.__benchProgress?.(m.stage, m.n);
                  else {
                    w.terminate();
                    if (m.type === 'row') resolve(m.row);
                    else reject(new Error(m.message));
                  }
                };
                w.onerror = (e) => {
                  w.terminate();
                  reject(new Error(`worker error: ${e.message}`));
                };
                w.postMessage(job);
              }),
            job,
          )
        : await page.evaluate((job) => {
            const win = window as BenchWindow;
            if (!win.benchServe) throw new Error('bench.js did not load in the page');
            return win.benchServe(job.n, job.d, job.queries, job.seed, job.options);
          }, job);
      rows.push(row);
      settings.onRow?.(row);
    }
    if (pageErrors.length) process.stderr.write(`Chromium reported: ${pageErrors.join('; ')}\n`);
    return { ...info, rows };
  } finally {
    await browser.close();
    server.close();
  }
}
