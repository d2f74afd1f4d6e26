import { describe, expect, it } from 'vitest';
import { buildVocabulary } from './catalogue';
import { joinLogs } from './log-columns';
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
    const first = simulateUserRange(ctx, 0, 25, undefined, 60);
    const buffer = first.impVideo.buffer;
    const joined = joinLogs([first, simulateUserRange(ctx, 25, 60)], { release: true });
    expect(plain(joined)).toEqual(plain(world.logs));
    expect(joined.impVideo.buffer).toBe(buffer);
  });
});
