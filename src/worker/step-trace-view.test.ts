/**
 * The step-trace request through the TrainingHost, as the worker drives it, on a small world:
 * the answer's loss is the mean of its per-example losses, its picture has 2B + K points, a
 * bad B is refused naming the field, and the run continues exactly as if no trace had been
 * taken (the same training losses, step for step, as a run that never asked).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import type { World } from '../sim/types';
import { generateWorld } from '../sim/world';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import type { TrainingParams } from '../protocol/training';
import { testHost } from './test-host';

const PARAMS: TrainingParams = { ...DEFAULT_TRAINING_PARAMS, batch: 32, negatives: 32 };

let world: World;
beforeAll(async () => {
  await useBackend('wasm');
  world = generateWorld({ seed: 3, videos: 300, users: 150, days: 20 });
}, 60_000);

function makeHost() {
  const h = testHost(world);
  const losses = () => h.of('metrics').flatMap((m) => Array.from(m.loss));
  return { ...h, losses };
}

describe('step trace through the TrainingHost', () => {
  it('answers a trace that fits together, and the run continues as if none was taken', async () => {
    const a = makeHost();
    a.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 4 });
    await a.host.idle();
    a.host.handle({ type: 'stepTrace', runId: 1, batch: 5, negatives: 9 });
    a.host.handle({ type: 'stepTrace', runId: 1, batch: 0, negatives: 9 });
    a.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 4 });
    await a.host.idle();

    const [m] = a.of('stepTrace');
    expect(m.step).toBe(4);
    const { trace, projection } = m;
    expect([trace.B, trace.K, trace.step]).toEqual([5, 9, 4]);
    expect(trace.logits.length).toBe(5 * 10);
    const mean = Array.from(trace.perExample).reduce((x, y) => x + y, 0) / 5;
    expect(mean).toBeCloseTo(trace.loss, 5);
    expect(projection.coords.length).toBe((2 * 5 + 9) * 2);
    expect(projection.arrows.length).toBe((2 * 5 + 9) * 2);
    expect(projection.explained[0]).toBeGreaterThan(0);
    const bad = a.of('viewError').find((e) => e.request === 'stepTrace');
    expect(bad?.message).toMatch(/batch must be an integer from 1 to 32/);

    const b = makeHost();
    b.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 8 });
    await b.host.idle();
    expect(a.losses()).toHaveLength(8);
    expect(a.losses()).toEqual(b.losses());
  }, 60_000);
});
