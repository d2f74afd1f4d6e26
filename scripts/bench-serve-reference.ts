/**
 * `npm run bench:serve -- --reference`: the project's batched exact top-N against PyTorch's
 * (bench/reference/topn.py: one matrix product per batch, then `torch.topk`), on the same
 * seeded clustered vectors and queries, alternated in rounds. The project's side is
 * `BlockedItems.topN` on items prepared once (as PyTorch holds its item tensor ready), in
 * batches of {@link PREPARED_BATCH}; PyTorch's is the same batches, one thread (as the training
 * reference). Each round runs the project first, then a fresh PyTorch process (its file reading
 * untimed); the ratio is per round. Without a Python that imports torch it says so and returns
 * null (docs/performance.md#retrieval).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PREPARED_BATCH, preparedMsPerQuery } from '../src/serve/bench';
import { BlockedItems, exactTopNBatch } from '../src/serve/exact';
import { clusteredVectors, defaultClusters } from '../src/serve/synthetic';
import { torchPython } from './bench-train-reference';

const SCRIPT = fileURLToPath(new URL('../bench/reference/topn.py', import.meta.url));

/** One round: ms per query of each side and their ratio (> 1: the project is slower). */
export interface TopNRound {
  projectMsPerQuery: number;
  torchMsPerQuery: number;
  ratio: number;
}

/** What {@link runTopNReference} measured at one size. */
export interface TopNReference {
  n: number;
  d: number;
  queries: number;
  topN: number;
  batch: number;
  /** The Python used and torch's version and threads. */
  python: string;
  torch: string;
  threads: number;
  rounds: TopNRound[];
  /** Medians over the rounds, and [min, max]. */
  projectMsPerQuery: number;
  torchMsPerQuery: number;
  ratio: number;
  ratioRange: [number, number];
  /**
   * Share of PyTorch's top N of the first query that the project's holds too (float32 against
   * double scores: items tied to within float32 rounding may swap at the edge).
   */
  agreement: number;
  /** The 1-minute load average at the start of each round. */
  load: number[];
}

const median = (x: number[]): number => {
  const s = [...x].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Alternates the project's and PyTorch's batched exact top-N `rounds` times over n × d items.
 * Returns null (after `log` says why) when no Python with torch is found or the backend is not
 * WASM.
 */
export function runTopNReference(
  n: number,
  d: number,
  queries: number,
  seed: number,
  rounds: number,
  log: (line: string) => void,
  loadAverage: () => number,
  topN = 500,
): TopNReference | null {
  const python = torchPython();
  if (!python) {
    log(
      'reference skipped: no Python that imports torch ($PYTHON, python3, /usr/bin/python3; ' +
        'Debian: apt-get install python3-torch)',
    );
    return null;
  }
  const items = clusteredVectors(n, d, seed, 0, { clusters: defaultClusters.clusters });
  const q = clusteredVectors(queries, d, seed, 1, { clusters: defaultClusters.clusters }).vectors;
  const blocked = BlockedItems.prepare(items);
  if (!blocked) {
    log('reference skipped: the blocked exact top-N needs the WASM backend');
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'topn-ref-'));
  try {
    const file = join(dir, 'topn.bin');
    const head = Buffer.from(JSON.stringify({ n, d, m: queries }));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(head.length);
    const f32 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    writeFileSync(file, Buffer.concat([len, head, f32(items.vectors), f32(q)]));
    const ours = exactTopNBatch(items, q.subarray(0, d), topN)[0];
    const out: TopNRound[] = [];
    const load: number[] = [];
    let torch = '';
    let threads = 1;
    let agreement = NaN;
    for (let r = 0; r < rounds; r++) {
      load.push(loadAverage());
      const projectMsPerQuery = preparedMsPerQuery(blocked, q, queries, topN);
      const p = spawnSync(
        python,
        [SCRIPT, file, '--n', String(topN), '--batch', String(PREPARED_BATCH), '--threads', '1'],
        { encoding: 'utf8', maxBuffer: 1 << 26 },
      );
      if (p.status !== 0) throw new Error(`topn.py failed (exit ${p.status}): ${p.stderr}`);
      const res = JSON.parse(p.stdout.trim().split('\n').at(-1)!) as {
        torch: string;
        threads: number;
        msPerQuery: number[];
        firstIds: number[];
      };
      torch = res.torch;
      threads = res.threads;
      const theirs = new Set(res.firstIds);
      agreement = Array.from(ours.ids).filter((id) => theirs.has(id)).length / theirs.size;
      const torchMsPerQuery = res.msPerQuery[0];
      out.push({ projectMsPerQuery, torchMsPerQuery, ratio: projectMsPerQuery / torchMsPerQuery });
      log(
        `  round ${r + 1}: project ${projectMsPerQuery.toFixed(2)} ms/query, PyTorch ` +
          `${torchMsPerQuery.toFixed(2)} ms/query, ratio ${(projectMsPerQuery / torchMsPerQuery).toFixed(2)} ` +
          `(load ${load[r].toFixed(1)})`,
      );
    }
    const ratios = out.map((o) => o.ratio);
    return {
      n,
      d,
      queries,
      topN,
      batch: PREPARED_BATCH,
      python,
      torch,
      threads,
      rounds: out,
      projectMsPerQuery: median(out.map((o) => o.projectMsPerQuery)),
      torchMsPerQuery: median(out.map((o) => o.torchMsPerQuery)),
      ratio: median(ratios),
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
      agreement,
      load,
    };
  } finally {
    blocked.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
