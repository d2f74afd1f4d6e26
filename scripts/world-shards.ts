/**
 * `npm run world -- [world flags] --out DIR --format parquet --shards N [--workers W]`: writes
 * the world as Parquet shards by user range (docs/scale-out.md). The main thread builds the
 * catalogue, the users and the session context once and puts them in shared memory
 * (`shareArrays`); W worker threads (default: one per core, at most N) read them there without a
 * copy and take shards from a queue; a shard is simulated, turned into tables (src/sim/tables.ts) and written as
 * `DIR/<table>/part-<shard>.parquet`; shard 0 also writes `DIR/videos/part-00000.parquet`.
 * `DIR/manifest.json` names the settings, the shards, every table's rows and columns, the time
 * and the peak memory. The same settings give the same rows whatever N and W.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { validateWorldConfig } from '../src/sim/config';
import { sessionContext, simulateShard, SCALE_OUT_MAXIMA } from '../src/sim/shard';
import type { SessionContext } from '../src/sim/sessions';
import { shardTables, videoTable, type Table } from '../src/sim/tables';
import type { World, WorldConfig } from '../src/sim/types';
import { generateWorldBase } from '../src/sim/world';
import { writeParquet } from './parquet';
import { shareArrays } from './world-threads';

/** What every worker is started with. */
export interface WorkerInit {
  settings: Partial<WorldConfig>;
  shards: number;
  out: string;
  /**
   * The session context (its world: the catalogue and users) built once by the main thread, its
   * arrays in shared memory; absent, the thread builds its own from `settings`.
   */
  ctx?: SessionContext;
}

/** One unit of work: a shard index. */
export interface ShardJob {
  shard: number;
}

/** A column as the manifest describes it. */
export interface ColumnInfo {
  name: string;
  kind: Table['columns'][number]['kind'];
  doc: string;
}

/** What a shard wrote: its user range, rows per table, columns per table, milliseconds. */
export interface ShardResult {
  shard: number;
  from: number;
  to: number;
  rows: Record<string, number>;
  columns: Record<string, ColumnInfo[]>;
  ms: number;
}

/** `DIR/manifest.json`. */
export interface Manifest {
  format: 'recsys-playground world shards';
  version: 1;
  config: WorldConfig;
  shards: number;
  workers: number;
  tables: Record<string, { rows: number; files: number; columns: ColumnInfo[] }>;
  seconds: number;
  /** Peak resident memory of the whole process (all worker threads), MiB. */
  peakMb: number;
}

const partName = (shard: number) => `part-${String(shard).padStart(5, '0')}.parquet`;

function write(out: string, table: Table, shard: number, into: ShardResult): void {
  const dir = join(out, table.name);
  mkdirSync(dir, { recursive: true });
  writeParquet(table, join(dir, partName(shard)));
  into.rows[table.name] = table.rows;
  into.columns[table.name] = table.columns.map(({ name, kind, doc }) => ({ name, kind, doc }));
}

/**
 * A shard writer for one thread: takes the shared session context of `init`, or builds the
 * catalogue, users and session context on its first call, and reuses them for every shard.
 */
export function runShard(init: WorkerInit): (shard: number) => ShardResult {
  let base: { world: World; ctx: SessionContext } | undefined = init.ctx && {
    world: init.ctx.world,
    ctx: init.ctx,
  };
  return (shard) => {
    const t0 = performance.now();
    if (!base) {
      const { world, vocab } = generateWorldBase(init.settings, undefined, SCALE_OUT_MAXIMA);
      base = { world, ctx: sessionContext(world, vocab) };
    }
    const sw = simulateShard(base.world, base.ctx, shard, init.shards);
    const result: ShardResult = { shard, from: sw.from, to: sw.to, rows: {}, columns: {}, ms: 0 };
    if (shard === 0) write(init.out, videoTable(base.world), 0, result);
    for (const t of shardTables(sw)) write(init.out, t, shard, result);
    result.ms = performance.now() - t0;
    return result;
  };
}

type Reply = { ready: true } | { ok: true; result: ShardResult } | { ok: false; error: string };

/** Runs shards 0 … N−1 on `workers` threads, each taking the next shard when it is free. */
function runOnWorkers(init: WorkerInit, workers: number): Promise<ShardResult[]> {
  const results: ShardResult[] = [];
  let next = 0;
  return new Promise((resolve, reject) => {
    let live = workers;
    for (let i = 0; i < workers; i++) {
      // The worker is TypeScript: a small module registers tsx in the thread, then loads it.
      const w = new Worker(new URL('./world-shard-worker.mjs', import.meta.url), {
        workerData: init,
      });
      const give = () => w.postMessage(next < init.shards ? { shard: next++ } : null);
      w.on('message', (m: Reply) => {
        if ('ready' in m) return give();
        if (!m.ok) {
          reject(new Error(m.error));
          void w.terminate();
          return;
        }
        results.push(m.result);
        give();
      });
      w.on('error', reject);
      w.on('exit', () => {
        if (--live === 0) resolve(results.sort((a, b) => a.shard - b.shard));
      });
    }
  });
}

/**
 * Writes the world of `settings` as `shards` Parquet shards under `out` on `workers` threads
 * (0: in this thread, as the unit tests do) and returns the manifest it wrote.
 */
export async function writeWorldShards(opts: {
  settings: Partial<WorldConfig>;
  out: string;
  shards: number;
  workers?: number;
}): Promise<Manifest> {
  const t0 = performance.now();
  const config = validateWorldConfig(opts.settings, SCALE_OUT_MAXIMA);
  const init: WorkerInit = { settings: config, shards: opts.shards, out: opts.out };
  const workers = Math.min(opts.shards, opts.workers ?? availableParallelism());
  mkdirSync(opts.out, { recursive: true });
  let results: ShardResult[];
  if (workers <= 0) {
    const run = runShard(init);
    results = Array.from({ length: opts.shards }, (_, s) => run(s));
  } else {
    // One catalogue for all the threads: built here, shared, never copied per worker.
    const { world, vocab } = generateWorldBase(config, undefined, SCALE_OUT_MAXIMA);
    // The context straight into shared memory; the catalogue and users moved there.
    init.ctx = shareArrays(sessionContext(world, vocab, { shared: true }));
    results = await runOnWorkers(init, workers);
  }
  const tables: Manifest['tables'] = {};
  for (const r of results)
    for (const [name, rows] of Object.entries(r.rows)) {
      const t = (tables[name] ??= { rows: 0, files: 0, columns: r.columns[name] });
      t.rows += rows;
      t.files++;
    }
  const manifest: Manifest = {
    format: 'recsys-playground world shards',
    version: 1,
    config,
    shards: opts.shards,
    workers: Math.max(workers, 0),
    tables,
    seconds: Math.round(performance.now() - t0) / 1000,
    peakMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  writeFileSync(join(opts.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
