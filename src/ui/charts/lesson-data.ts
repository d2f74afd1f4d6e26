/**
 * The Lessons tab's data: each variant's curve of a metric (the mean over the repeats evaluated
 * so far at each step), the progress line, and the table's cells. Pure functions, tested without
 * a DOM.
 */
import type { LessonSpec, MetricId } from '../../state/lessons-protocol';
import type { LessonRunState } from '../../state/lessons-store';
import type { LineChartData, LineSeries } from './line-chart';

/** Colours of the variants, in the lesson's order. */
export const VARIANT_COLOURS = [
  '#2c6fad',
  '#e6550d',
  '#2e7d32',
  '#756bb1',
  '#b3261e',
  '#8c6d31',
  '#3182bd',
  '#636363',
];

/** One chart of `metric`: a line per variant, the mean over its repeats at each evaluated step. */
export function lessonCurveData(
  spec: LessonSpec,
  run: LessonRunState | null,
  metric: MetricId,
): LineChartData {
  const series: LineSeries[] = spec.variants.map((v, i) => {
    const byStep = new Map<number, number[]>();
    for (const r of Object.values(run?.runs ?? {})) {
      if (r.variant !== v.id) continue;
      for (const p of r.curve) {
        const x = p.values[metric];
        if (x === undefined || !Number.isFinite(x)) continue;
        const list = byStep.get(p.step) ?? [];
        list.push(x);
        byStep.set(p.step, list);
      }
    }
    const points = [...byStep.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([step, xs]): [number, number] => [step, xs.reduce((s, x) => s + x, 0) / xs.length]);
    return {
      label: v.label,
      colour: VARIANT_COLOURS[i % VARIANT_COLOURS.length],
      points,
      dots: true,
    };
  });
  return {
    series,
    xTitle: 'training step',
    // Short: the chart's title names the metric, and a long rotated title is cut off on a projector.
    yTitle: 'mean over repeats',
    zeroBased: true,
    minXMax: run?.steps ?? spec.base.steps,
    empty: 'press Run',
  };
}

/** Runs finished, all runs, and the share of all steps done, in [0, 1]. */
export function lessonProgress(run: LessonRunState): {
  done: number;
  runs: number;
  fraction: number;
} {
  const all = Object.values(run.runs);
  const done = all.filter((r) => r.finished).length;
  const steps = all.reduce((s, r) => s + r.steps, 0);
  const taken = all.reduce((s, r) => s + (r.finished ? r.steps : r.step), 0);
  return { done, runs: all.length, fraction: steps > 0 ? taken / steps : 0 };
}

/** A metric's value with its 95% interval's half-width: "0.1234 ± 0.0056" (n/a when absent). */
export function withInterval(
  i: { mean: number; lo: number; hi: number } | undefined,
  metric: MetricId,
): string {
  if (!i || !Number.isFinite(i.mean)) return 'n/a';
  const digits = metric === 'msPerStep' ? 1 : metric === 'watchPerImpression' ? 3 : 4;
  const half = (i.hi - i.lo) / 2;
  return Number.isFinite(half)
    ? `${i.mean.toFixed(digits)} ± ${half.toFixed(digits)}`
    : i.mean.toFixed(digits);
}
