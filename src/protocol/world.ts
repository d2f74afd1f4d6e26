/**
 * The world-building messages of the page ↔ worker protocol: build a world from settings,
 * its progress, the summary once it is ready, and the errors. Types and constants only.
 */
import type { WorldSummary } from '../sim/summary-types';
import type { WorldConfig } from '../sim/types';
import type { WorldStage } from '../sim/world';
import type { DatasetInfo, HeldOut } from '../sim/import/data-world';
import type { DataFormat } from '../sim/import/formats';
import type { DataFile } from '../sim/import/parse';

/** Identifies one request of the page; replies repeat it. Positive, increasing per page. */
export type RequestId = number;

// ---- Page → worker ------------------------------------------------------------------------

/**
 * Build a new world from `settings` (merged over the defaults and validated in the worker
 * too) and keep it in worker memory, replacing the previous one. Replies: zero or more
 * {@link WorldProgressMessage}, then one {@link WorldReadyMessage} or one {@link ErrorMessage}.
 */
export interface GenerateWorldRequest {
  type: 'generateWorld';
  requestId: RequestId;
  /** World settings; absent fields take their defaults (`defaultWorldConfig`). */
  settings: Partial<WorldConfig>;
}

/**
 * Load your own interactions (docs/own-data.md) and make them the worker's world: the files
 * (Files from a picker or a drop; strings in tests) are checked against the byte limits, then
 * parsed in the worker. Replies: zero or more {@link WorldProgressMessage}, then one
 * {@link WorldReadyMessage} with `dataset`, or one {@link ErrorMessage} with field `data` (the
 * world on screen stays).
 */
export interface LoadDataRequest {
  type: 'loadData';
  requestId: RequestId;
  files: DataFile[];
  /** The files' format; absent: from their names. */
  format?: DataFormat;
  /** What is held out for recall; absent: each user's last interaction. */
  heldOut?: HeldOut;
}

// ---- Worker → page ------------------------------------------------------------------------

/**
 * Stage of world building: the generator's own stages, then `summary` while the worker
 * computes the {@link WorldSummary}.
 */
export type WorldBuildStage = WorldStage | 'summary';

/**
 * How far the world being built has come. Throttled by the worker to at most one message per
 * {@link PROGRESS_INTERVAL_MS}; `fraction` only grows within one request.
 */
export interface WorldProgressMessage {
  type: 'worldProgress';
  requestId: RequestId;
  /** Overall fraction done, in [0, 1]. */
  fraction: number;
  /** What the worker is doing now. */
  stage: WorldBuildStage;
}

/**
 * The world of request `requestId` is built and held by the worker. Carries only its small
 * JSON-able summary (a few kilobytes), never the columnar arrays.
 */
export interface WorldReadyMessage {
  type: 'worldReady';
  requestId: RequestId;
  /** Statistics and chart data of the new world. */
  summary: WorldSummary;
  /** The full, validated settings the world was built with (defaults filled in). */
  config: WorldConfig;
  /** What was loaded, when the world is your own data (`loadData`); absent for a generated one. */
  dataset?: DatasetInfo;
}

/**
 * Something went wrong. With a `requestId`, that request failed and the worker's previous
 * world (if any) is still the current one; without one, the failure is not tied to a request
 * (e.g. a message the worker did not understand).
 */
export interface ErrorMessage {
  type: 'error';
  requestId?: RequestId;
  /** The setting at fault (a `WorldConfig` key) when the error is a bad setting. */
  field?: string;
  /** Human-readable; for a bad setting it names the field and the allowed range. */
  message: string;
}

/** The world-building messages of the worker (the world slice handles these). */
export type WorldToPage = WorldProgressMessage | WorldReadyMessage | ErrorMessage;

/** Least time in milliseconds between two {@link WorldProgressMessage}s of one request. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Share of the progress bar given to generating the world; the rest is the summary.
 * Generation reports 0 … 1, which the worker maps to 0 … WORLD_PROGRESS_SHARE.
 */
export const WORLD_PROGRESS_SHARE = 0.95;
