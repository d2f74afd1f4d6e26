/**
 * Topic mix: per topic, its share of the catalogue (videos) beside its share of all watches,
 * as grouped vertical bars, the topics with the largest watch share first.
 */
import { axisBottom, axisLeft, format, max, scaleBand, scaleLinear } from 'd3';
import type { WorldSummary } from '../../sim/summary-types';
import { COLOURS, Frame, gridY, styleAxis, type Chart } from './frame';

/** The topics of a world summary, and how many to show. */
export interface TopicMixData {
  topics: WorldSummary['topics'];
  /** Show the `top` topics by watch share. */
  top: number;
}

/** The `top` topics by watch share, largest first (ties by name). */
export function topTopics(topics: WorldSummary['topics'], top: number): WorldSummary['topics'] {
  return [...topics]
    .sort((a, b) => b.watchShare - a.watchShare || a.name.localeCompare(b.name))
    .slice(0, top);
}

type Share = 'videoShare' | 'watchShare';

/** Grouped bars: share of videos and share of watches per topic. */
export class TopicMixChart implements Chart<TopicMixData> {
  private readonly frame: Frame;

  constructor(container: HTMLElement) {
    this.frame = new Frame(
      container,
      { width: 570, height: 215 },
      { top: 20, right: 8, bottom: 64, left: 50 },
      'Topic mix',
    );
  }

  update({ topics, top }: TopicMixData): void {
    const f = this.frame;
    const rows = topTopics(topics, top);
    const x = scaleBand<string>()
      .domain(rows.map((r) => r.name))
      .range([0, f.width])
      .paddingInner(0.25)
      .paddingOuter(0.1);
    const inner = scaleBand<Share>().domain(['videoShare', 'watchShare']).range([0, x.bandwidth()]);
    const yMax = max(rows, (r) => Math.max(r.videoShare, r.watchShare)) ?? 0.01;
    const y = scaleLinear().domain([0, yMax]).nice().range([f.height, 0]);
    const ticks = y.ticks(4);
    gridY(
      f.layer('grid'),
      ticks.map((t) => y(t)),
      f.width,
    );

    const bars = f.layer('bars');
    for (const key of ['videoShare', 'watchShare'] as const) {
      bars
        .append('g')
        .selectAll('rect')
        .data(rows)
        .join('rect')
        .attr('x', (r) => (x(r.name) ?? 0) + (inner(key) ?? 0))
        .attr('width', inner.bandwidth())
        .attr('y', (r) => y(r[key]))
        .attr('height', (r) => f.height - y(r[key]))
        .attr('fill', key === 'videoShare' ? COLOURS.videos : COLOURS.watches)
        .append('title')
        .text(
          (r) =>
            `${r.name}: ${(100 * r[key]).toFixed(1)}% of all ${key === 'videoShare' ? 'videos' : 'watches'}`,
        );
    }

    const xAxis = f.layer('x-axis').attr('transform', `translate(0,${f.height})`);
    xAxis.call(axisBottom(x).tickSizeOuter(0).tickSize(3));
    styleAxis(xAxis);
    xAxis
      .selectAll<SVGTextElement, string>('.tick text')
      .attr('text-anchor', 'end')
      .attr('dx', '-0.4em')
      .attr('dy', '0.5em')
      .attr('transform', 'rotate(-40)');
    const yAxis = f.layer('y-axis');
    yAxis.call(
      axisLeft(y)
        .tickValues(ticks)
        .tickFormat((d) => format('.0%')(d as number)),
    );
    styleAxis(yAxis);

    f.yTitle('share of all (%)');
    f.legend([
      { label: 'share of videos', colour: COLOURS.videos },
      { label: 'share of watches', colour: COLOURS.watches },
    ]);
  }

  destroy(): void {
    this.frame.destroy();
  }
}
