/**
 * The worker's health in the store (docs/architecture.md#faults): the last fault its message
 * loop reported (the worker went on; nothing on screen changes), whether the heartbeat finds it
 * silent, and the restart that replaces a stuck or dead worker and resumes from the snapshot.
 */
import type { StateCreator } from 'zustand';
import type { AppState, WorkerHealthSlice } from './app-state';
import type { WorkerChannel } from './worker-channel';

export type { WorkerFault, WorkerHealthSlice } from './app-state';

/** Creates the slice; `channel` is the worker shared with the other slices. */
export function createWorkerHealthSlice(
  channel: WorkerChannel,
): StateCreator<AppState, [], [], WorkerHealthSlice> {
  return (set, get) => ({
    workerFault: null,
    workerStalled: null,

    receiveWorker(m) {
      if (m.type === 'workerFault') set({ workerFault: { cause: m.cause, message: m.message } });
    },

    dismissWorkerFault() {
      set({ workerFault: null });
    },

    workerStalledFor(silentMs) {
      set({ workerStalled: { silentMs } });
    },

    workerAlive() {
      set({ workerStalled: null });
    },

    restartWorker() {
      channel.restart();
      set({ workerStalled: null, workerFault: null });
      get().worldWorkerRestarted();
      get().trainingWorkerRestarted();
    },
  });
}
