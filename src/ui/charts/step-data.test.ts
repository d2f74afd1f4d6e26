import { describe, expect, it } from 'vitest';
import type { StepTraceMessage } from '../../state/protocol';
import { arrowsData, heatmapData, num } from './step-data';

/** A hand-made trace: B = 2 examples, K = 3 negatives, d = 2; negative 2 is row 1's positive. */
function message(): StepTraceMessage {
  const B = 2;
  const K = 3;
  const C = 1 + K;
  const scores = Float32Array.of(1, -2, 0.5, 0, 0.25, 0.001, -0.004, 3);
  const correction = Float32Array.of(0.5, 1, 2, 3, 0.25, 1, 2, 3);
  const hits = Uint8Array.of(0, 0, 0, 0, 0, 0, 1, 0);
  const logits = Float32Array.from(scores, (s, i) => (hits[i] ? -1e9 : s + correction[i]));
  const softmax = new Float32Array(B * C);
  for (let b = 0; b < B; b++) {
    let z = 0;
    for (let c = 0; c < C; c++) z += Math.exp(logits[b * C + c]);
    for (let c = 0; c < C; c++) softmax[b * C + c] = Math.exp(logits[b * C + c]) / z;
  }
  return {
    type: 'stepTrace',
    runId: 1,
    step: 4,
    ms: 3,
    trace: {
      step: 4,
      sampler: 'popularity',
      B,
      K,
      d: 2,
      logQ: true,
      removeAccidentalHits: true,
      rows: Int32Array.of(10, 11),
      users: Int32Array.of(5, 6),
      labels: Int32Array.of(7, 9),
      negatives: Int32Array.of(1, 9, 3),
      qLabels: Float64Array.of(0.6, 0.1),
      qNegatives: Float64Array.of(0.4, 0.1, 0.05),
      scores,
      correction,
      hits,
      logits,
      softmax,
      perExample: Float32Array.of(-Math.log(softmax[0]), -Math.log(softmax[C])),
      loss: 1,
      u: new Float32Array(4),
      gradU: new Float32Array(4),
      vPositive: new Float32Array(4),
      gradPositive: new Float32Array(4),
      gradPositiveBias: new Float32Array(2),
      vNegative: new Float32Array(6),
      gradNegative: new Float32Array(6),
      gradNegativeBias: new Float32Array(3),
    },
    projection: {
      // Points: u0, u1, y0, y1, n0, n1, n2 on a 10 × 4 box; arrows of very different sizes.
      coords: Float32Array.of(0, 0, 10, 0, 5, 4, 5, 2, 1, 1, 2, 2, 3, 3),
      arrows: Float32Array.of(0.01, 0, 0, 0.02, 3, 4, 0, 1, 100, 0, 0, -50, 0, 0),
      explained: [0.7, 0.2],
    },
  };
}

describe('step view data', () => {
  it('writes numbers with a real minus and no negative zero', () => {
    expect(num(-1.234)).toBe('−1.23');
    expect(num(-0.004)).toBe('0.00');
    expect(num(0.5, 1)).toBe('0.5');
  });

  it('colours the logits phase by the raw scores, B × (1 + K) cells, column labels y then ids', () => {
    const h = heatmapData(message(), 'logits')!;
    expect([h.rows, h.cols, h.values.length, h.text.length]).toEqual([2, 4, 8, 8]);
    expect(Array.from(h.values)).toEqual(Array.from(message().trace.scores, Number));
    expect(h.text.slice(0, 4)).toEqual(['1.00', '−2.00', '0.50', '0.00']);
    expect(h.colLabels).toEqual(['y', '1', '9', '3']);
    expect(h.rowLabels).toEqual(['0: y=7', '1: y=9']);
    // Symmetric scale around 0 in the largest |score| (3): 3 is the darkest blue, −2 a red.
    expect(h.colour(3)).toBe('rgb(5, 48, 97)');
    expect(h.colour(-2)).toMatch(/^rgb\((\d+)/);
    expect(Number(h.colour(-2).match(/\d+/)![0])).toBeGreaterThan(150);
    expect(heatmapData(message(), 'batch')).toBeNull();
    expect(heatmapData(message(), 'gradients')).toBeNull();
  });

  it('logQ writes the −log q added; the mask greys the hit; softmax colours p', () => {
    const q = heatmapData(message(), 'logQ')!;
    expect(q.text[1]).toBe('+1.00');
    expect(q.values[1]).toBeCloseTo(-1, 6);
    const m = heatmapData(message(), 'mask')!;
    expect(Array.from(m.masked)).toEqual([0, 0, 0, 0, 0, 0, 1, 0]);
    expect(m.text[6]).toBe('hit');
    const s = heatmapData(message(), 'softmax')!;
    expect(s.values[6]).toBe(0);
    expect(s.masked[6]).toBe(1);
    let row = 0;
    for (let c = 0; c < 4; c++) row += s.values[c];
    expect(row).toBeCloseTo(1, 6);
  });

  it('scales the arrows of each kind so that its longest is a fifth of the points’ span', () => {
    const a = arrowsData(message());
    expect(a.kind).toEqual([
      'user',
      'user',
      'positive',
      'positive',
      'negative',
      'negative',
      'negative',
    ]);
    expect(a.label.slice(0, 4)).toEqual(['u0', 'u1', 'y0', 'y1']);
    const len = (i: number) =>
      Math.hypot(a.ends[2 * i] - a.coords[2 * i], a.ends[2 * i + 1] - a.coords[2 * i + 1]);
    // Span 10 (x from 0 to 10): the longest arrow of each kind is 2 long.
    expect(len(1)).toBeCloseTo(2, 4);
    expect(len(2)).toBeCloseTo(2, 4);
    expect(len(4)).toBeCloseTo(2, 4);
    expect(len(0)).toBeCloseTo(1, 4);
    expect(len(5)).toBeCloseTo(1, 4);
    expect(len(6)).toBe(0);
    expect(a.scale.user).toBeCloseTo(100, 3);
  });
});
