import { describe, expect, it } from 'vitest';
import {
  checkWorldParam,
  ConfigError,
  defaultWorldConfig,
  rangeMessage,
  validateWorldConfig,
  WORLD_PARAMS,
} from './config';
import { generateWorld } from './world';

/** Runs `f`, expects it to throw a ConfigError, and returns it. */
function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('world settings', () => {
  it('has the calibrated defaults (docs/design-notes.md#calibration)', () => {
    expect(defaultWorldConfig).toMatchObject({
      seed: 7,
      videos: 20000,
      users: 5000,
      topics: 50,
      latentDim: 16,
      zipfExponent: 1,
      days: 60,
      splitDay: 53,
    });
    for (const [k, spec] of Object.entries(WORLD_PARAMS)) {
      const d = defaultWorldConfig[k as keyof typeof defaultWorldConfig];
      expect(d, k).toBe(spec.default);
      expect(d, k).toBeGreaterThanOrEqual(spec.min);
      expect(d, k).toBeLessThanOrEqual(spec.max);
      if (spec.integer) expect(Number.isInteger(d), k).toBe(true);
    }
  });

  it('validates the defaults to themselves and fills splitDay from days', () => {
    expect(validateWorldConfig()).toEqual(defaultWorldConfig);
    expect(validateWorldConfig({}).splitDay).toBe(53);
    expect(validateWorldConfig({ days: 30 }).splitDay).toBe(23);
    expect(validateWorldConfig({ days: 7 }).splitDay).toBe(1);
    expect(validateWorldConfig({ days: 30, splitDay: 10 }).splitDay).toBe(10);
  });

  it('accepts numeric strings (URL, form, command line) and ignores undefined values', () => {
    const cfg = validateWorldConfig({ videos: '2500', zipfExponent: ' 1.25 ', users: undefined });
    expect(cfg.videos).toBe(2500);
    expect(cfg.zipfExponent).toBe(1.25);
    expect(cfg.users).toBe(5000);
  });

  it('accepts the ends of each range', () => {
    expect(validateWorldConfig({ videos: 100, users: 10, days: 7, seed: 0 })).toMatchObject({
      videos: 100,
      users: 10,
      days: 7,
      seed: 0,
    });
    expect(validateWorldConfig({ videos: 1000000, users: 100000, seed: 4294967295 }).videos).toBe(
      1000000,
    );
  });

  it('spells the range in one sentence', () => {
    expect(rangeMessage('videos')).toBe('videos must be an integer from 100 to 1000000');
    expect(rangeMessage('zipfExponent')).toBe('zipfExponent must be a number from 0.5 to 2');
  });

  it.each([
    [{ videos: 5 }, 'videos', 'videos must be an integer from 100 to 1000000'],
    [{ videos: 2000.5 }, 'videos', 'videos must be an integer from 100 to 1000000'],
    [{ users: 'abc' }, 'users', 'users must be an integer from 10 to 100000'],
    [{ users: '' }, 'users', 'users must be an integer from 10 to 100000'],
    [{ users: null }, 'users', 'users must be an integer from 10 to 100000'],
    [{ seed: -1 }, 'seed', 'seed must be an integer from 0 to 4294967295'],
    [{ seed: Number.NaN }, 'seed', 'seed must be an integer from 0 to 4294967295'],
    [{ days: 200 }, 'days', 'days must be an integer from 7 to 120'],
    [{ zipfExponent: 3 }, 'zipfExponent', 'zipfExponent must be a number from 0.5 to 2'],
    [
      { clickbaitShare: Infinity },
      'clickbaitShare',
      'clickbaitShare must be a number from 0 to 0.5',
    ],
    [{ days: 7, splitDay: 9 }, 'splitDay', 'splitDay must be an integer from 1 to days − 1 = 6'],
    [{ days: 30, splitDay: 30 }, 'splitDay', 'splitDay must be an integer from 1 to days − 1 = 29'],
  ] as [Record<string, unknown>, string, string][])(
    'rejects %o naming %s and its range',
    (settings, field, message) => {
      const e = configError(() => validateWorldConfig(settings));
      expect(e.field).toBe(field);
      expect(e.name).toBe('ConfigError');
      expect(e.message).toContain(message);
      // generateWorld validates first, with the same error.
      const g = configError(() => generateWorld(settings as never));
      expect(g.field).toBe(field);
      expect(g.message).toBe(e.message);
    },
  );

  it('says what it got', () => {
    expect(configError(() => validateWorldConfig({ videos: 5 })).message).toBe(
      'videos must be an integer from 100 to 1000000 (got 5)',
    );
    expect(configError(() => validateWorldConfig({ users: 'abc' })).message).toBe(
      'users must be an integer from 10 to 100000 (got "abc")',
    );
  });

  it('rejects an unknown key, naming it and the known ones', () => {
    const e = configError(() => validateWorldConfig({ vidoes: 2000 }));
    expect(e.field).toBe('vidoes');
    expect(e.message).toContain('unknown world setting "vidoes"');
    expect(e.message).toContain('videos');
    expect(configError(() => generateWorld({ colour: 1 } as never)).field).toBe('colour');
  });

  it('rejects keys inherited from Object.prototype as unknown', () => {
    // From a URL such as ?toString=5 or ?constructor=1: not world settings.
    for (const k of ['toString', 'constructor', 'hasOwnProperty']) {
      const e = configError(() => validateWorldConfig({ [k]: 5 }));
      expect(e.field).toBe(k);
      expect(e.message).toContain('unknown world setting');
    }
  });

  it('checks one value at a time', () => {
    expect(checkWorldParam('days', '30')).toBe(30);
    expect(checkWorldParam('searchRate', 0)).toBe(0);
    expect(() => checkWorldParam('searchRate', 1.01)).toThrow(ConfigError);
    expect(() => checkWorldParam('impressionsPerSession', 3)).toThrow(
      'impressionsPerSession must be an integer from 4 to 30',
    );
  });
});
