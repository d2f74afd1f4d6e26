/**
 * Day-by-day sessions: searches, impressions, clicks and watch time, all drawn from the
 * oracle (docs/model.md#sessions, docs/design-notes.md#calibration). Users are simulated one after
 * another, each from its own random stream, so the logs come out grouped by user in time order and
 * the result does not depend on how the work is chunked.
 *
 * A session shows `impressionsPerSession` videos: the next episode of the last watched series
 * (when there is one), three search results (when the session starts with a search), two
 * drawn by global popularity, one fresh upload, one uniform, and the rest from a "legacy
 * recommender" pool: every POOL_REFRESH_SESSIONS sessions (at the start of a day),
 * POOL_CANDIDATES videos drawn
 * ∝ popularity^0.4 (two thirds of them within a topic drawn from the user's interests) are
 * scored by true affinity and the best POOL_SIZE kept.
 */
import { AliasTable } from './alias';
import { STREAM } from './catalogue';
import { Growable } from './growable';
import { affinity, clickLogitFromAffinity, sigmoid, watchFractionFromAffinity } from './oracle';
import { createRng, type Rng } from './rng';
import { ImpressionSource, type Logs, type World } from './types';
import type { Vocabulary } from './catalogue';

const POOL_REFRESH_SESSIONS = 6;
const POOL_CANDIDATES = 120;
const POOL_SIZE = 30;
/** Share of pool candidates drawn from a topic the user likes (the rest: from all videos). */
const POOL_TOPICAL = 0.85;
const SEARCH_RESULTS = 3;
const FRESH_WINDOW_DAYS = 3;
/**
 * The clock advances at least this much (minutes) per watch and between sessions, so a user's
 * watch times are strictly increasing even in float32.
 */
const MIN_WATCH_STEP_MINUTES = 0.05;
/** Concentration of the Beta draw of the watched fraction around its mean. */
const WATCH_CONCENTRATION = 3;

/** Progress callback: fraction done in [0, 1]. */
export type Progress = (fraction: number) => void;

/** Videos sorted by upload time, for "uploaded in the last few days" queries. */
interface UploadIndex {
  order: Int32Array;
  times: Float32Array;
}

function buildUploadIndex(upload: Float32Array): UploadIndex {
  const order = Int32Array.from({ length: upload.length }, (_, i) => i).sort(
    (a, b) => upload[a] - upload[b],
  );
  const times = new Float32Array(order.length);
  for (let i = 0; i < order.length; i++) times[i] = upload[order[i]];
  return { order, times };
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

/** Inverted index token → videos whose title has it (CSR). */
function buildPostings(
  world: World,
  vocabSize: number,
): { offsets: Int32Array; videos: Int32Array } {
  const { titleOffsets, titleTokens, count } = world.videos;
  const offsets = new Int32Array(vocabSize + 1);
  for (let i = 0; i < titleTokens.length; i++) offsets[titleTokens[i] + 1]++;
  for (let t = 0; t < vocabSize; t++) offsets[t + 1] += offsets[t];
  const fill = offsets.slice(0, vocabSize);
  const videos = new Int32Array(titleTokens.length);
  for (let v = 0; v < count; v++) {
    for (let i = titleOffsets[v]; i < titleOffsets[v + 1]; i++) videos[fill[titleTokens[i]]++] = v;
  }
  return { offsets, videos };
}

/** Pushes (v, s) onto the min-heap of `n` entries held in `ids` / `scores`. */
function heapPush(ids: Int32Array, scores: Float64Array, n: number, v: number, s: number): void {
  let i = n;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (scores[parent] <= s) break;
    ids[i] = ids[parent];
    scores[i] = scores[parent];
    i = parent;
  }
  ids[i] = v;
  scores[i] = s;
}

/** Replaces the root (the minimum) of a full min-heap of `n` entries with (v, s). */
function heapReplaceRoot(
  ids: Int32Array,
  scores: Float64Array,
  n: number,
  v: number,
  s: number,
): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const c = l + 1 < n && scores[l + 1] < scores[l] ? l + 1 : l;
    if (scores[c] >= s) break;
    ids[i] = ids[c];
    scores[i] = scores[c];
    i = c;
  }
  ids[i] = v;
  scores[i] = s;
}

