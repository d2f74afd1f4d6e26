import { describe, expect, it } from 'vitest';
import { DIVERGED_LOSS, divergedModel, divergenceMessage, lossFigure } from './divergence';

const fine = { loss: 5.2, mfLoss: 6.1, rankingLoss: 0.6 };

describe('divergedModel', () => {
  it('names the first model whose loss is not finite or too large', () => {
    expect(divergedModel(fine)).toBeNull();
    expect(divergedModel({ ...fine, rankingLoss: NaN })).toEqual({
      model: 'the ranker',
      loss: NaN,
    });
    expect(divergedModel({ ...fine, mfLoss: DIVERGED_LOSS })).toEqual({
      model: 'the factorisation baseline',
      loss: DIVERGED_LOSS,
    });
    expect(divergedModel({ ...fine, loss: Infinity, rankingLoss: NaN })?.model).toBe(
      'candidate generation',
    );
    expect(divergedModel({ ...fine, loss: DIVERGED_LOSS - 1 })).toBeNull();
  });
});

describe('divergenceMessage', () => {
  it('names the model and rounds the figure', () => {
    expect(divergenceMessage({ model: 'the ranker', loss: 12345.678912 }, 101, null)).toBe(
      "the ranker's loss diverged at step 101 (12346, at or above 10000): paused; lower the learning rate, then reset",
    );
    expect(divergenceMessage({ model: 'candidate generation', loss: NaN }, 7, 5)).toBe(
      "candidate generation's loss diverged at step 7 (NaN): paused; lower the learning rate, then reset or resume from the snapshot of step 5",
    );
  });

  it('lossFigure writes large, infinite and missing figures shortly', () => {
    expect(lossFigure(123456789.123)).toBe('1.23e+8');
    expect(lossFigure(Infinity)).toBe('infinite');
    expect(lossFigure(-Infinity)).toBe('minus infinite');
    expect(lossFigure(10000.4)).toBe('10000');
  });
});
