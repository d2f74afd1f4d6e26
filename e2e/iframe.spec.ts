/**
 * The page works inside an iframe, as a course page would embed it: a host page on another
 * origin (e2e/static-server.ts, no isolation headers) frames the built app at a lesson link;
 * the lesson opens at its chapter and its Run starts and finishes in the frame.
 */
import { expect, test } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { collectConsoleErrors } from './browser.ts';

let host: Server;
let hostUrl = '';

test.beforeAll(async ({ baseURL }) => {
  const app = `${baseURL}/#seed=7&videos=1000&users=500&view=lessons&lesson=watch-time&chapter=2`;
  host = createServer((_, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="en"><title>Course</title><h1>Week 3</h1>` +
        `<iframe title="RecSys Playground" src="${app}" width="1200" height="800"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => host.listen(0, 'localhost', resolve));
  const a = host.address();
  hostUrl = `http://localhost:${typeof a === 'object' && a ? a.port : 0}/`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => host.close(() => resolve()));
});

test('an embedded lesson link opens its lesson and runs it in the frame', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  await page.goto(hostUrl);
  const frame = page.frameLocator('iframe');
  await expect(frame.getByTestId('lesson.watch-time')).toHaveAttribute('aria-current', 'page');
  await expect(frame.getByTestId('lesson.chapter2')).toHaveAttribute('aria-current', 'step');
  await frame.getByTestId('lesson.steps').fill('5');
  await frame.getByTestId('lesson.repeats').fill('2');
  await frame.getByTestId('lesson.run').click();
  await expect(frame.getByTestId('lesson.progress')).toHaveText(/^done: 4 of 4 runs/, {
    timeout: 150_000,
  });
  await frame.getByTestId('lesson.chapter3').click();
  await expect(frame.getByTestId('lesson.verdict')).toHaveText(
    /^(reproduced|not-reproduced|inconclusive): /,
  );
  expect(errors).toEqual([]);
});
