/**
 * The flags and the text output of `npm run loop` (scripts/loop.ts): the settings read from the
 * flags by the rows of src/protocol/loop/settings.ts, and the per-round table and the A/B
 * report. No tfjs here, so a bad flag is answered before the models load.
 */
import type { Param } from '../src/protocol/params';
import { ConfigError } from '../src/protocol/params';
import {
  LOOP_PARAMS,
  POLICY_IDS,
  checkLoopSettings,
  defaultLoopSettings,
  type LoopSettings,
} from '../src/protocol/loop/settings';
import {
  AB_PARAMS,
  checkAbSettings,
  defaultAbSettings,
  type AbSettings,
} from '../src/protocol/loop/ab-settings';
import type { AbResult, LoopResult, RoundMetrics } from '../src/protocol/loop/result';
import { AB_METRICS } from '../src/protocol/loop/result';
import { offlineVsOnline } from '../src/protocol/loop/ab-compare';
import { abArmRefs, parseAb, type AbRunArm } from '../src/protocol/loop/ab-settings';
import { runArmFromFile } from '../src/protocol/loop/ab-run';
import { checkKnown, readFlags, type FlagSection } from './flags';
import { readFileSync } from 'node:fs';

const rows = (t: Record<string, Param<unknown>>) => Object.values(t);
const LOOP_ONLY = ['rounds', 'policies', 'users', 'roundSteps', 'window', 'epsilon'] as const;
export const SECTIONS: FlagSection[] = [
  { title: 'Closed loop', rows: rows(LOOP_PARAMS) },
  { title: 'A/B test (with --ab)', rows: rows(AB_PARAMS) },
];
const OTHER = ['json', 'help'];

export const USAGE = `npm run loop -- [--rounds N] [--seed N] [--policies ${POLICY_IDS.join(',')}] [--json] [flags]
npm run loop -- --ab negatives|weighting|<lesson>:<variant>,<lesson>:<variant> [--ab-days N] [--ab-users N] [--seed N] [--json]
npm run loop -- --ab run:<file.recsys-run>,<lesson>:<variant>   (a run file's knobs as an arm, retrained in the A/B world)`;

/**
 * The runs that `run:<file>` arms of an A/B choice name, read from their files (`run:-` is not
 * special: the name is the path). Throws a ConfigError on `--ab` naming the file and what is
 * wrong with it (unreadable, or the run file's own error, a bad field named).
 */
