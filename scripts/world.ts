/**
 * `npm run world -- --seed 7 --videos 20000 --users 5000 [--workers W] [--json]`: generates a
 * world in Node and prints its statistics (one JSON object with --json, else a readable
 * summary). Every world setting of `WORLD_PARAMS` is a flag. The sessions are simulated on W
 * threads (default: one per core; scripts/world-threads.ts), the same world for any W.
 * `--bench` times the default world and the 1 000 000-video / 100 000-user world (light
 * activity; `--full` for the default activity), each in a child process of its own, and prints
 * their time and peak memory (`--json`: rows with `videos`, `users`, `threads`, `seconds`,
 * `peakMb`). A world too large for this machine is refused before it is built
 * (`checkWorldSize`); every mistake answers one line and exit code 2 (`runCli`).
 */
import { ConfigError } from '../src/sim/config';
import type { WorldConfig } from '../src/sim/types';
import { WORLD_ROWS } from '../src/protocol/params';
import {
  checkKnown,
  intFlag,
  helpText,
  machineLimits,
  readFlags,
  readSwitch,
  runCli,
  type FlagSection,
} from './flags';
import { checkWorldSize, describeEstimate, type WorldSizeEstimate } from '../src/sim/size-estimate';
import { summarizeWorld } from '../src/sim/summary';
import type { WorldSummary } from '../src/sim/summary-types';
import { defaultThreads, generateWorldOnThreads } from './world-threads';
import { parseArgs } from './args';
import { runShard, writeWorldShards } from './world-shards';
import { SCALE_OUT_MAXIMA } from '../src/sim/shard';
import { validateWorldConfig } from '../src/sim/config';
import { availableParallelism } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The flags of `npm run world`: one per world setting, from the parameter table. */
const SECTIONS: FlagSection[] = [{ title: 'World', rows: Object.values(WORLD_ROWS) }];

/** Flags that are not world settings. */
const OTHER = [
  'json',
  'bench',
  'full',
  'help',
  'bench-one',
  'out',
  'format',
  'shards',
  'workers',
  'only-shard',
];

function settingsFrom(flags: Record<string, string | boolean>): Partial<WorldConfig> {
  return readFlags(flags, SECTIONS[0].rows) as Partial<WorldConfig>;
}

/** The JSON the issue asks for, plus the rest of the summary minus the bulky parts. */
function toJson(s: WorldSummary, estimate: WorldSizeEstimate): object {
  const { timeline, popularityByRank, durationHistogram, topics, ...rest } = s;
  void popularityByRank;
  void durationHistogram;
  return { ...rest, topics: topics.map((t) => t.name), timelineUser: timeline.user, estimate };
}

function readable(s: WorldSummary, estimate: WorldSizeEstimate): string {
  const pct = (x: number) => (100 * x).toFixed(1) + '%';
  return [
    `World seed ${s.seed}: ${s.videos} videos on ${s.channels} channels, ${s.users} users, ${s.days} days`,
    `  ${s.sessions} sessions, ${s.impressions} impressions, ${s.watches} watches (CTR ${pct(s.ctr)}), ${s.searches} searches`,
    `  ${s.watchesPerVideo.toFixed(1)} watches per video, ${s.watchesPerUser.toFixed(1)} per user`,
    `  popularity: fitted Zipf exponent ${s.zipfExponent.toFixed(2)} (setting ${s.zipfExponentSetting}; ${s.zipfExponentWatches.toFixed(2)} on watch counts)`,
    `  clickbait: ${pct(s.clickbait.share)} of videos; CTR ${pct(s.clickbait.ctr)} vs ${pct(s.clickbait.ctrOther)}; watched ${pct(s.clickbait.watchFraction)} vs ${pct(s.clickbait.watchFractionOther)} of the video`,
    `  series: ${s.series.count} series, ${pct(s.series.episodeShare)} of videos; ${pct(s.series.forwardShare)} of episode-to-episode moves go forward`,
    `  impressions by source: ${Object.entries(s.impressionSources)
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(', ')}`,
    `  generated in ${s.genMs.toFixed(0)} ms (estimated beforehand: ${describeEstimate(estimate)})`,
  ].join('\n');
}

