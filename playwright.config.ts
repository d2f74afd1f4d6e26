import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './e2e/browser.ts';

/** The preview server's port; E2E_PORT moves it (two suites on one machine). */
const PORT = Number(process.env.E2E_PORT) || 4173;
const CI = !!process.env.CI;
/** A build folder other than dist/ (`vite build --outDir DIR`): two suites, two builds. */
const OUT_DIR = process.env.E2E_OUT_DIR;

/**
 * Browser tests run against the BUILT app (`npm run test:e2e` builds first) served by
 * `vite preview`, in Chromium: /usr/bin/chromium, PLAYWRIGHT_CHROMIUM_PATH, or Playwright's own.
 */
export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  retries: 0,
  workers: CI ? 1 : undefined,
  forbidOnly: CI,
  reporter: 'list',
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        headless: true,
        launchOptions: {
          executablePath: chromiumExecutable(),
          args: [...CHROMIUM_ARGS],
        },
      },
    },
  ],
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort${OUT_DIR ? ` --outDir ${OUT_DIR}` : ''}`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: !CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
