/**
 * `npm run world -- --seed 7 --videos 20000 --users 5000 [--json]`: generates a world in
 * Node and prints its statistics (one JSON object with --json, else a readable summary).
 * Every world setting of `WORLD_PARAMS` is a flag. `--bench` times the default world and the
 * 1 000 000-video / 100 000-user world (light activity; `--full` for the default activity) and
 * prints their time and memory. A world too large for this machine is refused before it is
 * built (`checkWorldSize`); every mistake answers one line and exit code 2 (`runCli`).
 */
import { ConfigError } from '../src/sim/config';
import type { WorldConfig } from '../src/sim/types';
import { WORLD_ROWS } from '../src/protocol/params';
import {
  checkKnown,
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
import { generateWorld } from '../src/sim/world';
import { parseArgs } from './args';

/** The flags of `npm run world`: one per world setting, from the parameter table. */
const SECTIONS: FlagSection[] = [{ title: 'World', rows: Object.values(WORLD_ROWS) }];

/** Flags that are not world settings. */
const OTHER = ['json', 'bench', 'full', 'help'];

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
 * Times the default world and the 1M-video / 100k-user world with light activity (0.1
 * sessions per user per day, ~10M impressions); `--full` adds the 1M / 100k world at the
 * default activity (~110M impressions: minutes, and gigabytes of typed arrays).
 */
function runBench(full: boolean): void {
  const sizes: Record<string, number>[] = [
    {},
    { videos: 1_000_000, users: 100_000, sessionsPerDay: 0.1 },
  ];
  if (full) sizes.push({ videos: 1_000_000, users: 100_000 });
  for (const size of sizes) {
    global.gc?.();
    const t0 = performance.now();
    const w = generateWorld({ seed: 7, ...size });
    const ms = performance.now() - t0;
    const mem = process.memoryUsage();
    const mb = (x: number) => Math.round(x / 2 ** 20);
    console.log(
      `world ${w.videos.count} videos × ${w.users.count} users × ${w.config.sessionsPerDay} sessions/day: ${ms.toFixed(0)} ms, ` +
        `${w.logs.impressions} impressions, ${w.logs.watches} watches, ` +
        `heap ${mb(mem.heapUsed)} MB, array buffers ${mb(mem.arrayBuffers)} MB, rss ${mb(mem.rss)} MB`,
    );
  }
}

function main(): void {
  const flags = parseArgs(process.argv.slice(2));
  checkKnown(flags, SECTIONS, OTHER);
  if (readSwitch(flags, 'help')) {
    console.log(helpText('npm run world -- [--json] [--bench [--full]] [flags]', SECTIONS));
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
    return runBench(full);
  }
  const settings = settingsFrom(flags);
  const estimate = checkWorldSize(settings, machineLimits());
  const t0 = performance.now();
  const world = generateWorld(settings);
  const s = summarizeWorld(world, performance.now() - t0);
  console.log(json ? JSON.stringify(toJson(s, estimate)) : readable(s, estimate));
}

runCli(main);
