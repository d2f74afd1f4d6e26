/**
 * A multi-series line chart over training steps: each series a polyline (solid or dashed,
 * with optional dots at its points), linear axes with titles, a legend. Redrawn as a whole on
 * each update — the series are kept short (training curves are bucketed to a few hundred
 * points, evaluations come every 50 steps), so a redraw costs a millisecond or two.
 */
import { axisBottom, axisLeft, format, line, scaleLinear } from 'd3';
import type { Selection } from 'd3';
import { COLOURS, Frame, gridY, styleAxis, type Chart } from './frame';

type G = Selection<SVGGElement, unknown, null, undefined>;

/** One line: points [x, y] in increasing x. */
export interface LineSeries {
  label: string;
  colour: string;
  points: [number, number][];
  dashed?: boolean;
  /** Draw a dot at every point (sparse series such as evaluations). */
  dots?: boolean;
  width?: number;
  opacity?: number;
}

/** What one chart draws. */
export interface LineChartData {
  series: LineSeries[];
  xTitle: string;
  yTitle: string;
  /** Fixed y range; else from the data (padded, and including 0 when `zeroBased`). */
  yDomain?: [number, number];
  zeroBased?: boolean;
  /** Least x range shown (so a young run does not fill the width with two points). */
  minXMax?: number;
  /** x takes whole values only (e.g. rounds): the x axis ticks whole numbers. */
  integerX?: boolean;
  /** Text shown in the plot while no series has points. */
  empty?: string;
}

/** Same number, NaN equal to NaN. */
const same = (a: number, b: number) => a === b || (a !== a && b !== b);

/** Whether two chart data would draw the same picture (every field and point compared). */
export function sameLineChartData(a: LineChartData, b: LineChartData): boolean {
  if (
    a.xTitle !== b.xTitle ||
    a.yTitle !== b.yTitle ||
    a.zeroBased !== b.zeroBased ||
    a.minXMax !== b.minXMax ||
    a.integerX !== b.integerX ||
    a.empty !== b.empty ||
    a.yDomain?.[0] !== b.yDomain?.[0] ||
    a.yDomain?.[1] !== b.yDomain?.[1] ||
    a.series.length !== b.series.length
  )
    return false;
  for (let i = 0; i < a.series.length; i++) {
    const s = a.series[i];
    const t = b.series[i];
    if (
      s.label !== t.label ||
      s.colour !== t.colour ||
      s.dashed !== t.dashed ||
      s.dots !== t.dots ||
      s.width !== t.width ||
      s.opacity !== t.opacity ||
      s.points.length !== t.points.length
    )
      return false;
    for (let j = 0; j < s.points.length; j++)
      if (!same(s.points[j][0], t.points[j][0]) || !same(s.points[j][1], t.points[j][1]))
        return false;
  }
  return true;
}

