/**
 * The simulated A/B test's settings (docs/loop.md#the-ab-test): which two models serve the two
 * arms — a preset with a known offline gap, or ANY two arms among the lessons' variants
 * (`<lesson>:<variant>`, e.g. `watch-time:ctr,watch-time:weighted`, each trained with the
 * parameter table's defaults, then its lesson's base knobs, then its variant's and its label
 * choice) and the user's own runs (`run:<name>`: a run file's or the Training tab's knobs,
 * docs/loop.md#a-run-as-an-arm) — and the test's days and users. One row per knob, built like the loop's
 * (settings.ts), so the command line, the page's form and the worker refuse a bad value in the
 * same words. Pure: no tfjs, no DOM.
 */
import { LESSONS, lessonById } from '../lessons/lessons';
import {
  checkTrainingParams,
  defaultTrainingParams,
  type TrainingParams,
} from '../params/training';
import { ConfigError, got, numeric, type Param } from '../params/spec';
import { LOOP_PARAMS, defaultLoopSettings } from './settings';
import type { AbArmRef, AbArmSpec, AbRunArm, AbSettings } from './ab-types';

export type { AbArmRef, AbArmSpec, AbRunArm, AbSettings } from './ab-types';

/** The A/B test's preset pairs of models, each with a known offline gap. */
export const AB_PRESETS = ['negatives', 'weighting'] as const;

/** One A/B preset. */
export type AbPreset = (typeof AB_PRESETS)[number];

/** What each preset's arms are, in words (the page's menu). */
export const AB_PRESET_LABELS: Record<AbPreset, string> = {
  negatives: 'K 8 vs 512 negatives',
  weighting: 'CTR vs watch-time ranker',
};

/** An arm reference as written in the A/B choice: `lesson:variant` or `run:name`. */
export function armRefText(r: AbArmRef): string {
  return 'run' in r ? `${RUN_PREFIX}${r.run}` : `${r.lesson}:${r.variant}`;
}

/** The prefix of a run arm in the A/B choice (`run:<name>`). */
export const RUN_PREFIX = 'run:';

/**
 * The lessons whose variants can be arms: every lesson but a loop lesson (whose variants are
 * policies, not models).
 */
export function armLessons() {
  return LESSONS.filter((l) => !l.base.loop);
}

/** Every arm reference, lesson by lesson in teaching order: `logq:off`, `logq:on`, … */
export function armRefs(): string[] {
  return armLessons().flatMap((l) => l.variants.map((v) => `${l.id}:${v.id}`));
}

const AB_RANGE =
  'negatives, weighting, or two lesson variants as lesson:variant,lesson:variant (the second may leave out its lesson when it is the first’s; npm run lesson -- --list), either of which may be a run of yours as run:<run file>';

/**
 * Reads an A/B choice: a preset, or two arm references (`a:x,b:y`, or `a:x,y` for two variants
 * of lesson a; `run:<name>` for a run of the user's, whose knobs the settings' `runs` carry).
 * Returns the preset or the two references in full (`a:x,a:y`); throws a {@link ConfigError}
 * naming `ab`, the part that is wrong and what is allowed.
 */
