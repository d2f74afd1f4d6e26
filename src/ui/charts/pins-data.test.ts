import { describe, expect, it } from 'vitest';
import { MetricHistory } from '../../state/metric-history';
import { DEFAULT_TRAINING_PARAMS } from '../../state/training-settings';
import { copyHistory, pinLabel, pinsStore, MAX_PINS } from '../../state/pins-store';
import { PIN_COLOURS, withPinned } from './pins-data';
import { recallData } from './training-data';
import type { EvalPoint } from '../../state/protocol';

const evalAt = (step: number, r: number): EvalPoint => ({
  step,
  recall: [r, r, r, r],
  mfRecall: [0, 0, 0, 0],
  popularRecall: [0.01, 0.01, 0.01, 0.01],
  heldOutLoss: 5,
  ranking: null,
  ms: 1,
});

function history(steps: number, recall: number): MetricHistory {
  const h = new MetricHistory();
  h.append({
    steps: Int32Array.from({ length: steps }, (_, i) => i + 1),
    loss: new Float32Array(steps).fill(6),
    mfLoss: new Float32Array(steps).fill(7),
    rankingLoss: new Float32Array(steps).fill(0.7),
    evals: [evalAt(0, 0), evalAt(steps, recall)],
    examplesPerSec: 1,
    stepsPerSec: 1,
  });
  return h;
}

describe('pinned runs', () => {
  it('copies the history, so the live run going on does not change the pin', () => {
    const h = history(50, 0.1);
    const c = copyHistory(h);
    h.truncate(0);
    expect(c.lastStep).toBe(50);
    expect(c.evals.at(-1)!.recall[2]).toBe(0.1);
  });

  it('labels a pin with the knobs that differ from the live run', () => {
    const live = DEFAULT_TRAINING_PARAMS;
    const pin = {
      id: 2,
      params: { ...live, negatives: 64, logQ: !live.logQ },
      world: 'w',
      history: new MetricHistory(),
      step: 0,
    };
    expect(pinLabel(pin, live, 'w')).toBe(
      `pinned 2: negatives 64, logQ ${live.logQ ? 'off' : 'on'}`,
    );
    expect(pinLabel({ ...pin, params: live }, live, 'w')).toBe('pinned 2 (same knobs)');
    expect(pinLabel({ ...pin, params: live }, live, 'other')).toBe('pinned 2: another world');
  });

  it('adds each pin’s main curve, dashed in its colour, and widens the x range to it', () => {
    const live = recallData(history(50, 0.1));
    const pinned = recallData(history(200, 0.3));
    const data = withPinned(live, [{ label: 'pinned 1: negatives 64', data: pinned }]);
    expect(data.series).toHaveLength(live.series.length + 1);
    const extra = data.series.at(-1)!;
    expect(extra).toMatchObject({
      label: 'pinned 1: negatives 64',
      colour: PIN_COLOURS[0],
      dashed: true,
    });
    expect(extra.points).toEqual([
      [0, 0],
      [200, 0.3],
    ]);
    expect(data.minXMax).toBe(200);
    expect(withPinned(live, [])).toBe(live);
  });

  it('keeps at most MAX_PINS pins, dropping the oldest', () => {
    for (let i = 0; i < MAX_PINS + 2; i++)
      pinsStore.getState().pin(history(10, 0.1), DEFAULT_TRAINING_PARAMS, 'w');
    const ids = pinsStore.getState().pins.map((p) => p.id);
    expect(ids).toHaveLength(MAX_PINS);
    expect(ids[0]).toBe(3);
    pinsStore.getState().unpin(ids[0]);
    expect(pinsStore.getState().pins.map((p) => p.id)).toEqual(ids.slice(1));
  });
});
