/**
 * `npm run bench:serve [-- --json] [-- --queries 200] [-- --sizes 100000,1000000]`: ms per
 * query of exact and approximate (IVF) top-500 retrieval over 100 000 × 32 and
 * 1 000 000 × 32 seeded clustered Gaussian embeddings (200 clusters), the index's build time
 * and memory, and its recall@100 against the exact top 100 over a sweep of nprobe — first in
 * Node, then in headless Chromium (a dedicated Web Worker; scripts/bench-serve-browser.ts),
 * then the two side by side. Figures are printed, never asserted; `--json` prints one JSON
 * object `{ node, chromium }` on stdout (progress and the human-readable lines go to stderr).
 * The core is src/serve/bench.ts, which runs unchanged in both.
 *
 * Flags: `--no-browser` skips Chromium, `--browser-only` skips Node, `--browser-queries 200`
 * or `--browser-queries 200,100` (one per size) sets Chromium's queries, `--seed 1`.
 * Without Chromium installed the Node figures are still printed (exit 0).
 *
 * `--reference [--rounds 3] [--reference-queries 128] [--reference-sizes 1000000]`: the batched
 * exact top-N against PyTorch's (bench/reference/topn.py), alternated in rounds, with the ratio
 * (scripts/bench-serve-reference.ts); skipped with a message when torch is absent. Its figures
 * are the JSON's `reference` (null without the flag). Node runs on tfjs's WASM backend.
 */
import { loadavg } from 'node:os';
import { useBackend } from '../src/model/backend';
import { benchServe, type ServeBenchFigures } from '../src/serve/bench';
import { parseArgs } from './args';
import { runTopNReference, type TopNReference } from './bench-serve-reference';
import {
  benchServeInChromium,
  ChromiumNotFoundError,
  type BrowserBenchResult,
} from './bench-serve-browser';

const flags = parseArgs(process.argv.slice(2));
if (flags.help) {
  console.log(
    'npm run bench:serve -- [--json] [--sizes 100000,1000000] [--queries 200] [--seed 1]\n' +
      '                       [--no-browser | --browser-only] [--browser-queries 200[,200]]\n' +
      '                       [--reference [--rounds 3] [--reference-queries 128]\n' +
      '                                    [--reference-sizes 1000000]]',
  );
  process.exit(0);
}
const d = 32;
const seed = Number(flags.seed ?? 1);
const queries = Number(flags.queries ?? 200);
const sizes = String(flags.sizes ?? '100000,1000000')
  .split(',')
  .map(Number);
const runNode = !flags['browser-only'];
const runBrowser = flags.browser !== false;
/** Chromium's queries per size: `--browser-queries` (one value, or one per size), else `--queries`. */
const browserQueries = ((): number[] => {
  const given = flags['browser-queries'];
  if (given === undefined || given === true) return sizes.map(() => queries);
  const list = String(given).split(',').map(Number);
  return sizes.map((_, i) => list[Math.min(i, list.length - 1)]);
})();

const log = (line: string): void => {
  if (!flags.json) console.log(line);
  else console.error(line);
};
const progress = (runtime: string) => (stage: string, n: number) => {
  if (!flags.json) process.stderr.write(`  [${runtime}] ${n} × ${d}: ${stage}…\n`);
};
const ms = (x: number): string => x.toFixed(x < 10 ? 2 : 0);
const sec = (x: number): string => `${(x / 1000).toFixed(1)} s`;

