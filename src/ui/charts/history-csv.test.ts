import { describe, expect, it } from 'vitest';
import { MetricHistory } from '../../state/metric-history';
import type { EvalPoint } from '../../state/protocol';
import { HISTORY_COLUMNS, historyCsv } from './history-csv';

const evalAt = (step: number, r: number, ranking: EvalPoint['ranking']): EvalPoint => ({
  step,
  recall: [r, 2 * r, 3 * r, 4 * r],
  mfRecall: [0, 0, 0.01, 0.02],
  popularRecall: [0.001, 0.002, 0.003, 0.004],
  heldOutLoss: 5.5 - r,
  ranking,
  ms: 12,
});

describe('historyCsv', () => {
  it('writes one line per trained or evaluated step, evaluations on their step', () => {
    const h = new MetricHistory();
    h.append({
      steps: Int32Array.from([1, 2, 3]),
      loss: Float32Array.from([6.1, 6.0, 5.9]),
      mfLoss: Float32Array.from([7, 6.9, 6.8]),
      rankingLoss: Float32Array.from([0.7, 0.69, 0.68]),
      evals: [
        evalAt(0, 0, null),
        evalAt(2, 0.1, { auc: 0.61, weightedPerUserLoss: 0.4, loss: 0.5 }),
      ],
      examplesPerSec: 1000,
      stepsPerSec: 4,
    });
    const lines = historyCsv(h).trimEnd().split('\n');
    expect(lines[0].split(',')).toEqual(HISTORY_COLUMNS);
    expect(HISTORY_COLUMNS.length).toBe(4 + 12 + 4);
    expect(lines).toHaveLength(5);
    // Step 0: an evaluation before any training point; training cells empty.
    expect(lines[1]).toBe('0,,,,0,0,0,0,0,0,0.01,0.02,0.001,0.002,0.003,0.004,5.5,,,');
    expect(lines[2]).toBe('1,6.1,7,0.7,,,,,,,,,,,,,,,,');
    expect(lines[3]).toBe(
      '2,6,6.9,0.69,0.1,0.2,0.30000000000000004,0.4,0,0,0.01,0.02,0.001,0.002,0.003,0.004,5.4,0.61,0.4,0.5',
    );
    expect(lines[4].startsWith('3,5.9,6.8,0.68,')).toBe(true);
    for (const l of lines) expect(l.split(',')).toHaveLength(HISTORY_COLUMNS.length);
  });

  it('is a header alone before training', () => {
    expect(historyCsv(new MetricHistory())).toBe(HISTORY_COLUMNS.join(',') + '\n');
  });
});
