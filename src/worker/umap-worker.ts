/**
 * The UMAP module worker: lays out the video embeddings with `model/umap-layout.ts` off the
 * main thread. Started by `state/umap-client.ts` as
 * `new Worker(new URL('../worker/umap-worker.ts', import.meta.url), { type: 'module' })`, one
 * worker per layout; speaks only the messages of `umap-protocol.ts`. Progress goes out at most
 * once per {@link UMAP_PROGRESS_INTERVAL_MS} within a stage (a new stage at once, so at most four
 * extra); the coordinates are transferred, not copied.
 */
import { umapLayout } from '../model/umap-layout';
import {
  UMAP_PROGRESS_INTERVAL_MS,
  type PageToUmapWorker,
  type UmapStage,
  type UmapWorkerToPage,
} from '../protocol/umap';
import { runMessageLoop } from './message-loop';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const post = (message: UmapWorkerToPage, transfer: Transferable[] = []) =>
  scope.postMessage(message, transfer);

/** Runs one request to its result or error message. */
async function handle(request: PageToUmapWorker): Promise<void> {
  if (request.type !== 'umap') return;
  const { id } = request;
  // At most one progress message per interval, except that a new stage is announced at once
  // (umap-js's graph stage runs a second or two without a word).
  let lastStage: UmapStage | null = null;
  let lastAt = -Infinity;
  const progress = (fraction: number, stage: UmapStage) => {
    const now = performance.now();
    if (stage === lastStage && now - lastAt < UMAP_PROGRESS_INTERVAL_MS) return;
    lastStage = stage;
    lastAt = now;
    post({ type: 'umapProgress', id, fraction, stage });
  };
  try {
    const { coords, ms, sampled } = await umapLayout(request.vectors, request.rows, request.dim, {
      seed: request.seed,
      // The final 1 is the result message itself.
      onProgress: (fraction, stage) => {
        if (fraction < 1) progress(fraction, stage);
      },
    });
    post({ type: 'umapResult', id, coords, ms, sampled }, [coords.buffer]);
  } catch (error) {
    post({
      type: 'umapError',
      id,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

// Whatever escapes `handle` is answered as the failure of the request it happened on.
runMessageLoop<PageToUmapWorker>(scope, handle, (cause, message, request) =>
  post({ type: 'umapError', id: request?.id ?? -1, message: `${cause}: ${message}` }),
);
