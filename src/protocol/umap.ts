/**
 * The messages between the page and the UMAP worker (`umap-worker.ts`), which lays out the
 * video embeddings with `model/umap-layout.ts` off the main thread. Both sides import these
 * types, so a message one side sends and the other does not understand is a compile error.
 *
 * One request per worker: the page (`state/umap-client.ts`) starts a fresh worker for each
 * layout, sends one {@link UmapRequest}, and terminates the worker once the
 * {@link UmapResultMessage} or {@link UmapErrorMessage} arrives, or to cancel (a layout has
 * no cancel message: terminating is immediate even inside umap-js's synchronous graph stage).
 * Replies repeat the request's `id`.
 *
 * Nothing here runs: types and one constant only, so the page may import it without pulling
 * umap-js onto the main thread.
 */
import type { UmapStage } from '../model/umap-layout';

export type { UmapStage } from '../model/umap-layout';

/** Most progress messages per second the worker posts (one per this many milliseconds). */
export const UMAP_PROGRESS_INTERVAL_MS = 100;

// ---- Page → worker ------------------------------------------------------------------------

/**
 * Lay out `rows` vectors of `dim` numbers. Replies: zero or more {@link UmapProgressMessage},
 * then one {@link UmapResultMessage} or one {@link UmapErrorMessage}.
 */
export interface UmapRequest {
  type: 'umap';
  /** Chosen by the page; every reply repeats it. */
  id: number;
  /** The vectors, row-major [rows × dim] (structured-cloned: the page keeps its copy). */
  vectors: Float32Array;
  rows: number;
  dim: number;
  /** Seed of the layout: the same seed and vectors give the same coordinates. */
  seed: number;
}

/** Every message the page sends the UMAP worker. */
export type PageToUmapWorker = UmapRequest;

// ---- Worker → page ------------------------------------------------------------------------

/**
 * How far the layout has come: at most one per {@link UMAP_PROGRESS_INTERVAL_MS} within a stage,
 * and one as each stage starts.
 */
export interface UmapProgressMessage {
  type: 'umapProgress';
  id: number;
  /** Share of the work done, in [0, 1), never decreasing (completion is the result itself). */
  fraction: number;
  /** The stage now running: `neighbours`, `graph`, `layout` or `placing`. */
  stage: UmapStage;
}

/** The finished layout. */
export interface UmapResultMessage {
  type: 'umapResult';
  id: number;
  /** Coordinates, row-major [rows × 2], in the request's row order (transferred). */
  coords: Float32Array;
  /** Wall-clock duration of the layout in the worker, milliseconds. */
  ms: number;
  /** Rows UMAP laid out itself; the others were placed beside their nearest sampled row. */
  sampled: number;
}

/** The layout failed (bad input, or an error inside umap-js); `message` says why. */
export interface UmapErrorMessage {
  type: 'umapError';
  id: number;
  message: string;
}

/** Every message the UMAP worker sends the page. */
export type UmapWorkerToPage = UmapProgressMessage | UmapResultMessage | UmapErrorMessage;
