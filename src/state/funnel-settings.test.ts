import { describe, expect, it } from 'vitest';
import { FUNNEL_NS } from '../protocol';
import {
  DEFAULT_FUNNEL,
  FUNNEL_K_MAX,
  FUNNEL_KEYS,
  funnelHash,
  parseFunnelK,
  parseFunnelN,
  readFunnelHash,
} from './funnel-settings';
import { appHash, NON_WORLD_KEYS, readTrainingHash } from './training-settings';
import { DEFAULT_WORLD_SETTINGS, readWorldHash } from './world-settings';

const N_LIST = '10, 20, 50, 100, 200, 500, 1000, 2000';

describe('funnel settings in the URL hash', () => {
  it('has the documented defaults and keys', () => {
    expect(DEFAULT_FUNNEL).toEqual({ funnelN: 100, funnelK: 10 });
    expect(FUNNEL_K_MAX).toBe(50);
    expect(FUNNEL_KEYS).toEqual(['funnelN', 'funnelK']);
    expect(FUNNEL_NS.join(', ')).toBe(N_LIST);
  });

  it('reads what is set and writes it back (round trip)', () => {
    const read = readFunnelHash('#seed=7&funnelN=2000&funnelK=5&view=funnel');
    expect(read).toEqual({ settings: { funnelN: 2000, funnelK: 5 }, problems: [] });
    expect(funnelHash(read.settings)).toBe('funnelN=2000&funnelK=5');
    expect(readFunnelHash(funnelHash(read.settings)).settings).toEqual(read.settings);
    for (const n of FUNNEL_NS) {
      expect(readFunnelHash(funnelHash({ funnelN: n })).settings, String(n)).toEqual({
        funnelN: n,
      });
    }
    for (const k of [1, 7, 50]) {
      expect(readFunnelHash(`funnelK=${k}`).settings.funnelK, String(k)).toBe(k);
    }
  });

  it('writes nothing that was not set, and reads nothing from an empty hash', () => {
    expect(funnelHash({})).toBe('');
    expect(funnelHash({ funnelK: 3 })).toBe('funnelK=3');
    expect(funnelHash({ funnelN: 50 })).toBe('funnelN=50');
    expect(readFunnelHash('')).toEqual({ settings: {}, problems: [] });
    expect(readFunnelHash('#seed=7&videos=500&users=100')).toEqual({
      settings: {},
      problems: [],
    });
  });

  it('names funnelN and its allowed values for a value not in the list, and uses the default', () => {
    for (const raw of ['300', 'abc', '', '100.5', '-10']) {
      const { settings, problems } = readFunnelHash(`funnelN=${raw}&funnelK=4`);
      expect(settings, raw).toEqual({ funnelK: 4 });
      expect(problems, raw).toEqual([
        {
          key: 'funnelN',
          message: `funnelN must be one of ${N_LIST} (got ${JSON.stringify(raw)}) in the URL; using the default 100`,
        },
      ]);
    }
  });

  it('names funnelK and its range for 0, 51, 2.5 and empty, and uses the default', () => {
    for (const raw of ['0', '51', '2.5', '', 'abc', '-1', 'Infinity']) {
      const { settings, problems } = readFunnelHash(`funnelN=20&funnelK=${raw}`);
      expect(settings, raw).toEqual({ funnelN: 20 });
      expect(problems, raw).toEqual([
        {
          key: 'funnelK',
          message: `funnelK must be an integer from 1 to 50 (got ${JSON.stringify(raw)}) in the URL; using the default 10`,
        },
      ]);
    }
  });

  it('the parsers throw naming the key and accept the bounds', () => {
    expect(parseFunnelN('10')).toBe(10);
    expect(parseFunnelN('2000')).toBe(2000);
    expect(() => parseFunnelN('300')).toThrow(`funnelN must be one of ${N_LIST} (got "300")`);
    expect(parseFunnelK('1')).toBe(1);
    expect(parseFunnelK('50')).toBe(50);
    expect(() => parseFunnelK('0')).toThrow('funnelK must be an integer from 1 to 50 (got "0")');
    expect(() => parseFunnelK('51')).toThrow('funnelK must be an integer from 1 to 50');
    expect(() => parseFunnelK('2.5')).toThrow('funnelK must be an integer from 1 to 50');
    expect(() => parseFunnelK('  ')).toThrow('funnelK must be an integer from 1 to 50');
  });

  it('both bad values are reported, each naming its key', () => {
    const { settings, problems } = readFunnelHash('funnelN=300&funnelK=0');
    expect(settings).toEqual({});
    expect(problems.map((p) => p.key)).toEqual(['funnelN', 'funnelK']);
  });

  it('the world and training readers leave the funnel keys alone', () => {
    expect(NON_WORLD_KEYS).toEqual(expect.arrayContaining(['funnelN', 'funnelK']));
    const world = readWorldHash('#seed=3&funnelN=300&funnelK=5', NON_WORLD_KEYS);
    expect(world.problems).toEqual([]);
    expect(world.settings.seed).toBe(3);
    const training = readTrainingHash('#funnelN=300&funnelK=5');
    expect(training.problems).toEqual([]);
    expect(training.settings).toEqual({});
  });
});

describe('appHash with the funnel settings', () => {
  const world = DEFAULT_WORLD_SETTINGS;

  it('appends funnelN / funnelK only when set, after the view', () => {
    expect(appHash(world, {}, 'world')).toBe('seed=7&videos=20000&users=5000');
    expect(appHash(world, {}, 'world', {})).toBe('seed=7&videos=20000&users=5000');
    expect(appHash(world, {}, 'funnel', { funnelK: 5 })).toBe(
      'seed=7&videos=20000&users=5000&view=funnel&funnelK=5',
    );
    expect(appHash(world, { negatives: 32 }, 'funnel', { funnelN: 2000, funnelK: 5 })).toBe(
      'seed=7&videos=20000&users=5000&negatives=32&view=funnel&funnelN=2000&funnelK=5',
    );
    expect(appHash(world, {}, 'world', { funnelN: 500 })).toBe(
      'seed=7&videos=20000&users=5000&funnelN=500',
    );
  });

  it('a written hash reads back to the same funnel settings', () => {
    const hash = appHash(world, {}, 'funnel', { funnelN: 20, funnelK: 50 });
    expect(readFunnelHash(hash)).toEqual({ settings: { funnelN: 20, funnelK: 50 }, problems: [] });
  });
});
