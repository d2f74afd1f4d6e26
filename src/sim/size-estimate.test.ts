import { describe, expect, it } from 'vitest';
import { ConfigError } from './config';
import {
  CONFIRM_ABOVE,
  MAX_LOG_ENTRIES,
  TAB_LIMITS,
  checkWorldSize,
  describeEstimate,
  estimateWorldSize,
  formatBytes,
  formatDuration,
  meanActivity,
  sizeProblem,
} from './size-estimate';
import type { World } from './types';
import { generateWorld } from './world';

/** Bytes of every typed array of a world. */
function bytesOf(o: unknown, seen = new Set<unknown>()): number {
  if (o === null || typeof o !== 'object' || seen.has(o)) return 0;
  seen.add(o);
  if (ArrayBuffer.isView(o)) return o.byteLength;
  let b = 0;
  for (const v of Object.values(o as object)) b += bytesOf(v, seen);
  return b;
}

const LARGEST = { videos: 1_000_000, users: 100_000 };
const ALL_MAX = {
  videos: 1_000_000,
  users: 100_000,
  days: 120,
  sessionsPerDay: 20,
  impressionsPerSession: 30,
};

describe('estimateWorldSize', () => {
  it.each([
    { videos: 1000, users: 200 },
    { videos: 3000, users: 100, days: 30, latentDim: 32 },
    { videos: 500, users: 100, sessionsPerDay: 4, searchRate: 0.8 },
  ])('is close to a generated world: %j', (settings) => {
    const world: World = generateWorld(settings);
    const e = estimateWorldSize(settings);
    const actual = bytesOf(world);
    // The estimate leans high (full sessions, a high CTR) but not by much (1.7: with impressions
    // packed to 5 bytes, the watches' high estimate weighs more).
    expect(e.bytes).toBeGreaterThanOrEqual(0.9 * actual);
    expect(e.bytes).toBeLessThanOrEqual(1.7 * actual);
    expect(e.sessions).toBeGreaterThan(0.85 * world.logs.sessions);
    expect(e.sessions).toBeLessThan(1.2 * world.logs.sessions);
    expect(e.impressions).toBeGreaterThanOrEqual(0.95 * world.logs.impressions);
    expect(e.impressions).toBeLessThan(1.5 * world.logs.impressions);
    expect(e.watches).toBeGreaterThanOrEqual(world.logs.watches);
    expect(e.peakBytes).toBeGreaterThan(e.bytes);
  });

  it('grows with every size setting', () => {
    const base = estimateWorldSize();
    for (const more of [
      { videos: 40_000 },
      { users: 10_000 },
      { days: 90 },
      { sessionsPerDay: 3 },
      { impressionsPerSession: 20 },
    ]) {
      const e = estimateWorldSize(more);
      expect(e.peakBytes, JSON.stringify(more)).toBeGreaterThan(base.peakBytes);
      expect(e.ms, JSON.stringify(more)).toBeGreaterThan(base.ms);
    }
  });

  it('the default world is built without asking; the largest sizes ask; all maxima are refused', () => {
    const base = estimateWorldSize();
    expect(base.impressions).toBeGreaterThan(4e6);
    expect(base.impressions).toBeLessThan(5e6);
    expect(base.peakBytes).toBeLessThan(CONFIRM_ABOVE.peakBytes);
    expect(base.ms).toBeLessThan(CONFIRM_ABOVE.ms);
    expect(sizeProblem(base, TAB_LIMITS)).toBeNull();

    const large = estimateWorldSize(LARGEST);
    expect(large.peakBytes).toBeGreaterThan(CONFIRM_ABOVE.peakBytes);
    expect(large.ms).toBeGreaterThan(CONFIRM_ABOVE.ms);
    expect(sizeProblem(large, TAB_LIMITS)).toBeNull();

    const all = estimateWorldSize(ALL_MAX);
    expect(all.impressions).toBeGreaterThan(MAX_LOG_ENTRIES);
    expect(sizeProblem(all, TAB_LIMITS)).toBe(
      "this world is too large for a browser tab: about 4.4 billion impressions, above the limit of 2.1 billion (the logs' 32-bit offsets); use fewer users, days, sessions per day or impressions per session",
    );
  });

  it('names the memory limit of the host', () => {
    const large = estimateWorldSize(LARGEST);
    const small = { maxBytes: 1e9, maxArrayBytes: 1e10, host: 'this machine' };
    expect(sizeProblem(large, small)).toMatch(
      /^this world is too large for this machine: about [\d.]+ GB of memory while building, above the limit of 1 GB; use fewer/,
    );
    const oneArray = { maxBytes: 1e12, maxArrayBytes: 1e8, host: 'this machine' };
    expect(sizeProblem(large, oneArray)).toMatch(
      /its impression log needs one array of [\d.]+ MB, above the limit of 100 MB per array/,
    );
  });

  it('checkWorldSize throws a ConfigError on the size field, and the setting error first', () => {
    expect(() => checkWorldSize(ALL_MAX, TAB_LIMITS)).toThrow(ConfigError);
    try {
      checkWorldSize(ALL_MAX, TAB_LIMITS);
    } catch (e) {
      expect((e as ConfigError).field).toBe('size');
    }
    expect(() => checkWorldSize({ videos: 5 }, TAB_LIMITS)).toThrow(
      'videos must be an integer from 100 to 1000000',
    );
    expect(checkWorldSize({}, TAB_LIMITS).impressions).toBe(estimateWorldSize().impressions);
  });

  it('meanActivity is the setting when the cap is far, lower near it', () => {
    expect(meanActivity(1.5)).toBeCloseTo(1.49, 2);
    expect(meanActivity(20)).toBeCloseTo(20 * 2 * 0.3085, 1);
    expect(meanActivity(10)).toBeLessThan(10);
  });
});

describe('formatting', () => {
  it('writes bytes, durations and the estimate line', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(45_300_000)).toBe('45 MB');
    expect(formatBytes(3.44e9)).toBe('3.4 GB');
    expect(formatDuration(400)).toBe('under a second');
    expect(formatDuration(14_200)).toBe('14 s');
    expect(formatDuration(293_000)).toBe('5 min');
    expect(formatDuration(9_000_000)).toBe('2.5 h');
    expect(
      describeEstimate({
        ...estimateWorldSize(),
        impressions: 4_400_000,
        peakBytes: 9.5e7,
        ms: 14_000,
      }),
    ).toBe('about 4.4 million impressions, 95 MB of memory while building, roughly 14 s to build');
  });
});
