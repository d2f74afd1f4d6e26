/**
 * `npm run bench:umap [-- --json] [-- --rounds 3] [-- --rows 20000] [-- --seed 1]`: seconds of the
 * Embedding view's UMAP layout (src/model/umap-layout.ts, its defaults: 5 000 rows laid out,
 * the rest placed beside their nearest) of `rows` × 32 seeded clustered Gaussian vectors
 * (src/serve/synthetic.ts: 200 clusters, the default world's 20 000 videos by default), with
 * the time of each stage (neighbours, graph, layout, placing). Figures are printed, never
 * asserted; `--json` prints `{ rows, dim, runs: [{ seconds, stages }], medianSeconds }`.
 */
import { loadavg } from 'node:os';
import { umapLayout, type UmapStage } from '../src/model/umap-layout';
import { clusteredVectors } from '../src/serve/synthetic';
import { parseArgs } from './args';

const flags = parseArgs(process.argv.slice(2));
const rows = Number(flags.rows ?? 20_000);
const rounds = Number(flags.rounds ?? 3);
const seed = Number(flags.seed ?? 1);
const dim = 32;
const { vectors } = clusteredVectors(rows, dim, seed);
const runs = [];
for (let r = 0; r < rounds; r++) {
  const stages: Partial<Record<UmapStage, number>> = {};
  let stage: UmapStage | null = null;
  let since = performance.now();
  const result = await umapLayout(vectors, rows, dim, {
    seed,
    onProgress: (_f, s) => {
      if (s === stage) return;
      const now = performance.now();
      if (stage) stages[stage] = (now - since) / 1000;
      stage = s;
      since = now;
    },
  });
  // (`stage` is set inside the callback, which the type checker does not follow.)
  const last = stage as UmapStage | null;
  if (last) stages[last] = (performance.now() - since) / 1000;
  const seconds = result.ms / 1000;
  const round = (x: number) => Math.round(x * 100) / 100;
  runs.push({
    seconds: round(seconds),
    stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, round(v)])),
    load: round(loadavg()[0]),
  });
  console.error(
    `UMAP ${rows} × ${dim}: ${seconds.toFixed(2)} s (` +
      Object.entries(stages)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ') +
      `), load ${loadavg()[0].toFixed(1)}`,
  );
}
const medianSeconds = [...runs.map((r) => r.seconds)].sort((a, b) => a - b)[runs.length >> 1];
if (flags.json) console.log(JSON.stringify({ rows, dim, runs, medianSeconds }));
else console.log(`UMAP of ${rows} × ${dim}: median ${medianSeconds} s of ${rounds}`);
