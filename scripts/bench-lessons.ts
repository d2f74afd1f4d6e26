/**
 * `npm run bench:lessons`: runs every lesson's experiment one after another and prints each
 * one's wall-clock seconds and verdict, in Node (the runner of `npm run lesson`, WASM backend)
 * and in the page (the built app in headless Chromium: the Lessons tab's Run button, its lesson
 * workers, the seconds the page reports when done), with the machine's load, since other
 * processes share the cores. Asserts nothing.
 *
 *   npm run bench:lessons                        Node and page, seed 7, every lesson
 *   npm run bench:lessons -- --seed 11 --only logq,funnel
 *   npm run bench:lessons -- --node-only         (or --page-only)
 *   npm run bench:lessons -- --dist /tmp/dist    the built app to serve (default dist/; build
 *                                                it first with `npx vite build`)
 *
 * The page is served from the build folder by e2e/static-server.ts with the cross-origin
 * isolation headers of `vite preview` (WASM threads), on a free port; the page's own World tab
 * builds a small world (1,000 videos × 500 users) so that it does not compete with the lesson.
 */
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/browser';
import { serveStatic, type StaticServer } from '../e2e/static-server';
import { useBackend } from '../src/model/backend';
import { LESSONS } from '../src/protocol/lessons/lessons';
import { lessonWith } from '../src/protocol/lessons/spec';
import { summarise } from '../src/protocol/lessons/summary';
import { runExperiment } from '../src/worker/experiment/runner';
import { parseArgs } from './args';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Longest a lesson may take in the page before it is reported as timed out. */
const PAGE_LIMIT_MS = 30 * 60_000;

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

/** Runs lesson `id` in the page; its seconds (as the page reports them) and its verdict word. */
async function inPage(
  browser: Browser,
  base: string,
  id: string,
  seed: number,
): Promise<{ seconds: number; verdict: string; backend: string }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(`${base}#seed=${seed}&videos=1000&users=500&view=lessons&lesson=${id}`);
    await page.getByTestId('lesson.run').click();
    const progress = page.getByTestId('lesson.progress');
    await progress.filter({ hasText: /^(done|failed|cancelled)/ }).waitFor({
      timeout: PAGE_LIMIT_MS,
    });
    const text = (await progress.textContent()) ?? '';
    const m = /, (\d+) s(?: on (.+))?$/.exec(text);
    await page.getByTestId('lesson.chapter3').click();
    const verdict = text.startsWith('done')
      ? ((await page.getByTestId('lesson.verdict').textContent()) ?? '').split(':')[0]
      : text;
    return { seconds: m ? Number(m[1]) : NaN, verdict, backend: m?.[2] ?? '?' };
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  const flags = parseArgs(process.argv.slice(2));
  const seed = Number(flags.seed ?? 7);
  const only = typeof flags.only === 'string' ? flags.only.split(',') : null;
  const node = !flags['page-only'];
  const inBrowser = !flags['node-only'];
  const dist = typeof flags.dist === 'string' ? flags.dist : join(ROOT, 'dist');
  // Each lesson as the page runs it by default: its optional variants off.
  const lessons = LESSONS.filter((l) => !only || only.includes(l.id)).map((l) => lessonWith(l));
  const backend = await useBackend();
  console.log(
    `bench:lessons — ${availableParallelism()} cores, seed ${seed}, Node backend ${backend}, load ${load()}`,
  );
  let server: StaticServer | null = null;
  let browser: Browser | null = null;
  if (inBrowser) {
    if (!existsSync(join(dist, 'index.html')))
      throw new Error(`no built app in ${dist}: run \`npx vite build\` first (or pass --dist)`);
    server = await serveStatic(dist, '/', {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    browser = await chromium.launch({
      executablePath: chromiumExecutable(),
      args: [...CHROMIUM_ARGS],
    });
  }
  console.log('lesson            node s  world s  runs  node verdict      page s  page verdict');
  try {
    for (const spec of lessons) {
      let nodeCols = `${'—'.padStart(6)}  ${'—'.padStart(7)}  ${'—'.padStart(4)}  ${'—'.padEnd(16)}`;
      if (node) {
        const result = await runExperiment(spec, { seed });
        const s = summarise(spec, result);
        nodeCols = `${result.seconds.toFixed(1).padStart(6)}  ${result.worldSeconds
          .toFixed(1)
          .padStart(7)}  ${String(result.runs.length).padStart(4)}  ${s.verdict.padEnd(16)}`;
      }
      let pageCols = `${'—'.padStart(6)}  —`;
      if (browser && server) {
        const p = await inPage(browser, server.url, spec.id, seed).catch((e: unknown) => ({
          seconds: NaN,
          verdict: `error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
          backend: '?',
        }));
        pageCols = `${p.seconds.toFixed(0).padStart(6)}  ${p.verdict} (${p.backend})`;
      }
      console.log(`${spec.id.padEnd(16)}  ${nodeCols}  ${pageCols}   load ${load()}`);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
  }
  console.log(`load at the end ${load()} (other processes share the cores)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
