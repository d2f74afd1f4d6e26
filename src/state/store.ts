/**
 * The app's store: one zustand store built from slices (only the world slice so far; later
 * issues add training, projection, …). Middleware, if any, goes on the combined store only.
 *
 * React components read it with {@link useAppStore}; high-frequency values (per-step metrics,
 * later) should reach d3 charts through `appStore.subscribe`, not React re-renders.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { connectModuleWorker } from './worker-client';
import { createWorldSlice, type StoreEnv, type WorldSlice } from './world-slice';

/** The whole state of the app: the union of its slices. */
export type AppState = WorldSlice;

/** Builds a store; `env` is the browser's in the app and fakes in tests. */
export function createAppStore(env: StoreEnv): StoreApi<AppState> {
  return createStore<AppState>()((...a) => ({
    ...createWorldSlice(env)(...a),
  }));
}

/** The browser's surroundings: the module worker and `history.replaceState` on the hash. */
export const browserEnv: StoreEnv = {
  connect: connectModuleWorker,
  writeHash(hash) {
    if (window.location.hash.slice(1) === hash) return;
    window.history.replaceState(window.history.state, '', `#${hash}`);
  },
};

/** The app's one store. The worker starts on the first request, not on import. */
export const appStore: StoreApi<AppState> = createAppStore(browserEnv);

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
