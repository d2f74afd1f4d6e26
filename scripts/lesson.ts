/**
 * `npm run lesson -- --list` and `npm run lesson -- <id> [--seed N] [--json] [--csv FILE]`:
 * runs a lesson's experiment (src/protocol/lessons) in Node with the page's runner
 * (src/worker/experiment) on the fastest backend here, and prints its table, the paper's
 * numbers and the verdict (or, with --json, one JSON object: per variant the final metrics
 * with their 95% intervals, the comparisons, `verdict` and `seconds`). Progress goes to stderr.
 * Variants run one after another in this process (docs/lessons.md#the-runner says why).
 *
 * For sizing a lesson (docs/lessons.md#sizing): --repeats N, --steps N, --videos N,
 * --users N override the spec; --variants a,b runs only those variants (comparisons between
 * variants not run are dropped). A lesson's optional variants (`Variant.optional`) run only when
 * --variants names them or with --all.
 */
import { useBackend } from '../src/model/backend';
import { LESSONS, lessonById } from '../src/protocol/lessons/lessons';
import { METRICS, type LessonSpec } from '../src/protocol/lessons/spec';
import { summarise, type ExperimentResult } from '../src/protocol/lessons/summary';
import { resultCsv, resultJson } from '../src/protocol/lessons/export';
import { runExperiment } from '../src/worker/experiment/runner';
import { parseArgs } from './args';
import { writeFileSync } from 'node:fs';

const FLAGS = [
  'list',
  'seed',
  'json',
  'csv',
  'repeats',
  'steps',
  'videos',
  'users',
  'variants',
  'all',
  'help',
];

const USAGE = `npm run lesson -- --list
npm run lesson -- <id> [--seed N] [--json] [--csv FILE]
  sizing: [--repeats N] [--steps N] [--videos N] [--users N] [--variants id,id]
  --all also runs the optional variants (off by default: feedback-loop's age-off, explore)
lessons: ${LESSONS.map((l) => l.id).join(', ')}`;

function int(flags: Record<string, string | boolean>, key: string): number | undefined {
  const v = flags[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 0)
    throw new Error(`--${key} must be a whole number ≥ 0 (got ${String(v)})`);
  return n;
}

/** Fixed-width table of variants × metrics (mean [95% CI]). */
export function table(spec: LessonSpec, result: ExperimentResult): string {
  const s = summarise(spec, result);
  const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(4));
  const head = ['variant', ...spec.metrics.map((m) => METRICS[m].label), 's/run', 'paper'];
  const rows = s.variants.map((v) => [
    v.label,
    ...spec.metrics.map((m) => {
      const i = v.metrics[m];
      if (!i) return '—';
      return Number.isNaN(i.lo) ? fmt(i.mean) : `${fmt(i.mean)} [${fmt(i.lo)}, ${fmt(i.hi)}]`;
    }),
    v.seconds.toFixed(1),
    v.paper ?? '—',
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((x, c) => x.padEnd(widths[c])).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function report(spec: LessonSpec, result: ExperimentResult): string {
  const s = summarise(spec, result);
  const out = [
    `${spec.id}: ${spec.title}`,
    `world ${result.world.videos} videos × ${result.world.users} users (seed ${result.seed}), ${result.steps} steps, ${result.repeats} repeats, ${result.evalExamples} held-out next watches, ${result.rankPages} held-out pages, backend ${result.backend}`,
    '',
    table(spec, result),
    '',
    `paper — ${spec.paper.source}: ${spec.paper.claim}`,
    ...spec.paper.numbers.map((n) => `  ${n.label}: ${n.value}`),
    '',
    ...s.comparisons.map((c) => `- ${c.sentence}${c.paper ? ` Paper: ${c.paper}.` : ''}`),
    '',
    `verdict: ${s.verdict} (${result.seconds.toFixed(1)} s, world ${result.worldSeconds.toFixed(1)} s)`,
  ];
  return out.join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const id = argv[0] && !argv[0].startsWith('--') ? argv[0] : undefined;
  const flags = parseArgs(id ? argv.slice(1) : argv);
  const unknown = Object.keys(flags).filter((k) => !FLAGS.includes(k));
  if (unknown.length)
    throw new Error(`unknown flag ${unknown.map((k) => '--' + k).join(', ')}\n${USAGE}`);
  if (flags.help || (!id && !flags.list)) {
    console.log(USAGE);
    return;
  }
  if (flags.list) {
    for (const l of LESSONS) console.log(`${l.id.padEnd(16)} ${l.title} — ${l.paper.source}`);
    return;
  }
  const base = lessonById(id!);
  if (!base) throw new Error(`no lesson "${id}"; lessons: ${LESSONS.map((l) => l.id).join(', ')}`);
  const videos = int(flags, 'videos');
  const users = int(flags, 'users');
  const only = typeof flags.variants === 'string' ? flags.variants.split(',') : null;
  const all = flags.all === true;
  const keep = (id: string) =>
    only ? only.includes(id) : all || !base.variants.find((v) => v.id === id)?.optional;
  const spec: LessonSpec = {
    ...base,
    variants: base.variants.filter((v) => keep(v.id)),
    comparisons: base.comparisons.filter((c) => keep(c.variant) && keep(c.base)),
    base: {
      ...base.base,
      world: { ...base.base.world, ...(videos && { videos }), ...(users && { users }) },
    },
  };
  await useBackend();
  const started = performance.now();
  const result = await runExperiment(spec, {
    seed: int(flags, 'seed') ?? 7,
    repeats: int(flags, 'repeats'),
    steps: int(flags, 'steps'),
    variants: spec.variants.map((v) => v.id),
    onProgress: (p) => {
      if (p.point || p.finished)
        process.stderr.write(
          `[${((performance.now() - started) / 1000).toFixed(0)} s] run ${p.runsDone + 1}/${p.runs} ${p.variant} repeat ${p.repeat} step ${p.step}/${p.steps}` +
            (p.point
              ? ' ' +
                Object.entries(p.point.values)
                  .map(([k, v]) => `${k} ${v.toFixed(4)}`)
                  .join(' ')
              : '') +
            '\n',
        );
    },
  });
  if (typeof flags.csv === 'string') writeFileSync(flags.csv, resultCsv(spec, result));
  if (flags.json) console.log(JSON.stringify(resultJson(spec, result)));
  else console.log(report(spec, result));
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
});
