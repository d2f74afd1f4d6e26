/**
 * The app's store: one zustand store built from slices (world, training) that share one
 * worker channel. Middleware, if any, goes on the combined store only.
 *
 * React components read it with {@link useAppStore}; high-frequency values (per-step metrics)
 * reach d3 charts and live figures through `appStore.subscribe`, not React re-renders.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  REPLY_ROUTES,
  type EmbeddingToPage,
  type HealthToPage,
  type TrainingRunToPage,
  type ViewToPage,
  type WorldToPage,
} from '../protocol';
import { createAnalysisSlice } from './analysis-slice';
import { idbRunStore } from './autosave';
import type { AppState, StartUmap, StoreEnv } from './app-state';
import { createRunFileSlice } from './run-file-slice';
import { createStepSlice } from './step-slice';
import { createTrainingSlice } from './training-slice';
import { startUmap } from './umap-client';
import { createUmapSlice } from './umap-slice';
import { createViewsSlice } from './views-slice';
import { createWorkerChannel } from './worker-channel';
import { createWorkerHealthSlice } from './worker-health-slice';
import { connectModuleWorker } from './worker-client';
import { createWorldSlice } from './world-slice';

export type { AppState, WorkerRouting } from './app-state';

/**
 * Builds a store; `env` is the browser's in the app and fakes in tests; `umap` starts a UMAP
 * layout (by default a fake that fails: only the app's store has the UMAP worker).
 */
export function createAppStore(
  env: StoreEnv,
  umap: StartUmap = () => ({
    result: Promise.reject(new Error('this store has no UMAP worker')),
    cancel() {},
  }),
): StoreApi<AppState> {
  return createStore<AppState>()((set, get, api) => {
    const channel = createWorkerChannel(
      env.connect,
      (m) => get().receive(m),
      (why) => {
        get().worldFailed(why);
        get().trainingWorkerFailed(why);
      },
      env.heartbeat && {
        // Long synchronous work answers no ping: a world build, a run being prepared, and the
        // first step after Play (a GPU backend compiles its training kernels then).
        longWork: () => {
          const { pendingRequest, run, history } = get();
          return (
            pendingRequest !== null ||
            run.state === 'preparing' ||
            (run.state === 'running' && history.lastStep <= run.step)
          );
        },
        onStalled: (silentMs) => get().workerStalledFor(silentMs),
        onAlive: () => get().workerAlive(),
        ...env.heartbeat,
      },
    );
    return {
      ...createWorldSlice(env, channel)(set, get, api),
      ...createTrainingSlice(channel, env.runStore)(set, get, api),
      ...createRunFileSlice(channel, env.runStore)(set, get, api),
      ...createWorkerHealthSlice(channel)(set, get, api),
      ...createViewsSlice(channel)(set, get, api),
      ...createAnalysisSlice(channel)(set, get, api),
      ...createUmapSlice(channel, umap)(set, get, api),
      ...createStepSlice(channel)(set, get, api),
      receive(m) {
        const route = Object.hasOwn(REPLY_ROUTES, m.type) ? REPLY_ROUTES[m.type] : undefined;
        const state = get();
        switch (route) {
          case 'world':
            return state.receiveWorld(m as WorldToPage);
          case 'training':
            return state.receiveTraining(m as TrainingRunToPage);
          case 'views':
            return state.receiveViews(m as EmbeddingToPage);
          case 'analysis':
            return state.receiveAnalysis(m as ViewToPage);
          case 'worker':
            return state.receiveWorker(m as HealthToPage);
          default:
            state.worldFailed(`unexpected message from the worker: ${JSON.stringify(m.type)}`);
        }
      },
    };
  });
}

/**
 * The browser's surroundings: the module worker, `history.replaceState` on the hash, and
 * IndexedDB for autosaved runs.
 */
export const browserEnv: StoreEnv = {
  connect: connectModuleWorker,
  heartbeat: {},
  runStore: typeof indexedDB === 'undefined' ? undefined : idbRunStore(),
  writeHash(hash) {
    if (window.location.hash.slice(1) === hash) return;
    window.history.replaceState(window.history.state, '', `#${hash}`);
  },
};

/** The app's one store. The worker starts on the first request, not on import. */
export const appStore: StoreApi<AppState> = createAppStore(browserEnv, startUmap);

/** Reads a slice of the app's store in a React component (re-renders when it changes). */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}

/**
 * Starts the app's state from the URL: reads the hash, builds its world, and follows later
 * hand edits of the hash (our own writes use `replaceState`, which fires no `hashchange`).
 * Returns a function that stops following.
 */
export function startFromUrl(store: StoreApi<AppState> = appStore): () => void {
  store.getState().loadFromHash(window.location.hash);
  const onHashChange = () => store.getState().loadFromHash(window.location.hash);
  window.addEventListener('hashchange', onHashChange);
  return () => window.removeEventListener('hashchange', onHashChange);
}
