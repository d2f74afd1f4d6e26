/**
 * The gradient phase of a traced step: the vectors the step touches (user vectors u_b as
 * diamonds, positives v_y as green dots, negatives v_j as red dots) in a 2-D PCA of those
 * vectors, each with an arrow along its gradient-descent direction −∂L/∂x projected on the
 * same two components (all arrows scaled by one factor). Drawn with d3 into a {@link Frame}.
 */
import { scaleLinear, symbol, symbolDiamond } from 'd3';
import { COLOURS, Frame, type Chart } from './frame';
import type { StepArrowsData, StepPointKind } from './step-data';

/** Colour of each kind of point. */
export const STEP_POINT_COLOURS: Record<StepPointKind, string> = {
  user: '#6a3d9a',
  positive: '#2e7d32',
  negative: '#d62728',
};

const SIZE = { width: 640, height: 440 };
const M = { top: 30, right: 20, bottom: 40, left: 50 };

/** The step view's gradient picture. */
export class StepArrows implements Chart<StepArrowsData> {
  private readonly frame: Frame;

  constructor(container: HTMLElement) {
    this.frame = new Frame(container, SIZE, M, 'vectors of the step and their gradient arrows');
    const defs = this.frame.svg.append('defs');
    for (const [kind, colour] of Object.entries(STEP_POINT_COLOURS))
      defs
        .append('marker')
        .attr('id', `step-arrow-${kind}`)
        .attr('viewBox', '0 0 10 10')
        .attr('refX', 9)
        .attr('refY', 5)
        .attr('markerWidth', 6)
        .attr('markerHeight', 6)
        .attr('orient', 'auto-start-reverse')
        .append('path')
        .attr('d', 'M0,0L10,5L0,10z')
        .attr('fill', colour);
  }

  update(d: StepArrowsData): void {
    const f = this.frame;
    const n = d.kind.length;
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (const a of [d.coords, d.ends])
      for (let i = 0; i < n; i++) {
        x0 = Math.min(x0, a[2 * i]);
        x1 = Math.max(x1, a[2 * i]);
        y0 = Math.min(y0, a[2 * i + 1]);
        y1 = Math.max(y1, a[2 * i + 1]);
      }
    const padX = (x1 - x0) * 0.06 || 1;
    const padY = (y1 - y0) * 0.06 || 1;
    const x = scaleLinear([x0 - padX, x1 + padX], [0, f.width]);
    const y = scaleLinear([y0 - padY, y1 + padY], [f.height, 0]);
    const g = f.layer('points');
    g.append('rect')
      .attr('width', f.width)
      .attr('height', f.height)
      .attr('fill', 'none')
      .attr('stroke', COLOURS.grid);
    for (let i = 0; i < n; i++) {
      const colour = STEP_POINT_COLOURS[d.kind[i]];
      g.append('line')
        .attr('class', `step-arrow ${d.kind[i]}`)
        .attr('x1', x(d.coords[2 * i]))
        .attr('y1', y(d.coords[2 * i + 1]))
        .attr('x2', x(d.ends[2 * i]))
        .attr('y2', y(d.ends[2 * i + 1]))
        .attr('stroke', colour)
        .attr('stroke-width', 1.6)
        .attr('marker-end', `url(#step-arrow-${d.kind[i]})`);
    }
    for (let i = 0; i < n; i++) {
      const colour = STEP_POINT_COLOURS[d.kind[i]];
      const px = x(d.coords[2 * i]);
      const py = y(d.coords[2 * i + 1]);
      if (d.kind[i] === 'user')
        g.append('path')
          .attr('class', 'step-point user')
          .attr('d', symbol(symbolDiamond, 70)())
          .attr('transform', `translate(${px},${py})`)
          .attr('fill', colour);
      else
        g.append('circle')
          .attr('class', `step-point ${d.kind[i]}`)
          .attr('cx', px)
          .attr('cy', py)
          .attr('r', 4.5)
          .attr('fill', colour);
      if (d.label[i])
        g.append('text')
          .attr('x', px + 7)
          .attr('y', py - 5)
          .attr('font-size', 10.5)
          .attr('fill', colour)
          .text(d.label[i]);
    }
    f.xTitle(`PC 1 of the step's vectors (${Math.round(d.explained[0] * 100)}% of their variance)`);
    f.yTitle(`PC 2 (${Math.round(d.explained[1] * 100)}%)`);
    f.legend([
      { label: 'user vector u_b', colour: STEP_POINT_COLOURS.user, shape: 'diamond' },
      { label: 'positive v_y', colour: STEP_POINT_COLOURS.positive, shape: 'circle' },
      { label: 'negative v_j', colour: STEP_POINT_COLOURS.negative, shape: 'circle' },
    ]);
  }

  destroy(): void {
    this.frame.destroy();
  }
}
