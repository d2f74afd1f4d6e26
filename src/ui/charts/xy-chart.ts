/**
 * A general x–y chart for the analysis views: lines, dots or scatter points on linear or log
 * axes, with an optional y = x diagonal and a horizontal reference line. Redrawn whole on each
 * update (its data change every few seconds at most, ≤ a few thousand points).
 */
import { axisBottom, axisLeft, format, line, scaleLinear, scaleLog, type NumberValue } from 'd3';
import { COLOURS, Frame, gridY, styleAxis, type Chart } from './frame';

/** One series: points [x, y]; non-finite or (on a log axis) non-positive values are skipped. */
export interface XYSeries {
  label: string;
  colour: string;
  points: [number, number][];
  /** Polyline, dots, or both (default line). */
  mode?: 'line' | 'dots' | 'both';
  dashed?: boolean;
  /** Dot radius (default 2.6) and opacity (default 1). */
  radius?: number;
  opacity?: number;
  /** A colour per point (scatter coloured by group); `colour` is the legend's. */
  colours?: string[];
  /** Leave out of the legend. */
  noLegend?: boolean;
}

/** What one chart draws. */
export interface XYChartData {
  series: XYSeries[];
  xTitle: string;
  yTitle: string;
  xLog?: boolean;
  yLog?: boolean;
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Include y = 0 in a linear y domain. */
  zeroBased?: boolean;
  /** Draw y = x (for "estimate against truth" scatters). */
  diagonal?: boolean;
  /** A dashed horizontal reference line at this y, with its label. */
  reference?: { y: number; label: string };
  /** A vertical marker at this x (e.g. the N chosen). */
  marker?: { x: number; label: string };
  /** Extra legend entries (e.g. colour groups of a scatter). */
  legend?: { label: string; colour: string }[];
  empty?: string;
}

/** Most dots of a series drawn as `<circle>` elements; more are drawn as paths, by colour. */
export const MAX_CIRCLES = 100;

