import { describe, expect, it } from 'vitest';
import type { TrainingParams } from '../protocol/params';
import {
  DEFAULT_TRAINING_PARAMS,
  LIVE_KEYS,
  STRUCTURAL_KEYS,
  TRAINING_KEYS,
  TRAINING_PARAMS,
  changedKeys,
  effectiveParams,
  formatTrainingValue,
  parseTrainingField,
  trainingRow,
} from './training-settings';

describe('training settings', () => {
  it('has a row, a default and a range for every hyperparameter', () => {
    expect(TRAINING_KEYS).toEqual([
      'lr',
      'batch',
      'negatives',
      'sampler',
      'alpha',
      'logQ',
      'accidentalHits',
      'label',
      'perUserCap',
      'depth',
      'width',
      'features',
      'videoVocab',
      'tokenVocab',
      'embeddingWidths',
      'embeddings',
      'weighting',
      'odds',
      'rankingLr',
      'rankingHidden',
      'powers',
      'rankingFeatures',
      'trainSeed',
      'backend',
    ]);
    for (const k of TRAINING_KEYS) {
      const row = trainingRow(k);
      expect(row).toBe(TRAINING_PARAMS[k]);
      expect(row.range, k).not.toBe('');
      // The default parses back to itself.
      expect(row.parse(row.format(row.default)), k).toEqual(row.default);
      expect(DEFAULT_TRAINING_PARAMS[k], k).toEqual(row.default);
    }
    expect([...LIVE_KEYS, ...STRUCTURAL_KEYS].sort()).toEqual([...TRAINING_KEYS].sort());
  });

  it('effective parameters are the defaults overlaid with what was set', () => {
    expect(effectiveParams({})).toEqual(DEFAULT_TRAINING_PARAMS);
    expect(effectiveParams({ negatives: 64 })).toEqual({
      ...DEFAULT_TRAINING_PARAMS,
      negatives: 64,
    });
    const set: Partial<TrainingParams> = {
      sampler: 'in-batch',
      features: { searches: false, demographics: true, exampleAge: false },
      rankingHidden: [32],
    };
    expect(effectiveParams(set)).toEqual({ ...DEFAULT_TRAINING_PARAMS, ...set });
    expect(changedKeys(DEFAULT_TRAINING_PARAMS, effectiveParams(set))).toEqual([
      'sampler',
      'features',
      'rankingHidden',
    ]);
  });

  it('effective parameters are deep copies (of the defaults and of what was set)', () => {
    const a = effectiveParams({});
    expect(a.features).not.toBe(DEFAULT_TRAINING_PARAMS.features);
    expect(a.rankingHidden).not.toBe(DEFAULT_TRAINING_PARAMS.rankingHidden);
    a.features.searches = false;
    a.rankingHidden.push(8);
    expect(DEFAULT_TRAINING_PARAMS.features.searches).toBe(true);
    expect(DEFAULT_TRAINING_PARAMS.rankingHidden).toEqual([128, 64, 32]);
    expect(TRAINING_PARAMS.features.default.searches).toBe(true);
    expect(TRAINING_PARAMS.rankingHidden.default).toEqual([128, 64, 32]);

    const set: Partial<TrainingParams> = {
      features: { searches: true, demographics: false, exampleAge: false },
      rankingHidden: [16],
    };
    const b = effectiveParams(set);
    expect(b.features).not.toBe(set.features);
    expect(b.rankingHidden).not.toBe(set.rankingHidden);
    b.features.demographics = true;
    b.rankingHidden.push(4);
    expect(set).toEqual({
      features: { searches: true, demographics: false, exampleAge: false },
      rankingHidden: [16],
    });
  });

  it('checks a control’s text, naming the field and range', () => {
    expect(parseTrainingField('batch', '12.5')).toEqual({
      ok: false,
      message: 'batch must be an integer from 8 to 4096 (got "12.5")',
    });
    expect(parseTrainingField('negatives', '0')).toEqual({
      ok: false,
      message: 'negatives must be an integer from 1 to 8192 (got "0")',
    });
    expect(parseTrainingField('lr', '')).toEqual({
      ok: false,
      message: 'lr must be a number from 0.00001 to 1 (got "")',
    });
    expect(parseTrainingField('depth', 'abc')).toEqual({
      ok: false,
      message: 'depth must be an integer from 0 to 4 (got "abc")',
    });
    expect(parseTrainingField('sampler', 'random')).toEqual({
      ok: false,
      message:
        'sampler must be one of uniform, popularity, log-uniform, in-batch, full (got "random")',
    });
    expect(parseTrainingField('rankingHidden', '64,,32')).toEqual({
      ok: false,
      message:
        'rankingHidden must be a comma list of up to 4 integers from 1 to 2048, or none (got "64,,32")',
    });
  });

  it('trims a control’s text and parses every kind', () => {
    expect(parseTrainingField('alpha', ' 1.5 ')).toEqual({ ok: true, value: 1.5 });
    expect(parseTrainingField('batch', '8')).toEqual({ ok: true, value: 8 });
    expect(parseTrainingField('negatives', '8192')).toEqual({ ok: true, value: 8192 });
    expect(parseTrainingField('logQ', 'off')).toEqual({ ok: true, value: false });
    expect(parseTrainingField('sampler', 'full')).toEqual({ ok: true, value: 'full' });
    expect(parseTrainingField('features', 'searches')).toEqual({
      ok: true,
      value: { searches: true, demographics: false, exampleAge: false },
    });
    expect(parseTrainingField('rankingHidden', ' 64,32 ')).toEqual({ ok: true, value: [64, 32] });
    expect(parseTrainingField('trainSeed', '4294967295')).toEqual({ ok: true, value: 4294967295 });
  });

  it('cuts a long bad value in the message', () => {
    const r = parseTrainingField('negatives', '5'.repeat(10_000));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message.length).toBeLessThan(200);
    expect(r.message).toContain('negatives must be an integer from 1 to 8192');
  });

  it('formats a value as its control shows it, and reads it back', () => {
    expect(formatTrainingValue('lr', 0.005)).toBe('0.005');
    expect(formatTrainingValue('logQ', true)).toBe('on');
    expect(
      formatTrainingValue('features', { searches: false, demographics: false, exampleAge: false }),
    ).toBe('none');
    expect(formatTrainingValue('rankingHidden', [])).toBe('none');
    expect(formatTrainingValue('rankingHidden', [64, 32])).toBe('64,32');
    for (const k of TRAINING_KEYS) {
      const v = DEFAULT_TRAINING_PARAMS[k];
      expect(parseTrainingField(k, formatTrainingValue(k, v)), k).toEqual({ ok: true, value: v });
    }
  });
});
