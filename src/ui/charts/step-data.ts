/**
 * The "Step in slow motion" view's chart data from a traced step (worker `stepTrace` answer):
 * which matrix each phase colours, the text of each cell, the colour scale, and the arrows of
 * the gradient picture. Pure, tested without a DOM; every number is the trace's own.
 */
import { interpolateBlues, interpolateRdBu } from 'd3';
import type { StepTraceMessage } from '../../state/protocol';
import type { StepPhase } from '../../state/step-slice';

/** Logits at or below this are masked accidental hits (MASKED_LOGIT is −1e9). */
const MASKED_BELOW = -1e8;

/** One heatmap: B rows × (1 + K) columns, row-major. */
export interface HeatmapData {
  rows: number;
  cols: number;
  /** The value each cell is coloured by [rows × cols]. */
  values: Float64Array;
  /** The text written in each cell [rows × cols]. */
  text: string[];
  /** Cells drawn as masked (grey, crossed) [rows × cols]. */
  masked: Uint8Array;
  /** Colour of a value (a masked cell ignores it). */
  colour: (v: number) => string;
  /** Row labels (example b: positive y_b) and column labels (y, then the negatives' ids). */
  rowLabels: string[];
  colLabels: string[];
  /** Column 0 (each row's positive) outlined. */
  outlineColumn0: boolean;
  /** What the colour means, for the legend line. */
  legend: string;
}

/** Fixed-point text of a number, "−" for negatives (as the page writes numbers). */
export function num(v: number, digits = 2): string {
  const s = v.toFixed(digits);
  if (Number(s) === 0) return (0).toFixed(digits);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

/** A diverging colour around 0, symmetric in the largest |v| of the unmasked cells. */
function diverging(values: Float64Array, masked: Uint8Array): (v: number) => string {
  let m = 1e-9;
  values.forEach((v, i) => {
    if (!masked[i]) m = Math.max(m, Math.abs(v));
  });
  // RdBu runs red (0) → blue (1): high logits blue.
  return (v) => interpolateRdBu(0.5 + v / (2 * m));
}

/** The heatmap of a matrix phase, or null for the phases drawn otherwise. */
export function heatmapData(m: StepTraceMessage, phase: StepPhase): HeatmapData | null {
  const t = m.trace;
  const rows = t.B;
  const cols = 1 + t.K;
  const n = rows * cols;
  const values = new Float64Array(n);
  const text: string[] = new Array<string>(n);
  const masked = new Uint8Array(n);
  let legend: string;
  let colour: (v: number) => string;
  switch (phase) {
    case 'logits':
      for (let i = 0; i < n; i++) {
        values[i] = t.scores[i];
        text[i] = num(t.scores[i]);
      }
      colour = diverging(values, masked);
      legend = 'u·v + b: blue high, red low';
      break;
    case 'logQ':
      for (let i = 0; i < n; i++) {
        values[i] = t.scores[i] + t.correction[i];
        text[i] = t.logQ ? `+${num(t.correction[i])}` : '0';
      }
      colour = diverging(values, masked);
      legend = t.logQ
        ? 'colour: u·v + b − log q; text: the −log q added'
        : 'logQ correction is off in this run: nothing is added';
      break;
    case 'mask':
      for (let i = 0; i < n; i++) {
        masked[i] = t.logits[i] <= MASKED_BELOW ? 1 : 0;
        values[i] = masked[i] ? 0 : t.logits[i];
        text[i] = masked[i] ? 'hit' : num(t.logits[i]);
      }
      colour = diverging(values, masked);
      legend = 'the logits the softmax sees; grey: accidental hit, masked to −10⁹';
      break;
    case 'softmax':
    case 'loss':
      for (let i = 0; i < n; i++) {
        masked[i] = t.logits[i] <= MASKED_BELOW ? 1 : 0;
        values[i] = t.softmax[i];
        text[i] = num(t.softmax[i]);
      }
      colour = (v) => interpolateBlues(0.05 + 0.9 * Math.sqrt(Math.max(0, v)));
      legend = 'softmax probability p (each row sums to 1): darker is higher';
      break;
    default:
      return null;
  }
  return {
    rows,
    cols,
    values,
    text,
    masked,
    colour,
    rowLabels: Array.from(t.labels, (y, b) => `${b}: y=${y}`),
    colLabels: ['y', ...Array.from(t.negatives, (v) => String(v))],
    outlineColumn0: true,
    legend,
  };
}

/** Kinds of point in the gradient picture. */
export type StepPointKind = 'user' | 'positive' | 'negative';

/** The gradient picture: points, their kind and label, and arrows scaled to be seen. */
export interface StepArrowsData {
  /** Points [n × 2] and arrow ends [n × 2] (point + scale of its kind · projected −gradient). */
  coords: Float32Array;
  ends: Float32Array;
  kind: StepPointKind[];
  label: string[];
  /** The factor each kind's arrows were multiplied by. */
  scale: Record<StepPointKind, number>;
  explained: [number, number];
}

/**
 * The points of the gradient phase in the trace's order (u_b, then v_y_b, then v_j) with arrows
 * along −∂L/∂x projected on the two components. The arrows of each kind are multiplied by one
 * factor of that kind, so that its longest arrow is a fifth of the larger side of the points'
 * bounding box (user and video gradients differ by orders of magnitude; one factor for all
 * would hide one of them).
 */
export function arrowsData(m: StepTraceMessage): StepArrowsData {
  const { B, K } = m.trace;
  const { coords, arrows, explained } = m.projection;
  const n = 2 * B + K;
  const kind: StepPointKind[] = [];
  const label: string[] = [];
  for (let b = 0; b < B; b++) {
    kind.push('user');
    label.push(`u${b}`);
  }
  for (let b = 0; b < B; b++) {
    kind.push('positive');
    label.push(`y${b}`);
  }
  for (let j = 0; j < K; j++) {
    kind.push('negative');
    label.push('');
  }
  let span = 1e-12;
  for (let c = 0; c < 2; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, coords[2 * i + c]);
      hi = Math.max(hi, coords[2 * i + c]);
    }
    span = Math.max(span, hi - lo);
  }
  const longest: Record<StepPointKind, number> = { user: 1e-12, positive: 1e-12, negative: 1e-12 };
  for (let i = 0; i < n; i++)
    longest[kind[i]] = Math.max(longest[kind[i]], Math.hypot(arrows[2 * i], arrows[2 * i + 1]));
  const scale: Record<StepPointKind, number> = {
    user: span / 5 / longest.user,
    positive: span / 5 / longest.positive,
    negative: span / 5 / longest.negative,
  };
  const ends = new Float32Array(2 * n);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 2; c++)
      ends[2 * i + c] = coords[2 * i + c] + scale[kind[i]] * arrows[2 * i + c];
  return { coords: coords.slice(0, 2 * n), ends, kind, label, scale, explained };
}
