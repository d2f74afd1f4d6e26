/**
 * A scatter plot of many points on one 2-D canvas (no per-point DOM): the Embedding view's
 * videos. Points are grouped by colour with a counting sort and written as pixels into one
 * buffer (see `drawPixels`), so a redraw of 20 000 points takes a few milliseconds. The axes, their titles and the
 * legend are drawn on the same canvas, so a saved PNG is the whole figure. `pick` finds the
 * point under the mouse by a linear scan of the screen positions of the last draw (≈ 0.1 ms
 * per 10 000 points — no spatial index needed at this size).
 */
import { rgb, scaleLinear } from 'd3';
import { COLOURS, FONT_FAMILY } from './frame';

/** What one draw shows. */
export interface ScatterData {
  /** Point coordinates [n × 2], row-major (x, y). */
  coords: Float32Array;
  /** Colour group of each point [n]: an index into `palette`; groups are drawn in order. */
  group: Uint8Array;
  /** Colour of each group. */
  palette: string[];
  /** Legend entries (usually one per group). */
  legend: { label: string; colour: string }[];
  xTitle: string;
  yTitle: string;
  /** Points ringed as neighbours, and the one selected (−1: none). */
  highlight: ArrayLike<number>;
  selected: number;
  /**
   * A user's position in the same plane (their u), drawn as a labelled diamond; outside the
   * videos' range it is pinned to the border and says so.
   */
  user?: { coords: [number, number]; label: string } | null;
}

/** Size of the canvas in CSS pixels (it scales down with its box) and the plot margins. */
export const SCATTER_SIZE = { width: 760, height: 520 } as const;
const M = { top: 34, right: 16, bottom: 44, left: 56 };

/** The canvas scatter chart. */
export class ScatterCanvas {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly ratio: number;
  /** Screen positions (CSS px inside the canvas) of the last draw [n × 2]. */
  private screen = new Float32Array(0);
  /** Off-screen plot-area canvas and pixel buffer the points are written to. */
  private layer: HTMLCanvasElement | null = null;
  private image: ImageData | null = null;

  constructor(container: HTMLElement, label: string) {
    this.ratio = Math.min(2, globalThis.devicePixelRatio || 1);
    const c = (this.canvas = document.createElement('canvas'));
    c.width = SCATTER_SIZE.width * this.ratio;
    c.height = SCATTER_SIZE.height * this.ratio;
    c.style.width = '100%';
    c.style.maxWidth = `${SCATTER_SIZE.width}px`;
    c.style.display = 'block';
    c.setAttribute('role', 'img');
    c.setAttribute('aria-label', label);
    container.appendChild(c);
    this.ctx = c.getContext('2d')!;
  }

