/**
 * The world's own probability that each video is a user's next watch (docs/model.md#oracle-ceiling):
 * the retrieval oracle, a ceiling that includes exposure. The logs are drawn by
 * src/sim/sessions.ts: a session shows a page (search results, the next episode, popular, fresh,
 * uniform and legacy-recommender videos), the page is shuffled, and the user clicks each video
 * in page order with the oracle's P(click). The next watch is the first click; a session without
 * a click is followed by another session.
 *
 * For user u at time t, given what the world knows strictly before t (the videos u watched, the
 * last one, u's interests), this estimates
 *
 *   P(next watch = v) = E_S[ F_v(S) ] / E_S[ 1 − ∏_{j∈S}(1 − p_j) ]
 *   F_v(S)            = [v ∈ S] · p_v · ∫₀¹ ∏_{j∈S, j≠v} (1 − p_j·x) dx
 *
 * where S is a page drawn as sessions.ts draws it and p_j the oracle's P(click) of j at t.
 * F_v is the exact probability that v is the first click of page S under a uniformly random
 * order (give each slot a uniform arrival time x; a slot before v that is not clicked has
 * probability 1 − p_j·x). The expectation over pages is Monte Carlo over `samples` pages, the
 * order and the clicks are integrated exactly (Gauss–Legendre, exact for this polynomial), and
 * the ratio accounts for sessions without a click (sessions are taken as independent draws).
 *
 * What it does not know: the realised page of a session that is already under way (for a next
 * watch that is a later click of the same page) and the legacy recommender's pool of that
 * moment (it draws a fresh pool for every page, at the start of the day). A logged pool has
 * lived for several sessions and lost the best members the user clicked, so drawn pages have
 * a somewhat higher mean affinity than logged ones (0.42 against 0.35 in next-watch.test.ts)
 * and the oracle is somewhat over-confident: its predicted recall@100 (Σ of its top-100
 * probabilities) exceeds the observed by about 0.08 on a 3 000-video world. The page recipe
 * mirrors src/sim/sessions.ts (the constants below); next-watch.test.ts checks the simulated
 * exposure against the logged impressions by source, so a change there fails here.
 */
import { AliasTable } from './alias';
import { buildVocabulary, type Vocabulary } from './catalogue';
import { affinity, CLICK, clickLogitFromAffinity, sigmoid } from './oracle';
import { createRng, type Rng } from './rng';
import type { World } from './types';

/** The page recipe of src/sim/sessions.ts. */
export const PAGE_RECIPE = {
  poolCandidates: 120,
  poolSize: 30,
  poolTopical: 0.85,
  legacyExponent: 0.4,
  searchResults: 3,
  searchCandidates: 4,
  searchPopularityWeight: 0.5,
  freshWindowDays: 3,
  freshCandidates: 3,
  popularSlots: 2,
  popularTries: 20,
  uniformTries: 10,
  fallbackTries: 50,
} as const;

/** Options of {@link nextWatchProbabilities}. */
export interface NextWatchOptions {
  /** Monte Carlo pages (default 512). */
  samples: number;
  /** Seed of the Monte Carlo stream (default 1). */
  seed: number;
}

const defaults: NextWatchOptions = { samples: 512, seed: 1 };

/** Per-world tables of the page recipe, built once per world. */
interface PageTables {
  vocab: Vocabulary;
  popular: AliasTable;
  legacy: AliasTable;
  /** Per topic: its videos and an alias table over their legacy weights. */
  topicVideos: Int32Array[];
  topicAlias: (AliasTable | null)[];
  /** The same per (topic, language), key topic·languages + language (sessions.ts's pool). */
  topicLanguageVideos: Int32Array[];
  topicLanguageAlias: (AliasTable | null)[];
  /** Videos by upload time. */
  uploadOrder: Int32Array;
  uploadTimes: Float32Array;
  /** Token → videos whose title has it (CSR). */
  postingOffsets: Int32Array;
  postingVideos: Int32Array;
  prevEpisode: Int32Array;
}
const tableCache = new WeakMap<World['videos'], PageTables>();

