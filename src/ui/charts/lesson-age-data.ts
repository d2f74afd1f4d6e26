/**
 * The example-age lesson's chart (docs/lessons.md#example-age), the paper's Figure 4 for our
 * catalogue: the share of the next watch's probability on videos uploaded d days before the end
 * of training, for d = 0 … 20 — what users watched (held-out next watches), and each variant's
 * model (mean over its finished repeats). Pure: tested without a DOM.
 */
import type { LessonSpec } from '../../state/lessons-protocol';
import type { LessonRunState } from '../../state/lessons-store';
import type { LineChartData, LineSeries } from './line-chart';
import { VARIANT_COLOURS } from './lesson-data';

/** Days drawn (the age buckets 0 … DAYS − 1; older videos are one bucket, not drawn). */
const DAYS = 21;

const points = (xs: readonly number[]): [number, number][] =>
  xs.slice(0, DAYS).map((y, d): [number, number] => [d, y]);

/** Whether a lesson records the model's mass by age (it has the example-age chart). */
export function hasAgeChart(spec: LessonSpec): boolean {
  return spec.metrics.includes('freshShare') || spec.metrics.includes('freshGap');
}

/** Watched share and each variant's mean model share per day since upload. */
export function lessonAgeData(spec: LessonSpec, run: LessonRunState | null): LineChartData {
  const series: LineSeries[] = [];
  const watched = run?.result?.ageShare;
  if (watched)
    series.push({
      label: 'watched',
      colour: '#222222',
      points: points(watched),
      width: 3,
    });
  spec.variants.forEach((v, i) => {
    const masses = Object.values(run?.runs ?? {})
      .filter((r) => r.variant === v.id && r.finished?.ageMass)
      .map((r) => r.finished!.ageMass!);
    if (masses.length === 0) return;
    const mean = masses[0].map((_, k) => masses.reduce((s, m) => s + m[k], 0) / masses.length);
    series.push({
      label: v.label,
      colour: VARIANT_COLOURS[i % VARIANT_COLOURS.length],
      points: points(mean),
      dots: true,
    });
  });
  return {
    series,
    xTitle: 'days since upload (at the end of training)',
    yTitle: 'share per day',
    zeroBased: true,
    minXMax: DAYS - 1,
    empty: 'press Run: the curves come as runs finish',
  };
}
