import { describe, expect, it } from 'vitest';
import { parseHash, serializeHash, type HashTable } from './url-hash';

interface Demo {
  size: number;
  mode: 'fast' | 'slow';
  label: string;
}

/** A small table with one `always` number, one enum and one optional string. */
const TABLE: HashTable<Demo> = {
  size: {
    always: true,
    default: 10,
    parse: (raw) => {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isInteger(n) || n < 1 || n > 99) {
        throw new Error(`size must be an integer from 1 to 99 (got ${JSON.stringify(raw)})`);
      }
      return n;
    },
    format: String,
  },
  mode: {
    always: false,
    default: 'fast',
    parse: (raw) => {
      if (raw !== 'fast' && raw !== 'slow')
        throw new Error(`mode must be one of fast, slow (got ${JSON.stringify(raw)})`);
      return raw;
    },
    format: (v) => v,
  },
  label: { always: false, parse: (raw) => raw, format: (v) => v },
};

describe('parseHash', () => {
  it('reads valid values, with or without the leading #', () => {
    expect(parseHash('#size=5&mode=slow&label=a b', TABLE)).toEqual({
      values: { size: 5, mode: 'slow', label: 'a b' },
      problems: [],
    });
    expect(parseHash('size=7', TABLE).values).toEqual({ size: 7 });
  });

  it('fills an absent `always` key with its default and leaves optional keys unset', () => {
    expect(parseHash('', TABLE)).toEqual({ values: { size: 10 }, problems: [] });
    expect(parseHash('#', TABLE)).toEqual({ values: { size: 10 }, problems: [] });
  });

  it('reports an invalid value naming the key and range, and falls back to the default', () => {
    const { values, problems } = parseHash('#size=abc&mode=medium', TABLE);
    expect(values).toEqual({ size: 10 });
    expect(problems).toEqual([
      {
        key: 'size',
        message:
          'size must be an integer from 1 to 99 (got "abc") in the URL; using the default 10',
      },
      {
        key: 'mode',
        message: 'mode must be one of fast, slow (got "medium") in the URL; using the default fast',
      },
    ]);
  });

  it('reports and ignores unknown keys', () => {
    const { values, problems } = parseHash('#size=3&colour=red', TABLE);
    expect(values).toEqual({ size: 3 });
    expect(problems).toHaveLength(1);
    expect(problems[0].key).toBe('colour');
    expect(problems[0].message).toContain('unknown setting "colour"');
    expect(problems[0].message).toContain('size, mode, label');
  });

  it('URL-decodes values, and the last of repeated keys wins', () => {
    expect(parseHash('#label=caf%C3%A9%20%26%20co&size=2&size=4', TABLE).values).toEqual({
      size: 4,
      label: 'café & co',
    });
  });
});

describe('serializeHash', () => {
  it('writes `always` keys (default when unset) and the set keys, in table order', () => {
    expect(serializeHash({}, TABLE)).toBe('size=10');
    expect(serializeHash({ label: 'x', size: 3 }, TABLE)).toBe('size=3&label=x');
    // A set key is written even when it equals its default: the link states what was chosen.
    expect(serializeHash({ size: 3, mode: 'fast' }, TABLE)).toBe('size=3&mode=fast');
  });

  it('URL-encodes, and round-trips through parseHash', () => {
    const values: Demo = { size: 42, mode: 'slow', label: 'a&b=c #1' };
    const hash = serializeHash(values, TABLE);
    expect(hash).toBe('size=42&mode=slow&label=a%26b%3Dc%20%231');
    expect(parseHash(hash, TABLE)).toEqual({ values, problems: [] });
    expect(parseHash('#' + hash, TABLE).values).toEqual(values);
  });
});
