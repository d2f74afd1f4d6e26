import { describe, expect, it } from 'vitest';
import { FORBIDDEN_KEYS, cut, parseHash, serializeHash, type HashTable } from './url-hash';

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

  it('names no fallback value for a row without a default', () => {
    const table: HashTable<{ n: number }> = {
      n: {
        always: false,
        parse: () => {
          throw new Error('n is bad');
        },
        format: String,
      },
    };
    expect(parseHash('n=1', table)).toEqual({
      values: {},
      problems: [{ key: 'n', message: 'n is bad in the URL; using the default' }],
    });
  });

  it('reports and ignores unknown keys', () => {
    const { values, problems } = parseHash('#size=3&colour=red', TABLE);
    expect(values).toEqual({ size: 3 });
    expect(problems).toEqual([
      { key: 'colour', message: 'unknown setting "colour" in the URL, ignored' },
    ]);
  });

  it('leaves the keys of other tables alone, or every unknown key when asked', () => {
    expect(parseHash('#size=3&colour=red&zoom=2', TABLE, { otherKeys: ['colour'] })).toEqual({
      values: { size: 3 },
      problems: [{ key: 'zoom', message: 'unknown setting "zoom" in the URL, ignored' }],
    });
    expect(parseHash('#size=3&colour=red&zoom=2', TABLE, { ignoreUnknown: true })).toEqual({
      values: { size: 3 },
      problems: [],
    });
    // Bad values are still reported when unknown keys are not.
    expect(parseHash('#size=0&zoom=2', TABLE, { ignoreUnknown: true }).problems).toHaveLength(1);
  });

  it('cuts a long unknown key in the report', () => {
    const key = 'k'.repeat(10_000);
    const { problems } = parseHash(`${key}=1`, TABLE);
    expect(problems).toHaveLength(1);
    expect(problems[0].key).toBe(cut(key));
    expect(problems[0].message.length).toBeLessThan(150);
  });

  it('refuses keys that would reach an object’s prototype', () => {
    expect([...FORBIDDEN_KEYS].sort()).toEqual(['__proto__', 'constructor', 'prototype']);
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const { values, problems } = parseHash('#__proto__=1&constructor=x&prototype=y&size=4', TABLE);
    expect(values).toEqual({ size: 4 });
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(problems).toEqual([
      { key: '__proto__', message: 'the URL key "__proto__" is refused' },
      { key: 'constructor', message: 'the URL key "constructor" is refused' },
      { key: 'prototype', message: 'the URL key "prototype" is refused' },
    ]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  });

  it('URL-decodes values, and the last of repeated keys wins', () => {
    expect(parseHash('#label=caf%C3%A9%20%26%20co&size=2&size=4', TABLE).values).toEqual({
      size: 4,
      label: 'café & co',
    });
    expect(parseHash('#label=a+b', TABLE).values.label).toBe('a b');
  });
});

describe('cut', () => {
  it('keeps a short key and cuts a long one to 40 characters', () => {
    expect(cut('colour')).toBe('colour');
    expect(cut('k'.repeat(40))).toBe('k'.repeat(40));
    expect(cut('k'.repeat(41))).toBe(`${'k'.repeat(40)}… (41 characters)`);
  });
});

describe('serializeHash', () => {
  it('writes `always` keys (default when unset) and the set keys, in table order', () => {
    expect(serializeHash({}, TABLE)).toBe('size=10');
    expect(serializeHash({ label: 'x', size: 3 }, TABLE)).toBe('size=3&label=x');
    // A set key is written even when it equals its default: the link states what was chosen.
    expect(serializeHash({ size: 3, mode: 'fast' }, TABLE)).toBe('size=3&mode=fast');
  });

  it('leaves out keys not in the table', () => {
    const values = { size: 3, colour: 'red' } as Partial<Demo>;
    expect(serializeHash(values, TABLE)).toBe('size=3');
  });

  it('URL-encodes, and round-trips through parseHash', () => {
    const values: Demo = { size: 42, mode: 'slow', label: 'a&b=c #1' };
    const hash = serializeHash(values, TABLE);
    expect(hash).toBe('size=42&mode=slow&label=a%26b%3Dc%20%231');
    expect(parseHash(hash, TABLE)).toEqual({ values, problems: [] });
    expect(parseHash('#' + hash, TABLE).values).toEqual(values);
    const plus: Demo = { size: 1, mode: 'fast', label: '1+1 = 2 & café' };
    expect(parseHash(serializeHash(plus, TABLE), TABLE).values).toEqual(plus);
  });
});
