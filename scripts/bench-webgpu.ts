/**
 * `npm run bench:webgpu [-- --json] [--videos 20000,1000000] [--steps 30] [--rounds 3]`:
 * candidate generation's examples/s on tfjs's WebGPU backend against WASM, in Node, through
 * Dawn (the `webgpu` package on npm, not a dependency of the app). Rounds alternate the two
 * backends at each corpus size; each round builds a fresh model from the same seed, so the first
 * step's sampled-softmax loss must agree between backends to float error (printed: a GPU path
 * that computes another model shows here before its speed means anything).
 *
 * Nothing depends on this: without the package (`npm install --no-save webgpu@0.6.2`, or
 * `WEBGPU_MODULE=/path/to/webgpu/index.js`) or without an adapter it prints why and exits 0.
 * On a machine without a GPU, Chromium's SwiftShader Vulkan driver gives Dawn an adapter
 * (`VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json`): a check that the path works,
 * not a speed. `npm run gpu-kit` packs this script with a Node binary and Dawn for a GPU
 * machine that has no Node (docs/performance.md#a-real-gpu).
 */
import { parseArgs } from './args';

const flags = parseArgs(process.argv.slice(2));
const sizes = String(flags.videos ?? '20000,1000000')
  .split(',')
  .map(Number);
const steps = Number(flags.steps ?? 30);
const rounds = Number(flags.rounds ?? 3);
const warmup = Number(flags.warmup ?? 5);
const users = Number(flags.users ?? 5000);
const say = (line: string) => console.error(line);

/** What `webgpu`'s index.js exports: Dawn's `navigator.gpu` and the WebGPU globals. */
interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/** The adapter's own words, or null when Dawn has none here. */
interface AdapterReport {
  vendor: string;
  architecture: string;
  description: string;
  fallback: boolean;
}

function skip(why: string): never {
  if (flags.json) console.log(JSON.stringify({ skipped: why }));
  else console.log(`bench:webgpu skipped: ${why}`);
  process.exit(0);
}

const moduleName = process.env.WEBGPU_MODULE ?? 'webgpu';
let dawn: DawnModule;
try {
  dawn = (await import(/* @vite-ignore */ moduleName)) as DawnModule;
} catch (e) {
  skip(
    `the "webgpu" package (Dawn for Node) did not load from ${moduleName} (${(e as Error).message.split('\n')[0]}); ` +
      'install it with `npm install --no-save webgpu@0.6.2` or set WEBGPU_MODULE',
  );
}
Object.assign(globalThis, dawn.globals);
const gpu = dawn.create((process.env.DAWN_FLAGS ?? '').split(',').filter(Boolean));
Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });

const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
if (!adapter)
  skip(
    'Dawn found no WebGPU adapter (no GPU driver; on a machine without a GPU try ' +
      'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json)',
  );
const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
const report: AdapterReport = {
  vendor: info?.vendor ?? '',
  architecture: info?.architecture ?? '',
  description: info?.description ?? '',
  fallback: Boolean((adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter),
};
say(
  `adapter: ${report.vendor} ${report.architecture} ${report.description}${report.fallback ? ' (fallback)' : ''}`,
);

// The backend registers itself only where navigator.gpu exists, so it is imported after it.
await import('@tensorflow/tfjs-backend-webgpu');
const { useBackend } = await import('../src/model/backend');
const { generateWorld } = await import('../src/sim/world');
const { buildCandidateExamples } = await import('../src/sim/examples');
const { defaultCandidateConfig } = await import('../src/model/candidate/config');
const { CandidateModel, labelCounts } = await import('../src/model/candidate/model');

/** One timed run: a fresh model on one backend, `warmup` steps, then `steps` timed. */
interface Run {
  videos: number;
  backend: 'webgpu' | 'wasm';
  round: number;
  firstLoss: number;
  msPerStep: number;
  examplesPerSec: number;
}

const runs: Run[] = [];
const batch = defaultCandidateConfig.batchSize;
for (const videos of sizes) {
  const t0 = performance.now();
  const world = generateWorld({ seed: 7, videos, users });
  const train = buildCandidateExamples(world, { split: 'train' });
  const counts = labelCounts(world, train);
  say(`${videos} videos: world and examples in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (let round = 0; round < rounds; round++) {
    // Alternate which backend goes first, so neither always runs on a warmer machine.
    const order: Run['backend'][] = round % 2 ? ['wasm', 'webgpu'] : ['webgpu', 'wasm'];
    for (const backend of order) {
      await useBackend(backend);
      const model = new CandidateModel(world, defaultCandidateConfig, counts);
      let firstLoss = NaN;
      for (let s = 0; s < warmup; s++) {
        const r = await model.trainStep(train);
        if (s === 0) firstLoss = r.loss;
      }
      const t1 = performance.now();
      for (let s = 0; s < steps; s++) await model.trainStep(train);
      const ms = (performance.now() - t1) / steps;
      model.dispose();
      runs.push({
        videos,
        backend,
        round,
        firstLoss,
        msPerStep: Math.round(ms * 100) / 100,
        examplesPerSec: Math.round((batch / ms) * 1000),
      });
      say(`  round ${round + 1} ${backend}: ${ms.toFixed(1)} ms/step, first loss ${firstLoss}`);
    }
  }
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const summary = sizes.map((videos) => {
  const of = (b: Run['backend']) => runs.filter((r) => r.videos === videos && r.backend === b);
  const gpuRuns = of('webgpu');
  const wasmRuns = of('wasm');
  const gpuEps = median(gpuRuns.map((r) => r.examplesPerSec));
  const wasmEps = median(wasmRuns.map((r) => r.examplesPerSec));
  return {
    videos,
    webgpuExamplesPerSec: gpuEps,
    wasmExamplesPerSec: wasmEps,
    webgpuOverWasm: Math.round((gpuEps / wasmEps) * 100) / 100,
    firstLossGap: Math.max(
      ...gpuRuns.map((g, i) => Math.abs(g.firstLoss - (wasmRuns[i]?.firstLoss ?? NaN))),
    ),
  };
});

if (flags.json)
  console.log(JSON.stringify({ adapter: report, batch, steps, warmup, users, runs, summary }));
else
  for (const s of summary)
    console.log(
      `${s.videos} videos: WebGPU ${s.webgpuExamplesPerSec} examples/s, WASM ${s.wasmExamplesPerSec} ` +
        `(WebGPU / WASM ${s.webgpuOverWasm}×, median of ${rounds}); first-step loss differs by ${s.firstLossGap.toExponential(1)}`,
    );
process.exit(0);