/** The figures of one size, as the lines the Node-only script always printed. */
function printRow(r: ServeBenchFigures): void {
  const b = r.build;
  log(`${r.n} × ${r.d} (${r.clusters} clusters), top-${r.topN}:`);
  log(
    `  exact      ${ms(r.exactMsPerQuery)} ms/query (batched: ${ms(r.exactBatchMsPerQuery)}), ${r.exactQueries} queries`,
  );
  if (r.exactPrepareMs !== null && r.exactPreparedMsPerQuery !== null)
    log(
      `  exact, blocked products on prepared items: ${ms(r.exactPreparedMsPerQuery)} ms/query ` +
        `(batches of 64, ${r.queries} queries; preparing the items ${sec(r.exactPrepareMs)})`,
    );
  log(
    `  IVF build  ${sec(b.buildMs)} (k-means ${sec(b.kmeansMs)}, assign ${sec(b.assignMs)}), ` +
      `${b.lists} lists, largest ${b.largestList}, ${(b.bytes / 2 ** 20).toFixed(1)} MiB`,
  );
  for (const p of r.sweep)
    log(
      `  nprobe ${String(p.nprobe).padStart(3)}  ${ms(p.msPerQuery).padStart(6)} ms/query  recall@${r.recallK} ${p.recall.toFixed(3)}  scanned ${Math.round(p.scannedPerQuery)}`,
    );
  log(
    `  headline: nprobe ${r.approx.nprobe}, ${ms(r.approx.msPerQuery)} ms/query, recall@${r.recallK} ${r.approx.recall.toFixed(3)}, ${r.speedup.toFixed(0)}× faster than exact (${r.queries} queries)`,
  );
}

/** Node and Chromium side by side, one block per size both ran. */
function printComparison(nodeRows: ServeBenchFigures[], browser: BrowserBenchResult): void {
  const ratio = (c: number, n: number): string => `${(c / n).toFixed(2)}×`;
  const cell = (s: string): string => s.padEnd(22);
  log('');
  log(
    `Node ${process.version} vs ${browser.runtime}, ${browser.where}: ms per query ` +
      `(recall@${browser.rows[0]?.recallK ?? 100}), Chromium/Node time ratio (> 1: Chromium slower)`,
  );
  for (const c of browser.rows) {
    const n = nodeRows.find((r) => r.n === c.n);
    if (!n) continue;
    log(`  ${c.n} × ${c.d}, top-${c.topN}`.padEnd(26) + cell('Node') + cell('Chromium') + 'ratio');
    const line = (label: string, a: string, b: string, r: string): void =>
      log(`    ${label.padEnd(22)}${cell(a)}${cell(b)}${r}`.trimEnd());
    line(
      'exact',
      `${ms(n.exactMsPerQuery)} ms`,
      `${ms(c.exactMsPerQuery)} ms`,
      ratio(c.exactMsPerQuery, n.exactMsPerQuery),
    );
    line(
      'exact, batched',
      `${ms(n.exactBatchMsPerQuery)} ms`,
      `${ms(c.exactBatchMsPerQuery)} ms`,
      ratio(c.exactBatchMsPerQuery, n.exactBatchMsPerQuery),
    );
    line(
      'IVF build',
      sec(n.build.buildMs),
      sec(c.build.buildMs),
      ratio(c.build.buildMs, n.build.buildMs),
    );
    for (const p of c.sweep) {
      const q = n.sweep.find((s) => s.nprobe === p.nprobe);
      if (!q) continue;
      line(
        `IVF nprobe ${p.nprobe}`,
        `${ms(q.msPerQuery)} ms (${q.recall.toFixed(3)})`,
        `${ms(p.msPerQuery)} ms (${p.recall.toFixed(3)})`,
        ratio(p.msPerQuery, q.msPerQuery),
      );
    }
    line(
      `headline`,
      `nprobe ${n.approx.nprobe}, ${n.speedup.toFixed(0)}× exact`,
      `nprobe ${c.approx.nprobe}, ${c.speedup.toFixed(0)}× exact`,
      '',
    );
    if (n.queries !== c.queries || n.exactQueries !== c.exactQueries)
      log(
        `    (queries: Node ${n.queries}, of them ${n.exactQueries} exact; ` +
          `Chromium ${c.queries}, of them ${c.exactQueries} exact, so recall is over different samples)`,
      );
  }
}

