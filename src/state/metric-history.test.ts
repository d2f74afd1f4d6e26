import { describe, expect, it } from 'vitest';
import type { EvalPoint } from '../protocol';
import { MetricHistory } from './metric-history';

const point = (step: number): EvalPoint => ({
  step,
  recall: [0, 0, step / 1000, 0],
  mfRecall: [0, 0, 0, 0],
  popularRecall: [0, 0, 0.1, 0],
  heldOutLoss: 5,
  ranking: null,
  ms: 1,
});

function delta(steps: number[], evals: EvalPoint[] = []) {
  return {
    steps: Int32Array.from(steps),
    loss: Float32Array.from(steps, (s) => s / 10),
    mfLoss: Float32Array.from(steps, () => 1),
    rankingLoss: Float32Array.from(steps, () => 2),
    evals,
    examplesPerSec: 100,
    stepsPerSec: 2,
  };
}

describe('MetricHistory', () => {
  it('appends deltas and grows past its first buffer', () => {
    const h = new MetricHistory();
    h.append(delta([1, 2, 3], [point(0)]));
    const many = Array.from({ length: 1000 }, (_, i) => i + 4);
    h.append(delta(many, [point(50)]));
    expect(h.size).toBe(1003);
    expect(h.lastStep).toBe(1003);
    expect(h.loss.at(-1)).toBeCloseTo(100.3, 4);
    expect(Array.from(h.steps.values.subarray(0, 4))).toEqual([1, 2, 3, 4]);
    expect(h.evals.map((e) => e.step)).toEqual([0, 50]);
    expect(h.examplesPerSec).toBe(100);
  });

  it('truncates to a snapshot step, and a repeated evaluation replaces the old one', () => {
    const h = new MetricHistory();
    h.append(delta([1, 2, 3, 4, 5, 6], [point(0), point(5)]));
    h.truncate(3);
    expect(Array.from(h.steps.values)).toEqual([1, 2, 3]);
    expect(h.evals.map((e) => e.step)).toEqual([0]);
    h.append(delta([], [point(3)]));
    h.append(delta([4], [{ ...point(3), heldOutLoss: 4 }]));
    expect(h.evals.map((e) => [e.step, e.heldOutLoss])).toEqual([
      [0, 5],
      [3, 4],
    ]);
    expect(h.lastStep).toBe(4);
  });
});
