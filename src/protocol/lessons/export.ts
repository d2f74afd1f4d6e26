/**
 * A finished experiment as files (docs/lessons.md#export): JSON with the paper's side, the
 * table (per variant, every metric's mean and 95% interval), the comparisons with their
 * verdicts and sentences, and the curves; CSV with one line per run and evaluation.
 */
import { METRICS, type LessonSpec, type MetricId } from './spec';
import { summarise, type ExperimentResult, type Summary } from './summary';

const round = (x: number, d = 6) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);
const interval = (i: { mean: number; lo: number; hi: number; n: number }) => ({
  mean: round(i.mean),
  lo: round(i.lo),
  hi: round(i.hi),
  n: i.n,
});

/** The JSON of `npm run lesson -- <id> --json` (and the page's export). */
export function resultJson(spec: LessonSpec, result: ExperimentResult, summary?: Summary) {
  const s = summary ?? summarise(spec, result);
  return {
    lesson: spec.id,
    title: spec.title,
    verdict: s.verdict,
    seconds: round(result.seconds, 1),
    seed: result.seed,
    backend: result.backend,
    world: result.world,
    steps: result.steps,
    repeats: result.repeats,
    evalExamples: result.evalExamples,
    rankPages: result.rankPages,
    worldSeconds: round(result.worldSeconds, 2),
    ...(result.interestHomogenisation !== undefined
      ? { interestHomogenisation: round(result.interestHomogenisation) }
      : {}),
    paper: spec.paper,
    sizing: spec.sizing,
    variants: s.variants.map((v) => ({
      id: v.id,
      label: v.label,
      paper: v.paper ?? null,
      seconds: round(v.seconds, 2),
      metrics: Object.fromEntries(Object.entries(v.metrics).map(([m, i]) => [m, interval(i)])),
    })),
    comparisons: s.comparisons.map((c) => ({
      variant: c.variant,
      base: c.base,
      metric: c.metric,
      expect: c.expect,
      claim: c.claim,
      paper: c.paper ?? null,
      baseMean: round(c.baseMean),
      variantMean: round(c.variantMean),
      diff: interval(c.diff),
      bootstrap: c.bootstrap ? interval(c.bootstrap) : null,
      relative: round(c.relative, 4),
      verdict: c.verdict,
      sentence: c.sentence,
    })),
    curves: result.runs.map((r) => ({
      variant: r.variant,
      repeat: r.repeat,
      trainSeed: r.trainSeed,
      seconds: round(r.seconds, 2),
      points: r.curve.map((p) => ({
        step: p.step,
        ...Object.fromEntries(Object.entries(p.values).map(([k, v]) => [k, round(v)])),
      })),
    })),
  };
}

/** A CSV cell: numbers as numbers, text quoted when it holds a comma, quote or line break. */
function cell(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One line per run and evaluation: lesson, seed, variant, repeat, trainSeed, step, metrics. */
export function resultCsv(spec: LessonSpec, result: ExperimentResult): string {
  const metrics = spec.metrics as MetricId[];
  const head = ['lesson', 'seed', 'variant', 'repeat', 'trainSeed', 'step', ...metrics];
  const lines = [
    `# lesson ${spec.id}: ${spec.title}; world ${result.world.videos} videos × ${result.world.users} users; backend ${result.backend}`,
    `# metrics: ${metrics.map((m) => `${m} = ${METRICS[m].label}`).join('; ')}`,
    head.join(','),
  ];
  for (const r of result.runs)
    for (const p of r.curve)
      lines.push(
        [
          spec.id,
          result.seed,
          r.variant,
          r.repeat,
          r.trainSeed,
          p.step,
          ...metrics.map((m) => p.values[m] ?? NaN),
        ]
          .map(cell)
          .join(','),
      );
  return lines.join('\n') + '\n';
}
