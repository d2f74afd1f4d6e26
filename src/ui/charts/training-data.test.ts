import { describe, expect, it } from 'vitest';
import { MetricHistory } from '../../state/metric-history';
import type { EvalPoint } from '../../state/protocol';
import { bucketMeans, candidateLossData, rankingQualityData, recallData } from './training-data';
import { sameLineChartData, yExtent } from './line-chart';

const point = (step: number, r: number): EvalPoint => ({
  step,
  recall: [0, 0, r, 0],
  mfRecall: [0, 0, r / 2, 0],
  popularRecall: [0, 0, 0.13, 0],
  heldOutLoss: 6 - step / 100,
  ranking: step === 0 ? null : { auc: 0.7, weightedPerUserLoss: 0.25, loss: 0.6 },
  ms: 1,
});

function history(steps: number): MetricHistory {
  const h = new MetricHistory();
  const s = Array.from({ length: steps }, (_, i) => i + 1);
  h.append({
    steps: Int32Array.from(s),
    loss: Float32Array.from(s, (x) => 6 - x / 1000),
    mfLoss: Float32Array.from(s, () => 6),
    rankingLoss: Float32Array.from(s, () => 0.5),
    evals: [point(0, 0.05), point(50, 0.1), point(100, 0.2)],
    examplesPerSec: 1,
    stepsPerSec: 1,
  });
  return h;
}

describe('training chart data', () => {
  it('bucketMeans averages into at most max points, each at its last x', () => {
    expect(bucketMeans([1, 2, 3, 4], [2, 4, 6, 8], 2)).toEqual([
      [2, 3],
      [4, 7],
    ]);
    expect(bucketMeans([1, 2, 3], [1, NaN, 3], 10)).toEqual([
      [1, 1],
      [2, NaN],
      [3, 3],
    ]);
    const xs = Array.from({ length: 10_000 }, (_, i) => i);
    expect(bucketMeans(xs, xs, 300).length).toBeLessThanOrEqual(300);
    expect(bucketMeans([], [])).toEqual([]);
  });

  it('loss: bucketed training curves and the held-out points', () => {
    const d = candidateLossData(history(1000));
    expect(d.series.map((s) => s.label)).toEqual(['train', 'held-out', 'factorisation (train)']);
    expect(d.series[0].points.length).toBeLessThanOrEqual(300);
    expect(d.series[1].points).toEqual([
      [0, 6],
      [50, 5.5],
      [100, 5],
    ]);
    expect(d.xTitle).toBe('training step');
    expect(yExtent(d.series)![1]).toBeCloseTo(6, 2);
  });

  it('recall@100: model and factorisation per evaluation, most-popular flat to the last one', () => {
    const d = recallData(history(220));
    expect(d.series[0].points).toEqual([
      [0, 0.05],
      [50, 0.1],
      [100, 0.2],
    ]);
    expect(d.series[1].points[2]).toEqual([100, 0.1]);
    expect(d.series[2]).toMatchObject({
      label: 'most popular',
      dashed: true,
      points: [
        [0, 0.13],
        [100, 0.13],
      ],
    });
    // Steps between evaluations leave the chart's data as they were (no redraw).
    expect(sameLineChartData(recallData(history(230)), d)).toBe(true);
    expect(
      sameLineChartData(candidateLossData(history(230)), candidateLossData(history(220))),
    ).toBe(false);
    expect(() => recallData(history(1), 7)).toThrow('recall@7 is not evaluated');
  });

  it('ranking quality skips evaluations without a ranker figure', () => {
    const d = rankingQualityData(history(10));
    expect(d.series[0].points).toEqual([
      [50, 0.7],
      [100, 0.7],
    ]);
    expect(d.yDomain).toEqual([0, 1]);
  });
});
