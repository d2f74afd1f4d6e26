/**
 * From an experiment's measured runs to its table and verdicts (docs/lessons.md#verdicts):
 * per variant, each metric's mean over repeats with its 95% t-interval; per comparison, the
 * paired differences over repeats (t-interval) and, for retrieval metrics, a paired bootstrap
 * over the held-out examples; the verdict by the one rule of stats.ts; and the sentence a
 * class reads, generated from the numbers. Pure: the page recomputes it from a saved result.
 */
import { METRICS, type Comparison, type LessonSpec, type MetricId } from './spec';
import {
  bootstrapInterval,
  pairedDifferences,
  tInterval,
  verdictOf,
  type Interval,
  type Verdict,
} from './stats';

/** The metrics of one evaluation. */
export type MetricValues = Partial<Record<MetricId, number>>;

/** One evaluation during training. */
export interface CurvePoint {
  step: number;
  values: MetricValues;
}

/** One trained variant in one repeat. */
export interface RunRecord {
  variant: string;
  repeat: number;
  trainSeed: number;
  /** Wall-clock seconds of this run (training and evaluations). */
  seconds: number;
  curve: CurvePoint[];
  /** The last evaluation's values. */
  final: MetricValues;
  /**
   * 0-based rank of each evaluation example's label under the final candidate model (the same
   * examples, in the same order, for every run): the bootstrap's per-example data.
   */
  ranks?: number[];
  /**
   * The final candidate model's mean softmax mass per age bucket (days since upload at the end
   * of training; docs/lessons.md#example-age), when the lesson records `freshShare`/`freshGap`.
   */
  ageMass?: number[];
}

/** Everything measured by one experiment. */
export interface ExperimentResult {
  lesson: string;
  seed: number;
  backend: string;
  world: { videos: number; users: number; watches: number };
  steps: number;
  repeats: number;
  evalExamples: number;
  rankPages: number;
  /** Seconds building the shared world and examples. */
  worldSeconds: number;
  /** Wall-clock seconds of the whole experiment. */
  seconds: number;
  runs: RunRecord[];
  /**
   * What users watched: the held-out labels' share per age bucket (same buckets as
   * `RunRecord.ageMass`), when the lesson records `freshShare`/`freshGap`.
   */
  ageShare?: number[];
  /**
   * A loop lesson's reference: the users' own interests' homogenisation (the mean pairwise
   * cosine of their true topic mixtures; docs/loop.md#metrics), what the loop's watched
   * homogenisation would be if everyone watched exactly what they like.
   */
  interestHomogenisation?: number;
}

/** One comparison, measured. */
export interface ComparisonResult extends Comparison {
  baseMean: number;
  variantMean: number;
  /** variant − base, paired by repeat: mean and 95% t-interval over repeats. */
  diff: Interval;
  /** The same difference, paired by example and bootstrapped (retrieval metrics only). */
  bootstrap: Interval | null;
  /** diff.mean / baseMean. */
  relative: number;
  verdict: Verdict;
  sentence: string;
}

/** A variant's row of the table. */
export interface VariantSummary {
  id: string;
  label: string;
  metrics: Partial<Record<MetricId, Interval>>;
  /** The paper's figure for this arm (the spec's), shown beside ours. */
  paper?: string;
  /** Mean seconds per run. */
  seconds: number;
}

/** The table and the verdicts. */
export interface Summary {
  variants: VariantSummary[];
  comparisons: ComparisonResult[];
  /** The headline comparison's verdict (the first). */
  verdict: Verdict;
}

/** A run's per-example value of a retrieval metric from a label rank (null: none). */
function perExample(metric: MetricId): ((rank: number) => number) | null {
  const m = METRICS[metric];
  if ('k' in m) return (r) => (r < m.k ? 1 : 0);
  if (metric === 'map') return (r) => 1 / (r + 1);
  return null;
}

const byRepeat = (runs: RunRecord[], variant: string) =>
  runs.filter((r) => r.variant === variant).sort((a, b) => a.repeat - b.repeat);

/** Numbers with `digits` significant decimals and an explicit sign. */
const signed = (x: number, digits: number) => (x >= 0 ? '+' : '−') + Math.abs(x).toFixed(digits);

/** A count with thousands separators ("5,000"), the same in Node and every browser. */
const sep = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n));

