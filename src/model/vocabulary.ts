/**
 * Vocabularies of the candidate model's sparse inputs (docs/model.md#vocabulary): the top-V
 * videos by training watches and the top-V search tokens (unigrams and hashed bigrams) by
 * training searches. An id outside its vocabulary is out of vocabulary (OOV): its embedding
 * row is held at zero and never updated (`SparseEmbedding.freezeRows`), and an OOV video is
 * not in the softmax. Counts use the training days only (time < splitDay), so the
 * vocabulary is what a model trained at the split could know.
 */
import { bigramId, searchTokenSpace } from '../sim/examples';
import type { World } from '../sim/types';

/**
 * Out-of-vocabulary mask of the `size` ids of highest `counts` (ties: the lower id first):
 * a [counts.length] array with 1 for each id outside the vocabulary. Null when `size` is 0
 * (no vocabulary: every id in) or covers every id.
 */
export function outOfVocabMask(counts: ArrayLike<number>, size: number): Uint8Array | null {
  const n = counts.length;
  if (!(Number.isInteger(size) && size >= 0))
    throw new RangeError(`vocabulary size must be a whole number ≥ 0 (got ${size})`);
  if (size === 0 || size >= n) return null;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => counts[b] - counts[a] || a - b,
  );
  const oov = new Uint8Array(n).fill(1);
  for (let i = 0; i < size; i++) oov[order[i]] = 0;
  return oov;
}

/** Watches of each video during the training days [videos]. */
export function trainingWatchCounts(world: World): Float64Array {
  const { watchTime, watchVideo } = world.logs;
  const split = world.config.splitDay;
  const c = new Float64Array(world.videos.count);
  for (let j = 0; j < watchTime.length; j++) if (watchTime[j] < split) c[watchVideo[j]]++;
  return c;
}

/**
 * Occurrences of each search token (unigram ids, then hashed bigram ids, as in the search bag)
 * in the searches of the training days [searchTokenSpace(world)].
 */
export function trainingTokenCounts(world: World): Float64Array {
  const { searchTime, searchTokenOffsets, searchTokens } = world.logs;
  const split = world.config.splitDay;
  const c = new Float64Array(searchTokenSpace(world));
  for (let s = 0; s < searchTime.length; s++) {
    if (searchTime[s] >= split) continue;
    const a = searchTokenOffsets[s];
    const b = searchTokenOffsets[s + 1];
    for (let i = a; i < b; i++) c[searchTokens[i]]++;
    for (let i = a + 1; i < b; i++) c[bigramId(world, searchTokens[i - 1], searchTokens[i])]++;
  }
  return c;
}

/** Number of videos with at least one training watch (a natural video vocabulary size). */
export function watchedVideoCount(world: World): number {
  return trainingWatchCounts(world).reduce((n, c) => n + (c > 0 ? 1 : 0), 0);
}

/** The vocabularies of one world for sizes (videos, tokens); 0 = every id. */
export interface Vocabularies {
  /** OOV mask over videos [videos], or null (every video in). */
  video: Uint8Array | null;
  /** OOV mask over the search-token space [searchTokenSpace], or null. */
  token: Uint8Array | null;
}

const cache = new WeakMap<World['logs'], Map<string, Vocabularies>>();

/** The vocabularies of `world` for `videoVocab` and `tokenVocab` (cached per world and sizes). */
export function vocabularies(world: World, videoVocab: number, tokenVocab: number): Vocabularies {
  let byKey = cache.get(world.logs);
  if (!byKey) cache.set(world.logs, (byKey = new Map()));
  const key = `${videoVocab}/${tokenVocab}`;
  let v = byKey.get(key);
  if (!v) {
    v = {
      video: videoVocab ? outOfVocabMask(trainingWatchCounts(world), videoVocab) : null,
      token: tokenVocab ? outOfVocabMask(trainingTokenCounts(world), tokenVocab) : null,
    };
    byKey.set(key, v);
  }
  return v;
}
