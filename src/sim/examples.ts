/**
 * Training examples (docs/model.md#candidate-examples, paper §3.4 "label and context selection").
 *
 * Candidate generation: one example per watch. With `label: 'next'` the label is a watch and
 * the context only what happened before it (the history is rolled back): the newest
 * `maxWatches` watches and the newest searches up to `maxSearchTokens` unigrams and bigrams,
 * as unordered bags. With `label: 'heldout'` (the paper's counter-example) the label is a
 * random watch and the context the user's latest watches of the whole training window minus
 * the label, which leaks the future. A per-user cap keeps power users from dominating.
 *
 * Examples are stored compactly: a bag is a range of the user's watch list (CSR in
 * `world.logs`), read with {@link watchBag} / {@link searchBag} when a batch is built, so the
 * tables stay small whatever the history length.
 */
import { createRng } from './rng';
import type { World } from './types';

/** Which part of the window: training days (< splitDay) or evaluation days (≥ splitDay). */
export type Split = 'train' | 'test';

/** Options of {@link buildCandidateExamples}. */
export interface CandidateExampleOptions {
  split: Split;
  /** 'next': label = next watch, context before it. 'heldout': random watch, context around it. */
  label: 'next' | 'heldout';
  /** Most watches in the watch bag (paper: 50). */
  maxWatches: number;
  /** Most unigrams + bigrams in the search bag (paper: 50). */
  maxSearchTokens: number;
  /** At most this many examples per user (0 = no cap). */
  perUserCap: number;
  /** Seed of the cap's subsampling and of held-out label choice. */
  seed: number;
}

/** Defaults of {@link CandidateExampleOptions}. */
export const defaultCandidateOptions: CandidateExampleOptions = {
  split: 'train',
  label: 'next',
  maxWatches: 50,
  maxSearchTokens: 50,
  perUserCap: 50,
  seed: 1,
};

/**
 * Candidate-generation examples, columnar; every array has length `count`. Invariant for
 * `label: 'next'`: every watch in [bagStart, bagEnd) and every search before searchEnd
 * happened strictly before `time` (the label's time).
 */
export interface CandidateExamples {
  count: number;
  options: CandidateExampleOptions;
  /** User id. */
  user: Int32Array;
  /** Label video id. */
  label: Int32Array;
  /** Index of the label in the watch arrays. */
  labelWatch: Int32Array;
  /** Label time (days). */
  time: Float32Array;
  /**
   * Example age in days (paper §3.3): for training examples splitDay − time (how long ago the
   * example was logged, seen from the end of training); 0 for evaluation examples (serving).
   */
  exampleAge: Float32Array;
  /** Watch-bag range [bagStart, bagEnd) into the watch arrays (the newest maxWatches). */
  bagStart: Int32Array;
  bagEnd: Int32Array;
  /** A watch index inside the range to leave out (the held-out label), or −1. */
  bagSkip: Int32Array;
  /** Searches of the user with index < searchEnd are the context (newest first when bagged). */
  searchEnd: Int32Array;
}