/**
 * The benchmark's worlds: the default world and the 1M-video / 100k-user world with light
 * activity (0.1 sessions per user per day, ~10M impressions); `--full` adds the 1M / 100k
 * world at the default activity (~110M impressions: minutes, and gigabytes of typed arrays).
 */
const BENCH_SIZES: Partial<WorldConfig>[] = [
  {},
  { videos: 1_000_000, users: 100_000, sessionsPerDay: 0.1 },
  { videos: 1_000_000, users: 100_000 },
];

/** One benchmark row: a world's size, its generation time and the process's peak memory. */
interface BenchRow {
  videos: number;
  users: number;
  sessionsPerDay: number;
  /** Threads that simulated the sessions (this one and threads − 1 workers). */
  threads: number;
  /** Generation time, seconds (catalogue, users and sessions; not the summary). */
  seconds: number;
  /** Peak resident memory of the process that generated only this world, MiB (maxRSS). */
  peakMb: number;
  impressions: number;
  watches: number;
}

/**
 * Generates world `BENCH_SIZES[index]` in this process on `threads` threads (default: one per
 * core) and returns its row (`--bench-one`).
 */
async function benchOne(index: number, threads?: number): Promise<BenchRow> {
  const t0 = performance.now();
  const w = await generateWorldOnThreads({ seed: 7, ...BENCH_SIZES[index] }, { threads });
  const seconds = (performance.now() - t0) / 1000;
  return {
    videos: w.videos.count,
    users: w.users.count,
    sessionsPerDay: w.config.sessionsPerDay,
    threads: Math.min(w.users.count, threads ?? defaultThreads(w.users.count)),
    seconds: Math.round(seconds * 1000) / 1000,
    // resourceUsage().maxRSS is in KiB.
    peakMb: Math.round(process.resourceUsage().maxRSS / 1024),
    impressions: w.logs.impressions,
    watches: w.logs.watches,
  };
}

/**
 * Times each benchmark world in a child process of its own (`--bench-one <i>`), so each row's
 * peak memory is that world's alone. Prints one line per world, or with `--json` one object
 * `{ runtime, rows }` with `videos`, `users`, `seconds`, `peakMb` per row.
 */
function runBench(full: boolean, json: boolean, threads?: number): void {
  const rows: BenchRow[] = [];
  const count = full ? BENCH_SIZES.length : BENCH_SIZES.length - 1;
  for (let i = 0; i < count; i++) {
    const args = [...process.execArgv, fileURLToPath(import.meta.url), '--bench-one', String(i)];
    if (threads !== undefined) args.push('--workers', String(threads));
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0)
      throw new Error(`world ${JSON.stringify(BENCH_SIZES[i])} failed: ${r.stderr || r.error}`);
    const row = JSON.parse(r.stdout) as BenchRow;
    rows.push(row);
    if (!json)
      console.log(
        `world ${row.videos} videos × ${row.users} users × ${row.sessionsPerDay} sessions/day ` +
          `on ${row.threads} thread(s): ` +
          `${row.seconds.toFixed(2)} s, peak ${row.peakMb} MB, ` +
          `${row.impressions} impressions, ${row.watches} watches`,
      );
  }
  if (json) console.log(JSON.stringify({ runtime: `node ${process.version}`, seed: 7, rows }));
}

/**
 * `--out DIR --format parquet --shards N [--workers W]`: the world as Parquet shards
 * (scripts/world-shards.ts, docs/scale-out.md), up to `SCALE_OUT_MAXIMA` videos and users.
 */
