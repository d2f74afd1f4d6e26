/**
 * What an experiment is, as data (docs/lessons.md#an-experiment-is-data): a base (world,
 * steps, evaluation sizes, the models to train, knob values), variants (knob values from the
 * parameter table, checked by its rows), repeats (training seeds: error bars), the metrics
 * recorded over steps, and the comparisons whose verdicts the experiment reports. A lesson is
 * an experiment plus what the paper found. Pure data: no tfjs, no DOM.
 */
import type { WorldConfig } from '../../sim/types';
import { WORLD_PARAMS } from '../../sim/config';
import { checkValue } from '../params/spec';
import {
  TRAINING_PARAMS,
  trainingRow,
  type TrainingKey,
  type TrainingParams,
} from '../params/training';
import type { Direction } from './stats';
import type { RoundMetrics } from '../loop/result';
import {
  LOOP_START_DAY,
  LOOP_WORLD_DAYS,
  POLICY_IDS,
  checkLoopSettings,
  type LoopSettings,
  type PolicyId,
} from '../loop/settings';

/** The models an experiment can train. */
export type ModelName = 'candidate' | 'ranker';

/** What the runner can measure. */
export const METRICS = {
  'recall@10': { label: 'recall@10', model: 'candidate', better: 'higher', k: 10 },
  'recall@50': { label: 'recall@50', model: 'candidate', better: 'higher', k: 50 },
  'recall@100': { label: 'recall@100', model: 'candidate', better: 'higher', k: 100 },
  'recall@500': { label: 'recall@500', model: 'candidate', better: 'higher', k: 500 },
  map: { label: 'MAP', model: 'candidate', better: 'higher' },
  freshShare: {
    label: 'share on videos of the last 7 days',
    model: 'candidate',
    better: 'higher',
  },
  freshGap: {
    label: '|model − watched| share, last 7 days',
    model: 'candidate',
    better: 'lower',
  },
  weightedPerUserLoss: {
    label: 'weighted per-user loss',
    model: 'ranker',
    better: 'lower',
  },
  auc: { label: 'AUC', model: 'ranker', better: 'higher' },
  watchPerImpression: {
    label: 'watch min per impression (top 3)',
    model: 'ranker',
    better: 'higher',
  },
  clickbaitShare: { label: 'clickbait share (top 3)', model: 'ranker', better: 'lower' },
  funnelRecall: { label: 'retrieval recall@N (funnel)', model: 'candidate', better: 'higher' },
  funnelWatch: {
    label: 'end-to-end watch min per impression',
    model: 'ranker',
    better: 'higher',
  },
  msPerStep: { label: 'ms per step', model: null, better: 'lower' },
  // The closed loop's measures (docs/loop.md#metrics), for a loop lesson (`base.loop`): per
  // round in the curve, and as the run's value the mean over the later half of the rounds
  // (rounds ⌊R/2⌋ + 1 … R; see `lateRounds`).
  loopHomogenisation: {
    label: 'homogenisation of what users watch',
    model: null,
    better: 'lower',
    round: 'homogenisation',
  },
  loopShownHomogenisation: {
    label: 'homogenisation of what users are shown',
    model: null,
    better: 'lower',
    round: 'shownHomogenisation',
  },
  loopTopics: { label: 'topics per user', model: null, better: 'higher', round: 'topicsPerUser' },
  loopGini: { label: 'exposure Gini', model: null, better: 'lower', round: 'gini' },
  loopCoverage: { label: 'coverage', model: null, better: 'higher', round: 'coverage' },
  loopTop1: { label: 'top-1% share', model: null, better: 'lower', round: 'top1Share' },
  loopWelfare: {
    label: 'true watch min per user and day',
    model: null,
    better: 'higher',
    round: 'welfare',
  },
  loopClickbait: {
    label: 'clickbait share of clicks',
    model: null,
    better: 'lower',
    round: 'clickbaitShare',
  },
} as const satisfies Record<
  string,
  {
    label: string;
    model: ModelName | null;
    better: Direction;
    k?: number;
    /** A loop lesson's metric: the field of the round's `RoundMetrics` it reads. */
    round?: keyof RoundMetrics;
  }
>;

/** A metric's id. */
export type MetricId = keyof typeof METRICS;

/** The `RoundMetrics` field a loop metric reads, or null for a training metric. */
export function roundField(metric: MetricId): keyof RoundMetrics | null {
  const m = METRICS[metric];
  return 'round' in m ? m.round : null;
}

/**
 * The rounds whose mean is a loop run's value of a metric: the later half, rounds
 * ⌊R/2⌋ + 1 … R of R (1-based; round 1 alone when R = 1). In round 1 a retrained model and its
 * never-retrained copy serve the same slates, so the later half is where the loop shows.
 */
export function lateRounds(rounds: number): { from: number; to: number } {
  return { from: Math.floor(rounds / 2) + 1, to: rounds };
}

