import { describe, expect, it } from 'vitest';
import {
  DIVERGED_LOSS,
  DivergedError,
  checkLoss,
  divergedModel,
  divergenceMessage,
  lossFigure,
} from './divergence';

const fine = { loss: 5.2, mfLoss: 6.1, rankingLoss: 0.6, twinLoss: 0.5 };

describe('divergedModel', () => {
  it('names the first model whose loss is not finite or too large', () => {
    expect(divergedModel(fine)).toBeNull();
    expect(divergedModel({ ...fine, rankingLoss: NaN })).toEqual({
      model: 'the weighted ranker',
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

  it('checks both rankers, named by their weighting', () => {
    expect(divergedModel({ ...fine, twinLoss: NaN })?.model).toBe('the unweighted ranker (CTR)');
    expect(divergedModel({ ...fine, twinLoss: NaN }, false)?.model).toBe('the weighted ranker');
    expect(divergedModel({ ...fine, rankingLoss: Infinity }, false)?.model).toBe(
      'the unweighted ranker (CTR)',
    );
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

describe('checkLoss (the command line)', () => {
  it('throws a DivergedError naming the model and the step, and passes a fine loss', () => {
    expect(() => checkLoss('the weighted ranker', 4, 0.7)).not.toThrow();
    const e = (() => {
      try {
        checkLoss('the weighted ranker', 4, -Infinity);
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(DivergedError);
    expect((e as DivergedError).message).toBe(
      "the weighted ranker's loss diverged at step 4 (minus infinite)",
    );
    expect((e as DivergedError).step).toBe(4);
  });
});
