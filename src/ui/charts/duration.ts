/**
 * Durations: a histogram of video lengths in minutes over log-spaced bins, drawn on a log x
 * axis so that a log-normal looks like a bell.
 */
import { axisBottom, axisLeft, format, max, scaleLinear, scaleLog } from 'd3';
import { COLOURS, Frame, gridY, styleAxis, type Chart } from './frame';

/** Bins `[fromMinutes, toMinutes, videos]`, in increasing order. */
export type DurationData = [number, number, number][];

/**
 * Median of a histogram of `[from, to, count]` bins: found in the bin where the running count
 * crosses half the total, interpolated geometrically inside it (the bins are log-spaced).
 */
export function histogramMedian(bins: DurationData): number {
  const total = bins.reduce((s, b) => s + b[2], 0);
  let acc = 0;
  for (const [from, to, n] of bins) {
    if (n > 0 && acc + n >= total / 2) {
      const t = (total / 2 - acc) / n;
      return from * Math.pow(to / from, t);
    }
    acc += n;
  }
  return NaN;
}

/** Histogram of video durations on a log axis of minutes. */
export class DurationChart implements Chart<DurationData> {
  private readonly frame: Frame;

  constructor(container: HTMLElement) {
    this.frame = new Frame(
      container,
      { width: 280, height: 205 },
      { top: 20, right: 10, bottom: 34, left: 50 },
      'Video durations',
    );
  }

  update(bins: DurationData): void {
    const f = this.frame;
    const lo = bins[0]?.[0] ?? 0.5;
    const hi = bins.at(-1)?.[1] ?? 180;
    const x = scaleLog().domain([lo, hi]).range([0, f.width]);
    const y = scaleLinear()
      .domain([0, max(bins, (b) => b[2]) ?? 1])
      .nice()
      .range([f.height, 0]);
    gridY(
      f.layer('grid'),
      y.ticks(5).map((t) => y(t)),
      f.width,
    );

    f.layer('bars')
      .selectAll('rect')
      .data(bins)
      .join('rect')
      .attr('x', (b) => x(b[0]) + 0.5)
      .attr('width', (b) => Math.max(0, x(b[1]) - x(b[0]) - 1))
      .attr('y', (b) => y(b[2]))
      .attr('height', (b) => f.height - y(b[2]))
      .attr('fill', COLOURS.watches)
      .append('title')
      .text((b) => `${b[0]}–${b[1]} min: ${b[2]} videos`);

    const xAxis = f.layer('x-axis').attr('transform', `translate(0,${f.height})`);
    const edges = [1, 2, 5, 10, 20, 60, 180].filter((e) => e >= lo && e <= hi);
    xAxis.call(
      axisBottom(x)
        .tickValues(edges)
        .tickFormat((d) => String(d)),
    );
    styleAxis(xAxis);
    const yAxis = f.layer('y-axis');
    yAxis.call(
      axisLeft(y)
        .ticks(5)
        .tickFormat((d) => format('~s')(d as number)),
    );
    styleAxis(yAxis);

    f.xTitle('duration (minutes, log scale)');
    f.yTitle('videos');
  }

  destroy(): void {
    this.frame.destroy();
  }
}
