import { describe, expect, it } from 'vitest';
import {
  ALWAYS_SET,
  DEFAULT_WORLD_SETTINGS,
  WORLD_HASH_TABLE,
  WORLD_KEYS,
  WORLD_PARAMS,
  crossCheckWorld,
  draftFrom,
  rangeMessage,
  validateWorldDraft,
} from './world-settings';
import { parseHash, serializeHash } from './url-hash';

describe('the world hash table', () => {
  it('has one row per world setting; seed and sizes always written', () => {
    expect(Object.keys(WORLD_HASH_TABLE)).toEqual(WORLD_KEYS);
    expect(WORLD_KEYS).toEqual(Object.keys(WORLD_PARAMS));
    expect([...ALWAYS_SET]).toEqual(['seed', 'videos', 'users']);
    for (const k of WORLD_KEYS) {
      const row = WORLD_HASH_TABLE[k];
      expect(row.always, k).toBe((ALWAYS_SET as readonly string[]).includes(k));
      // splitDay's default follows days, so it has no fixed fallback.
      expect(row.default, k).toBe(k === 'splitDay' ? undefined : WORLD_PARAMS[k].default);
      expect(row.parse(String(WORLD_PARAMS[k].default)), k).toBe(WORLD_PARAMS[k].default);
    }
    expect(DEFAULT_WORLD_SETTINGS).toEqual({ seed: 7, videos: 20000, users: 5000 });
  });

  it('reads and writes seed and sizes always, other settings only when set', () => {
    expect(parseHash('', WORLD_HASH_TABLE).values).toEqual(DEFAULT_WORLD_SETTINGS);
    expect(serializeHash(DEFAULT_WORLD_SETTINGS, WORLD_HASH_TABLE)).toBe(
      'seed=7&videos=20000&users=5000',
    );
    const s = { seed: 9, videos: 1000, users: 200, clickbaitShare: 0.2, days: 30 };
    const hash = serializeHash(s, WORLD_HASH_TABLE);
    expect(hash).toBe('seed=9&videos=1000&users=200&days=30&clickbaitShare=0.2');
    expect(parseHash(hash, WORLD_HASH_TABLE)).toEqual({ values: s, problems: [] });
  });

  it('names the field and range of a bad value, with the messages of the rows', () => {
    const { values, problems } = parseHash('#videos=abc&users=1000', WORLD_HASH_TABLE);
    expect(values).toEqual({ seed: 7, videos: 20000, users: 1000 });
    expect(problems).toEqual([
      {
        key: 'videos',
        message:
          'videos must be an integer from 100 to 1000000 (got "abc") in the URL; using the default 20000',
      },
    ]);
    expect(parseHash('#splitDay=0', WORLD_HASH_TABLE).problems[0].message).toBe(
      'splitDay must be an integer from 1 to 119 (got "0") in the URL; using the default',
    );
  });

  it('uses the same range words as the world generator', () => {
    for (const k of WORLD_KEYS)
      expect(() => WORLD_HASH_TABLE[k].parse('x'), k).toThrow(`${rangeMessage(k)} (got "x")`);
  });
});

