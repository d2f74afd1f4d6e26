/**
 * One user's timeline: searches, impressions that were not clicked, and watches as marks on
 * a time axis in days, one lane each. Watches of clickbait are coloured apart; a dashed line
 * marks the first evaluation day (the train / held-out split).
 */
import { axisBottom, axisLeft, scaleBand, scaleLinear, scaleSqrt } from 'd3';
import type { UserTimeline } from '../../sim/summary-types';
import { COLOURS, Frame, drawSwatch, styleAxis, type Chart } from './frame';

/** A user's timeline and the window it lies in. */
export interface TimelineData {
  timeline: UserTimeline;
  /** Days in the simulated window. */
  days: number;
  /** First evaluation day. */
  splitDay: number;
}

const LANES = ['searches', 'not clicked', 'watches'] as const;

/**
 * Deterministic vertical jitter in [−1, 1] for mark i: spreads marks of one session (same
 * time) apart without a random generator.
 */
function jitter(i: number): number {
  const x = Math.sin(i * 12.9898) * 43758.5453;
  return 2 * (x - Math.floor(x)) - 1;
}

/** Marks of one user's searches, unclicked impressions and watches over the days. */
export class TimelineChart implements Chart<TimelineData> {
  private readonly frame: Frame;

  constructor(container: HTMLElement) {
    this.frame = new Frame(
      container,
      { width: 860, height: 205 },
      { top: 20, right: 12, bottom: 34, left: 74 },
      "One user's timeline",
    );
  }

  update({ timeline, days, splitDay }: TimelineData): void {
    const f = this.frame;
    const x = scaleLinear().domain([0, days]).range([0, f.width]);
    const lane = scaleBand<string>().domain(LANES).range([0, f.height]).paddingInner(0.15);
    const half = lane.bandwidth() / 2 - 4;
    const mid = (name: (typeof LANES)[number]) => (lane(name) ?? 0) + lane.bandwidth() / 2;

    const bg = f.layer('lanes');
    bg.selectAll('rect')
      .data(LANES)
      .join('rect')
      .attr('x', 0)
      .attr('width', f.width)
      .attr('y', (l) => lane(l) ?? 0)
      .attr('height', lane.bandwidth())
      .attr('fill', '#f7f7f7');
    bg.append('line')
      .attr('x1', x(splitDay))
      .attr('x2', x(splitDay))
      .attr('y1', 0)
      .attr('y2', f.height)
      .attr('stroke', COLOURS.muted)
      .attr('stroke-dasharray', '4 3');
    bg.append('text')
      .attr('x', x(splitDay) - 4)
      .attr('y', -6)
      .attr('text-anchor', 'end')
      .attr('font-size', 10)
      .attr('fill', COLOURS.muted)
      .text(`held out from day ${Number.isInteger(splitDay) ? splitDay : splitDay.toFixed(1)} →`);

    const marks = f.layer('marks');
    marks
      .append('g')
      .selectAll('line')
      .data(timeline.impressions)
      .join('line')
      .attr('x1', (d) => x(d.time))
      .attr('x2', (d) => x(d.time))
      .attr('y1', (_, i) => mid('not clicked') + jitter(i) * half - 4)
      .attr('y2', (_, i) => mid('not clicked') + jitter(i) * half + 4)
      .attr('stroke', COLOURS.impressions)
      .attr('stroke-width', 1.2);

    const searchG = marks.append('g');
    timeline.searches.forEach((s, i) =>
      drawSwatch(
        searchG,
        'diamond',
        x(s.time),
        mid('searches') + jitter(i + 7) * half * 0.6,
        COLOURS.searches,
      ),
    );
    searchG
      .selectAll('path')
      .data(timeline.searches)
      .append('title')
      .text((s) => `day ${s.time.toFixed(1)}: searched “${s.query}”`);

    const r = scaleSqrt().domain([0, 60]).range([1.5, 7]).clamp(true);
    marks
      .append('g')
      .selectAll('circle')
      .data(timeline.watches)
      .join('circle')
      .attr('cx', (d) => x(d.time))
      .attr('cy', (_, i) => mid('watches') + jitter(i + 3) * half * 0.7)
      .attr('r', (d) => r(d.minutes))
      .attr('fill', (d) => (d.clickbait ? COLOURS.clickbait : COLOURS.watches))
      .attr('fill-opacity', 0.75)
      .append('title')
      .text(
        (d) =>
          `day ${d.time.toFixed(1)}: watched ${d.minutes.toFixed(1)} of ${d.duration.toFixed(1)} min (${d.topic}${d.clickbait ? ', clickbait' : ''})`,
      );

    const xAxis = f.layer('x-axis').attr('transform', `translate(0,${f.height})`);
    xAxis.call(axisBottom(x).ticks(Math.min(12, days)));
    styleAxis(xAxis);
    const yAxis = f.layer('y-axis');
    yAxis.call(axisLeft(lane).tickSize(0).tickPadding(6));
    styleAxis(yAxis);
    yAxis.select('.domain').remove();

    f.xTitle('day of the simulated window');
    f.legend(
      [
        { label: 'search', colour: COLOURS.searches, shape: 'diamond' },
        { label: 'shown, not clicked', colour: COLOURS.impressions, shape: 'tick' },
        { label: 'watch (size = minutes)', colour: COLOURS.watches, shape: 'circle' },
        { label: 'clickbait watch', colour: COLOURS.clickbait, shape: 'circle' },
      ],
      'left',
    );
  }

  destroy(): void {
    this.frame.destroy();
  }
}