function pageTables(world: World): PageTables {
  let t = tableCache.get(world.videos);
  if (t) return t;
  const vid = world.videos;
  const N = vid.count;
  const T = world.config.topics;
  const vocab = buildVocabulary(T);
  const legacyWeight = Float64Array.from(vid.popularity, (p) =>
    Math.pow(p, PAGE_RECIPE.legacyExponent),
  );
  const members: number[][] = Array.from({ length: T }, () => []);
  for (let v = 0; v < N; v++) members[vid.topic[v]].push(v);
  const L = world.config.languages;
  const byLanguage: number[][] = Array.from({ length: T * L }, () => []);
  for (let v = 0; v < N; v++) byLanguage[vid.topic[v] * L + vid.language[v]].push(v);
  const uploadOrder = Int32Array.from({ length: N }, (_, i) => i).sort(
    (a, b) => vid.uploadTime[a] - vid.uploadTime[b],
  );
  const V = vocab.words.length;
  const postingOffsets = new Int32Array(V + 1);
  for (let i = 0; i < vid.titleTokens.length; i++) postingOffsets[vid.titleTokens[i] + 1]++;
  for (let k = 0; k < V; k++) postingOffsets[k + 1] += postingOffsets[k];
  const fill = postingOffsets.slice(0, V);
  const postingVideos = new Int32Array(vid.titleTokens.length);
  for (let v = 0; v < N; v++)
    for (let i = vid.titleOffsets[v]; i < vid.titleOffsets[v + 1]; i++)
      postingVideos[fill[vid.titleTokens[i]]++] = v;
  const prevEpisode = new Int32Array(N).fill(-1);
  for (let v = 0; v < N; v++) if (vid.nextEpisode[v] >= 0) prevEpisode[vid.nextEpisode[v]] = v;
  t = {
    vocab,
    popular: new AliasTable(vid.popularity),
    legacy: new AliasTable(legacyWeight),
    topicVideos: members.map((m) => Int32Array.from(m)),
    topicAlias: members.map((m) =>
      m.length ? new AliasTable(m.map((v) => legacyWeight[v])) : null,
    ),
    topicLanguageVideos: byLanguage.map((m) => Int32Array.from(m)),
    topicLanguageAlias: byLanguage.map((m) =>
      m.length ? new AliasTable(m.map((v) => legacyWeight[v])) : null,
    ),
    uploadOrder,
    uploadTimes: Float32Array.from(uploadOrder, (v) => vid.uploadTime[v]),
    postingOffsets,
    postingVideos,
    prevEpisode,
  };
  tableCache.set(world.videos, t);
  return t;
}