/** First index in [lo, hi) whose value is ≥ t (values ascending), e.g. the first watch at or after a time. */
export function lowerBound(a: Float32Array, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Builds candidate-generation examples for one split. */
export function buildCandidateExamples(
  world: World,
  options: Partial<CandidateExampleOptions> = {},
): CandidateExamples {
  const o = { ...defaultCandidateOptions, ...options };
  const { userWatchOffsets, watchTime, watchVideo, userSearchOffsets, searchTime } = world.logs;
  const split = world.config.splitDay;
  const rng = createRng(o.seed, 0xe4a, o.split === 'train' ? 1 : 2);
  const rows: number[][] = [[], [], [], [], [], [], [], []];
  const [U, L, W, B0, B1, SK, SE, AGE] = rows;
  const picked: number[] = [];
  for (let u = 0; u < world.users.count; u++) {
    const w0 = userWatchOffsets[u];
    const w1 = userWatchOffsets[u + 1];
    const trainEnd = lowerBound(watchTime, w0, w1, split);
    const [from, to] = o.split === 'train' ? [w0, trainEnd] : [trainEnd, w1];
    if (to <= from) continue;
    // Which watches become labels: all of them, or `perUserCap` drawn without replacement.
    picked.length = 0;
    for (let j = from; j < to; j++) picked.push(j);
    if (o.perUserCap > 0 && picked.length > o.perUserCap) {
      for (let i = 0; i < o.perUserCap; i++) {
        const k = i + rng.int(picked.length - i);
        const x = picked[i];
        picked[i] = picked[k];
        picked[k] = x;
      }
      picked.length = o.perUserCap;
      picked.sort((a, b) => a - b);
    }
    const s0 = userSearchOffsets[u];
    const s1 = userSearchOffsets[u + 1];
    for (const j of picked) {
      const t = watchTime[j];
      U.push(u);
      L.push(watchVideo[j]);
      W.push(j);
      AGE.push(o.split === 'train' ? Math.max(0, split - t) : 0);
      if (o.label === 'next' || o.split === 'test') {
        B0.push(Math.max(w0, j - o.maxWatches));
        B1.push(j);
        SK.push(-1);
        SE.push(lowerBound(searchTime, s0, s1, t));
      } else {
        // Held out: the latest maxWatches watches of the training window, the label left out.
        const end = trainEnd;
        const inWindow = j >= end - o.maxWatches - 1;
        B0.push(Math.max(w0, end - o.maxWatches - (inWindow ? 1 : 0)));
        B1.push(end);
        SK.push(inWindow ? j : -1);
        SE.push(lowerBound(searchTime, s0, s1, split));
      }
    }
  }
  return {
    count: U.length,
    options: o,
    user: Int32Array.from(U),
    label: Int32Array.from(L),
    labelWatch: Int32Array.from(W),
    time: Float32Array.from(W, (j) => watchTime[j]),
    exampleAge: Float32Array.from(AGE),
    bagStart: Int32Array.from(B0),
    bagEnd: Int32Array.from(B1),
    bagSkip: Int32Array.from(SK),
    searchEnd: Int32Array.from(SE),
  };
}

/**
 * Writes example i's watch bag (video ids, newest last) into `out` and returns its length
 * (≤ maxWatches). The order carries no meaning to the model: bags are averaged.
 */
export function watchBag(world: World, ex: CandidateExamples, i: number, out: Int32Array): number {
  const wv = world.logs.watchVideo;
  let n = 0;
  for (let j = ex.bagStart[i]; j < ex.bagEnd[i] && n < out.length; j++)
    if (j !== ex.bagSkip[i]) out[n++] = wv[j];
  return n;
}

/** Number of hash buckets for search bigrams. */
export const BIGRAM_BUCKETS = 4096;

/**
 * Size of the search-token id space: unigram ids are vocabulary ids, bigram (a, b) ids are
 * vocabulary size + hash(a, b) mod BIGRAM_BUCKETS.
 */
export function searchTokenSpace(world: World): number {
  return world.vocabulary.length + BIGRAM_BUCKETS;
}

/** Id of the bigram (a, b) in the search-token space. */
export function bigramId(world: World, a: number, b: number): number {
  const h = (Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 7, 0x85ebca6b)) >>> 0;
  return world.vocabulary.length + (h % BIGRAM_BUCKETS);
}

/**
 * Writes the search bag of user u's searches with index < searchEnd (newest first) into
 * `out`: each query's unigrams and its adjacent bigrams, until `out` is full. Returns the
 * number written (≤ out.length, the maxSearchTokens).
 */
export function searchBag(world: World, u: number, searchEnd: number, out: Int32Array): number {
  const { userSearchOffsets, searchTokenOffsets, searchTokens } = world.logs;
  let n = 0;
  for (let s = searchEnd - 1; s >= userSearchOffsets[u] && n < out.length; s--) {
    const a = searchTokenOffsets[s];
    const b = searchTokenOffsets[s + 1];
    for (let i = a; i < b && n < out.length; i++) out[n++] = searchTokens[i];
    for (let i = a + 1; i < b && n < out.length; i++)
      out[n++] = bigramId(world, searchTokens[i - 1], searchTokens[i]);
  }
  return n;
}
