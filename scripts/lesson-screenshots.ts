/**
 * `npx tsx scripts/lesson-screenshots.ts`: runs lessons in the built app (headless Chromium,
 * projector mode `present=on`, 1280×800) and saves chapter 2 (the curves) and chapter 3 (table
 * and verdict) of each as docs/lesson-<id>-<chapter>.png, printing the seconds the page took.
 * For looking at what a class sees on the wall (docs/lessons.md#classroom).
 *
 *   npx vite build && npx tsx scripts/lesson-screenshots.ts
 *   npx tsx scripts/lesson-screenshots.ts --lessons example-age,watch-time --dist /tmp/dist
 *   npx tsx scripts/lesson-screenshots.ts --steps 50 --repeats 2    (a quick look)
 *
 * Serves the build folder with the isolation headers (e2e/static-server.ts) on a free port.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable, collectConsoleErrors } from '../e2e/browser';
import { serveStatic } from '../e2e/static-server';
import { parseArgs } from './args';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<void> {
  const flags = parseArgs(process.argv.slice(2));
  const lessons =
    typeof flags.lessons === 'string'
      ? flags.lessons.split(',')
      : ['example-age', 'watch-time', 'logq'];
  const dist = typeof flags.dist === 'string' ? flags.dist : join(ROOT, 'dist');
  const out = typeof flags.out === 'string' ? flags.out : join(ROOT, 'docs');
  mkdirSync(out, { recursive: true });
  const server = await serveStatic(dist, '/', {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  });
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: [...CHROMIUM_ARGS],
  });
  try {
    for (const id of lessons) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors = collectConsoleErrors(page);
      await page.goto(
        `${server.url}#seed=7&videos=1000&users=500&view=lessons&lesson=${id}&chapter=2&present=on`,
      );
      if (typeof flags.steps === 'string') await page.getByTestId('lesson.steps').fill(flags.steps);
      if (typeof flags.repeats === 'string')
        await page.getByTestId('lesson.repeats').fill(flags.repeats);
      await page.getByTestId('lesson.run').click();
      const progress = page.getByTestId('lesson.progress');
      await progress
        .filter({ hasText: /^(done|failed|cancelled)/ })
        .waitFor({ timeout: 30 * 60_000 });
      console.log(`${id}: ${await progress.textContent()}`);
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(out, `lesson-${id}-2.png`), fullPage: true });
      await page.getByTestId('lesson.chapter3').click();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(out, `lesson-${id}-3.png`), fullPage: true });
      if (errors.length) console.log(`  console errors: ${errors.join(' | ')}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
