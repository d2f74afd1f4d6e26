/**
 * Popularity by rank: watches of the video at each popularity rank on log-log axes, with the
 * fitted power law as a dashed line. A Zipf law is a straight line of slope −s here.
 */
import { axisBottom, axisLeft, format, line, scaleLog } from 'd3';
import { COLOURS, Frame, gridY, styleAxis, type Chart } from './frame';

/** Points [rank, watches] (rank 1-based, watches ≥ 1) and the fitted exponent. */
export interface PopularityData {
  points: [number, number][];
  /** Fitted Zipf exponent s of watches against rank (positive). */
  exponent: number;
  /** The fit used ranks 1 … fitMaxRank; the dashed line is drawn over that range. */
  fitMaxRank: number;
}

/**
 * Intercept b of log(watches) = b − s·log(rank) by least squares with the slope fixed at −s,
 * over the points with rank ≤ maxRank: the mean of log(watches) + s·log(rank).
 */
export function fitIntercept(points: [number, number][], s: number, maxRank: number): number {
  let sum = 0;
  let n = 0;
  for (const [r, w] of points) {
    if (r > maxRank || w <= 0) continue;
    sum += Math.log(w) + s * Math.log(r);
    n++;
  }
  return n > 0 ? sum / n : NaN;
}

/** Log-log scatter of watches against popularity rank, with the fitted line. */
export class PopularityChart implements Chart<PopularityData> {
  private readonly frame: Frame;

  constructor(container: HTMLElement) {
    this.frame = new Frame(
      container,
      { width: 280, height: 205 },
      { top: 20, right: 14, bottom: 34, left: 50 },
      'Popularity by rank',
    );
  }

  update({ points, exponent, fitMaxRank }: PopularityData): void {
    const f = this.frame;
    const maxRank = Math.max(10, ...points.map((p) => p[0]));
    const maxW = Math.max(10, ...points.map((p) => p[1]));
    const x = scaleLog().domain([1, maxRank]).range([0, f.width]);
    const y = scaleLog().domain([1, maxW]).range([f.height, 0]).nice();
    const yTicks = y.ticks().filter((t) => Math.log10(t) % 1 === 0);
    gridY(
      f.layer('grid'),
      yTicks.map((t) => y(t)),
      f.width,
    );

    const b = fitIntercept(points, exponent, fitMaxRank);
    const fit = f.layer('fit');
    if (Number.isFinite(b) && Number.isFinite(exponent)) {
      const ranks = [1, Math.min(maxRank, Math.max(2, fitMaxRank))];
      fit
        .append('path')
        .attr(
          'd',
          line<number>()
            .x((r) => x(r))
            .y((r) => y(Math.max(1, Math.exp(b - exponent * Math.log(r)))))(ranks),
        )
        .attr('fill', 'none')
        .attr('stroke', COLOURS.fit)
        .attr('stroke-width', 1.5)
        .attr('stroke-dasharray', '5 3');
    }

    f.layer('points')
      .selectAll('circle')
      .data(points)
      .join('circle')
      .attr('cx', (p) => x(p[0]))
      .attr('cy', (p) => y(p[1]))
      .attr('r', 2.6)
      .attr('fill', COLOURS.watches)
      .attr('fill-opacity', 0.85)
      .append('title')
      .text((p) => `rank ${p[0]}: ${p[1]} watches`);

    const sci = format('~s');
    const xAxis = f.layer('x-axis').attr('transform', `translate(0,${f.height})`);
    xAxis.call(
      axisBottom(x)
        .ticks(5, '~s')
        .tickFormat((d) => (Math.log10(d as number) % 1 === 0 ? sci(d as number) : '')),
    );
    styleAxis(xAxis);
    const yAxis = f.layer('y-axis');
    yAxis.call(
      axisLeft(y)
        .tickValues(yTicks)
        .tickFormat((d) => sci(d as number)),
    );
    styleAxis(yAxis);

    f.xTitle('popularity rank of the video (log)');
    f.yTitle('watches in the window (log)');
    f.legend([
      { label: 'videos', colour: COLOURS.watches, shape: 'circle' },
      { label: `fit, s = ${exponent.toFixed(2)}`, colour: COLOURS.fit, shape: 'tick' },
    ]);
  }

  destroy(): void {
    this.frame.destroy();
  }
}
