/**
 * The Funnel view's preparation while the worker is idle (idle-prep.ts, funnel-prep.ts), driven
 * with fake timers: nothing runs until the worker has been quiet for IDLE_MS; then the ceiling,
 * the step's index and the candidates' columns are prepared in short steps; a message stops it
 * after the step in progress and it resumes (or starts again for a new step) after the next
 * quiet time; and the answer of a request after it is the answer of a request without it, to
 * the last bit (every figure but the timings).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import type { TrainingParams } from '../protocol/training';
import type { FunnelMessage } from '../protocol/views';
import { cachedRows } from '../serve/candidate-cache';
import type { World } from '../sim/types';
import { generateWorld } from '../sim/world';
import { keptFunnelIndex } from './funnel-index';
import { IDLE_MS } from './idle-prep';
import { testHost } from './test-host';

const PARAMS: TrainingParams = { ...DEFAULT_TRAINING_PARAMS, batch: 64, negatives: 64 };

beforeAll(async () => {
  await useBackend('wasm');
});

/** The answer without its timings. */
function figures(f: FunnelMessage): unknown {
  const zero = (p: FunnelMessage['exact'][number]) => ({ ...p, retrievalMs: 0, rankingMs: 0 });
  return {
    ...f,
    towerMs: 0,
    ms: 0,
    exact: f.exact.map(zero),
    approx: f.approx.map(zero),
    index: { ...f.index, buildMs: 0 },
  };
}

/** A host trained `steps` steps, then asked for the funnel, with or without quiet time first. */
async function answers(world: World, quiet: boolean): Promise<unknown[]> {
  const h = testHost(world);
  const out: unknown[] = [];
  for (const steps of [4, 2]) {
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: steps });
    if (quiet) await h.quiet();
    else await h.host.idle();
    const from = h.posted.length;
    h.host.handle({ type: 'funnel', runId: 1, user: -1, k: 10, nprobe: 8 });
    await h.host.idle();
    expect(h.of('viewError', from)).toEqual([]);
    out.push(figures(h.of('funnel', from)[0]));
  }
  return out;
}

describe('the idle preparation', () => {
  it('waits for quiet, then prepares in steps; a message stops it and it resumes', async () => {
    const world = generateWorld({ seed: 8, videos: 500, users: 160, days: 20 });
    const h = testHost(world);
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 3 });
    await h.host.idle();
    const s = h.host.current!;
    expect(h.host.preparation).toBeNull();
    expect(h.timers.pending).toBe(1);
    h.timers.advance(IDLE_MS - 1);
    await h.host.idle();
    expect(h.host.preparation).toBeNull(); // not quiet for long enough yet

    // Quiet: it starts; a message after its first steps stops it before the next one.
    h.timers.advance(1);
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
    h.host.handle({ type: 'setParams', runId: 1, params: PARAMS });
    await h.host.idle();
    const stopped = h.host.preparation!;
    expect(stopped.step).toBe(3);
    expect(stopped.steps).toBeGreaterThan(0);
    expect(stopped.done).toBe(false);
    expect(keptFunnelIndex(s)).toBeUndefined();

    // Quiet again: it goes on where it stopped, to the end.
    await h.quiet();
    const done = h.host.preparation!;
    expect(done).toBe(stopped);
    expect(done.done).toBe(true);
    expect(Object.keys(done.parts).sort()).toEqual(['ceiling', 'columns', 'index', 'warm-up']);
    expect(done.longestMs).toBeGreaterThan(0);
    expect(done.longestMs).toBeLessThanOrEqual(done.ms);
    expect(keptFunnelIndex(s)).toMatchObject({ step: 3, preparedAhead: true });
    expect(cachedRows(world).length).toBeGreaterThan(0);
    expect(h.timers.pending).toBe(0); // nothing left to do at this step: no timer

    // A step: a new preparation for step 4, the index warm-started from step 3's.
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 1 });
    await h.quiet();
    expect(h.host.preparation).toMatchObject({ step: 4, done: true });
    expect(keptFunnelIndex(s)).toMatchObject({ step: 4, warm: { from: 3 } });
  }, 120_000);

  it('changes no figure: the answers with and without it are the same', async () => {
    const world = generateWorld({ seed: 9, videos: 600, users: 200, days: 20 });
    const without = await answers(world, false);
    const world2 = generateWorld({ seed: 9, videos: 600, users: 200, days: 20 });
    const withPrep = await answers(world2, true);
    expect(JSON.stringify(withPrep)).toBe(JSON.stringify(without));
  }, 120_000);
});
