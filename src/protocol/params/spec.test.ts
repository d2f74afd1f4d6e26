import { describe, expect, it } from 'vitest';
import {
  SERVING_PARAMS,
  STUDY_PARAMS,
  TRAINING_KEYS,
  TRAINING_PARAMS,
  checkTrainingParams,
  checkValue,
  defaultTrainingParams,
  shownValue,
  trainingRow,
  type TrainingParams,
} from '.';

/** `p` with `key` set to a value of any type (as a message or a file may carry it). */
const withValue = (key: string, value: unknown): TrainingParams =>
  ({ ...defaultTrainingParams(), [key]: value }) as TrainingParams;

describe('checkValue refuses a value of the wrong type, naming the key and the range', () => {
  it('numbers given as text', () => {
    expect(checkValue(TRAINING_PARAMS.negatives, '64')).toBe(
      'negatives must be an integer from 1 to 8192 (got the text "64")',
    );
    expect(checkValue(TRAINING_PARAMS.lr, '0.01')).toBe(
      'lr must be a number from 0.00001 to 1 (got the text "0.01")',
    );
    expect(checkValue(SERVING_PARAMS.funnelN, '100')).toContain('funnelN must be one of');
    expect(checkValue(TRAINING_PARAMS.negatives, 64)).toBeNull();
  });

  it('booleans given as text or numbers', () => {
    expect(checkValue(TRAINING_PARAMS.logQ, 'no')).toBe(
      'logQ must be on or off (got the text "no")',
    );
    expect(checkValue(TRAINING_PARAMS.logQ, 1)).toBe('logQ must be on or off (got 1)');
    expect(checkValue(STUDY_PARAMS.studyLogQ, 'off')).toContain('studyLogQ must be on or off');
    expect(checkValue(TRAINING_PARAMS.logQ, false)).toBeNull();
  });

  it('sets that are null, lists, or records of other keys or types', () => {
    const range = 'a comma list of searches, demographics, exampleAge, or none';
    expect(checkValue(TRAINING_PARAMS.features, null)).toBe(`features must be ${range} (got null)`);
    expect(checkValue(TRAINING_PARAMS.features, ['searches'])).toBe(
      `features must be ${range} (got ["searches"])`,
    );
    expect(checkValue(TRAINING_PARAMS.features, 'searches')).toContain('features must be');
    const all = { searches: true, demographics: true, exampleAge: true };
    expect(checkValue(TRAINING_PARAMS.features, { ...all, likes: true })).toContain(
      'features must be',
    );
    expect(checkValue(TRAINING_PARAMS.features, { ...all, searches: 'yes' })).toContain(
      'features must be',
    );
    expect(checkValue(TRAINING_PARAMS.features, { searches: true })).toContain('features must be');
    expect(checkValue(TRAINING_PARAMS.features, all)).toBeNull();
  });

  it('lists that are not arrays of numbers, and text menus given numbers', () => {
    expect(checkValue(TRAINING_PARAMS.rankingHidden, '64,32')).toBe(
      'rankingHidden must be a comma list of up to 4 integers from 1 to 2048, or none (got the text "64,32")',
    );
    expect(checkValue(TRAINING_PARAMS.rankingHidden, ['64'])).toContain('rankingHidden must be');
    expect(checkValue(TRAINING_PARAMS.rankingHidden, [64, 32])).toBeNull();
    expect(checkValue(TRAINING_PARAMS.sampler, 3)).toBe(
      'sampler must be one of uniform, popularity, log-uniform, in-batch, full (got 3)',
    );
  });

  it('still checks the range of a value of the right type, and names a missing one', () => {
    expect(checkValue(TRAINING_PARAMS.negatives, 0)).toBe(
      'negatives must be an integer from 1 to 8192 (got "0")',
    );
    expect(checkValue(TRAINING_PARAMS.negatives, undefined)).toBe('negatives is missing');
  });

  it('accepts every default', () => {
    for (const k of TRAINING_KEYS)
      expect(checkValue(trainingRow(k), TRAINING_PARAMS[k].default), k).toBeNull();
  });
});

describe('checkTrainingParams', () => {
  it('refuses wrong-typed values that the old check let through', () => {
    expect(checkTrainingParams(withValue('logQ', 'no'))).toBe(
      'logQ must be on or off (got the text "no")',
    );
    expect(checkTrainingParams(withValue('negatives', '64'))).toBe(
      'negatives must be an integer from 1 to 8192 (got the text "64")',
    );
    expect(checkTrainingParams(withValue('features', null))).toMatch(
      /^features must be a comma list/,
    );
    expect(checkTrainingParams(withValue('batch', true))).toMatch(/^batch must be an integer/);
  });

  it('refuses what is not a record at all', () => {
    expect(checkTrainingParams(null as unknown as TrainingParams)).toBe(
      `the training settings must be a record of ${TRAINING_KEYS.length} knobs (got null)`,
    );
    expect(checkTrainingParams([] as unknown as TrainingParams)).toContain('must be a record');
  });

  it('does not read a key from the prototype', () => {
    const p: Partial<TrainingParams> = defaultTrainingParams();
    delete p.lr;
    const o = Object.create({ lr: 0.01 }) as TrainingParams;
    Object.assign(o, p);
    expect(checkTrainingParams(o)).toBe('lr is missing');
  });
});

describe('shownValue', () => {
  it('quotes text, writes other values as JSON, cut', () => {
    expect(shownValue('x')).toBe('the text "x"');
    expect(shownValue(null)).toBe('null');
    expect(shownValue(NaN)).toBe('NaN');
    expect(shownValue({ a: 1 })).toBe('{"a":1}');
    expect(shownValue(undefined)).toBe('undefined');
    expect(shownValue('y'.repeat(1000)).length).toBeLessThan(80);
    expect(shownValue(Array(100).fill(1)).length).toBeLessThan(50);
  });
});
