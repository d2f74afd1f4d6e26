/**
 * For unit tests of the worker's hosts: a TrainingHost on a world, driven as the worker drives
 * it, on the WASM backend, with everything it posts kept in order.
 */
import { useBackend } from '../model/backend';
import type { WorkerToPage } from '../protocol';
import type { World } from '../sim/types';
import { TrainingHost, type ChooseBackend } from './training-host';
import { yieldToEvents } from './yield';

/** Chooses WASM, as the worker does in Node, passing nothing over. */
export const wasmBackend: ChooseBackend = async (requested) => ({
  name: await useBackend('wasm'),
  requested,
  passedOver: [],
});

/**
 * A TrainingHost on `world` and what it posted: `posted` in order, and `of(type, from)` the
 * messages of one type from the `from`-th message on.
 */
export function testHost(world: World) {
  const posted: WorkerToPage[] = [];
  const host = new TrainingHost({
    post: (m) => posted.push(m),
    chooseBackend: wasmBackend,
    yieldToEvents,
    now: () => performance.now(),
  });
  host.setWorld(world);
  const of = <T extends WorkerToPage['type']>(type: T, from = 0) =>
    posted.slice(from).filter((m): m is Extract<WorkerToPage, { type: T }> => m.type === type);
  return { host, posted, of };
}