/** Extent [min, max] of every finite y, or null. */
export function yExtent(series: LineSeries[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series)
    for (const [, y] of s.points) {
      if (!Number.isFinite(y)) continue;
      if (y < lo) lo = y;
      if (y > hi) hi = y;
    }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * Line chart of metrics against training steps. Updates are incremental: the lines' paths are
 * rewritten in place, while the axes and the grid are redrawn only when their (rounded) domain
 * changes and the legend and titles only when their text does — a redraw then costs a couple of
 * milliseconds, so four charts stay well inside a frame on a slow machine.
 */
export class LineChart implements Chart<LineChartData> {
  private readonly frame: Frame;
  private readonly lines: G;
  private readonly dots: G;
  private readonly note: G;
  private axesKey = '';
  private legendKey = '';
  private titlesKey = '';

  constructor(container: HTMLElement, label = 'Training curve') {
    this.frame = new Frame(
      container,
      { width: 360, height: 200 },
      { top: 22, right: 12, bottom: 34, left: 48 },
      label,
    );
    this.frame.layer('grid');
    this.lines = this.frame.layer('lines');
    this.dots = this.frame.layer('dots');
    this.note = this.frame.layer('empty');
    this.frame.layer('x-axis');
    this.frame.layer('y-axis');
  }

  update(d: LineChartData): void {
    const f = this.frame;
    let xMax = d.minXMax ?? 1;
    for (const s of d.series) for (const [x] of s.points) if (x > xMax) xMax = x;
    const x = scaleLinear().domain([0, xMax]).range([0, f.width]).nice();
    let yd = d.yDomain ?? yExtent(d.series) ?? [0, 1];
    if (!d.yDomain) {
      const pad = (yd[1] - yd[0]) * 0.08 || Math.abs(yd[1]) * 0.1 || 0.1;
      yd = [d.zeroBased ? Math.min(0, yd[0]) : yd[0] - pad, yd[1] + pad];
    }
    const y = scaleLinear().domain(yd).range([f.height, 0]).nice();

    // Whole-number x: at most one tick per unit (d3 then picks whole steps).
    const xTicks = d.integerX ? Math.max(1, Math.min(6, Math.floor(x.domain()[1]))) : 6;
    const axesKey = `${x.domain().join()}|${y.domain().join()}|${xTicks}`;
    if (axesKey !== this.axesKey) {
      this.axesKey = axesKey;
      gridY(
        f.plot.select<SVGGElement>('g.grid'),
        y.ticks(5).map((t) => y(t)),
        f.width,
      );
      const xAxis = f.plot
        .select<SVGGElement>('g.x-axis')
        .attr('transform', `translate(0,${f.height})`);
      xAxis.call(axisBottom(x).ticks(xTicks, '~s'));
      styleAxis(xAxis);
      const yAxis = f.plot.select<SVGGElement>('g.y-axis');
      yAxis.call(axisLeft(y).ticks(5).tickFormat(format('~g')));
      styleAxis(yAxis);
    }

    const path = line<[number, number]>()
      .defined((p) => Number.isFinite(p[1]))
      .x((p) => x(p[0]))
      .y((p) => y(p[1]));
    const drawn = d.series.filter((s) => s.points.length > 0);
    this.lines
      .selectAll<SVGPathElement, LineSeries>('path.series')
      .data(drawn, (s) => s.label)
      .join('path')
      .attr('class', 'series')
      .attr('data-label', (s) => s.label)
      .attr('fill', 'none')
      .attr('stroke', (s) => s.colour)
      .attr('stroke-width', (s) => s.width ?? 1.8)
      .attr('stroke-opacity', (s) => s.opacity ?? 1)
      .attr('stroke-dasharray', (s) => (s.dashed ? '5 3' : null))
      .attr('d', (s) => path(s.points));
    this.dots
      .selectAll<SVGGElement, LineSeries>('g.dot-series')
      .data(
        drawn.filter((s) => s.dots),
        (s) => s.label,
      )
      .join('g')
      .attr('class', 'dot-series')
      .attr('fill', (s) => s.colour)
      .selectAll('circle')
      .data((s) => s.points.filter((p) => Number.isFinite(p[1])))
      .join('circle')
      .attr('cx', (p) => x(p[0]))
      .attr('cy', (p) => y(p[1]))
      .attr('r', 2.4);

    const empty = drawn.length === 0 && d.empty ? [d.empty] : [];
    this.note
      .selectAll('text')
      .data(empty)
      .join('text')
      .attr('x', f.width / 2)
      .attr('y', f.height / 2)
      .attr('text-anchor', 'middle')
      .attr('fill', COLOURS.muted)
      .text((t) => t);

    const titlesKey = `${d.xTitle}|${d.yTitle}`;
    if (titlesKey !== this.titlesKey) {
      this.titlesKey = titlesKey;
      f.xTitle(d.xTitle);
      f.yTitle(d.yTitle);
    }
    const legendKey = d.series.map((s) => `${s.label}:${s.colour}:${s.dashed ? 1 : 0}`).join('|');
    if (legendKey !== this.legendKey) {
      this.legendKey = legendKey;
      f.legend(
        d.series.map((s) => ({
          label: s.label,
          colour: s.colour,
          shape: s.dashed ? 'tick' : 'square',
        })),
        'left',
      );
    }
  }

  destroy(): void {
    this.frame.destroy();
  }
}
