/**
 * The page's end of the worker: starts the module worker and sends and receives the typed
 * messages of `src/worker/protocol.ts`. The store owns one link and replaces it when the
 * worker dies.
 */
import type { PageToWorker, WorkerToPage } from '../protocol';

/** A live connection to a worker. */
export interface WorkerLink {
  /** Sends one message to the worker. */
  send(message: PageToWorker): void;
  /** Stops the worker; the link is unusable afterwards. */
  dispose(): void;
}

/**
 * Opens a link: `onMessage` receives every message of the worker; `onFailure` is told, once
 * per failure, why the worker stopped or could not be read (it cannot answer after that).
 */
export type ConnectWorker = (
  onMessage: (message: WorkerToPage) => void,
  onFailure: (why: string) => void,
) => WorkerLink;

/** Starts `src/worker/worker.ts` as a module worker (Vite bundles it from this `new URL`). */
export const connectModuleWorker: ConnectWorker = (onMessage, onFailure) => {
  const worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' });
  current = worker;
  worker.addEventListener('message', (e: MessageEvent<WorkerToPage>) => onMessage(e.data));
  worker.addEventListener('error', (e: ErrorEvent) =>
    onFailure(e.message ? `the worker stopped: ${e.message}` : 'the worker failed to start'),
  );
  worker.addEventListener('messageerror', () =>
    onFailure('a message from the worker could not be read'),
  );
  return {
    send: (message) => worker.postMessage(message),
    dispose: () => worker.terminate(),
  };
};

/** The module worker started last (the test hook's target). */
let current: Worker | null = null;

/**
 * The browser tests' hook, only on a page opened with `?test-hooks` in its address:
 * `window.__recsysTestHooks.killWorker()` terminates the training worker behind the page's
 * back, as a crash that reports nothing would (e2e/faults.spec.ts). Harmless to anyone else:
 * it stops their own tab's worker, which the heartbeat then offers to restart.
 */
if (typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('test-hooks'))
  (window as unknown as { __recsysTestHooks: { killWorker(): void } }).__recsysTestHooks = {
    killWorker: () => current?.terminate(),
  };