export function runArmsOf(
  ab: string,
  read: (path: string) => Uint8Array = readFileSync,
): AbRunArm[] {
  const refs = abArmRefs(parseAb(ab)) ?? [];
  const runs: AbRunArm[] = [];
  for (const r of refs) {
    if (!('run' in r) || runs.some((x) => x.name === r.run)) continue;
    let bytes: Uint8Array;
    try {
      bytes = read(r.run);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new ConfigError('ab', `--ab: run file ${r.run} cannot be read (${why})`);
    }
    try {
      runs.push(runArmFromFile(r.run, bytes));
    } catch (e) {
      throw new ConfigError('ab', `--ab: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return runs;
}

/** The settings from the flags: the loop's, or the A/B test's with --ab. */
export function settingsFromFlags(
  flags: Record<string, string | boolean>,
): { mode: 'loop'; settings: LoopSettings } | { mode: 'ab'; settings: AbSettings } {
  checkKnown(flags, SECTIONS, OTHER);
  const loop = readFlags(flags, rows(LOOP_PARAMS));
  const ab = readFlags(flags, rows(AB_PARAMS));
  if (Object.hasOwn(flags, 'ab')) {
    for (const k of LOOP_ONLY)
      if (k in loop) {
        const flag = k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        throw new ConfigError(flag, `--${flag} is a setting of the loop, not of --ab (see --help)`);
      }
    const settings = { ...defaultAbSettings(), ...loop, ...ab } as AbSettings;
    const runs = runArmsOf(settings.ab);
    return {
      mode: 'ab',
      settings: checkAbSettings(runs.length ? { ...settings, runs } : settings),
    };
  }
  const abOnly = Object.keys(ab)[0];
  if (abOnly) {
    const flag = abOnly.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new ConfigError(flag, `--${flag} needs --ab (see --help)`);
  }
  return {
    mode: 'loop',
    settings: checkLoopSettings({ ...defaultLoopSettings(), ...loop } as LoopSettings),
  };
}

/** A number with `digits` digits, or — when there is none. */
export const f = (x: number | null, digits: number) =>
  x === null || !Number.isFinite(x) ? '—' : x.toFixed(digits);

/** The per-round table of each policy. */
export function loopTable(result: LoopResult): string {
  const cols: [string, (m: RoundMetrics) => string][] = [
    ['round', (m) => String(m.round)],
    ['day', (m) => String(m.day)],
    ['users', (m) => String(m.activeUsers)],
    ['true min/user', (m) => f(m.welfare, 1)],
    ['min/user', (m) => f(m.minutes, 1)],
    ['clicks/user', (m) => f(m.clicksPerUser, 2)],
    ['coverage', (m) => f(m.coverage, 3)],
    ['Gini', (m) => f(m.gini, 3)],
    ['top 1%', (m) => f(m.top1Share, 3)],
    ['homog. watched', (m) => f(m.homogenisation, 3)],
    ['homog. shown', (m) => f(m.shownHomogenisation, 3)],
    ['topics/user', (m) => f(m.topicsPerUser, 2)],
    ['clickbait', (m) => f(m.clickbaitShare, 3)],
    ['recall own', (m) => f(m.recallNext, 3)],
    ['recall held-out', (m) => f(m.recallHeldout, 3)],
    ['s', (m) => f(m.seconds, 1)],
  ];
  const out: string[] = [
    `closed loop: ${result.world.videos} videos × ${result.world.users} users (seed ${result.settings.seed}), history days 0–${result.world.startDay - 1} (${result.world.historyWatches} watches), ${result.settings.rounds} rounds, backend ${result.backend}, ${result.seconds.toFixed(0)} s`,
    `users' own interests: homogenisation ${f(result.world.interestHomogenisation, 3)} (mean pairwise cosine of their topic mixtures)`,
  ];
  for (const p of result.policies) {
    const body = p.rounds.map((m) => cols.map(([, g]) => g(m)));
    const head = cols.map(([h]) => h);
    const w = head.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)));
    const line = (r: string[]) => r.map((x, c) => x.padStart(w[c])).join('  ');
    out.push(
      '',
      `${p.label} (${p.id})${p.initialRecallHeldout !== null ? `: held-out recall@100 after the initial training ${f(p.initialRecallHeldout, 3)}` : ''}`,
      line(head),
      ...body.map(line),
    );
  }
  return out.join('\n');
}

/** The A/B test as text. */
export function abReport(r: AbResult): string {
  const e = (x: { value: number; lo: number; hi: number }, d: number) =>
    `${f(x.value, d)} [${f(x.lo, d)}, ${f(x.hi, d)}]`;
  const [A, B] = r.arms;
  const out = [
    `A/B test (${r.ab}): ${r.world.videos} videos × ${r.world.users} users (seed ${r.settings.seed}), ${r.world.days} days from day ${r.world.startDay}, backend ${r.backend}, ${r.seconds.toFixed(0)} s`,
    `A: ${A.label} — ${A.users} users (${A.activeUsers} with a session)`,
    `B: ${B.label} — ${B.users} users (${B.activeUsers} with a session)`,
    ...r.arms.filter((a) => a.note).map((a) => `   (${a.id}: ${a.note})`),
    '',
    'offline (legacy held-out data)   A        B',
    `  recall@100                     ${f(A.offline.recall100, 4)}   ${f(B.offline.recall100, 4)}`,
    `  MAP                            ${f(A.offline.map, 4)}   ${f(B.offline.map, 4)}`,
    `  ranker AUC                     ${f(A.offline.auc, 4)}   ${f(B.offline.auc, 4)}`,
    `  clickbait share of top 3       ${f(A.offline.clickbaitTop3, 4)}   ${f(B.offline.clickbaitTop3, 4)}`,
    '',
    'online (per user with a session, 95% intervals)',
  ];
  for (const m of AB_METRICS) {
    const x = r.metrics[m.key];
    const d = m.key === 'clickbaitShare' ? 4 : 2;
    out.push(
      `  ${m.label}: A ${e(x.a, d)}  B ${e(x.b, d)}  B − A ${e(x.diff, d)}  users per arm to detect: ${Number.isFinite(x.usersNeeded) ? x.usersNeeded : '∞'}`,
    );
  }
  out.push('', offlineVsOnline(r).sentence);
  return out.join('\n');
}
