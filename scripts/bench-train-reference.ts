/**
 * `npm run bench:train -- --reference`: the project's candidate-generation step against a
 * PyTorch CPU model of the same shape (bench/reference/two_tower.py), alternated, at 20 000 and
 * 1 000 000 videos. The project builds the batches (its own watch bags, search bags, demographic
 * and dense inputs, labels) from the world's training examples and writes them to a file the
 * PyTorch script reads, with the sampling distribution q (popularity^0.75, as the project's
 * default sampler); PyTorch's time is its step on those ready tensors (drawing the negatives,
 * forward, backward, SparseAdam + Adam), the project's a whole `trainStep` (building the batch
 * included). Rounds alternate the two; the medians, their spread and the ratio per round are
 * printed. Without python3 and torch it says so and prints only the project's figures.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCandidateConfig as cfg, embeddingDim } from '../src/model/candidate/config';
import { DENSE_INPUTS } from '../src/model/candidate/inputs';
import { CandidateModel, labelCounts } from '../src/model/candidate/model';
import {
  buildCandidateExamples,
  searchTokenSpace,
  type CandidateExamples,
} from '../src/sim/examples';
import { createRng } from '../src/sim/rng';
import type { World } from '../src/sim/types';
import { COUNTRIES, DEVICES } from '../src/sim/vocab-names';

const SCRIPT = fileURLToPath(new URL('../bench/reference/two_tower.py', import.meta.url));

/**
 * The first Python that imports torch: `$PYTHON`, `python3`, then `/usr/bin/python3` (Debian's
 * python3-torch lives there, not in a pyenv or venv Python found first on the PATH); or null.
 */
export function torchPython(): string | null {
  for (const py of [process.env.PYTHON, 'python3', '/usr/bin/python3']) {
    if (!py) continue;
    const r = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

/** Writes `steps` batches of the project's inputs and q to `file` (see two_tower.py's `read`). */
function writeBatches(
  file: string,
  world: World,
  train: CandidateExamples,
  model: CandidateModel,
  counts: Float32Array,
  steps: number,
): void {
  const B = cfg.batchSize;
  const rng = createRng(7, 0xbe4c, 1);
  const arrays: [string, 'i32' | 'f32', Int32Array | Float32Array][] = [];
  let total = 0;
  const q = new Float32Array(counts.length);
  for (let i = 0; i < q.length; i++) total += q[i] = Math.pow(counts[i] + 1, cfg.alpha);
  for (let i = 0; i < q.length; i++) q[i] /= total;
  arrays.push(['q', 'f32', q]);
  for (let s = 0; s < steps; s++) {
    const rows = Int32Array.from({ length: B }, () => rng.int(train.count));
    const inp = model.inputs(train, rows);
    const [watch, search, region, device] = inp.fields;
    arrays.push(
      [`watch${s}`, 'i32', watch.ids],
      [`watchOffsets${s}`, 'i32', watch.offsets],
      [`search${s}`, 'i32', search.ids],
      [`searchOffsets${s}`, 'i32', search.offsets],
      [`region${s}`, 'i32', region.ids],
      [`device${s}`, 'i32', device.ids],
      [`dense${s}`, 'f32', inp.dense],
      [`labels${s}`, 'i32', Int32Array.from(rows, (r) => train.label[r])],
    );
  }
  const head = {
    batch: B,
    negatives: cfg.negatives,
    steps,
    d: embeddingDim(cfg),
    videos: world.videos.count,
    searchTokens: searchTokenSpace(world),
    regions: COUNTRIES.length,
    devices: DEVICES.length,
    dense: DENSE_INPUTS,
    learningRate: cfg.learningRate,
    arrays: arrays.map(([n, t, a]) => [n, t, a.length]),
  };
  const json = Buffer.from(JSON.stringify(head));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const body = arrays.map(([, , a]) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  writeFileSync(file, Buffer.concat([len, json, ...body]));
}

/** One round's figures: ms per step, median and 10th–90th percentiles. */
export interface StepFigures {
  msPerStep: number;
  p10: number;
  p90: number;
}

/** Times `steps` steps of the project's model after `warmup` (a fresh model each round). */
async function projectSteps(
  world: World,
  train: CandidateExamples,
  counts: Float32Array,
  warmup: number,
  steps: number,
): Promise<StepFigures> {
  const model = new CandidateModel(world, cfg, counts);
  try {
    for (let s = 0; s < warmup; s++) await model.trainStep(train);
    const t: number[] = [];
    for (let s = 0; s < steps; s++) {
      const t0 = performance.now();
      await model.trainStep(train);
      t.push(performance.now() - t0);
    }
    t.sort((a, b) => a - b);
    const at = (f: number) =>
      Math.round(t[Math.min(t.length - 1, Math.floor(f * t.length))] * 100) / 100;
    return { msPerStep: at(0.5), p10: at(0.1), p90: at(0.9) };
  } finally {
    model.dispose();
  }
}

/** A size's rounds: the project's and PyTorch's figures, and project / PyTorch per round. */
export interface ReferenceRow {
  videos: number;
  project: StepFigures[];
  torch: (StepFigures & { runtime: string; threads: number })[];
  ratio: number[];
}

/**
 * Runs `rounds` alternated rounds of the project and PyTorch at each size; returns a row per
 * size (torch empty when PyTorch is absent).
 */
export async function runReference(
  worlds: { videos: number; world: World }[],
  opts: { steps: number; warmup: number; rounds: number; log: (line: string) => void },
): Promise<ReferenceRow[]> {
  const torch = torchPython();
  if (!torch)
    opts.log(
      'PyTorch not found (python3 -c "import torch" failed): on Debian, apt-get install python3-torch. Project figures only.',
    );
  const dir = mkdtempSync(join(tmpdir(), 'bench-ref-'));
  const out: ReferenceRow[] = [];
  try {
    for (const { videos, world } of worlds) {
      const train = buildCandidateExamples(world, { split: 'train' });
      const counts = labelCounts(world, train);
      const file = join(dir, `batches-${videos}.bin`);
      const probe = new CandidateModel(world, cfg, counts);
      writeBatches(file, world, train, probe, counts, opts.warmup + opts.steps);
      probe.dispose();
      const row: ReferenceRow = { videos, project: [], torch: [], ratio: [] };
      for (let r = 0; r < opts.rounds; r++) {
        const p = await projectSteps(world, train, counts, opts.warmup, opts.steps);
        row.project.push(p);
        if (!torch) continue;
        const py = spawnSync(torch, [SCRIPT, file, '--warmup', String(opts.warmup)], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        });
        if (py.status !== 0) throw new Error(`two_tower.py failed: ${py.stderr}`);
        const t = JSON.parse(py.stdout.trim().split('\n').at(-1)!);
        row.torch.push(t);
        row.ratio.push(Math.round((p.msPerStep / t.msPerStep) * 100) / 100);
        opts.log(
          `${videos} videos, round ${r + 1}: project ${p.msPerStep} ms/step, ${t.runtime} (${t.threads} threads) ${t.msPerStep} ms/step, ratio ${row.ratio.at(-1)}`,
        );
      }
      out.push(row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
