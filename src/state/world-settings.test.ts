import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WORLD_SETTINGS,
  draftFrom,
  readWorldHash,
  validateWorldDraft,
  worldHash,
} from './world-settings';

describe('world settings in the URL hash', () => {
  it('reads seed and sizes, with defaults for the absent ones', () => {
    expect(readWorldHash('#seed=7&videos=5000&users=1000')).toEqual({
      settings: { seed: 7, videos: 5000, users: 1000 },
      problems: [],
    });
    expect(readWorldHash('')).toEqual({ settings: DEFAULT_WORLD_SETTINGS, problems: [] });
    expect(DEFAULT_WORLD_SETTINGS).toEqual({ seed: 7, videos: 20000, users: 5000 });
  });

  it('reads the other world settings when present, numbers as numbers', () => {
    const { settings, problems } = readWorldHash(
      '#seed=1&videos=300&users=50&days=30&zipfExponent=1.25',
    );
    expect(problems).toEqual([]);
    expect(settings).toEqual({ seed: 1, videos: 300, users: 50, days: 30, zipfExponent: 1.25 });
  });

  it('names the field and range of a bad value and uses the default', () => {
    const { settings, problems } = readWorldHash('#videos=abc&users=1000');
    expect(settings).toEqual({ seed: 7, videos: 20000, users: 1000 });
    expect(problems).toEqual([
      {
        key: 'videos',
        message:
          'videos must be an integer from 100 to 1000000 (got "abc") in the URL; using the default 20000',
      },
    ]);
  });

  it('rejects out-of-range, fractional and empty values', () => {
    for (const bad of [
      'videos=5',
      'videos=100.5',
      'videos=',
      'videos=-1',
      'videos=1e9',
      'videos=Infinity',
    ]) {
      const { settings, problems } = readWorldHash(bad);
      expect(settings.videos, bad).toBe(20000);
      expect(problems, bad).toHaveLength(1);
      expect(problems[0].message, bad).toContain('videos must be an integer from 100 to 1000000');
    }
    expect(readWorldHash('zipfExponent=3').problems[0].message).toContain(
      'zipfExponent must be a number from 0.5 to 2',
    );
  });

  it('drops a setting that breaks a cross-field rule (splitDay < days)', () => {
    const { settings, problems } = readWorldHash('#days=20&splitDay=30');
    expect(settings).toEqual({ ...DEFAULT_WORLD_SETTINGS, days: 20 });
    expect(problems).toHaveLength(1);
    expect(problems[0].key).toBe('splitDay');
    expect(problems[0].message).toContain('splitDay must be an integer from 1 to days − 1 = 19');
  });

  it('reports unknown keys', () => {
    const { settings, problems } = readWorldHash('#seed=3&colour=red');
    expect(settings.seed).toBe(3);
    expect(problems.map((p) => p.key)).toEqual(['colour']);
  });

  it('writes seed and sizes always, other settings only when set, and round-trips', () => {
    expect(worldHash(DEFAULT_WORLD_SETTINGS)).toBe('seed=7&videos=20000&users=5000');
    const s = { seed: 9, videos: 1000, users: 200, clickbaitShare: 0.2, days: 30 };
    expect(worldHash(s)).toBe('seed=9&videos=1000&users=200&days=30&clickbaitShare=0.2');
    expect(readWorldHash('#' + worldHash(s))).toEqual({ settings: s, problems: [] });
  });
});

describe('the world form', () => {
  it('accepts valid text and leaves blank optional fields unset', () => {
    const draft = { ...draftFrom(DEFAULT_WORLD_SETTINGS), seed: ' 42 ', videos: '5000' };
    expect(draft.days).toBe('');
    expect(validateWorldDraft(draft)).toEqual({
      ok: true,
      settings: { seed: 42, videos: 5000, users: 5000 },
    });
  });

  it('reports every bad field with its range', () => {
    const draft = { ...draftFrom(DEFAULT_WORLD_SETTINGS), videos: '5', users: 'abc', seed: '' };
    const result = validateWorldDraft(draft);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.key)).toEqual(['seed', 'videos', 'users']);
    expect(result.problems[1].message).toBe(
      'videos must be an integer from 100 to 1000000 (got "5")',
    );
    expect(result.problems[2].message).toBe(
      'users must be an integer from 10 to 100000 (got "abc")',
    );
  });

  it('applies the cross-field rule', () => {
    const draft = { ...draftFrom(DEFAULT_WORLD_SETTINGS), days: '10', splitDay: '12' };
    const result = validateWorldDraft(draft);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0].key).toBe('splitDay');
  });
});
