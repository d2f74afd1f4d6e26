/**
 * Pinned runs on a training chart: each pinned run's main curve (the first series of the same
 * chart drawn from its history) added to the live chart's data, dashed, in a colour of its own,
 * labelled with the knobs that differ.
 */
import type { LineChartData } from './line-chart';

/** Colours of pins 1–4 (then again). */
export const PIN_COLOURS = ['#8c564b', '#e377c2', '#17becf', '#bcbd22'];

/** `live` with the first series of each pinned chart added, in pin order. */
export function withPinned(
  live: LineChartData,
  pinned: readonly { label: string; data: LineChartData }[],
): LineChartData {
  if (pinned.length === 0) return live;
  const extra = pinned.flatMap((p, i) => {
    const main = p.data.series[0];
    return main && main.points.length
      ? [
          {
            ...main,
            label: p.label,
            colour: PIN_COLOURS[i % PIN_COLOURS.length],
            dashed: true,
            width: 1.5,
            opacity: 0.9,
          },
        ]
      : [];
  });
  const xMax = Math.max(live.minXMax ?? 0, ...extra.map((s) => s.points.at(-1)?.[0] ?? 0));
  return { ...live, series: [...live.series, ...extra], minXMax: xMax };
}