/**
 * A closed-loop lesson's setting (docs/lessons.md#the-feedback-loop): the loop's knobs of
 * src/protocol/loop/settings.ts except the seed (the run's), the policies (the variants') and
 * the rounds (the base's `steps`: one step of a loop lesson is one round, one simulated day).
 */
export type LoopLessonBase = Omit<LoopSettings, 'seed' | 'policies' | 'rounds'>;

/** The most rounds a loop lesson can run: the loop world's days after its history (30). */
export const MAX_LOOP_ROUNDS = LOOP_WORLD_DAYS - LOOP_START_DAY;

/** Knobs of the training data rather than of a model (not in the parameter table). */
export interface DataKnobs {
  /**
   * Candidate-generation labels: the next watch (the paper) or a random held-out watch of the
   * user's history (uses the future; paper §3.4). Evaluation is always on next watches.
   */
  label?: 'next' | 'heldout';
}

/** What every variant shares. */
export interface ExperimentBase {
  /** World settings over the defaults (the seed is the run's, `--seed`). */
  world: Partial<Omit<WorldConfig, 'seed'>>;
  /** Training steps of every model. */
  steps: number;
  /** Record the metrics every this many steps (and at the end). */
  evalEvery: number;
  /** Held-out next watches for the retrieval metrics (evenly spaced; the same for every variant). */
  evalExamples: number;
  /** Held-out pages for the ranker's metrics (whole pages; the same for every variant). */
  rankPages: number;
  /** The models trained (only these). */
  models: ModelName[];
  /** Knob values over the parameter table's defaults, shared by every variant. */
  params: Partial<TrainingParams>;
  data?: DataKnobs;
  /**
   * The funnel metrics' serving (docs/lessons.md#the-funnel): retrieve the top `n` by u·v + b
   * (exact scan), rank them with the ranker, show the top `k`; over `queries` held-out session
   * starts (evenly spaced). Needs both models.
   */
  funnel?: { n: number; k: number; queries: number };
  /**
   * A closed-loop lesson (docs/lessons.md#the-feedback-loop): each variant is a policy of the
   * loop (`Variant.policy`), `steps` is the number of rounds, every metric is a loop metric,
   * and a repeat is a whole loop with the training seed and the draws of `repeatSeed(seed, r)`
   * on the one world. `world`, `evalExamples`, `rankPages` and `models` are not used.
   */
  loop?: LoopLessonBase;
}

/** One arm of the experiment. */
export interface Variant {
  /** Short id (CSV column, JSON key). */
  id: string;
  label: string;
  /** Knob values over the base's. */
  params: Partial<TrainingParams>;
  data?: DataKnobs;
  /** In a loop lesson: the loop's policy this arm is (`model`, `frozen`, `legacy`, …). */
  policy?: PolicyId;
  /**
   * Off unless switched on (the Lessons tab's "also run" boxes, `npm run lesson -- --variants`
   * or `--all`): a variant that would make the lesson much longer than a minute. Comparisons
   * naming it are left out while it is off ({@link lessonWith}).
   */
  optional?: boolean;
  /**
   * The paper's figure for this arm, as printed (e.g. "41.6%" or "recall@100 0.3746"), shown in
   * a column beside ours; absent when the paper gives none for it.
   */
  paper?: string;
}

/**
 * One claim checked by the verdict rule: from `base` to `variant` the paper says `metric`
 * moves in direction `expect`.
 */
export interface Comparison {
  variant: string;
  base: string;
  metric: MetricId;
  expect: Direction;
  /** The paper's claim in words, e.g. "logQ correction raises recall". */
  claim: string;
  /** The paper's own difference, as printed (e.g. "+24.5% relative"), shown beside ours. */
  paper?: string;
}

/** What the paper did and found, to print beside ours (docs/lessons.md#the-lessons). */
export interface PaperSide {
  /** Where: "Covington et al. 2016, §4.3, Table 1". */
  source: string;
  claim: string;
  /** The paper's numbers, as printed (label → value). */
  numbers: { label: string; value: string }[];
}

/** An experiment with the paper's side: a lesson. */
export interface LessonSpec {
  /** Short word (`logq`, `negatives`, …): the CLI argument and the page's `lesson.<id>`. */
  id: string;
  title: string;
  paper: PaperSide;
  base: ExperimentBase;
  variants: Variant[];
  /** Repeats (training seeds; every variant of a repeat shares its seed and batch order). */
  repeats: number;
  /** Metrics recorded over steps. */
  metrics: MetricId[];
  /** The first is the lesson's headline verdict. */
  comparisons: Comparison[];
  /** How the world, steps, examples and repeats were chosen (measured; docs/lessons.md). */
  sizing: string;
}

/**
 * The lesson as run with the optional variants `on` switched on: every variant that is not
 * optional, the optional ones named in `on`, and only the comparisons whose two variants are
 * both run. A lesson without optional variants comes back unchanged.
 */
