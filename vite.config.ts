/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { availableParallelism } from 'node:os';

/**
 * Cross-origin isolation (COOP/COEP) lets the tfjs WASM backend use threads
 * (SharedArrayBuffer); both the dev and the preview server send it.
 *
 * The worker bundle is not minified: a minified worker broke the threaded WASM backend
 * ("e is not defined", docs/tfjs-notes.md#wasm-threads), whose pthreads re-run the worker's code.
 */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es', rolldownOptions: { output: { minify: false } } },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    // One test file per core: vitest's default (cores − 1) runs one file at a time on 2 cores,
    // and these tests are CPU-bound, so the second core sat idle (unit tests 396 s → 218 s here).
    maxWorkers: availableParallelism(),
  },
});