export function parseAb(raw: string): string {
  const text = raw.trim();
  if ((AB_PRESETS as readonly string[]).includes(text)) return text;
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 2 || !parts[0].includes(':'))
    throw new ConfigError('ab', `ab must be ${AB_RANGE}${got(raw)}`);
  const [lesson] = parts[0].split(':');
  const refs = parts.map((p) => (p.includes(':') || lesson === 'run' ? p : `${lesson}:${p}`));
  for (const ref of refs) {
    if (ref.startsWith(RUN_PREFIX)) {
      if (ref.length === RUN_PREFIX.length)
        throw new ConfigError('ab', `ab: run: needs the run's name or file${got(raw)}`);
      continue;
    }
    const [l, v, ...rest] = ref.split(':');
    const spec = lessonById(l);
    if (!spec || rest.length > 0)
      throw new ConfigError(
        'ab',
        `ab: no lesson "${l}" (lessons: ${armLessons()
          .map((x) => x.id)
          .join(', ')})${got(raw)}`,
      );
    if (spec.base.loop)
      throw new ConfigError(
        'ab',
        `ab: ${l}'s variants are policies of the loop, not models; pick another lesson's${got(raw)}`,
      );
    if (!spec.variants.some((x) => x.id === v))
      throw new ConfigError(
        'ab',
        `ab: lesson ${l} has no variant "${v}" (its variants: ${spec.variants
          .map((x) => x.id)
          .join(', ')})${got(raw)}`,
      );
  }
  if (refs[0] === refs[1])
    throw new ConfigError('ab', `ab needs two different arms (got ${refs[0]} twice)`);
  return refs.join(',');
}

/** The two arm references of a parsed A/B choice, or null for a preset. */
export function abArmRefs(ab: string): [AbArmRef, AbArmRef] | null {
  if ((AB_PRESETS as readonly string[]).includes(ab)) return null;
  const [a, b] = ab.split(',').map((ref): AbArmRef => {
    if (ref.startsWith(RUN_PREFIX)) return { run: ref.slice(RUN_PREFIX.length) };
    const [lesson, variant] = ref.split(':');
    return { lesson, variant };
  });
  return [a, b];
}

/**
 * Checks a run arm's knobs against the parameter table: null when they pass, else the first
 * bad knob's message prefixed with the run's name (`ab: run a.recsys-run: negatives must be …`).
 */
export function runArmProblem(run: AbRunArm): string | null {
  if (!run || typeof run.name !== 'string' || !run.name || run.name.includes(','))
    return 'ab: a run arm needs a name without a comma';
  const problem = checkTrainingParams(run.params);
  return problem ? `ab: run ${run.name}: ${problem}` : null;
}

/** Up to three knobs of `p` that differ from the defaults, as "key value" ("negatives 8"). */
function knobsText(p: TrainingParams): string {
  const d = defaultTrainingParams() as Record<string, unknown>;
  const keys = Object.keys(p).filter(
    (k) =>
      k !== 'backend' && JSON.stringify((p as Record<string, unknown>)[k]) !== JSON.stringify(d[k]),
  );
  const parts = keys
    .slice(0, 3)
    .map((k) => `${k} ${JSON.stringify((p as Record<string, unknown>)[k]).replace(/"/g, '')}`);
  if (keys.length > 3) parts.push(`+${keys.length - 3} more`);
  return parts.length ? parts.join(', ') : 'default knobs';
}

/**
 * The two arms of an A/B choice for a world of `videos` videos: a preset's (over the defaults;
 * `negatives` caps K at half the videos) or each lesson variant's knobs (defaults, then the
 * lesson's base, then the variant's, with its label choice). Throws a {@link ConfigError} when
 * an arm samples as many negatives as the world has videos.
 */