// ---- Node ------------------------------------------------------------------------------------
const nodeRows: ServeBenchFigures[] = [];
const load = (): number => loadavg()[0];
if (runNode || flags.reference) await useBackend('wasm');
if (runNode) {
  log(
    `Node ${process.version} (${process.arch}), tfjs WASM, top-500 retrieval, seed ${seed} ` +
      `(load average ${load().toFixed(1)}):`,
  );
  for (const n of sizes) {
    const r = benchServe(n, d, queries, seed, { onProgress: progress('node') });
    nodeRows.push(r);
    printRow(r);
  }
}

// ---- Chromium --------------------------------------------------------------------------------
let browser: BrowserBenchResult | null = null;
let browserError: string | null = null;
if (runBrowser) {
  if (runNode) log('');
  log('Chromium: bundling src/serve/bench.ts and launching the browser…');
  const t0 = performance.now();
  try {
    browser = await benchServeInChromium({
      d,
      seed,
      sizes: sizes.map((n, i) => ({ n, queries: browserQueries[i] })),
      onProgress: progress('chromium'),
      onReady: (b) =>
        log(
          `Runtime: ${b.runtime}, ${b.executable}; benchServe runs in a ${b.where}` +
            `${b.crossOriginIsolated ? ' (cross-origin isolated: 5 µs timer)' : ' (not cross-origin isolated: 100 µs timer)'}, ` +
            `top-500 retrieval, seed ${seed}:`,
        ),
      onRow: printRow,
    });
    log(`(whole Chromium run, bundling and launch included: ${sec(performance.now() - t0)})`);
  } catch (err) {
    if (err instanceof ChromiumNotFoundError) {
      browserError = `Chromium not found, so no browser figures: ${err.message}`;
      log(browserError);
    } else {
      browserError = `Chromium run failed: ${(err as Error).stack ?? String(err)}`;
      log(browserError);
      process.exitCode = 1;
    }
  }
  if (browser && runNode) printComparison(nodeRows, browser);
}

// ---- PyTorch reference ----------------------------------------------------------------------
const reference: (TopNReference | { n: number; skipped: string })[] | null = flags.reference
  ? []
  : null;
if (reference) {
  const rounds = Number(flags.rounds ?? 3);
  const refQueries = Number(flags['reference-queries'] ?? 128);
  const refSizes = String(flags['reference-sizes'] ?? '1000000')
    .split(',')
    .map(Number);
  for (const n of refSizes) {
    log('');
    log(
      `Batched exact top-500 over ${n} × ${d} against PyTorch (bench/reference/topn.py), ` +
        `${refQueries} queries in batches of 64, ${rounds} rounds alternated:`,
    );
    let skipped = '';
    const r = runTopNReference(
      n,
      d,
      refQueries,
      seed,
      rounds,
      (line) => {
        skipped = line;
        log(line);
      },
      load,
    );
    if (!r) {
      reference.push({ n, skipped });
      continue;
    }
    reference.push(r);
    log(
      `  median: project ${ms(r.projectMsPerQuery)} ms/query, PyTorch ${ms(r.torchMsPerQuery)} ` +
        `ms/query (torch ${r.torch}, ${r.threads} thread); project / PyTorch ${r.ratio.toFixed(2)} ` +
        `(${r.ratioRange[0].toFixed(2)}–${r.ratioRange[1].toFixed(2)}); the first query's top 500 agree ` +
        `on ${(r.agreement * 100).toFixed(1)}%`,
    );
  }
}

if (flags.json)
  console.log(
    JSON.stringify({
      reference,
      node: runNode
        ? { runtime: `node ${process.version}`, d, seed, queries, rows: nodeRows }
        : null,
      chromium: !runBrowser
        ? null
        : browser
          ? {
              runtime: browser.runtime,
              version: browser.version,
              executable: browser.executable,
              where: browser.where,
              crossOriginIsolated: browser.crossOriginIsolated,
              d,
              seed,
              queries: browserQueries,
              rows: browser.rows,
            }
          : { error: browserError },
    }),
  );
