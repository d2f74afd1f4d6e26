/**
 * `npm run bench:train [-- --json]`: ms per step and examples/s of candidate generation at
 * 20 000 and 1 000 000 videos with the same batch and K, on the fastest backend Node offers
 * here (WASM). Figures are printed, never asserted: sparse embedding updates should keep the
 * second within 1.5× of the first. `--reference [--rounds 3] [--steps 30]`: against a PyTorch CPU
 * model of the same shape, alternated (scripts/bench-train-reference.ts).
 */
import { buildCandidateExamples } from '../src/sim/examples';
import { generateWorld } from '../src/sim/world';
import { useBackend } from '../src/model/backend';
import { defaultCandidateConfig } from '../src/model/candidate/config';
import { CandidateModel, labelCounts } from '../src/model/candidate/model';
import { parseArgs } from './args';
import { runReference } from './bench-train-reference';

const flags = parseArgs(process.argv.slice(2));
const steps = Number(flags.steps ?? 60);
const warmup = 10;
const backend = await useBackend();
if (flags.reference) {
  // Against PyTorch (scripts/bench-train-reference.ts): rounds alternate the two.
  const log = (line: string) => console.error(line);
  const sizes = String(flags.videos ?? '20000,1000000')
    .split(',')
    .map(Number);
  const worlds = sizes.map((videos) => ({
    videos,
    world: generateWorld({ seed: 7, videos, users: 5000 }),
  }));
  const rows = await runReference(worlds, {
    steps: Number(flags.steps ?? 30),
    warmup,
    rounds: Number(flags.rounds ?? 3),
    log,
  });
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const summary = rows.map((r) => ({
    videos: r.videos,
    projectMs: median(r.project.map((p) => p.msPerStep)),
    torchMs: r.torch.length ? median(r.torch.map((t) => t.msPerStep)) : null,
    ratio: r.ratio.length ? median(r.ratio) : null,
  }));
  // The growth of the project's step from the first size to the last, round by round.
  const first = rows[0].project;
  const last = rows[rows.length - 1].project;
  const growth = first.map((p, i) => last[i].msPerStep / p.msPerStep);
  if (flags.json) console.log(JSON.stringify({ backend, reference: rows, summary, growth }));
  else
    for (const x of summary)
      console.log(
        `${x.videos} videos: project ${x.projectMs} ms/step` +
          (x.torchMs === null
            ? ''
            : `, PyTorch ${x.torchMs} ms/step, project / PyTorch ${x.ratio}× (median of rounds)`),
      );
  if (rows.length > 1 && !flags.json)
    console.log(
      `step at ${rows[rows.length - 1].videos} / step at ${rows[0].videos} videos, per round: ` +
        growth.map((g) => g.toFixed(2)).join(', '),
    );
  process.exit(0);
}
const rows = [];
for (const videos of [20_000, 1_000_000]) {
  const t0 = performance.now();
  const world = generateWorld({ seed: 7, videos, users: 5000 });
  const genMs = performance.now() - t0;
  const train = buildCandidateExamples(world, { split: 'train' });
  const model = new CandidateModel(world, defaultCandidateConfig, labelCounts(world, train));
  for (let s = 0; s < warmup; s++) await model.trainStep(train);
  const t1 = performance.now();
  for (let s = 0; s < steps; s++) await model.trainStep(train);
  const ms = (performance.now() - t1) / steps;
  rows.push({
    videos,
    batch: defaultCandidateConfig.batchSize,
    negatives: defaultCandidateConfig.negatives,
    msPerStep: Math.round(ms * 10) / 10,
    examplesPerSec: Math.round((defaultCandidateConfig.batchSize / ms) * 1000),
    worldMs: Math.round(genMs),
  });
  model.dispose();
  if (!flags.json)
    console.error(
      `${videos} videos: ${ms.toFixed(1)} ms/step, ${rows.at(-1)!.examplesPerSec} examples/s`,
    );
}
const result = {
  backend,
  steps,
  rows,
  ratio: Math.round((rows[1].msPerStep / rows[0].msPerStep) * 100) / 100,
};
if (flags.json) console.log(JSON.stringify(result));
else console.log(`backend ${backend}; 1M / 20k ms per step = ${result.ratio}×`);
