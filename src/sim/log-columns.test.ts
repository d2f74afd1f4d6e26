import { describe, expect, it } from 'vitest';
import { buildVocabulary } from './catalogue';
import { joinLogs } from './log-columns';
import { logRoom, rangeRoom, sharedColumns, type LogRoom } from './log-room';
import { sessionContext, simulateUserRange } from './sessions';
import type { Logs } from './types';
import { generateWorld } from './world';

/** Every column of `logs` as plain numbers (counts as they are). */
function plain(logs: Logs): Record<string, number | number[]> {
  return Object.fromEntries(
    Object.entries(logs).map(([k, v]) => [
      k,
      ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v,
    ]),
  );
}

describe('joinLogs', () => {
  const world = generateWorld({ seed: 3, videos: 500, users: 60, days: 10 });
  const ctx = sessionContext(world, buildVocabulary(world.config.topics));
  const ranges = () => [simulateUserRange(ctx, 0, 25), simulateUserRange(ctx, 25, 60)];

  it('joins user ranges into the logs of all the users', () => {
    expect(plain(joinLogs(ranges()))).toEqual(plain(world.logs));
  });

  it('with release, gives the same logs and leaves each part empty, holding none of its buffers', () => {
    const parts = ranges();
    const buffers = parts.flatMap((p) => Object.values(p).filter(ArrayBuffer.isView));
    expect(plain(joinLogs(parts, { release: true }))).toEqual(plain(world.logs));
    for (const p of parts)
      for (const [k, v] of Object.entries(p))
        if (ArrayBuffer.isView(v)) {
          expect(v.byteLength, k).toBe(0);
          expect(
            buffers.some((b) => b.buffer === v.buffer),
            k,
          ).toBe(false);
        }
  });

  it('joins in place into a first range reserved for every user, copying only the others', () => {
    const first = simulateUserRange(ctx, 0, 25, undefined, { reserveUntil: 60 });
    const buffer = first.impVideo.buffer;
    const joined = joinLogs([first, simulateUserRange(ctx, 25, 60)], { release: true });
    expect(plain(joined)).toEqual(plain(world.logs));
    expect(joined.impVideo.buffer).toBe(buffer);
  });

  const cuts: [number, number][] = [
    [0, 20],
    [20, 41],
    [41, 60],
  ];

  /** The three ranges simulated into windows of shared columns with `rooms`, and joined. */
  function joinWindows(rooms: LogRoom[]) {
    const { whole, windows } = sharedColumns(rooms);
    const parts = cuts.map(([a, b], i) =>
      simulateUserRange(ctx, a, b, undefined, { columns: windows[i] }),
    );
    return { whole, parts, joined: joinLogs(parts, { release: true, into: whole }) };
  }

  it('joins ranges written into windows of shared columns in place, moving them down', () => {
    const { whole, parts, joined } = joinWindows(cuts.map(([a, b]) => rangeRoom(world, a, b)));
    expect(plain(joined)).toEqual(plain(world.logs));
    for (const k of ['impVideo', 'sessionImpOffsets', 'watchMinutes', 'searchTokens'] as const) {
      expect(joined[k].buffer, k).toBe(whole[k].buffer);
      expect(joined[k].byteOffset, k).toBe(0);
    }
    for (const p of parts) expect(p.impVideo.length).toBe(0);
  });

  it('joins right when a range outgrew its window (its columns then lie in arrays of their own)', () => {
    // The middle range gets room for 16 sessions only; the first and last their expected logs.
    const rooms = cuts.map(([a, b], i) =>
      i === 1 ? logRoom(16, 10, 0.1) : rangeRoom(world, a, b),
    );
    const { whole, joined } = joinWindows(rooms);
    expect(plain(joined)).toEqual(plain(world.logs));
    expect(joined.impVideo.buffer).not.toBe(whole.impVideo.buffer);
  });

  it('copies a range that outgrew its window into the room the others left', () => {
    // The first window has room for every user, the last for 16 sessions only.
    const rooms = [rangeRoom(world, 0, 60), rangeRoom(world, 20, 41), logRoom(16, 10, 0.1)];
    const { whole, joined } = joinWindows(rooms);
    expect(plain(joined)).toEqual(plain(world.logs));
    expect(joined.impVideo.buffer).toBe(whole.impVideo.buffer);
    expect(joined.sessionImpOffsets.buffer).toBe(whole.sessionImpOffsets.buffer);
  });

  it('joins right when the first range outgrew its window', () => {
    const rooms = cuts.map(([a, b], i) =>
      i === 0 ? logRoom(16, 10, 0.1) : rangeRoom(world, a, b),
    );
    expect(plain(joinWindows(rooms).joined)).toEqual(plain(world.logs));
  });

  it('joins right when the windows are tight (each range fills its room exactly)', () => {
    const sizes = cuts.map(([a, b]) => simulateUserRange(ctx, a, b));
    const rooms = sizes.map((l) => ({
      sessions: l.sessions + 1,
      impressions: l.impressions + 10,
      watches: l.watches + 10,
      searches: l.searches + 1,
      tokens: l.searchTokens.length + 3,
    }));
    expect(plain(joinWindows(rooms).joined)).toEqual(plain(world.logs));
  });
});
