/**
 * Clickbait against the rest: click-through rate and mean watched fraction, as bars grouped
 * by measure, one bar for clickbait and one for the other videos.
 */
import { axisBottom, axisLeft, format, scaleBand, scaleLinear } from 'd3';
import type { WorldSummary } from '../../sim/summary-types';
import { COLOURS, Frame, gridY, styleAxis, type Chart } from './frame';

/** The clickbait part of a world summary. */
export type ClickbaitData = WorldSummary['clickbait'];

type Kind = 'clickbait' | 'other';

/** Grouped bars: CTR and watched fraction, clickbait vs other videos. */
export class ClickbaitChart implements Chart<ClickbaitData> {
  private readonly frame: Frame;

  constructor(container: HTMLElement) {
    this.frame = new Frame(
      container,
      { width: 280, height: 205 },
      { top: 20, right: 10, bottom: 34, left: 50 },
      'Clickbait vs the rest',
    );
  }

  update(d: ClickbaitData): void {
    const f = this.frame;
    const groups = [
      { measure: 'click-through rate', clickbait: d.ctr, other: d.ctrOther },
      { measure: 'watched share', clickbait: d.watchFraction, other: d.watchFractionOther },
    ];
    const x = scaleBand<string>()
      .domain(groups.map((g) => g.measure))
      .range([0, f.width])
      .paddingInner(0.3)
      .paddingOuter(0.15);
    const inner = scaleBand<Kind>()
      .domain(['clickbait', 'other'])
      .range([0, x.bandwidth()])
      .paddingInner(0.08);
    const top = Math.max(0.1, ...groups.flatMap((g) => [g.clickbait, g.other]));
    const y = scaleLinear()
      .domain([0, Math.min(1, top * 1.15)])
      .nice()
      .range([f.height, 0]);
    const pct = format('.0%');
    gridY(
      f.layer('grid'),
      y.ticks(5).map((t) => y(t)),
      f.width,
    );

    const bars = f.layer('bars');
    for (const kind of ['clickbait', 'other'] as const) {
      const g = bars.append('g');
      g.selectAll('rect')
        .data(groups)
        .join('rect')
        .attr('x', (r) => (x(r.measure) ?? 0) + (inner(kind) ?? 0))
        .attr('width', inner.bandwidth())
        .attr('y', (r) => y(r[kind]))
        .attr('height', (r) => f.height - y(r[kind]))
        .attr('fill', kind === 'clickbait' ? COLOURS.clickbait : COLOURS.other);
      g.selectAll('text')
        .data(groups)
        .join('text')
        .attr('x', (r) => (x(r.measure) ?? 0) + (inner(kind) ?? 0) + inner.bandwidth() / 2)
        .attr('y', (r) => y(r[kind]) - 4)
        .attr('text-anchor', 'middle')
        .attr('font-size', 10.5)
        .attr('fill', COLOURS.text)
        .text((r) => `${(100 * r[kind]).toFixed(1)}%`);
    }

    const xAxis = f.layer('x-axis').attr('transform', `translate(0,${f.height})`);
    xAxis.call(axisBottom(x).tickSizeOuter(0));
    styleAxis(xAxis);
    const yAxis = f.layer('y-axis');
    yAxis.call(
      axisLeft(y)
        .ticks(5)
        .tickFormat((v) => pct(v as number)),
    );
    styleAxis(yAxis);

    f.xTitle('measure');
    f.yTitle('share (%)');
    f.legend([
      { label: 'clickbait', colour: COLOURS.clickbait },
      { label: 'other videos', colour: COLOURS.other },
    ]);
  }

  destroy(): void {
    this.frame.destroy();
  }
}