  /** Redraws everything for `d`. */
  update(d: ScatterData): void {
    const { ctx, ratio } = this;
    const W = SCATTER_SIZE.width;
    const H = SCATTER_SIZE.height;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    const n = Math.floor(d.coords.length / 2);
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = d.coords[2 * i];
      const y = d.coords[2 * i + 1];
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    if (!(x1 > x0)) [x0, x1] = [-1, 1];
    if (!(y1 > y0)) [y0, y1] = [-1, 1];
    const px = (x1 - x0) * 0.03;
    const py = (y1 - y0) * 0.03;
    const sx = scaleLinear()
      .domain([x0 - px, x1 + px])
      .range([M.left, W - M.right]);
    const sy = scaleLinear()
      .domain([y0 - py, y1 + py])
      .range([H - M.bottom, M.top]);

    // Grid and tick labels.
    ctx.font = `10.5px ${FONT_FAMILY}`;
    ctx.lineWidth = 1;
    ctx.strokeStyle = COLOURS.grid;
    ctx.fillStyle = COLOURS.text;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of sx.ticks(8)) {
      const x = Math.round(sx(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, M.top);
      ctx.lineTo(x, H - M.bottom);
      ctx.stroke();
      ctx.fillText(sx.tickFormat(8)(t), x, H - M.bottom + 4);
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of sy.ticks(6)) {
      const y = Math.round(sy(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(M.left, y);
      ctx.lineTo(W - M.right, y);
      ctx.stroke();
      ctx.fillText(sy.tickFormat(6)(t), M.left - 5, y);
    }
    ctx.strokeStyle = COLOURS.muted;
    ctx.strokeRect(M.left + 0.5, M.top + 0.5, W - M.left - M.right, H - M.top - M.bottom);

    // Points, grouped by colour (counting sort of the point ids by group), written as pixels.
    const groups = d.palette.length;
    const start = new Int32Array(groups + 1);
    for (let i = 0; i < n; i++) start[d.group[i] + 1]++;
    for (let g = 0; g < groups; g++) start[g + 1] += start[g];
    const order = new Int32Array(n);
    const fill = start.slice(0, groups);
    for (let i = 0; i < n; i++) order[fill[d.group[i]]++] = i;
    if (this.screen.length !== 2 * n) this.screen = new Float32Array(2 * n);
    const scr = this.screen;
    // Linear maps of the scales, inlined: a d3 scale call per point costs more than the pixels.
    const [dx0, dx1] = sx.domain();
    const [dy0, dy1] = sy.domain();
    const ax = (W - M.right - M.left) / (dx1 - dx0);
    const ay = (M.top - (H - M.bottom)) / (dy1 - dy0);
    for (let i = 0; i < n; i++) {
      scr[2 * i] = M.left + (d.coords[2 * i] - dx0) * ax;
      scr[2 * i + 1] = H - M.bottom + (d.coords[2 * i + 1] - dy0) * ay;
    }
    this.drawPixels(d, order, start, n > 5000 ? 2 : 3);

    ctx.save();
    ctx.beginPath();
    ctx.rect(M.left, M.top, W - M.left - M.right, H - M.top - M.bottom);
    ctx.clip();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#111';
    for (let t = 0; t < d.highlight.length; t++) {
      const i = d.highlight[t];
      if (i < 0 || i >= n) continue;
      ctx.beginPath();
      ctx.arc(scr[2 * i], scr[2 * i + 1], 4, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (d.selected >= 0 && d.selected < n) {
      ctx.fillStyle = COLOURS.fit;
      ctx.strokeStyle = '#fff';
      ctx.beginPath();
      ctx.arc(scr[2 * d.selected], scr[2 * d.selected + 1], 5, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    if (d.user) this.drawUser(d.user, sx(d.user.coords[0]), sy(d.user.coords[1]));
    ctx.restore();

    // Axis titles and the legend.
    ctx.fillStyle = COLOURS.text;
    ctx.font = `11px ${FONT_FAMILY}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(d.xTitle, (M.left + W - M.right) / 2, H - 6);
    ctx.save();
    ctx.translate(14, (M.top + H - M.bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(d.yTitle, 0, 0);
    ctx.restore();
    ctx.font = `10.5px ${FONT_FAMILY}`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    let lx = M.left;
    const ly = 12;
    for (const item of d.legend) {
      const w = ctx.measureText(item.label).width + 24;
      // One line only: entries beyond the width are left out (the tooltip names every topic).
      if (lx + w > W - M.right) break;
      ctx.fillStyle = item.colour;
      ctx.fillRect(lx, ly - 4.5, 9, 9);
      ctx.fillStyle = COLOURS.text;
      ctx.fillText(item.label, lx + 13, ly);
      lx += w;
    }
  }

  /** The user's diamond at (x, y), pinned inside the plot area when it falls outside. */
  private drawUser(user: NonNullable<ScatterData['user']>, x: number, y: number): void {
    const { ctx } = this;
    const W = SCATTER_SIZE.width;
    const H = SCATTER_SIZE.height;
    const cx = Math.min(W - M.right - 8, Math.max(M.left + 8, x));
    const cy = Math.min(H - M.bottom - 8, Math.max(M.top + 8, y));
    const outside = cx !== x || cy !== y;
    ctx.fillStyle = '#111';
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(cx, cy - 7);
    ctx.lineTo(cx + 7, cy);
    ctx.lineTo(cx, cy + 7);
    ctx.lineTo(cx - 7, cy);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
    ctx.font = `bold 11px ${FONT_FAMILY}`;
    ctx.textBaseline = 'middle';
    const text = outside ? `${user.label} (beyond the edge)` : user.label;
    const right = cx + 10 + ctx.measureText(text).width < W - M.right;
    ctx.textAlign = right ? 'left' : 'right';
    ctx.lineWidth = 3;
    ctx.strokeText(text, right ? cx + 10 : cx - 10, cy);
    ctx.fillText(text, right ? cx + 10 : cx - 10, cy);
  }

  /**
   * Writes the points as `size`×`size` device-pixel squares into an RGBA buffer of the plot
   * area, group after group (later groups on top), then composites it over the grid. Why
   * pixels and not `fillRect`: 20 000 rectangles took 50–70 ms per redraw in headless
   * Chromium's software canvas, a long task on the main thread; writing 32-bit pixels takes a
   * few milliseconds.
   */
  private drawPixels(d: ScatterData, order: Int32Array, start: Int32Array, size: number): void {
    const r = this.ratio;
    const left = Math.round(M.left * r);
    const top = Math.round(M.top * r);
    const pw = Math.round((SCATTER_SIZE.width - M.left - M.right) * r);
    const ph = Math.round((SCATTER_SIZE.height - M.top - M.bottom) * r);
    if (!this.layer || this.layer.width !== pw || this.layer.height !== ph) {
      this.layer = document.createElement('canvas');
      this.layer.width = pw;
      this.layer.height = ph;
      this.image = new ImageData(pw, ph);
    }
    const image = this.image!;
    const px = new Uint32Array(image.data.buffer);
    px.fill(0);
    const s = Math.max(1, Math.round(size * r));
    const half = s / 2;
    const scr = this.screen;
    for (let g = 0; g < d.palette.length; g++) {
      const c = rgb(d.palette[g]);
      // ImageData is RGBA in memory: on little-endian machines (all that run browsers) the
      // 32-bit value is A·2²⁴ + B·2¹⁶ + G·2⁸ + R.
      const value = ((255 << 24) | (c.b << 16) | (c.g << 8) | c.r) >>> 0;
      for (let t = start[g]; t < start[g + 1]; t++) {
        const i = order[t];
        const x0 = Math.round(scr[2 * i] * r - left - half);
        const y0 = Math.round(scr[2 * i + 1] * r - top - half);
        for (let y = Math.max(0, y0); y < Math.min(ph, y0 + s); y++) {
          const row = y * pw;
          for (let x = Math.max(0, x0); x < Math.min(pw, x0 + s); x++) px[row + x] = value;
        }
      }
    }
    const lctx = this.layer.getContext('2d')!;
    lctx.putImageData(image, 0, 0);
    this.ctx.save();
    this.ctx.setTransform(1, 0, 0, 1, 0, 0);
    this.ctx.globalAlpha = 0.85;
    this.ctx.drawImage(this.layer, left, top);
    this.ctx.restore();
  }

  /**
   * The point nearest to the mouse event's position, within `radius` CSS pixels of the
   * canvas's own size, or −1.
   */
  pick(clientX: number, clientY: number, radius = 6): number {
    const box = this.canvas.getBoundingClientRect();
    if (box.width === 0) return -1;
    const k = SCATTER_SIZE.width / box.width;
    const x = (clientX - box.left) * k;
    const y = (clientY - box.top) * k;
    const scr = this.screen;
    let best = -1;
    let bestD = (radius * k) ** 2;
    for (let i = 0; i < scr.length / 2; i++) {
      const dx = scr[2 * i] - x;
      const dy = scr[2 * i + 1] - y;
      const dd = dx * dx + dy * dy;
      if (dd < bestD) {
        bestD = dd;
        best = i;
      }
    }
    return best;
  }

  /** Screen position (CSS px relative to the canvas's box) of point `i` as last drawn. */
  position(i: number): { x: number; y: number } | null {
    if (2 * i + 1 >= this.screen.length) return null;
    const box = this.canvas.getBoundingClientRect();
    const k = box.width / SCATTER_SIZE.width;
    return { x: this.screen[2 * i] * k, y: this.screen[2 * i + 1] * k };
  }

  /** Removes the canvas. */
  destroy(): void {
    this.canvas.remove();
  }
}
