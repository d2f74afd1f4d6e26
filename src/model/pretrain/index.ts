/**
 * Pretrained input embeddings of the candidate model (docs/model.md#pretrained-embeddings):
 * CBOW (`cbow.ts`) over each user's watches of the training days, in time order, and over
 * each user's search tokens of the training days (each query's unigrams, then its hashed
 * bigrams, queries in time order). The candidate model starts its watch-bag and search
 * tables from these vectors, then keeps them frozen or fine-tunes them.
 */
import { bigramId, lowerBound, searchTokenSpace } from '../../sim/examples';
import type { World } from '../../sim/types';
import { defaultCbowOptions, trainCbow, type Sequences } from './cbow';

export { defaultCbowOptions, trainCbow, type CbowOptions, type CbowResult } from './cbow';

/** Each user's watches (video ids) of the training days, in time order: one sequence per user. */
export function watchSequences(world: World): Sequences {
  const { userWatchOffsets, watchTime, watchVideo } = world.logs;
  const split = world.config.splitDay;
  const ids: number[] = [];
  const offsets = [0];
  for (let u = 0; u < world.users.count; u++) {
    const w0 = userWatchOffsets[u];
    const end = lowerBound(watchTime, w0, userWatchOffsets[u + 1], split);
    for (let j = w0; j < end; j++) ids.push(watchVideo[j]);
    offsets.push(ids.length);
  }
  return { ids: Int32Array.from(ids), offsets: Int32Array.from(offsets) };
}

/**
 * Each user's search tokens of the training days as one sequence: every query's unigrams, then
 * its adjacent bigrams (ids of the search-token space, as in the search bag), queries in time
 * order.
 */
export function searchSequences(world: World): Sequences {
  const { userSearchOffsets, searchTime, searchTokenOffsets, searchTokens } = world.logs;
  const split = world.config.splitDay;
  const ids: number[] = [];
  const offsets = [0];
  for (let u = 0; u < world.users.count; u++) {
    for (let s = userSearchOffsets[u]; s < userSearchOffsets[u + 1]; s++) {
      if (searchTime[s] >= split) break;
      const a = searchTokenOffsets[s];
      const b = searchTokenOffsets[s + 1];
      for (let i = a; i < b; i++) ids.push(searchTokens[i]);
      for (let i = a + 1; i < b; i++)
        ids.push(bigramId(world, searchTokens[i - 1], searchTokens[i]));
    }
    offsets.push(ids.length);
  }
  return { ids: Int32Array.from(ids), offsets: Int32Array.from(offsets) };
}

/** What {@link pretrainedEmbeddings} needs. */
export interface PretrainRequest {
  /** Width of the watch-bag video table. */
  videoWidth: number;
  /** Width of the search-token table. */
  tokenWidth: number;
  /** Seed (the run's training seed). */
  seed: number;
  /** Out-of-vocabulary masks (1 = out) of videos and search tokens, or null. */
  video: Uint8Array | null;
  token: Uint8Array | null;
}

/** Pretrained tables and what they cost. */
export interface PretrainedTables {
  /** Watch-bag video vectors [videos × videoWidth]. */
  video: Float32Array;
  /** Search-token vectors [searchTokenSpace × tokenWidth]. */
  token: Float32Array;
  /** Mean CBOW loss per epoch (nats per target) of the two tables. */
  videoLoss: number[];
  tokenLoss: number[];
  /** Milliseconds the pretraining took (wall clock, when it ran). */
  ms: number;
}

const cache = new WeakMap<World['logs'], Map<string, PretrainedTables>>();

const maskKey = (m: Uint8Array | null) => (m ? `${m.length}:${m.reduce((a, x) => a + x, 0)}` : '-');

/**
 * CBOW-pretrained watch-bag and search-token tables of `world` (cached per world and request:
 * a second model of the same settings reuses them). Deterministic for the request.
 */
export function pretrainedEmbeddings(
  world: World,
  r: PretrainRequest,
  options: Partial<typeof defaultCbowOptions> = {},
): PretrainedTables {
  let byKey = cache.get(world.logs);
  if (!byKey) cache.set(world.logs, (byKey = new Map()));
  const key = JSON.stringify([
    r.videoWidth,
    r.tokenWidth,
    r.seed,
    maskKey(r.video),
    maskKey(r.token),
    options,
  ]);
  const hit = byKey.get(key);
  if (hit) return hit;
  const t0 = performance.now();
  const o = { ...defaultCbowOptions, ...options };
  const video = trainCbow(watchSequences(world), world.videos.count, {
    ...o,
    dim: r.videoWidth,
    seed: r.seed,
    outOfVocab: r.video,
  });
  const token = trainCbow(searchSequences(world), searchTokenSpace(world), {
    ...o,
    window: 3,
    dim: r.tokenWidth,
    seed: r.seed + 1,
    outOfVocab: r.token,
  });
  const out: PretrainedTables = {
    video: video.vectors,
    token: token.vectors,
    videoLoss: video.epochLoss,
    tokenLoss: token.epochLoss,
    ms: performance.now() - t0,
  };
  byKey.set(key, out);
  return out;
}
