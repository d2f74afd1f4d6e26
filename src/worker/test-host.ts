/**
 * For unit tests of the worker's hosts: a TrainingHost on a world, driven as the worker drives
 * it, on the WASM backend, with everything it posts kept in order.
 */
import { useBackend } from '../model/backend';
import type { WorkerToPage } from '../protocol';
import type { World } from '../sim/types';
import { TrainingHost, type ChooseBackend } from './training-host';
import { IDLE_MS } from './idle-prep';
import { ManualTimers } from './manual-timers';
import { yieldToEvents } from './yield';

/** Chooses WASM, as the worker does in Node, passing nothing over. */
export const wasmBackend: ChooseBackend = async (requested) => ({
  name: await useBackend('wasm'),
  requested,
  passedOver: [],
});

/**
 * A TrainingHost on `world` and what it posted: `posted` in order, and `of(type, from)` the
 * messages of one type from the `from`-th message on. Its timers are `timers` (fake: the idle
 * preparation runs only when the caller advances them, e.g. `quiet()`).
 */
export function testHost(world: World) {
  const posted: WorkerToPage[] = [];
  const timers = new ManualTimers();
  const host = new TrainingHost({
    post: (m) => posted.push(m),
    chooseBackend: wasmBackend,
    yieldToEvents,
    now: () => performance.now(),
    schedule: timers.schedule,
  });
  host.setWorld(world);
  const of = <T extends WorkerToPage['type']>(type: T, from = 0) =>
    posted.slice(from).filter((m): m is Extract<WorkerToPage, { type: T }> => m.type === type);
  /** The worker stays quiet: the idle preparation runs to its end. */
  const quiet = async () => {
    await host.idle();
    timers.advance(IDLE_MS);
    await host.idle();
  };
  return { host, posted, of, timers, quiet };
}