/** First index i with times[i] > t. */
function upperBound(times: Float32Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Gauss–Legendre nodes and weights on [0, 1] with m points (exact for degree ≤ 2m − 1). */
export function gaussLegendre01(m: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(m);
  const w = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    // Newton on P_m from the Chebyshev-like start (Numerical Recipes' gauleg).
    let z = Math.cos((Math.PI * (i + 0.75)) / (m + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 1; j <= m; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
      }
      dp = (m * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / dp;
      if (Math.abs(z - z1) < 1e-15) break;
    }
    x[i] = (1 - z) / 2;
    w[i] = 1 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

/**
 * Probability that slot i of a page is its first click when the page is shuffled uniformly and
 * each slot j is clicked independently with probability p[j]: p_i·∫₀¹ ∏_{j≠i}(1 − p_j·x) dx,
 * written to `out` [n]. `gl` must integrate degree n − 1 exactly (≥ n/2 points). The sum over
 * i is 1 − ∏(1 − p_j). O(n² · points).
 */
export function firstClickProbabilities(
  p: ArrayLike<number>,
  n: number,
  gl: { x: Float64Array; w: Float64Array },
  out: Float64Array,
): Float64Array {
  for (let i = 0; i < n; i++) {
    let integral = 0;
    for (let q = 0; q < gl.x.length; q++) {
      let prod = 1;
      for (let j = 0; j < n; j++) if (j !== i) prod *= 1 - p[j] * gl.x[q];
      integral += gl.w[q] * prod;
    }
    out[i] = p[i] * integral;
  }
  return out;
}

/** What the world knows of a user strictly before a time: watched videos and the last one. */
export interface WatchState {
  /** Videos watched before the time. */
  watched: Set<number>;
  /** The last video watched before the time (−1 if none). */
  lastWatched: number;
}

/** {@link WatchState} of `user` strictly before `time` (days) from the logs. */
export function watchStateBefore(world: World, user: number, time: number): WatchState {
  const { logs } = world;
  const watched = new Set<number>();
  let lastWatched = -1;
  for (let j = logs.userWatchOffsets[user]; j < logs.userWatchOffsets[user + 1]; j++) {
    if (!(logs.watchTime[j] < time)) break;
    watched.add(logs.watchVideo[j]);
    lastWatched = logs.watchVideo[j];
  }
  return { watched, lastWatched };
}

/**
 * Draws one page for `user` at `time` as src/sim/sessions.ts does (search results, next episode,
 * popular, fresh, uniform, legacy pool, fallback) and returns its videos [≤ impressionsPerSession]
 * (order irrelevant: the page is shuffled before clicks).
 */
export function drawPage(
  world: World,
  user: number,
  time: number,
  state: WatchState,
  rng: Rng,
  interestCdf: Float64Array,
): Int32Array {
  const tb = pageTables(world);
  const vid = world.videos;
  const N = vid.count;
  const ips = world.config.impressionsPerSession;
  const R = PAGE_RECIPE;
  const slots: number[] = [];
  const inPage = new Set<number>();
  const uploaded = (v: number, t: number) => vid.uploadTime[v] <= t;
  const add = (v: number): boolean => {
    if (slots.length >= ips || v < 0 || inPage.has(v) || !uploaded(v, time)) return false;
    inPage.add(v);
    slots.push(v);
    return true;
  };
  const drawTopic = (): number => {
    const x = rng.uniform() * interestCdf[interestCdf.length - 1];
    let lo = 0;
    let hi = interestCdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (interestCdf[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const topical = (topic: number): number => {
    const a = tb.topicAlias[topic];
    return a ? tb.topicVideos[topic][a.draw(rng.uniform)] : -1;
  };
  // In the user's language when the topic has videos in it (sessions.ts drawTopicalInLanguage).
  const language = world.users.language[user];
  const topicalInLanguage = (topic: number): number => {
    const k = topic * world.config.languages + language;
    const a = tb.topicLanguageAlias[k];
    return a ? tb.topicLanguageVideos[k][a.draw(rng.uniform)] : topical(topic);
  };
  const mismatch = CLICK.languageMismatch / CLICK.affinity;

  // The legacy recommender's pool, drawn at the start of the day (sessions.ts refreshes it
  // every few sessions, at a day's start).
  const day = Math.floor(time);
  const pool: { v: number; a: number }[] = [];
  const seen = new Set<number>();
  for (let c = 0; c < R.poolCandidates; c++) {
    const v =
      rng.uniform() < R.poolTopical ? topicalInLanguage(drawTopic()) : tb.legacy.draw(rng.uniform);
    if (v < 0 || !uploaded(v, day) || seen.has(v)) continue;
    seen.add(v);
    pool.push({ v, a: affinity(world, user, v) + (vid.language[v] !== language ? mismatch : 0) });
  }
  pool.sort((x, y) => y.a - x.a);
  pool.length = Math.min(pool.length, R.poolSize);

  if (rng.uniform() < world.config.searchRate) {
    const topic = drawTopic();
    const a = tb.vocab.topicOffsets[topic];
    const b = tb.vocab.topicOffsets[topic + 1];
    const q = 1 + rng.int(3);
    let tok = -1;
    for (let i = 0; i < q; i++)
      tok =
        i === 0 && rng.uniform() < 0.6
          ? tb.vocab.topicTokens[a]
          : tb.vocab.topicTokens[a + rng.int(b - a)];
    const p0 = tb.postingOffsets[tok];
    const p1 = tb.postingOffsets[tok + 1];
    for (let r = 0; r < R.searchResults && p1 > p0; r++) {
      let best = -1;
      let bestScore = -Infinity;
      for (let c = 0; c < R.searchCandidates; c++) {
        const v = tb.postingVideos[p0 + rng.int(p1 - p0)];
        if (!uploaded(v, time) || inPage.has(v)) continue;
        const sc =
          affinity(world, user, v) + R.searchPopularityWeight * Math.log(vid.popularity[v] * N);
        if (sc > bestScore) {
          bestScore = sc;
          best = v;
        }
      }
      add(best);
    }
  }
  if (state.lastWatched >= 0) add(vid.nextEpisode[state.lastWatched]);
  for (let i = 0, got = 0; got < R.popularSlots && i < R.popularTries; i++)
    if (add(tb.popular.draw(rng.uniform))) got++;
  const hi = upperBound(tb.uploadTimes, time);
  const lo = upperBound(tb.uploadTimes, time - R.freshWindowDays);
  if (hi > lo) {
    let best = -1;
    for (let c = 0; c < R.freshCandidates; c++) {
      const v = tb.uploadOrder[lo + rng.int(hi - lo)];
      if (!inPage.has(v) && (best < 0 || vid.popularity[v] > vid.popularity[best])) best = v;
    }
    add(best);
  }
  for (let i = 0; i < R.uniformTries; i++) if (add(rng.int(N))) break;
  // The pool in random order, skipping what the user watched.
  for (let i = 0; i < pool.length && slots.length < ips; i++) {
    const j = i + rng.int(pool.length - i);
    const e = pool[j];
    pool[j] = pool[i];
    pool[i] = e;
    if (!state.watched.has(e.v)) add(e.v);
  }
  for (let i = 0; slots.length < ips && i < R.fallbackTries; i++) {
    const v = topicalInLanguage(drawTopic());
    if (v >= 0 && !state.watched.has(v)) add(v);
  }
  return Int32Array.from(slots);
}

/**
 * P(next watch = v) for every video v [videos] of `user` at `time` (days), by the generative
 * process (module comment): non-negative, summing to 1 (up to rounding) unless no sampled page
 * can be clicked (then all 0). Cost: O(samples × (poolCandidates + page²) × latentDim).
 */
export function nextWatchProbabilities(
  world: World,
  user: number,
  time: number,
  options: Partial<NextWatchOptions> = {},
): Float64Array {
  const o = { ...defaults, ...options };
  const T = world.config.topics;
  const cdf = new Float64Array(T);
  let acc = 0;
  for (let k = 0; k < T; k++) cdf[k] = acc += world.users.interests[user * T + k];
  const state = watchStateBefore(world, user, time);
  const { prevEpisode } = pageTables(world);
  const rng = createRng(o.seed, 0x6e77, user, Math.floor(time * 1440));
  const gl = gaussLegendre01(Math.ceil(world.config.impressionsPerSession / 2) + 1);
  const out = new Float64Array(world.videos.count);
  let anyClick = 0;
  const p = new Float64Array(world.config.impressionsPerSession);
  const first = new Float64Array(world.config.impressionsPerSession);
  for (let s = 0; s < o.samples; s++) {
    const page = drawPage(world, user, time, state, rng, cdf);
    const n = page.length;
    let none = 1;
    for (let i = 0; i < n; i++) {
      const v = page[i];
      const prev = prevEpisode[v];
      const ctx = {
        watched: state.watched.has(v),
        previousEpisodeWatched: prev >= 0 && state.watched.has(prev),
      };
      p[i] = sigmoid(clickLogitFromAffinity(world, user, v, time, affinity(world, user, v), ctx));
      none *= 1 - p[i];
    }
    anyClick += 1 - none;
    firstClickProbabilities(p, n, gl, first);
    for (let i = 0; i < n; i++) out[page[i]] += first[i];
  }
  if (anyClick > 0) for (let v = 0; v < out.length; v++) out[v] /= anyClick;
  return out;
}