export function lessonWith(spec: LessonSpec, on: readonly string[] = []): LessonSpec {
  if (!spec.variants.some((v) => v.optional)) return spec;
  const run = (id: string) =>
    spec.variants.some((v) => v.id === id && (!v.optional || on.includes(id)));
  return {
    ...spec,
    variants: spec.variants.filter((v) => run(v.id)),
    comparisons: spec.comparisons.filter((c) => run(c.variant) && run(c.base)),
  };
}

/** The training seed of repeat `r` for world seed `seed`: distinct per repeat, fixed per (seed, r). */
export function repeatSeed(seed: number, r: number): number {
  return (((seed * 7919 + 104729 * (r + 1)) % 999983) + 999983) % 999983;
}

/** The full knob values of a variant: table defaults, then the base's, then the variant's. */
export function variantParams(
  defaults: TrainingParams,
  base: ExperimentBase,
  v: Variant,
): TrainingParams {
  return { ...defaults, ...base.params, ...v.params };
}

/**
 * Checks a spec against the parameter table and itself: every knob key is a row's and every
 * value passes the row's `checkValue`; world keys are world settings; variant ids are unique;
 * comparisons name variants and metrics the spec records, of models it trains. Returns every
 * problem (empty when valid).
 */
export function checkSpec(spec: LessonSpec): string[] {
  const problems: string[] = [];
  const checkParams = (where: string, p: Partial<TrainingParams>) => {
    for (const [k, v] of Object.entries(p)) {
      if (!(k in TRAINING_PARAMS)) {
        problems.push(`${where}: ${k} is not a training knob`);
        continue;
      }
      const msg = checkValue(trainingRow(k as TrainingKey), v);
      if (msg) problems.push(`${where}: ${msg}`);
    }
  };
  for (const k of Object.keys(spec.base.world))
    if (!(k in WORLD_PARAMS) || k === 'seed')
      problems.push(`base.world: ${k} is not a world setting`);
  checkParams('base', spec.base.params);
  const ids = new Set<string>();
  for (const v of spec.variants) {
    if (ids.has(v.id)) problems.push(`variant ${v.id} appears twice`);
    ids.add(v.id);
    checkParams(`variant ${v.id}`, v.params);
  }
  if (!(spec.repeats >= 1)) problems.push('repeats must be ≥ 1');
  if (!(spec.base.steps >= 1)) problems.push('steps must be ≥ 1');
  for (const m of spec.metrics) {
    if (roundField(m) && !spec.base.loop) problems.push(`metric ${m} needs base.loop`);
    if (!roundField(m) && spec.base.loop) problems.push(`a loop lesson cannot record ${m}`);
    const model = METRICS[m].model;
    if (model && !spec.base.models.includes(model))
      problems.push(`metric ${m} needs the ${model}, which the experiment does not train`);
  }
  const funnelMetric = spec.metrics.some((m) => m === 'funnelRecall' || m === 'funnelWatch');
  if (funnelMetric && !spec.base.funnel) problems.push('funnel metrics need base.funnel');
  if (
    funnelMetric &&
    !(spec.base.models.includes('candidate') && spec.base.models.includes('ranker'))
  )
    problems.push('funnel metrics need both the candidate model and the ranker');
  problems.push(...checkLoopLesson(spec));
  for (const c of spec.comparisons) {
    for (const id of [c.variant, c.base])
      if (!ids.has(id)) problems.push(`comparison names an unknown variant ${id}`);
    if (!spec.metrics.includes(c.metric))
      problems.push(`comparison's metric ${c.metric} is not recorded`);
  }
  return problems;
}

/**
 * A loop lesson's own checks: every variant names a distinct policy and no knob, and the
 * loop's settings with the base's rounds pass the loop's rows (the same messages as
 * `npm run loop`). A lesson without `base.loop` may not name policies.
 */
function checkLoopLesson(spec: LessonSpec): string[] {
  const loop = spec.base.loop;
  if (!loop)
    return spec.variants
      .filter((v) => v.policy)
      .map((v) => `variant ${v.id} names a policy, which only a loop lesson has`);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const v of spec.variants) {
    if (!v.policy || !(POLICY_IDS as readonly string[]).includes(v.policy))
      problems.push(`variant ${v.id} must name a policy (${POLICY_IDS.join(', ')})`);
    else if (seen.has(v.policy)) problems.push(`policy ${v.policy} appears twice`);
    if (v.policy) seen.add(v.policy);
    if (Object.keys(v.params).length || v.data)
      problems.push(`variant ${v.id}: a loop lesson's variants set no knobs`);
  }
  const policies = Object.fromEntries(POLICY_IDS.map((p) => [p, seen.has(p)])) as Record<
    PolicyId,
    boolean
  >;
  try {
    checkLoopSettings({ ...loop, seed: 0, rounds: spec.base.steps, policies });
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }
  return problems;
}
