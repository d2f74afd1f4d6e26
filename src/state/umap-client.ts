/**
 * The page's end of the UMAP worker: starts a fresh module worker for one layout, relays its
 * progress, and settles a promise with the coordinates. The worker is terminated as soon as
 * the layout is done, has failed or is cancelled, so an abandoned layout costs nothing.
 * Speaks the messages of `src/worker/umap-protocol.ts`.
 */
import type { PageToUmapWorker, UmapStage, UmapWorkerToPage } from '../protocol/umap';

/** What {@link startUmap} lays out. */
export interface UmapInput {
  /** Row-major [rows × dim]; copied to the worker (structured clone), the caller keeps it. */
  vectors: Float32Array;
  rows: number;
  dim: number;
  /** Seed of the layout: the same seed and vectors give the same coordinates. */
  seed: number;
}

/** A finished layout. */
export interface UmapOutput {
  /** Coordinates, row-major [rows × 2], in the input's row order (unitless layout units). */
  coords: Float32Array;
  /** Wall-clock duration of the layout in the worker, milliseconds. */
  ms: number;
  /** Rows UMAP laid out itself; the others were placed beside their nearest sampled row. */
  sampled: number;
}

/** A layout in progress. */
export interface UmapJob {
  /**
   * Resolves with the layout; rejects with the worker's message on an error, with a message
   * starting "the UMAP worker" if the worker crashed or could not start, and with
   * {@link UMAP_CANCELLED} after `cancel()` (see {@link isUmapCancelled}). Marked as handled,
   * so a cancelled job nobody awaits reports no unhandled rejection.
   */
  result: Promise<UmapOutput>;
  /** Stops the worker and rejects `result` (no-op once it has settled). */
  cancel(): void;
}

/** The subset of a `Worker` the client uses (a fake in tests). */
export interface UmapWorkerPort {
  postMessage(message: PageToUmapWorker): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<UmapWorkerToPage>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
}

/** Starts one UMAP worker. */
export type UmapWorkerFactory = () => UmapWorkerPort;

/** The message of the error a cancelled job rejects with. */
export const UMAP_CANCELLED = 'the UMAP layout was cancelled';

/** Whether `error` is the rejection of a cancelled job (not a failure worth reporting). */
export function isUmapCancelled(error: unknown): boolean {
  return error instanceof Error && error.message === UMAP_CANCELLED;
}

/** Starts `src/worker/umap-worker.ts` as a module worker (Vite bundles it from this `new URL`). */
export const createUmapWorker: UmapWorkerFactory = () =>
  new Worker(new URL('../worker/umap-worker.ts', import.meta.url), { type: 'module' });

let lastId = 0;

/**
 * Lays out `request.vectors` in a new UMAP worker. `onProgress` is told the share done, in
 * [0, 1), never decreasing, and the stage running, at most ~10 times a second, and never after
 * the job has settled or been cancelled. `createWorker` starts the worker (the real module
 * worker by default; a fake in tests).
 */
export function startUmap(
  request: UmapInput,
  onProgress: (fraction: number, stage: UmapStage) => void,
  createWorker: UmapWorkerFactory = createUmapWorker,
): UmapJob {
  const id = ++lastId;
  let settled = false;
  let resolve!: (output: UmapOutput) => void;
  let reject!: (error: Error) => void;
  const result = new Promise<UmapOutput>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  result.catch(() => undefined);

  let worker: UmapWorkerPort | null = null;
  /** Settles once: stops the worker, then resolves or rejects. */
  const finish = (settle: () => void) => {
    if (settled) return;
    settled = true;
    if (worker) {
      worker.onmessage = worker.onerror = worker.onmessageerror = null;
      worker.terminate();
    }
    settle();
  };

  try {
    worker = createWorker();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    finish(() => reject(new Error(`the UMAP worker could not start: ${why}`)));
    return { result, cancel: () => undefined };
  }

  worker.onmessage = (event) => {
    const message = event.data;
    if (settled || message.id !== id) return;
    switch (message.type) {
      case 'umapProgress':
        onProgress(message.fraction, message.stage);
        break;
      case 'umapResult': {
        const { coords, ms, sampled } = message;
        finish(() => resolve({ coords, ms, sampled }));
        break;
      }
      case 'umapError':
        finish(() => reject(new Error(message.message)));
        break;
    }
  };
  worker.onerror = (event) => {
    event.preventDefault?.();
    const why = event.message
      ? `the UMAP worker stopped: ${event.message}`
      : 'the UMAP worker failed to start';
    finish(() => reject(new Error(why)));
  };
  worker.onmessageerror = () =>
    finish(() => reject(new Error('the UMAP worker sent a message that could not be read')));

  const { vectors, rows, dim, seed } = request;
  worker.postMessage({ type: 'umap', id, vectors, rows, dim, seed });
  return { result, cancel: () => finish(() => reject(new Error(UMAP_CANCELLED))) };
}
