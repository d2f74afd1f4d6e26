/**
 * `npm run bench [-- --json] [-- --reference]`: every benchmark in turn — world generation
 * (`bench:world`), candidate-generation training (`bench:train`, with `--reference` against
 * PyTorch), retrieval (`bench:serve`, with `--reference` its batched exact top-N against
 * PyTorch's), the Funnel view's answer (`bench:funnel`), the Embedding view's UMAP layout
 * (`bench:umap`), the page (`bench:ui --build`) and WebGPU against WASM (`bench:webgpu`, which
 * says why it skipped where Dawn or an adapter is missing). Each runs in a process of its own;
 * their lines go to stderr as they come. With `--json` the figures are one JSON object on stdout,
 * `{ world, train, serve, funnel, umap, ui, webgpu }`, each the JSON its benchmark prints.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from './args';

const flags = parseArgs(process.argv.slice(2));
const json = flags.json === true;
const runs: [string, string[]][] = [
  ['world', ['scripts/world.ts', '--bench']],
  ['train', ['scripts/bench-train.ts', ...(flags.reference ? ['--reference'] : [])]],
  ['serve', ['scripts/bench-serve.ts', ...(flags.reference ? ['--reference'] : [])]],
  ['funnel', ['scripts/bench-funnel.ts']],
  ['umap', ['scripts/bench-umap.ts']],
  ['ui', ['scripts/bench-ui.ts', '--build']],
  ['webgpu', ['scripts/bench-webgpu.ts']],
];
const out: Record<string, unknown> = {};
for (const [name, args] of runs) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args, ...(json ? ['--json'] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', json ? 'pipe' : 'inherit', 'inherit'],
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) {
    console.error(`bench:${name} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
  if (json) out[name] = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}
if (json) console.log(JSON.stringify(out));
