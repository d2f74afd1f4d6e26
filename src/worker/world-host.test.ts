import { describe, expect, it } from 'vitest';
import type { PageToWorker, WorkerToPage } from '../protocol';
import { sessionContext, simulateUserRange } from '../sim/sessions';
import { generateWorld } from '../sim/world';
import { WorldHost } from './world-host';
import type { ShardRunner } from './world-shards';

/** Helper threads played in this thread: each range simulated when asked, answered later. */
function fakeShards(threads: number): ShardRunner & { ranges: [number, number][] } {
  const ranges: [number, number][] = [];
  return {
    threads,
    ranges,
    run: (base, vocab, from, to, onProgress) => {
      ranges.push([from, to]);
      const logs = simulateUserRange(sessionContext(base, vocab), from, to, onProgress);
      return new Promise((resolve) => setTimeout(() => resolve(logs), 0));
    },
    close: () => {},
  };
}

/** A host whose clock advances 30 ms per reading, and the messages it posted. */
function makeHost() {
  const posted: WorkerToPage[] = [];
  let clock = 0;
  const host = new WorldHost(
    (m) => posted.push(m),
    () => (clock += 30),
  );
  return { host, posted };
}

describe('WorldHost', () => {
  it('answers the heartbeat ping at once with its seq', () => {
    const { host, posted } = makeHost();
    host.handle({ type: 'ping', seq: 7 });
    expect(posted).toEqual([{ type: 'pong', seq: 7 }]);
  });

  it('answers generateWorld with throttled progress, then the summary, and keeps the world', () => {
    const { host, posted } = makeHost();
    host.handle({
      type: 'generateWorld',
      requestId: 3,
      settings: { seed: 11, videos: 300, users: 40, days: 10 },
    });
    const last = posted.at(-1)!;
    expect(last.type).toBe('worldReady');
    if (last.type !== 'worldReady') return;
    expect(last.requestId).toBe(3);
    expect(last.summary.videos).toBe(300);
    expect(last.summary.users).toBe(40);
    expect(last.summary.seed).toBe(11);
    expect(last.config.days).toBe(10);
    expect(last.summary.watches).toBe(host.world!.logs.watches);

    const progress = posted.filter((m) => m.type === 'worldProgress');
    expect(progress.length).toBeGreaterThan(0);
    const fractions = progress.map((m) => (m.type === 'worldProgress' ? m.fraction : NaN));
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(Math.max(...fractions)).toBeLessThanOrEqual(1);
    expect(progress.every((m) => m.requestId === 3)).toBe(true);
    // The summary crosses as JSON: nothing in it needs structured clone beyond plain data.
    expect(JSON.parse(JSON.stringify(last.summary)).videos).toBe(300);
  });

  it('reports a bad setting with its field and range and keeps the previous world', () => {
    const { host, posted } = makeHost();
    host.handle({
      type: 'generateWorld',
      requestId: 1,
      settings: { videos: 200, users: 20, days: 8 },
    });
    const before = host.world;
    expect(before).not.toBeNull();
    host.handle({ type: 'generateWorld', requestId: 2, settings: { videos: 5 } });
    expect(posted.at(-1)).toEqual({
      type: 'error',
      requestId: 2,
      field: 'videos',
      message: 'videos must be an integer from 100 to 1000000 (got 5)',
    });
    expect(host.world).toBe(before);
  });

  it('answers a message it does not know with an error, not an exception', () => {
    const { host, posted } = makeHost();
    host.handle({ type: 'nonsense' } as unknown as PageToWorker);
    expect(posted).toHaveLength(1);
    expect(posted[0].type).toBe('error');
  });

  it('builds the same world with its sessions on 2 or 3 helper threads as in one thread', async () => {
    const settings = { seed: 11, videos: 1500, users: 600, days: 9 };
    const whole = generateWorld(settings);
    for (const threads of [2, 3]) {
      const posted: WorkerToPage[] = [];
      const shards = fakeShards(threads);
      const host = new WorldHost((m) => posted.push(m), undefined, null, shards);
      host.handle({ type: 'generateWorld', requestId: 4, settings });
      await expect.poll(() => posted.at(-1)?.type).toBe('worldReady');
      expect(shards.ranges).toHaveLength(threads);
      expect(shards.ranges[0][0]).toBe(0);
      expect(shards.ranges.at(-1)![1]).toBe(600);
      const logs = host.world!.logs;
      for (const [k, v] of Object.entries(whole.logs)) {
        const got = logs[k as keyof typeof logs];
        if (ArrayBuffer.isView(v))
          expect(Array.from(got as Int32Array), k).toEqual(Array.from(v as Int32Array));
        else expect(got, k).toBe(v);
      }
    }
  });
});