async function writeShards(flags: Record<string, string | boolean>, json: boolean): Promise<void> {
  const out = flags.out;
  if (typeof out !== 'string' || out === '')
    throw new ConfigError(
      'out',
      '--out DIR is needed to write shards (a folder, created if missing)',
    );
  const format = flags.format ?? 'parquet';
  if (format !== 'parquet')
    throw new ConfigError('format', `--format must be parquet (got ${JSON.stringify(format)})`);
  // videos and users go up to SCALE_OUT_MAXIMA here: checked by the world's own validation.
  const { videos, users: usersFlag, ...others } = flags;
  const settings = {
    ...readFlags(others, SECTIONS[0].rows),
    ...(videos !== undefined && { videos }),
    ...(usersFlag !== undefined && { users: usersFlag }),
  } as Partial<WorldConfig>;
  const users = validateWorldConfig(settings, SCALE_OUT_MAXIMA).users;
  const shards = intFlag(flags, 'shards', 1, users, 1);
  const workers = intFlag(flags, 'workers', 1, 64, Math.min(shards, availableParallelism()));
  if (Object.hasOwn(flags, 'only-shard')) {
    // One task of a Spark or Ray job: this shard only, in this thread, no manifest.
    const i = intFlag(flags, 'only-shard', 0, shards - 1, 0);
    const r = runShard({ settings: validateWorldConfig(settings, SCALE_OUT_MAXIMA), shards, out })(
      i,
    );
    if (json) return console.log(JSON.stringify(r));
    return console.log(
      `wrote shard ${i} of ${shards} (users ${r.from}–${r.to - 1}) to ${out} in ${(r.ms / 1000).toFixed(1)} s`,
    );
  }
  const m = await writeWorldShards({ settings, out, shards, workers });
  if (json) return console.log(JSON.stringify(m));
  console.log(
    `wrote ${m.shards} shards on ${m.workers} threads to ${out} in ${m.seconds.toFixed(1)} s, peak ${m.peakMb} MB`,
  );
  for (const [name, t] of Object.entries(m.tables))
    console.log(`  ${name}: ${t.rows} rows in ${t.files} file(s)`);
}

/** `--workers W` of an in-memory world: threads for the sessions (absent: one per core). */
function threadsFlag(flags: Record<string, string | boolean>): number | undefined {
  return Object.hasOwn(flags, 'workers') ? intFlag(flags, 'workers', 1, 64, 1) : undefined;
}

async function main(): Promise<void> {
  const flags = parseArgs(process.argv.slice(2));
  checkKnown(flags, SECTIONS, OTHER);
  if (readSwitch(flags, 'help')) {
    console.log(
      helpText('npm run world -- [--json] [--workers W] [--bench [--full]] [flags]', SECTIONS),
    );
    return;
  }
  if (Object.hasOwn(flags, 'bench-one')) {
    // Internal: one world of the benchmark, in the child process `runBench` starts.
    const i = Number(flags['bench-one']);
    if (!Number.isInteger(i) || i < 0 || i >= BENCH_SIZES.length)
      throw new ConfigError(
        'bench-one',
        `--bench-one is internal to --bench (got ${flags['bench-one']})`,
      );
    console.log(JSON.stringify(await benchOne(i, threadsFlag(flags))));
    return;
  }
  const json = readSwitch(flags, 'json');
  const bench = readSwitch(flags, 'bench');
  const full = readSwitch(flags, 'full');
  if (full && !bench)
    throw new ConfigError(
      'full',
      '--full goes with --bench (it adds the largest world to the benchmark)',
    );
  if (bench) {
    if (Object.keys(flags).some((k) => !OTHER.includes(k)))
      throw new ConfigError(
        'bench',
        '--bench times fixed worlds and takes no world settings (only --full)',
      );
    return runBench(full, json, threadsFlag(flags));
  }
  if (['out', 'format', 'shards', 'only-shard'].some((k) => Object.hasOwn(flags, k)))
    return writeShards(flags, json);
  const settings = settingsFrom(flags);
  const estimate = checkWorldSize(settings, machineLimits());
  const threads = threadsFlag(flags);
  const t0 = performance.now();
  const world = await generateWorldOnThreads(settings, { threads });
  const s = summarizeWorld(world, performance.now() - t0);
  console.log(json ? JSON.stringify(toJson(s, estimate)) : readable(s, estimate));
}

runCli(main);
