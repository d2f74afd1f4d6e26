import { describe, expect, it } from 'vitest';
import { defaultTrainingParams } from '../params/training';
import {
  abArmRefs,
  abArms,
  armRefs,
  checkAbSettings,
  defaultAbSettings,
  parseAb,
} from './ab-settings';

describe('A/B arms', () => {
  it('reads a preset or two lesson variants, in full', () => {
    expect(parseAb('negatives')).toBe('negatives');
    expect(parseAb(' weighting ')).toBe('weighting');
    expect(parseAb('watch-time:ctr,weighted')).toBe('watch-time:ctr,watch-time:weighted');
    expect(parseAb('logq:on, negatives:k8')).toBe('logq:on,negatives:k8');
    expect(abArmRefs('weighting')).toBeNull();
    expect(abArmRefs('logq:on,negatives:k8')).toEqual([
      { lesson: 'logq', variant: 'on' },
      { lesson: 'negatives', variant: 'k8' },
    ]);
    // Every variant of every lesson but the loop lesson can be an arm.
    expect(armRefs()).toContain('ranking-towers:128-64-32');
    expect(armRefs().some((r) => r.startsWith('feedback-loop:'))).toBe(false);
  });

  it('refuses a bad choice, naming the part and what is allowed', () => {
    expect(() => parseAb('both')).toThrow(
      'ab must be negatives, weighting, or two lesson variants as lesson:variant,lesson:variant',
    );
    expect(() => parseAb('logq:on')).toThrow('ab must be negatives, weighting');
    expect(() => parseAb('nope:a,b')).toThrow('ab: no lesson "nope" (lessons: logq, negatives');
    expect(() => parseAb('logq:on,maybe')).toThrow(
      'ab: lesson logq has no variant "maybe" (its variants: off, on)',
    );
    expect(() => parseAb('feedback-loop:model,frozen')).toThrow('policies of the loop');
    expect(() => parseAb('logq:on,on')).toThrow('ab needs two different arms (got logq:on twice)');
  });

  it('gives each lesson arm the defaults, then its lesson’s base, then its variant', () => {
    const d = defaultTrainingParams();
    const [a, b] = abArms('negatives:k8,k512', 2000);
    expect(a.params).toEqual({
      ...d,
      sampler: 'popularity',
      logQ: true,
      batch: 128,
      negatives: 8,
    });
    expect(b.params.negatives).toBe(512);
    expect(a.label).toBe('K = 8 (negatives)');
    expect(a.ref).toBe('negatives:k8');
    const [h, n] = abArms('labels:heldout,next', 2000);
    expect([h.params.label, n.params.label]).toEqual(['heldout', 'next']);
    const [c, w] = abArms('watch-time:ctr,weighted', 2000);
    expect([c.params.weighting, w.params.weighting]).toEqual(['unweighted', 'weighted']);
    // The presets are as before.
    expect(abArms('negatives', 400).map((x) => x.params.negatives)).toEqual([8, 200]);
    expect(abArms('weighting', 2000)[0].label).toBe('CTR ranker (unweighted)');
  });

  it('checks the settings: a full ab, and arms that fit the world', () => {
    const s = defaultAbSettings();
    expect(checkAbSettings({ ...s, ab: 'logq:off,on' }).ab).toBe('logq:off,logq:on');
    expect(() => checkAbSettings({ ...s, ab: 'negatives:k8,k512', videos: 500 })).toThrow(
      'arm negatives:k512 samples 512 negatives, which needs more than 512 videos (videos is 500)',
    );
    expect(() => checkAbSettings({ ...s, abDays: 11 })).toThrow(
      'abDays must be an integer from 1 to 10',
    );
  });
});
