/**
 * The heatmap of a traced step's B × (1 + K) matrix (logits, logQ-corrected logits, masked
 * logits, softmax): one SVG rect per cell with its value written in it, the positives' column
 * outlined, masked accidental hits grey and crossed. Drawn with d3 into a {@link Frame}.
 */
import { COLOURS, Frame, type Chart } from './frame';
import type { HeatmapData } from './step-data';

const CELL_W = 52;
const CELL_H = 30;
const M = { top: 24, right: 12, bottom: 28, left: 86 };

/** The step view's heatmap chart (the frame is rebuilt when B or K changes). */
export class StepHeatmap implements Chart<HeatmapData> {
  private frame: Frame | null = null;
  private shape = '';

  constructor(private readonly container: HTMLElement) {}

  update(d: HeatmapData): void {
    const shape = `${d.rows}x${d.cols}`;
    if (shape !== this.shape || !this.frame) {
      this.frame?.destroy();
      this.frame = new Frame(
        this.container,
        {
          width: M.left + M.right + d.cols * CELL_W,
          height: M.top + M.bottom + d.rows * CELL_H,
        },
        M,
        `heatmap of ${d.rows} examples by ${d.cols} columns`,
      );
      this.shape = shape;
    }
    const f = this.frame;
    const g = f.layer('cells');
    for (let r = 0; r < d.rows; r++)
      for (let c = 0; c < d.cols; c++) {
        const i = r * d.cols + c;
        const x = c * CELL_W;
        const y = r * CELL_H;
        const fill = d.masked[i] ? '#bdbdbd' : d.colour(d.values[i]);
        g.append('rect')
          .attr('class', 'step-cell')
          .attr('data-row', r)
          .attr('data-col', c)
          .attr('x', x)
          .attr('y', y)
          .attr('width', CELL_W - 1)
          .attr('height', CELL_H - 1)
          .attr('fill', fill);
        if (d.masked[i])
          g.append('path')
            .attr('d', `M${x + 4},${y + 4}L${x + CELL_W - 5},${y + CELL_H - 5}`)
            .attr('stroke', '#555')
            .attr('stroke-width', 1);
        g.append('text')
          .attr('x', x + CELL_W / 2)
          .attr('y', y + CELL_H / 2 + 4)
          .attr('text-anchor', 'middle')
          .attr('font-size', 10.5)
          .attr('fill', textColour(fill))
          .text(d.text[i]);
      }
    if (d.outlineColumn0)
      g.append('rect')
        .attr('x', -1)
        .attr('y', -1)
        .attr('width', CELL_W + 1)
        .attr('height', d.rows * CELL_H + 1)
        .attr('fill', 'none')
        .attr('stroke', '#2e7d32')
        .attr('stroke-width', 2.5);
    const labels = f.layer('labels');
    d.rowLabels.forEach((t, r) =>
      labels
        .append('text')
        .attr('x', -6)
        .attr('y', r * CELL_H + CELL_H / 2 + 4)
        .attr('text-anchor', 'end')
        .attr('font-size', 10.5)
        .text(t),
    );
    d.colLabels.forEach((t, c) =>
      labels
        .append('text')
        .attr('x', c * CELL_W + CELL_W / 2)
        .attr('y', -6)
        .attr('text-anchor', 'middle')
        .attr('font-size', 10)
        .attr('fill', c === 0 ? '#2e7d32' : COLOURS.text)
        .text(t),
    );
    labels
      .append('text')
      .attr('x', 0)
      .attr('y', d.rows * CELL_H + 18)
      .attr('font-size', 10.5)
      .attr('fill', COLOURS.muted)
      .text(d.legend);
  }

  destroy(): void {
    this.frame?.destroy();
    this.frame = null;
  }
}

/** Black or white text, whichever reads on `fill` (a CSS rgb() or hex colour). */
function textColour(fill: string): string {
  const m = fill.match(/\d+/g);
  let lum = 0.6;
  if (fill.startsWith('rgb') && m) {
    const [r, g, b] = m.map(Number);
    lum = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
  }
  return lum < 0.5 ? '#fff' : '#111';
}
