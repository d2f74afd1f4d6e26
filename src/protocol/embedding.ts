/**
 * The Embedding view's part of the training protocol (re-exported by `training.ts`): the
 * projection the worker sends every {@link PROJECTION_EVERY} steps, the videos' colours sent once
 * per session, and the nearest-neighbours request and its reply. Types and constants only.
 */

/** Steps between two embedding projections sent to the page (Embedding view). */
export const PROJECTION_EVERY = 50;

/** Nearest neighbours returned for a clicked video (Embedding view). */
export const NEIGHBOURS = 10;

/**
 * Asks for the {@link NEIGHBOURS} nearest videos of `video` by dot product of the candidate
 * model's output vectors v_i in the full space (exact scan). Reply: one {@link NeighboursMessage}.
 */
export interface NeighboursRequest {
  type: 'neighbours';
  runId: number;
  /** Video id, 0 … videos−1. */
  video: number;
}

/**
 * What the Embedding view colours by, per video, sent once per session (the world's videos do
 * not change while training). Arrays are [videos].
 */
export interface VideoMetaMessage {
  type: 'videoMeta';
  runId: number;
  /** Topic id of each video and the topics' names. */
  topic: Uint16Array;
  topicNames: string[];
  /** Rank of base popularity, 0 = most popular. */
  popularityRank: Int32Array;
  /** Upload age at the end of the window, in days (negative: not yet uploaded). */
  ageDays: Float32Array;
  /** 1 for clickbait. */
  clickbait: Uint8Array;
  /** Title of each video (empty when the world is too big to send them cheaply). */
  titles: string[];
}

/**
 * A 2-D PCA projection of the candidate model's output video vectors v_i at `step` (every
 * {@link PROJECTION_EVERY} steps and at step 0).
 */
export interface ProjectionMessage {
  type: 'projection';
  runId: number;
  step: number;
  /** Coordinates [videos × 2] row-major: (PC 1, PC 2) of each video, unitless. */
  coords: Float32Array;
  /** Share of the variance of the v_i each component explains. */
  explained: [number, number];
  /** The focus user's u projected on the same two components (absent: no user to serve). */
  user?: { id: number; coords: [number, number] };
  /** Milliseconds the projection took in the worker. */
  ms: number;
}

/** The nearest videos of `video` by u·v in the full d-dimensional space, best first. */
export interface NeighboursMessage {
  type: 'neighbours';
  runId: number;
  video: number;
  ids: Int32Array;
  /** Their dot products v_video · v_id. */
  scores: Float32Array;
}

/** The Embedding view's messages (its slice receives them). */
export type EmbeddingToPage = VideoMetaMessage | ProjectionMessage | NeighboursMessage;
