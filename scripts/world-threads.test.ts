/**
 * `generateWorldOnThreads` (scripts/world-threads.ts) builds the world `generateWorld` builds,
 * byte for byte, whether its sessions run on 1, 2 or 4 threads (real worker threads, reading
 * the catalogue from shared memory).
 */
import { describe, expect, it } from 'vitest';
import type { World, WorldConfig } from '../src/sim/types';
import { generateWorld } from '../src/sim/world';
import { generateWorldOnThreads, shareArrays } from './world-threads';

/** Every typed-array column (its bytes, hex) and count of the world's tables. */
function columns(w: World): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const table of ['videos', 'users', 'logs'] as const)
    for (const [k, v] of Object.entries(w[table]))
      out[`${table}.${k}`] = ArrayBuffer.isView(v)
        ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')
        : (v as number);
  return out;
}

/** A small world, and a busy one (heavy activity: long days, pools that run dry). */
const WORLDS: Record<string, Partial<WorldConfig>> = {
  small: { seed: 5, videos: 2000, users: 400, days: 30 },
  busy: { seed: 11, videos: 600, users: 60, days: 14, sessionsPerDay: 12, seriesShare: 0.6 },
};

describe('generateWorldOnThreads', () => {
  for (const [name, settings] of Object.entries(WORLDS))
    it(`${name}: the same world for 1, 2 and 4 threads as generateWorld`, async () => {
      const want = columns(generateWorld(settings));
      for (const threads of [1, 2, 4]) {
        const got = columns(await generateWorldOnThreads(settings, { threads }));
        expect(Object.keys(got)).toEqual(Object.keys(want));
        for (const k of Object.keys(want))
          expect(got[k] === want[k], `${threads} threads: ${k}`).toBe(true);
      }
    }, 60_000);

  it('shareArrays moves typed arrays into shared memory, views on one buffer still sharing it', () => {
    const f = new Float32Array([1, 2, 3, 4]);
    const o = {
      a: f,
      b: new Int32Array(f.buffer, 4, 2),
      inner: { c: f.subarray(2) },
      words: ['x'],
    };
    shareArrays(o);
    expect(o.a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(o.b.buffer).toBe(o.a.buffer);
    expect(o.inner.c.buffer).toBe(o.a.buffer);
    expect(Array.from(o.a)).toEqual([1, 2, 3, 4]);
    expect(Array.from(o.inner.c)).toEqual([3, 4]);
    expect(o.b[0]).toBe(new Int32Array(new Float32Array([2]).buffer)[0]);
    expect(o.words).toEqual(['x']);
  });
});