export function abArms(
  ab: string,
  videos: number,
  runs: readonly AbRunArm[] = [],
): [AbArmSpec, AbArmSpec] {
  const base = defaultTrainingParams();
  const refs = abArmRefs(parseAb(ab));
  if (!refs) {
    if (ab === 'negatives') {
      const big = Math.min(512, Math.floor(videos / 2));
      return [
        { label: 'K = 8 negatives', params: { ...base, negatives: 8 } },
        { label: `K = ${big} negatives`, params: { ...base, negatives: big } },
      ];
    }
    return [
      { label: 'CTR ranker (unweighted)', params: { ...base, weighting: 'unweighted' } },
      { label: 'watch-time ranker (weighted)', params: { ...base, weighting: 'weighted' } },
    ];
  }
  const arms = refs.map((r): AbArmSpec => {
    const ref = armRefText(r);
    let arm: AbArmSpec;
    if ('run' in r) {
      const run = runs.find((x) => x.name === r.run);
      if (!run)
        throw new ConfigError(
          'ab',
          `ab: arm ${ref} names no run given (runs: ${runs.map((x) => x.name).join(', ') || 'none'})`,
        );
      const problem = runArmProblem(run);
      if (problem) throw new ConfigError('ab', problem);
      const params: TrainingParams = { ...base, ...run.params };
      const w = run.world;
      const world = `seed ${w.seed}, ${w.videos} videos × ${w.users} users`;
      arm = {
        label: `run ${run.name} (${knobsText(params)})`,
        params,
        ref,
        note: `run ${run.name} was trained on its own world (${world}) to step ${run.step}; its knobs are retrained here on the A/B world for the A/B's steps, its weights are not used`,
      };
    } else {
      const spec = lessonById(r.lesson)!;
      const v = spec.variants.find((x) => x.id === r.variant)!;
      const params: TrainingParams = { ...base, ...spec.base.params, ...v.params };
      params.label = v.data?.label ?? spec.base.data?.label ?? params.label;
      arm = { label: `${v.label} (${spec.id})`, params, ref };
    }
    const p = arm.params;
    if (p.sampler !== 'full' && p.negatives >= videos)
      throw new ConfigError(
        'ab',
        `ab: arm ${ref} samples ${p.negatives} negatives, which needs more than ${p.negatives} videos (videos is ${videos})`,
      );
    return arm;
  });
  return [arms[0], arms[1]];
}

/** The A/B choice's row: a preset or two lesson variants. */
const abRow: Param<string> = {
  key: 'ab',
  kind: 'enum',
  default: 'negatives',
  live: false,
  label: 'Models',
  help: 'the two arms: negatives (candidate K 8 vs K 512, one ranker), weighting (CTR vs watch-time ranker, one candidate model), or any two arms among the lesson variants and your runs (a run file or the Training tab’s run: its knobs, retrained here)',
  range: AB_RANGE,
  options: AB_PRESETS,
  parse: parseAb,
  format: (v) => v,
};

/** The A/B test's own knobs (with seed, videos, steps, positionBias, retrieve, evalExamples). */
export const AB_PARAMS = {
  ab: abRow,
  abDays: numeric('abDays', {
    default: 3,
    min: 1,
    max: 10,
    integer: true,
    live: false,
    label: 'Days',
    help: 'days of the A/B test (no retraining)',
  }),
  abUsers: numeric('abUsers', {
    default: 4000,
    min: 100,
    max: 20000,
    integer: true,
    live: false,
    label: 'Users',
    help: 'users in the A/B world, randomised into two halves',
  }),
} as const;

/** Every A/B knob's default. */
export function defaultAbSettings(): AbSettings {
  const l = defaultLoopSettings();
  return {
    seed: l.seed,
    ab: AB_PARAMS.ab.default,
    abDays: AB_PARAMS.abDays.default,
    abUsers: AB_PARAMS.abUsers.default,
    videos: l.videos,
    steps: l.steps,
    positionBias: l.positionBias,
    retrieve: l.retrieve,
    evalExamples: l.evalExamples,
  };
}

/**
 * Checks every value of `s` against its row (the loop's rows for the shared knobs) and that the
 * arms fit the world: returns the settings with `ab` in full, or throws a {@link ConfigError}
 * naming the first bad knob and its range.
 */
export function checkAbSettings(s: AbSettings): AbSettings {
  const rows = { ...LOOP_PARAMS, ...AB_PARAMS } as Record<string, Param<unknown>>;
  for (const k of Object.keys(s)) {
    if (k === 'runs') continue;
    const row = rows[k];
    if (!row) throw new ConfigError(k, `${k} is not a setting of the A/B test`);
    row.parse(row.format(s[k as keyof AbSettings]));
  }
  const ab = parseAb(s.ab);
  if (s.runs !== undefined && !Array.isArray(s.runs))
    throw new ConfigError('runs', 'runs must be a list of runs');
  abArms(ab, s.videos, s.runs);
  return { ...s, ab };
}