describe('crossCheckWorld (splitDay < days)', () => {
  it('keeps valid settings as they are', () => {
    expect(
      crossCheckWorld({ ...DEFAULT_WORLD_SETTINGS, days: 20, splitDay: 19 }, '', false),
    ).toEqual({
      settings: { ...DEFAULT_WORLD_SETTINGS, days: 20, splitDay: 19 },
      problems: [],
    });
    expect(crossCheckWorld(DEFAULT_WORLD_SETTINGS, ' in the URL', true)).toEqual({
      settings: DEFAULT_WORLD_SETTINGS,
      problems: [],
    });
  });

  it('drops splitDay when it is not before days, naming the rule', () => {
    const input = { ...DEFAULT_WORLD_SETTINGS, days: 20, splitDay: 30 };
    const { settings, problems } = crossCheckWorld(input, ' in the URL', true);
    expect(settings).toEqual({ ...DEFAULT_WORLD_SETTINGS, days: 20 });
    expect(problems).toEqual([
      {
        key: 'splitDay',
        message:
          'splitDay must be an integer from 1 to days − 1 = 19 in the URL; using the default',
      },
    ]);
    // The input is not changed.
    expect(input.splitDay).toBe(30);
    expect(crossCheckWorld(input, '', false).problems[0].message).toBe(
      'splitDay must be an integer from 1 to days − 1 = 19',
    );
  });

  it('checks splitDay against the default days when days is unset', () => {
    const { settings, problems } = crossCheckWorld(
      { ...DEFAULT_WORLD_SETTINGS, splitDay: 60 },
      '',
      false,
    );
    expect(settings).toEqual(DEFAULT_WORLD_SETTINGS);
    expect(problems.map((p) => p.key)).toEqual(['splitDay']);
    expect(problems[0].message).toContain('days − 1 = 59');
  });
});

describe('the world form', () => {
  it('shows the settings as text, blank when unset', () => {
    const draft = draftFrom({ ...DEFAULT_WORLD_SETTINGS, zipfExponent: 1.25 });
    expect(Object.keys(draft)).toEqual(WORLD_KEYS);
    expect(draft.seed).toBe('7');
    expect(draft.videos).toBe('20000');
    expect(draft.zipfExponent).toBe('1.25');
    expect(draft.days).toBe('');
  });

  it('accepts valid text and leaves blank optional fields unset', () => {
    const draft = { ...draftFrom(DEFAULT_WORLD_SETTINGS), seed: ' 42 ', videos: '5000' };
    expect(draft.days).toBe('');
    expect(validateWorldDraft(draft)).toEqual({
      ok: true,
      settings: { seed: 42, videos: 5000, users: 5000 },
    });
    expect(validateWorldDraft({ ...draft, days: '30', zipfExponent: '0.5' })).toEqual({
      ok: true,
      settings: { seed: 42, videos: 5000, users: 5000, days: 30, zipfExponent: 0.5 },
    });
  });

  it('reports every bad field with its range, in table order', () => {
    const draft = { ...draftFrom(DEFAULT_WORLD_SETTINGS), videos: '5', users: 'abc', seed: '' };
    const result = validateWorldDraft(draft);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.key)).toEqual(['seed', 'videos', 'users']);
    expect(result.problems[0].message).toBe(
      'seed must be an integer from 0 to 4294967295 (got "")',
    );
    expect(result.problems[1].message).toBe(
      'videos must be an integer from 100 to 1000000 (got "5")',
    );
    expect(result.problems[2].message).toBe(
      'users must be an integer from 10 to 100000 (got "abc")',
    );
  });

  it('a missing seed or size is an error; a missing optional field is not', () => {
    const result = validateWorldDraft({});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.key)).toEqual(['seed', 'videos', 'users']);
    expect(validateWorldDraft({ seed: '1', videos: '100', users: '10' })).toEqual({
      ok: true,
      settings: { seed: 1, videos: 100, users: 10 },
    });
  });

  it('reports a bad optional field', () => {
    const result = validateWorldDraft({ ...draftFrom(DEFAULT_WORLD_SETTINGS), zipfExponent: '3' });
    expect(result).toEqual({
      ok: false,
      problems: [
        { key: 'zipfExponent', message: 'zipfExponent must be a number from 0.5 to 2 (got "3")' },
      ],
    });
  });

  it('applies the cross-field rule', () => {
    const draft = { ...draftFrom(DEFAULT_WORLD_SETTINGS), days: '10', splitDay: '12' };
    const result = validateWorldDraft(draft);
    expect(result).toEqual({
      ok: false,
      problems: [
        { key: 'splitDay', message: 'splitDay must be an integer from 1 to days − 1 = 9' },
      ],
    });
  });
});
