/**
 * What every d3 chart shares: the `Chart` interface its React wrapper drives, an SVG frame
 * with margins and a fixed viewBox (it scales with its box, text included), axis titles, a
 * legend, and the palette. Colours and fonts are set as attributes, not CSS, so a saved SVG
 * looks like the chart on screen.
 */
import { select, type Selection } from 'd3';

/** A small imperative chart: the React wrapper creates it once, then feeds it data. */
export interface Chart<D> {
  /** Redraws the chart for `data`. */
  update(data: D): void;
  /** Removes everything the chart added to its container. */
  destroy(): void;
}

/** Margins around the plot area, in viewBox units (≈ CSS pixels at 1280 px wide). */
export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** The palette: one colour per meaning, used alike by every chart. */
export const COLOURS = {
  videos: '#9ecae1',
  watches: '#2c6fad',
  clickbait: '#e6550d',
  other: '#3182bd',
  impressions: '#b8b8b8',
  searches: '#756bb1',
  fit: '#d62728',
  grid: '#e6e6e6',
  text: '#333',
  muted: '#777',
} as const;

/** Font of every chart, as an SVG attribute. */
export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

type G = Selection<SVGGElement, unknown, null, undefined>;

/** An SVG of a fixed viewBox with a plot group translated by the margins. */
export class Frame {
  /** The contained box around the SVG. */
  private readonly box: Selection<HTMLDivElement, unknown, null, undefined>;
  /** The root SVG element. */
  readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  /** The plot area, origin at its top-left corner. */
  readonly plot: G;
  /** Width and height of the plot area. */
  readonly width: number;
  readonly height: number;
  /** viewBox width and height of the whole chart, as constructed. */
  private readonly size: { width: number; height: number };

  /**
   * @param container element the SVG is appended to
   * @param size viewBox width and height of the whole chart
   * @param margin room for the axes around the plot area
   * @param label accessible name of the chart
   */
  constructor(
    container: HTMLElement,
    size: { width: number; height: number },
    readonly margin: Margin,
    label: string,
  ) {
    // A box of the chart's own aspect ratio, with `contain: strict` (styles.css): redrawing the
    // SVG then never lays out or repaints anything outside it.
    this.box = select(container)
      .append('div')
      .attr('class', 'chart-svg')
      .style('aspect-ratio', `${size.width} / ${size.height}`);
    this.svg = this.box
      .append('svg')
      .attr('xmlns', 'http://www.w3.org/2000/svg')
      .attr('viewBox', `0 0 ${size.width} ${size.height}`)
      .attr('role', 'img')
      .attr('aria-label', label)
      .attr('font-family', FONT_FAMILY)
      .attr('font-size', 11)
      .attr('fill', COLOURS.text)
      .style('width', '100%')
      .style('height', '100%')
      .style('display', 'block');
    this.size = size;
    this.width = size.width - margin.left - margin.right;
    this.height = size.height - margin.top - margin.bottom;
    this.plot = this.svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  }

  /** A fresh group inside the plot area (its old contents removed when `name` exists). */
  layer(name: string): G {
    this.plot.select(`g.${name}`).remove();
    return this.plot.append('g').attr('class', name);
  }

  /** Writes the x-axis title centred under the plot area. */
  xTitle(text: string): void {
    this.title('x-title', text, this.width / 2, this.height + this.margin.bottom - 6, 0);
  }

  /** Writes the y-axis title rotated along the left edge. */
  yTitle(text: string): void {
    this.title('y-title', text, -this.height / 2, -this.margin.left + 10, -90);
  }

  private title(cls: string, text: string, x: number, y: number, rotate: number): void {
    this.plot.select(`text.${cls}`).remove();
    this.plot
      .append('text')
      .attr('class', cls)
      .attr('text-anchor', 'middle')
      .attr('transform', `rotate(${rotate})`)
      .attr('x', x)
      .attr('y', y)
      .attr('font-size', 11)
      .attr('fill', COLOURS.text)
      .text(text);
  }

