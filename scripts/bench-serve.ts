/**
 * `npm run bench:serve [-- --json] [-- --queries 200] [-- --sizes 100000,1000000]`: ms per
 * query of exact and approximate (IVF) top-500 retrieval over 100 000 × 32 and
 * 1 000 000 × 32 seeded clustered Gaussian embeddings (200 clusters), the index's build time
 * and memory, and its recall@100 against the exact top 100 over a sweep of nprobe, in Node.
 * Figures are printed, never asserted; `--json` prints one JSON object on stdout. The core is
 * src/serve/bench.ts, which a browser worker can call as it is.
 */
import { benchServe, type ServeBenchFigures } from '../src/serve/bench';
import { parseArgs } from './args';

const flags = parseArgs(process.argv.slice(2));
const d = 32;
const seed = Number(flags.seed ?? 1);
const queries = Number(flags.queries ?? 200);
const sizes = String(flags.sizes ?? '100000,1000000')
  .split(',')
  .map(Number);
const log = (line: string): void => {
  if (!flags.json) console.log(line);
  else console.error(line);
};
const ms = (x: number): string => x.toFixed(x < 10 ? 2 : 0);

const rows: ServeBenchFigures[] = [];
for (const n of sizes) {
  const r = benchServe(n, d, queries, seed, {
    onProgress: (stage) => {
      if (!flags.json) process.stderr.write(`  ${n} × ${d}: ${stage}…\n`);
    },
  });
  rows.push(r);
  const b = r.build;
  log(`${n} × ${d} (${r.clusters} clusters), top-${r.topN}:`);
  log(
    `  exact      ${ms(r.exactMsPerQuery)} ms/query (batched: ${ms(r.exactBatchMsPerQuery)}), ${r.exactQueries} queries`,
  );
  log(
    `  IVF build  ${(b.buildMs / 1000).toFixed(1)} s (k-means ${(b.kmeansMs / 1000).toFixed(1)} s, assign ${(b.assignMs / 1000).toFixed(1)} s), ` +
      `${b.lists} lists, largest ${b.largestList}, ${(b.bytes / 2 ** 20).toFixed(1)} MiB`,
  );
  for (const p of r.sweep)
    log(
      `  nprobe ${String(p.nprobe).padStart(3)}  ${ms(p.msPerQuery).padStart(6)} ms/query  recall@${r.recallK} ${p.recall.toFixed(3)}  scanned ${Math.round(p.scannedPerQuery)}`,
    );
  log(
    `  headline: nprobe ${r.approx.nprobe}, ${ms(r.approx.msPerQuery)} ms/query, recall@${r.recallK} ${r.approx.recall.toFixed(3)}, ${r.speedup.toFixed(0)}× faster than exact`,
  );
}
if (flags.json)
  console.log(JSON.stringify({ runtime: `node ${process.version}`, d, seed, queries, rows }));