/** Decimals that show a metric's differences. */
function digitsOf(metric: MetricId): number {
  if (metric === 'msPerStep') return 1;
  if (metric === 'loopWelfare') return 2;
  return metric === 'watchPerImpression' ? 3 : 4;
}

/** Measures one comparison. */
export function compare(
  spec: LessonSpec,
  result: ExperimentResult,
  c: Comparison,
): ComparisonResult {
  const a = byRepeat(result.runs, c.variant);
  const b = byRepeat(result.runs, c.base);
  const repeats = a.filter((r) => b.some((s) => s.repeat === r.repeat)).map((r) => r.repeat);
  const value = (runs: RunRecord[], rep: number) =>
    runs.find((r) => r.repeat === rep)?.final[c.metric] ?? NaN;
  const va = repeats.map((rep) => value(a, rep));
  const vb = repeats.map((rep) => value(b, rep));
  const diff = tInterval(pairedDifferences(va, vb));
  let bootstrap: Interval | null = null;
  const f = perExample(c.metric);
  const withRanks = repeats.filter(
    (rep) => a.find((r) => r.repeat === rep)?.ranks && b.find((r) => r.repeat === rep)?.ranks,
  );
  if (f && withRanks.length === repeats.length && repeats.length > 0) {
    const n = a.find((r) => r.repeat === repeats[0])!.ranks!.length;
    const d = new Float64Array(n);
    for (const rep of repeats) {
      const ra = a.find((r) => r.repeat === rep)!.ranks!;
      const rb = b.find((r) => r.repeat === rep)!.ranks!;
      for (let i = 0; i < n; i++) d[i] += (f(ra[i]) - f(rb[i])) / repeats.length;
    }
    bootstrap = bootstrapInterval(d, 1000, result.seed);
  }
  const baseMean = vb.reduce((s, x) => s + x, 0) / Math.max(1, vb.length);
  const variantMean = va.reduce((s, x) => s + x, 0) / Math.max(1, va.length);
  const verdict = verdictOf(c.expect, diff, bootstrap);
  const label = (id: string) => spec.variants.find((v) => v.id === id)?.label ?? id;
  const dg = digitsOf(c.metric);
  const ci = (i: Interval) =>
    Number.isNaN(i.lo) ? 'no interval' : `95% CI ${signed(i.lo, dg)} to ${signed(i.hi, dg)}`;
  const moved = diff.mean > 0 ? 'raised' : diff.mean < 0 ? 'lowered' : 'left';
  const outcome: Record<Verdict, string> = {
    reproduced: 'same direction as the paper',
    'not-reproduced': 'the opposite of the paper',
    inconclusive: 'the interval holds 0: our measurement cannot tell',
  };
  const sentence =
    `${verdict}: ${label(c.variant)} ${moved} ${METRICS[c.metric].label} from ` +
    `${baseMean.toFixed(dg)} (${label(c.base)}) to ${variantMean.toFixed(dg)} ` +
    `(difference ${signed(diff.mean, dg)}, ${ci(diff)} over ${repeats.length} repeats` +
    (bootstrap ? `; bootstrap over ${bootstrap.n} examples ${ci(bootstrap).slice(7)}` : '') +
    `; ${result.steps} ${spec.base.loop ? 'rounds' : 'steps'}, ${sep(result.world.videos)} videos × ${sep(result.world.users)} users): ` +
    `${outcome[verdict]} (${c.claim}).`;
  return {
    ...c,
    baseMean,
    variantMean,
    diff,
    bootstrap,
    relative: diff.mean / baseMean,
    verdict,
    sentence,
  };
}

/** The table and verdicts of a finished (or partial) experiment. */
export function summarise(spec: LessonSpec, result: ExperimentResult): Summary {
  const variants = spec.variants.map((v): VariantSummary => {
    const runs = byRepeat(result.runs, v.id);
    const metrics: Partial<Record<MetricId, Interval>> = {};
    for (const m of spec.metrics) {
      const xs = runs.map((r) => r.final[m]).filter((x): x is number => x !== undefined);
      if (xs.length) metrics[m] = tInterval(xs);
    }
    const seconds = runs.reduce((s, r) => s + r.seconds, 0) / Math.max(1, runs.length);
    return { id: v.id, label: v.label, metrics, seconds, ...(v.paper ? { paper: v.paper } : {}) };
  });
  const comparisons = spec.comparisons.map((c) => compare(spec, result, c));
  return { variants, comparisons, verdict: comparisons[0]?.verdict ?? 'inconclusive' };
}