  /**
   * Draws a legend of coloured swatches above the plot: from its top-right corner leftwards,
   * or with `align` 'left' from its top-left corner rightwards, wrapping onto more rows when the
   * labels are wider than the chart; the chart then grows upwards by a row height per extra row
   * (its viewBox starts above 0), so no label runs off the edge or over the plot.
   */
  legend(
    items: { label: string; colour: string; shape?: 'square' | 'circle' | 'tick' | 'diamond' }[],
    align: 'left' | 'right' = 'right',
  ): void {
    const g = this.layer('legend');
    if (align === 'left') {
      const rows = legendRows(
        items.map((item) => textWidth(item.label, 10.5) + 28),
        this.width + this.margin.right,
      );
      const extra = LEGEND_ROW * (rows.length - 1);
      this.svg.attr('viewBox', `0 ${-extra} ${this.size.width} ${this.size.height + extra}`);
      this.box.style('aspect-ratio', `${this.size.width} / ${this.size.height + extra}`);
      rows.forEach((row, r) => {
        const y = -8 - LEGEND_ROW * (rows.length - 1 - r);
        for (const [i, x] of row) {
          const item = items[i];
          drawSwatch(g, item.shape ?? 'square', x + 5, y - 4, item.colour);
          g.append('text')
            .attr('x', x + 14)
            .attr('y', y)
            .attr('font-size', 10.5)
            .attr('fill', COLOURS.text)
            .text(item.label);
        }
      });
      return;
    }
    let x = this.width;
    for (const item of [...items].reverse()) {
      g.append('text')
        .attr('x', x)
        .attr('y', -8)
        .attr('text-anchor', 'end')
        .attr('font-size', 10.5)
        .attr('fill', COLOURS.text)
        .text(item.label);
      const w = textWidth(item.label, 10.5) + 14;
      const cx = x - w + 5;
      drawSwatch(g, item.shape ?? 'square', cx, -12, item.colour);
      x -= w + 10;
    }
  }

  /** Removes the SVG and its box. */
  destroy(): void {
    this.box.remove();
  }
}

/** Height of one legend row, in viewBox units. */
const LEGEND_ROW = 14;

/**
 * Lays legend items of the given widths left to right in rows no wider than `maxWidth`
 * (an item wider than that gets a row of its own): per row, [item index, x] pairs.
 */
export function legendRows(widths: number[], maxWidth: number): [number, number][][] {
  const rows: [number, number][][] = [[]];
  let x = 0;
  widths.forEach((w, i) => {
    const row = rows[rows.length - 1];
    if (row.length > 0 && x + w - 14 > maxWidth) {
      rows.push([[i, 0]]);
      x = w;
    } else {
      row.push([i, x]);
      x += w;
    }
  });
  return rows;
}

let measurer: CanvasRenderingContext2D | null | undefined;
const widths = new Map<string, number>();

/**
 * Width of `text` in the charts' font at `size` px (viewBox units), measured on a 2-D canvas:
 * unlike `getComputedTextLength` on a fresh SVG text, it never forces a layout of the page.
 * Without a canvas (tests in Node) it estimates 0.58 em per character.
 */
export function textWidth(text: string, size: number): number {
  const key = `${size}|${text}`;
  const known = widths.get(key);
  if (known !== undefined) return known;
  if (measurer === undefined)
    measurer =
      typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  let w: number;
  if (measurer) {
    measurer.font = `${size}px ${FONT_FAMILY}`;
    w = measurer.measureText(text).width;
  } else w = text.length * size * 0.58;
  if (widths.size > 2000) widths.clear();
  widths.set(key, w);
  return w;
}

/** A legend swatch (or a timeline mark) of `shape` centred at (x, y). */
export function drawSwatch(
  g: G,
  shape: 'square' | 'circle' | 'tick' | 'diamond',
  x: number,
  y: number,
  colour: string,
): void {
  if (shape === 'circle')
    g.append('circle').attr('cx', x).attr('cy', y).attr('r', 4).attr('fill', colour);
  else if (shape === 'tick') {
    g.append('line')
      .attr('x1', x)
      .attr('x2', x)
      .attr('y1', y - 5)
      .attr('y2', y + 5)
      .attr('stroke', colour)
      .attr('stroke-width', 1.5);
  } else if (shape === 'diamond') {
    g.append('path')
      .attr('d', `M${x},${y - 5}L${x + 5},${y}L${x},${y + 5}L${x - 5},${y}Z`)
      .attr('fill', colour);
  } else
    g.append('rect')
      .attr('x', x - 4.5)
      .attr('y', y - 4.5)
      .attr('width', 9)
      .attr('height', 9)
      .attr('fill', colour);
}

/** Styles an axis group drawn by d3-axis: quiet domain line and readable tick labels. */
export function styleAxis(g: G): void {
  g.attr('font-family', FONT_FAMILY).attr('font-size', 10.5);
  g.selectAll('.domain').attr('stroke', COLOURS.muted);
  g.selectAll('.tick line').attr('stroke', COLOURS.muted);
  g.selectAll('.tick text').attr('fill', COLOURS.text);
}

/** Light horizontal grid lines at the y ticks. */
export function gridY(g: G, ys: number[], width: number): void {
  g.selectAll('line')
    .data(ys)
    .join('line')
    .attr('x1', 0)
    .attr('x2', width)
    .attr('y1', (y) => y)
    .attr('y2', (y) => y)
    .attr('stroke', COLOURS.grid);
}