/** A circle as path commands (two arcs), coordinates to 0.1 viewBox unit. */
export function circlePath(cx: number, cy: number, r: number): string {
  const x = Math.round((cx - r) * 10) / 10;
  const y = Math.round(cy * 10) / 10;
  return `M${x},${y}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
}

/** Chart sizes, in viewBox units. */
const SIZES = {
  normal: { width: 420, height: 250 },
  wide: { width: 560, height: 280 },
} as const;

const valid = (v: number, log: boolean | undefined) => Number.isFinite(v) && (!log || v > 0);

/**
 * Ticks of a log axis over [lo, hi]: 1-2-5 per decade while that gives at most `most` ticks,
 * else powers of ten only (every other decade when still too many).
 */
export function logTicks([lo, hi]: [number, number], most = 8): number[] {
  const pick = (mantissas: number[], every = 1) => {
    const t: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      if (e % every !== 0) continue;
      for (const m of mantissas) {
        const v = Number((m * 10 ** e).toPrecision(6));
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) t.push(v);
      }
    }
    return t;
  };
  const fine = pick([1, 2, 5]);
  if (fine.length <= most) return fine;
  const decades = pick([1]);
  return decades.length <= most ? decades : pick([1], 2);
}

/** Tick labels: plain numbers, except a log axis reaching below 0.001 writes powers of ten. */
export function axisFormat(log: boolean | undefined, domain: number[]): (v: NumberValue) => string {
  if (!log) return format('~g');
  if (Math.min(...domain) >= 1e-3) {
    // SI prefixes only from 1000 up ("2k"); below 1, "m" would read as milli-.
    const si = format('~s');
    const plain = format('~g');
    return (v) => (Number(v) >= 1000 ? si(v) : plain(v));
  }
  return (v) => `1e${Math.round(Math.log10(Number(v)))}`;
}

/** Lines, dots and scatters on linear or log axes. */
export class XYChart implements Chart<XYChartData> {
  private readonly frame: Frame;

  constructor(container: HTMLElement, size: keyof typeof SIZES = 'normal', label = 'Chart') {
    this.frame = new Frame(
      container,
      SIZES[size],
      { top: 24, right: 14, bottom: 36, left: 54 },
      label,
    );
  }

  update(d: XYChartData): void {
    const f = this.frame;
    for (const name of ['grid', 'marks', 'refs', 'x-axis', 'y-axis', 'empty']) f.layer(name);
    const xs: number[] = [];
    const ys: number[] = [];
    for (const s of d.series)
      for (const [x, y] of s.points)
        if (valid(x, d.xLog) && valid(y, d.yLog)) {
          xs.push(x);
          ys.push(y);
        }
    if (d.reference && valid(d.reference.y, d.yLog)) ys.push(d.reference.y);
    const ext = (v: number[]): [number, number] =>
      v.length ? [Math.min(...v), Math.max(...v)] : [1, 10];
    let xd = d.xDomain ?? ext(xs);
    let yd = d.yDomain ?? ext(ys);
    if (d.diagonal && !d.xDomain && !d.yDomain) {
      const lo = Math.min(xd[0], yd[0]);
      const hi = Math.max(xd[1], yd[1]);
      xd = [lo, hi];
      yd = [lo, hi];
    }
    if (!d.yDomain && !d.yLog) {
      const pad = (yd[1] - yd[0]) * 0.08 || Math.abs(yd[1]) * 0.1 || 0.1;
      yd = [d.zeroBased ? Math.min(0, yd[0]) : yd[0] - pad, yd[1] + pad];
    }
    if (xd[0] === xd[1]) xd = d.xLog ? [xd[0] / 2, xd[1] * 2] : [xd[0] - 1, xd[1] + 1];
    if (yd[0] === yd[1]) yd = d.yLog ? [yd[0] / 2, yd[1] * 2] : [yd[0] - 1, yd[1] + 1];
    // A log axis keeps the data's own range (nice() would stretch it to whole decades).
    const x = d.xLog
      ? scaleLog()
          .domain([xd[0] / 1.15, xd[1] * 1.15])
          .range([0, f.width])
      : scaleLinear().domain(xd).range([0, f.width]).nice();
    const y = (d.yLog ? scaleLog() : scaleLinear()).domain(yd).range([f.height, 0]).nice();
    const yTicks = d.yLog ? logTicks(y.domain() as [number, number], 6) : y.ticks(5);

    gridY(
      f.plot.select<SVGGElement>('g.grid'),
      yTicks.map((t) => y(t)),
      f.width,
    );
    const xAxis = f.plot
      .select<SVGGElement>('g.x-axis')
      .attr('transform', `translate(0,${f.height})`);
    const xTicks = d.xLog ? logTicks(x.domain() as [number, number]) : x.ticks(6);
    xAxis.call(axisBottom(x).tickValues(xTicks).tickFormat(axisFormat(d.xLog, x.domain())));
    styleAxis(xAxis);
    const yAxis = f.plot.select<SVGGElement>('g.y-axis');
    yAxis.call(axisLeft(y).tickValues(yTicks).tickFormat(axisFormat(d.yLog, y.domain())));
    styleAxis(yAxis);

    const refs = f.plot.select<SVGGElement>('g.refs');
    if (d.diagonal) {
      const [lo, hi] = x.domain();
      refs
        .append('line')
        .attr('x1', x(lo))
        .attr('y1', y(lo))
        .attr('x2', x(hi))
        .attr('y2', y(hi))
        .attr('stroke', COLOURS.muted)
        .attr('stroke-dasharray', '4 3');
    }
    if (d.reference && valid(d.reference.y, d.yLog)) {
      const ry = y(d.reference.y);
      refs
        .append('line')
        .attr('x1', 0)
        .attr('x2', f.width)
        .attr('y1', ry)
        .attr('y2', ry)
        .attr('stroke', COLOURS.fit)
        .attr('stroke-dasharray', '5 3');
      refs
        .append('text')
        .attr('x', f.width - 2)
        .attr('y', ry - 4)
        .attr('text-anchor', 'end')
        .attr('font-size', 10)
        .attr('fill', COLOURS.fit)
        .text(d.reference.label);
    }
    if (d.marker && valid(d.marker.x, d.xLog)) {
      const mx = x(d.marker.x);
      refs
        .append('line')
        .attr('class', 'marker')
        .attr('x1', mx)
        .attr('x2', mx)
        .attr('y1', 0)
        .attr('y2', f.height)
        .attr('stroke', COLOURS.text)
        .attr('stroke-width', 1);
      refs
        .append('text')
        .attr('x', mx + 3)
        .attr('y', 10)
        .attr('font-size', 10)
        .text(d.marker.label);
    }

    const marks = f.plot.select<SVGGElement>('g.marks');
    const path = line<[number, number]>()
      .defined((p) => valid(p[0], d.xLog) && valid(p[1], d.yLog))
      .x((p) => x(p[0]))
      .y((p) => y(p[1]));
    for (const s of d.series) {
      const mode = s.mode ?? 'line';
      const g = marks.append('g').attr('data-label', s.label);
      if (mode !== 'dots')
        g.append('path')
          .attr('fill', 'none')
          .attr('stroke', s.colour)
          .attr('stroke-width', 1.8)
          .attr('stroke-dasharray', s.dashed ? '5 3' : null)
          .attr('d', path(s.points));
      if (mode !== 'line') {
        const r = s.radius ?? 2.6;
        const dots = g
          .append('g')
          .attr('class', 'dots')
          .attr('fill', s.colour)
          .attr('fill-opacity', s.opacity ?? 1);
        if (s.points.length <= MAX_CIRCLES)
          for (let i = 0; i < s.points.length; i++) {
            const [px, py] = s.points[i];
            if (!valid(px, d.xLog) || !valid(py, d.yLog)) continue;
            const c = dots.append('circle').attr('cx', x(px)).attr('cy', y(py)).attr('r', r);
            if (s.colours?.[i] && s.colours[i] !== s.colour) c.attr('fill', s.colours[i]);
          }
        else {
          // A scatter: one path of circles per colour instead of an element per dot (a
          // thousand elements to style, lay out and paint make a long task).
          const byColour = new Map<string, string[]>();
          let drawn = 0;
          for (let i = 0; i < s.points.length; i++) {
            const [px, py] = s.points[i];
            if (!valid(px, d.xLog) || !valid(py, d.yLog)) continue;
            const colour = s.colours?.[i] ?? s.colour;
            let parts = byColour.get(colour);
            if (!parts) byColour.set(colour, (parts = []));
            parts.push(circlePath(x(px), y(py), r));
            drawn++;
          }
          dots.attr('data-count', drawn);
          for (const [colour, parts] of byColour)
            dots.append('path').attr('fill', colour).attr('d', parts.join(''));
        }
      }
    }
    if (xs.length === 0 && d.empty)
      f.plot
        .select<SVGGElement>('g.empty')
        .append('text')
        .attr('x', f.width / 2)
        .attr('y', f.height / 2)
        .attr('text-anchor', 'middle')
        .attr('fill', COLOURS.muted)
        .text(d.empty);
    f.xTitle(d.xTitle);
    f.yTitle(d.yTitle);
    f.legend(
      [
        ...d.series
          .filter((s) => !s.noLegend)
          .map((s) => ({
            label: s.label,
            colour: s.colour,
            shape: (s.mode === 'dots' ? 'circle' : s.dashed ? 'tick' : 'square') as
              'circle' | 'tick' | 'square',
          })),
        ...(d.legend ?? []).map((l) => ({ ...l, shape: 'circle' as const })),
      ],
      'left',
    );
  }

  destroy(): void {
    this.frame.destroy();
  }
}

/** The XY chart at the wide size (a stable class for ChartFigure). */
export class WideXYChart extends XYChart {
  constructor(container: HTMLElement) {
    super(container, 'wide');
  }
}