/** Fills `cdf` [T] with the cumulative interest mixture of user u. */
function interestCdf(interests: Float32Array, u: number, T: number, cdf: Float64Array): void {
  let s = 0;
  for (let i = 0; i < T; i++) cdf[i] = s += interests[u * T + i];
}

/** A topic drawn from a cumulative mixture by binary search. */
function drawTopic(cdf: Float64Array, rng: Rng): number {
  const x = rng.uniform() * cdf[cdf.length - 1];
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Per topic, an alias table over its videos' weights: draw(topic) → a video of that topic. */
function buildTopicSamplers(topic: Uint16Array, T: number, weight: Float64Array) {
  const members: number[][] = Array.from({ length: T }, () => []);
  for (let v = 0; v < topic.length; v++) members[topic[v]].push(v);
  const tables = members.map((m) => (m.length ? new AliasTable(m.map((v) => weight[v])) : null));
  return {
    draw(t: number, rng: Rng): number {
      const table = tables[t];
      return table ? members[t][table.draw(rng.uniform)] : -1;
    },
  };
}

/**
 * Simulates every user's sessions over the window and returns the logs. `world.logs` is not
 * read. Cost: O(sessions × impressionsPerSession × latentDim + users × days/3 × 120 × latentDim).
 */
export function simulateLogs(world: World, vocab: Vocabulary, onProgress?: Progress): Logs {
  const cfg = world.config;
  const vid = world.videos;
  const usr = world.users;
  const N = vid.count;
  const T = cfg.topics;
  const ips = cfg.impressionsPerSession;

  const popAlias = new AliasTable(vid.popularity);
  const legacyWeight = Float64Array.from(vid.popularity, (p) => Math.pow(p, 0.4));
  const legacyAlias = new AliasTable(legacyWeight);
  const topical = buildTopicSamplers(vid.topic, T, legacyWeight);
  const uploads = buildUploadIndex(vid.uploadTime);
  const postings = buildPostings(world, vocab.words.length);
  const prevEpisode = new Int32Array(N).fill(-1);
  for (let v = 0; v < N; v++) if (vid.nextEpisode[v] >= 0) prevEpisode[vid.nextEpisode[v]] = v;

  let expectedSessions = 0;
  for (let u = 0; u < usr.count; u++) expectedSessions += usr.activity[u] * cfg.days;
  const cap = Math.ceil(expectedSessions * 1.1) + 16;
  const sessionUser = new Growable(Int32Array, cap);
  const sessionTime = new Growable(Float32Array, cap);
  const sessionSearch = new Growable(Int32Array, cap);
  const sessionImpOffsets = new Growable(Int32Array, cap + 1);
  sessionImpOffsets.push(0);
  const impVideo = new Growable(Int32Array, cap * ips);
  const impSource = new Growable(Uint8Array, cap * ips);
  const impClicked = new Growable(Uint8Array, cap * ips);
  const impWatchMinutes = new Growable(Float32Array, cap * ips);
  const watchVideo = new Growable(Int32Array, cap * 3);
  const watchTime = new Growable(Float32Array, cap * 3);
  const watchMinutes = new Growable(Float32Array, cap * 3);
  const watchImpression = new Growable(Int32Array, cap * 3);
  const searchTime = new Growable(Float32Array, cap * cfg.searchRate + 16);
  const searchTokenOffsets = new Growable(Int32Array, cap * cfg.searchRate + 16);
  searchTokenOffsets.push(0);
  const searchTokens = new Growable(Int32Array, cap * cfg.searchRate * 2 + 16);
  const userWatchOffsets = new Int32Array(usr.count + 1);
  const userSearchOffsets = new Int32Array(usr.count + 1);

  // Per-user scratch, reset by stamping with the user / session number instead of clearing.
  const watchedBy = new Int32Array(N).fill(-1);
  const inSession = new Int32Array(N).fill(-1);
  let sessionId = 0;
  const poolMark = new Int32Array(N).fill(-1);
  let poolEpoch = 0;
  const pool = new Int32Array(POOL_SIZE);
  const poolScore = new Float64Array(POOL_SIZE);
  const slots = new Int32Array(ips);
  const slotSource = new Uint8Array(ips);
  const dayTimes = new Float64Array(64);
  const cdf = new Float64Array(T);

  const uploaded = (v: number, t: number): boolean => vid.uploadTime[v] <= t;

  for (let u = 0; u < usr.count; u++) {
    const rng: Rng = createRng(cfg.seed, STREAM.logs, u);
    interestCdf(usr.interests, u, T, cdf);
    let poolSize = 0;
    let lastWatched = -1;
    // A session starts after the user's previous one ends, so watches stay in time order.
    let free = -Infinity;
    let sessionsSinceRefresh = Infinity;
    const refreshPool = (t: number): void => {
      poolSize = 0;
      for (let c = 0; c < POOL_CANDIDATES; c++) {
        const v =
          rng.uniform() < POOL_TOPICAL
            ? topical.draw(drawTopic(cdf, rng), rng)
            : legacyAlias.draw(rng.uniform);
        if (v < 0 || !uploaded(v, t) || poolMark[v] === poolEpoch) continue;
        poolMark[v] = poolEpoch;
        const s = affinity(world, u, v);
        // Keep the POOL_SIZE best in a min-heap on score: the root is the worst kept.
        if (poolSize < POOL_SIZE) heapPush(pool, poolScore, poolSize++, v, s);
        else if (s > poolScore[0]) heapReplaceRoot(pool, poolScore, POOL_SIZE, v, s);
      }
      poolEpoch++;
    };

    for (let day = 0; day < cfg.days; day++) {
      const k = Math.min(dayTimes.length, rng.poisson(usr.activity[u]));
      // Refresh every POOL_REFRESH_SESSIONS sessions (about every 4 days for an average user):
      // the cost follows activity, so light users cost little however large the catalogue.
      if (k > 0 && sessionsSinceRefresh >= POOL_REFRESH_SESSIONS) {
        refreshPool(day);
        sessionsSinceRefresh = 0;
      }
      sessionsSinceRefresh += k;
      for (let i = 0; i < k; i++) dayTimes[i] = day + rng.uniform();
      dayTimes.subarray(0, k).sort();
      for (let s = 0; s < k; s++) {
        const t = Math.max(dayTimes[s], free);
        const sid = sessionId++;
        let n = 0;
        const add = (v: number, src: ImpressionSource): boolean => {
          if (n >= ips || v < 0 || inSession[v] === sid || !uploaded(v, t)) return false;
          inSession[v] = sid;
          slots[n] = v;
          slotSource[n++] = src;
          return true;
        };

        // Search: a topic the user likes, one to three of its words.
        let search = -1;
        if (rng.uniform() < cfg.searchRate) {
          const topic = drawTopic(cdf, rng);
          const a = vocab.topicOffsets[topic];
          const b = vocab.topicOffsets[topic + 1];
          const q = 1 + rng.int(3);
          search = searchTime.length;
          searchTime.push(t);
          for (let i = 0; i < q; i++) {
            const tok =
              i === 0 && rng.uniform() < 0.6
                ? vocab.topicTokens[a]
                : vocab.topicTokens[a + rng.int(b - a)];
            searchTokens.push(tok);
          }
          searchTokenOffsets.push(searchTokens.length);
          // Results: of a dozen videos with the last query word, the best by affinity and popularity.
          const tok = searchTokens.get(searchTokens.length - 1);
          const p0 = postings.offsets[tok];
          const p1 = postings.offsets[tok + 1];
          for (let r = 0; r < SEARCH_RESULTS && p1 > p0; r++) {
            let best = -1;
            let bestScore = -Infinity;
            for (let c = 0; c < 4; c++) {
              const v = postings.videos[p0 + rng.int(p1 - p0)];
              if (!uploaded(v, t) || inSession[v] === sid) continue;
              const sc = affinity(world, u, v) + 0.5 * Math.log(vid.popularity[v] * N);
              if (sc > bestScore) {
                bestScore = sc;
                best = v;
              }
            }
            add(best, ImpressionSource.Search);
          }
        }
        if (lastWatched >= 0) add(vid.nextEpisode[lastWatched], ImpressionSource.NextEpisode);
        for (let i = 0, got = 0; got < 2 && i < 20; i++)
          if (add(popAlias.draw(rng.uniform), ImpressionSource.Popular)) got++;
        // Fresh: the most popular of three uploads from the last few days.
        const hi = upperBound(uploads.times, t);
        const lo = upperBound(uploads.times, t - FRESH_WINDOW_DAYS);
        if (hi > lo) {
          let best = -1;
          for (let c = 0; c < 3; c++) {
            const v = uploads.order[lo + rng.int(hi - lo)];
            if (inSession[v] !== sid && (best < 0 || vid.popularity[v] > vid.popularity[best]))
              best = v;
          }
          add(best, ImpressionSource.Fresh);
        }
        for (let i = 0; i < 10; i++) if (add(rng.int(N), ImpressionSource.Random)) break;
        // Legacy recommender: pool entries in random order, skipping what was watched.
        for (let i = 0; i < poolSize && n < ips; i++) {
          const j = i + rng.int(poolSize - i);
          const v = pool[j];
          pool[j] = pool[i];
          pool[i] = v;
          const sc = poolScore[j];
          poolScore[j] = poolScore[i];
          poolScore[i] = sc;
          if (watchedBy[v] !== u) add(v, ImpressionSource.Legacy);
        }
        // Pool exhausted: the legacy recommender falls back to popular videos of liked topics.
        for (let i = 0; n < ips && i < 50; i++) {
          const v = topical.draw(drawTopic(cdf, rng), rng);
          if (v >= 0 && watchedBy[v] !== u) add(v, ImpressionSource.Legacy);
        }

        // Shuffle the page, then let the user click and watch in page order.
        for (let i = n - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          const v = slots[i];
          slots[i] = slots[j];
          slots[j] = v;
          const src = slotSource[i];
          slotSource[i] = slotSource[j];
          slotSource[j] = src;
        }
        let clock = t;
        for (let i = 0; i < n; i++) {
          const v = slots[i];
          const a = affinity(world, u, v);
          const prev = prevEpisode[v];
          const logit = clickLogitFromAffinity(world, u, v, t, a, {
            watched: watchedBy[v] === u,
            previousEpisodeWatched: prev >= 0 && watchedBy[prev] === u,
          });
          const imp = impVideo.length;
          impVideo.push(v);
          impSource.push(slotSource[i]);
          if (rng.uniform() < sigmoid(logit)) {
            const f = watchFractionFromAffinity(world, v, a);
            const frac = rng.beta(f * WATCH_CONCENTRATION, (1 - f) * WATCH_CONCENTRATION);
            const minutes = vid.duration[v] * frac;
            impClicked.push(1);
            impWatchMinutes.push(minutes);
            watchVideo.push(v);
            watchTime.push(clock);
            watchMinutes.push(minutes);
            watchImpression.push(imp);
            clock += Math.max(minutes, MIN_WATCH_STEP_MINUTES) / 1440;
            watchedBy[v] = u;
            lastWatched = v;
          } else {
            impClicked.push(0);
            impWatchMinutes.push(0);
          }
        }
        free = clock + MIN_WATCH_STEP_MINUTES / 1440;
        sessionUser.push(u);
        sessionTime.push(t);
        sessionSearch.push(search);
        sessionImpOffsets.push(impVideo.length);
      }
    }
    userWatchOffsets[u + 1] = watchVideo.length;
    userSearchOffsets[u + 1] = searchTime.length;
    if (onProgress && (u & 255) === 255) onProgress((u + 1) / usr.count);
  }
  onProgress?.(1);

  return {
    sessions: sessionUser.length,
    sessionUser: sessionUser.finish(),
    sessionTime: sessionTime.finish(),
    sessionSearch: sessionSearch.finish(),
    sessionImpOffsets: sessionImpOffsets.finish(),
    impressions: impVideo.length,
    impVideo: impVideo.finish(),
    impSource: impSource.finish(),
    impClicked: impClicked.finish(),
    impWatchMinutes: impWatchMinutes.finish(),
    watches: watchVideo.length,
    userWatchOffsets,
    watchVideo: watchVideo.finish(),
    watchTime: watchTime.finish(),
    watchMinutes: watchMinutes.finish(),
    watchImpression: watchImpression.finish(),
    searches: searchTime.length,
    userSearchOffsets,
    searchTime: searchTime.finish(),
    searchTokenOffsets: searchTokenOffsets.finish(),
    searchTokens: searchTokens.finish(),
  };
}
