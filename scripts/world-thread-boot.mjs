// A range worker thread of generateWorldOnThreads (scripts/world-threads.ts) starts here, before
// the main thread has built the catalogue: it bundles the range worker (world-thread-worker.ts
// and the src/sim modules it imports) with esbuild in this thread and loads it as one ES module,
// so that bundling and compiling (~0.1 s and ~0.2 s) overlap the main thread's catalogue, users
// and session context instead of following them. The worker then waits for its range.
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

const { outputFiles } = buildSync({
  entryPoints: [fileURLToPath(new URL('./world-thread-worker.ts', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  write: false,
});
await import('data:text/javascript,' + encodeURIComponent(outputFiles[0].text));
