/**
 * The negatives sweep's timing: each K's first steps train but are not timed, and the mean
 * ms per step is over the rest (a fake clock stands in for the wall clock).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../sim/world';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import { useBackend } from '../model/backend';
import type { World } from '../sim/types';
import { NegativesSweep, warmupSteps } from './negatives-sweep';
import { testHost } from './test-host';

let world: World;
beforeAll(async () => {
  await useBackend('wasm');
  world = generateWorld({ seed: 3, videos: 400, users: 120, days: 15 });
}, 60_000);

describe('negatives sweep warm-up', () => {
  it('leaves 5 steps untimed, or half of a shorter sweep', () => {
    expect([10, 11, 20, 200, 5000].map(warmupSteps)).toEqual([5, 5, 5, 5, 5]);
    expect(warmupSteps(8)).toBe(4);
  });

  it('times only the steps after the warm-up of each K', async () => {
    const h = testHost(world);
    h.host.handle({
      type: 'step',
      runId: 1,
      params: { ...DEFAULT_TRAINING_PARAMS, batch: 32, negatives: 8 },
      count: 1,
    });
    await h.host.idle();
    const session = h.host.current!;
    // A clock that moves 1 ms per reading, and 1 000 ms more on every reading of a warm-up step.
    let t = 0;
    let sweep: NegativesSweep | null = null;
    const now = () => (t += sweep && sweep.progress % 10 < 5 ? 1001 : 1);
    sweep = new NegativesSweep(session, [4, 16], 10, now);
    while (!sweep.done) await sweep.step();
    sweep.dispose();
    expect(sweep.points.map((p) => p.negatives)).toEqual([4, 16]);
    // Each timed step reads the clock twice, 1 ms apart: a warm-up step counted would add ~1 000.
    for (const p of sweep.points) expect(p.msPerStep).toBe(1);
  }, 120_000);
});
