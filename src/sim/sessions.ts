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
 * ∝ popularity^0.4 (85% of them within a topic drawn from the user's interests, in the user's
 * language when the topic has videos in it) are
 * scored by true affinity (less POOL_LANGUAGE_MISMATCH for another language) and the best
 * POOL_SIZE kept.
 */
import { AliasTable } from './alias';
import { STREAM } from './catalogue';
import {
  affinity,
  CLICK,
  clickLogitFromAffinity,
  sigmoid,
  watchFractionFromAffinity,
} from './oracle';
import { createRng, type Rng } from './rng';
import { ImpressionSource, type Logs, type World } from './types';
import type { Vocabulary } from './catalogue';

const POOL_REFRESH_SESSIONS = 6;
const POOL_CANDIDATES = 120;
const POOL_SIZE = 30;
/** Share of pool candidates drawn from a topic the user likes (the rest: from all videos). */
const POOL_TOPICAL = 0.85;
/**
 * The legacy recommender knows the user's language: a pool candidate in another language
 * scores this much lower (in affinity units; the click logit's language term over its
 * affinity weight), so most of a user's legacy impressions are in their language.
 */
const POOL_LANGUAGE_MISMATCH = CLICK.languageMismatch / CLICK.affinity;
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

/**
 * Videos sorted by upload time, for "uploaded in the last few days" queries, with a coarse
 * index by whole day so a query searches one day's uploads rather than the whole catalogue.
 */
interface UploadIndex {
  order: Int32Array;
  times: Float32Array;
  /** First whole day the coarse index covers (the earliest upload's, floored). */
  firstDay: number;
  /** dayStart[d] = upperBound(times, firstDay + d), for d = 0 … days covered. */
  dayStart: Int32Array;
}

function buildUploadIndex(upload: Float32Array): UploadIndex {
  const order = Int32Array.from({ length: upload.length }, (_, i) => i).sort(
    (a, b) => upload[a] - upload[b],
  );
  const times = new Float32Array(order.length);
  for (let i = 0; i < order.length; i++) times[i] = upload[order[i]];
  const n = times.length;
  const firstDay = n ? Math.floor(times[0]) : 0;
  const lastDay = n ? Math.floor(times[n - 1]) + 1 : 0;
  const dayStart = new Int32Array(lastDay - firstDay + 1);
  for (let d = 0; d < dayStart.length; d++) dayStart[d] = upperBoundIn(times, firstDay + d, 0, n);
  return { order, times, firstDay, dayStart };
}

/** First index i in [lo, hi) with times[i] > t, or hi; times sorted, and times[lo − 1] ≤ t. */
function upperBoundIn(times: Float32Array, t: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * First index i with times[i] > t: the answer lies between the day index's bounds for
 * ⌊t⌋ and ⌊t⌋ + 1, so only that day's uploads are searched (the same index as a full search).
 */
function upperBound(index: UploadIndex, t: number): number {
  const { times, dayStart } = index;
  const d = Math.floor(t) - index.firstDay;
  if (d < 0) return 0; // t < firstDay ≤ every upload time
  if (d + 1 >= dayStart.length) return times.length; // t ≥ lastDay > every upload time
  return upperBoundIn(times, t, dayStart[d], dayStart[d + 1]);
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

/**
 * Per key (a topic, or a topic and a language: topic·languages + language), an alias table over
 * its videos' weights, the videos held in CSR order (key by key, ascending id):
 * `drawTopical(samplers, k, rng)` → a video of key k, or −1 when it has none.
 */
interface TopicSamplers {
  offsets: Int32Array;
  videos: Int32Array;
  tables: (AliasTable | null)[];
}

function buildTopicSamplers(
  topic: ArrayLike<number>,
  T: number,
  weight: Float64Array,
): TopicSamplers {
  const offsets = new Int32Array(T + 1);
  for (let v = 0; v < topic.length; v++) offsets[topic[v] + 1]++;
  for (let t = 0; t < T; t++) offsets[t + 1] += offsets[t];
  const fill = offsets.slice(0, T);
  const videos = new Int32Array(topic.length);
  for (let v = 0; v < topic.length; v++) videos[fill[topic[v]]++] = v;
  const w = new Float64Array(topic.length);
  for (let i = 0; i < videos.length; i++) w[i] = weight[videos[i]];
  const tables: (AliasTable | null)[] = [];
  for (let t = 0; t < T; t++)
    tables.push(
      offsets[t + 1] > offsets[t] ? new AliasTable(w.subarray(offsets[t], offsets[t + 1])) : null,
    );
  return { offsets, videos, tables };
}

function drawTopical(s: TopicSamplers, t: number, rng: Rng): number {
  const table = s.tables[t];
  return table ? s.videos[s.offsets[t] + table.draw(rng.uniform)] : -1;
}

/**
 * The legacy recommender's topical draw: a video of topic t in `language` (∝ popularity^0.4),
 * or of topic t in any language when the topic has none in it; −1 when the topic is empty.
 */
function drawTopicalInLanguage(
  topical: TopicSamplers,
  byLanguage: TopicSamplers,
  languages: number,
  t: number,
  language: number,
  rng: Rng,
): number {
  const v = drawTopical(byLanguage, t * languages + language, rng);
  return v >= 0 ? v : drawTopical(topical, t, rng);
}

/**
 * The log columns being written, each a typed array grown by doubling. The generator reserves
 * room for a whole session once (`reserve`) and then writes with plain indexed stores, so the
 * hot loop has no capacity check and no polymorphic `push` (one class over three element types).
 */
class LogColumns {
  sessions = 0;
  sessionUser: Int32Array;
  sessionTime: Float32Array;
  sessionSearch: Int32Array;
  /** CSR offsets, written one ahead: sessionImpOffsets[sessions] = impressions. */
  sessionImpOffsets: Int32Array;
  impressions = 0;
  impVideo: Int32Array;
  impSource: Uint8Array;
  impClicked: Uint8Array;
  impWatchMinutes: Float32Array;
  watches = 0;
  watchVideo: Int32Array;
  watchTime: Float32Array;
  watchMinutes: Float32Array;
  watchImpression: Int32Array;
  searches = 0;
  searchTime: Float32Array;
  /** CSR offsets, written one ahead: searchTokenOffsets[searches] = tokens. */
  searchTokenOffsets: Int32Array;
  tokens = 0;
  searchTokens: Int32Array;

  constructor(sessionCap: number, ips: number, searchRate: number) {
    const searchCap = Math.ceil(sessionCap * searchRate) + 16;
    this.sessionUser = new Int32Array(sessionCap);
    this.sessionTime = new Float32Array(sessionCap);
    this.sessionSearch = new Int32Array(sessionCap);
    this.sessionImpOffsets = new Int32Array(sessionCap + 1);
    this.impVideo = new Int32Array(sessionCap * ips);
    this.impSource = new Uint8Array(sessionCap * ips);
    this.impClicked = new Uint8Array(sessionCap * ips);
    this.impWatchMinutes = new Float32Array(sessionCap * ips);
    this.watchVideo = new Int32Array(sessionCap * 3);
    this.watchTime = new Float32Array(sessionCap * 3);
    this.watchMinutes = new Float32Array(sessionCap * 3);
    this.watchImpression = new Int32Array(sessionCap * 3);
    this.searchTime = new Float32Array(searchCap);
    this.searchTokenOffsets = new Int32Array(searchCap + 1);
    this.searchTokens = new Int32Array(searchCap * 2);
  }

  /** Makes room for one more session of at most `ips` impressions (and as many watches). */
  reserve(ips: number): void {
    if (this.sessions + 1 >= this.sessionUser.length) {
      this.sessionUser = grow(this.sessionUser, this.sessions + 1);
      this.sessionTime = grow(this.sessionTime, this.sessions + 1);
      this.sessionSearch = grow(this.sessionSearch, this.sessions + 1);
      this.sessionImpOffsets = grow(this.sessionImpOffsets, this.sessions + 2);
    }
    if (this.impressions + ips > this.impVideo.length) {
      const need = this.impressions + ips;
      this.impVideo = grow(this.impVideo, need);
      this.impSource = grow(this.impSource, need);
      this.impClicked = grow(this.impClicked, need);
      this.impWatchMinutes = grow(this.impWatchMinutes, need);
    }
    if (this.watches + ips > this.watchVideo.length) {
      const need = this.watches + ips;
      this.watchVideo = grow(this.watchVideo, need);
      this.watchTime = grow(this.watchTime, need);
      this.watchMinutes = grow(this.watchMinutes, need);
      this.watchImpression = grow(this.watchImpression, need);
    }
    if (this.searches + 1 >= this.searchTime.length) {
      this.searchTime = grow(this.searchTime, this.searches + 1);
      this.searchTokenOffsets = grow(this.searchTokenOffsets, this.searches + 2);
    }
    if (this.tokens + 3 > this.searchTokens.length)
      this.searchTokens = grow(this.searchTokens, this.tokens + 3);
  }
}

type Column = Int32Array | Float32Array | Uint8Array;

/** A copy of `a` with at least `need` elements (doubling), the first elements kept. */
function grow<T extends Column>(a: T, need: number): T {
  const next = new (a.constructor as new (n: number) => T)(Math.max(need, 2 * a.length, 16));
  next.set(a);
  return next;
}

/** The first `n` elements of `a` as a tight array (`a` itself when it is exactly full). */
function tight<T extends Column>(a: T, n: number): T {
  return (n === a.length ? a : a.slice(0, n)) as T;
}

/**
 * One page being assembled: its videos and their sources, at most `ips`, distinct within the
 * session (stamped in `inSession` with the session id) and uploaded by the session's time.
 */
class Page {
  n = 0;
  sid = 0;
  t = 0;
  readonly slots: Int32Array;
  readonly source: Uint8Array;
  constructor(
    readonly ips: number,
    readonly inSession: Int32Array,
    readonly uploadTime: Float32Array,
  ) {
    this.slots = new Int32Array(ips);
    this.source = new Uint8Array(ips);
  }

  /** Starts session `sid` at time t (days) with an empty page. */
  start(sid: number, t: number): void {
    this.n = 0;
    this.sid = sid;
    this.t = t;
  }

  /** Adds v unless the page is full, v < 0, v is already on it or not yet uploaded. */
  add(v: number, src: ImpressionSource): boolean {
    if (this.n >= this.ips || v < 0 || this.inSession[v] === this.sid) return false;
    if (!(this.uploadTime[v] <= this.t)) return false;
    this.inSession[v] = this.sid;
    this.slots[this.n] = v;
    this.source[this.n++] = src;
    return true;
  }
}

/**
 * The legacy recommender's pool of one user: the POOL_SIZE best by true affinity of
 * POOL_CANDIDATES distinct uploaded candidates, kept as a min-heap on score while it fills.
 */
class LegacyPool {
  size = 0;
  readonly ids = new Int32Array(POOL_SIZE);
  readonly scores = new Float64Array(POOL_SIZE);
  /** Candidates seen in the current refresh are stamped with `epoch`. */
  private readonly mark: Int32Array;
  private epoch = 0;
  constructor(
    private readonly world: World,
    private readonly topical: TopicSamplers,
    private readonly byLanguage: TopicSamplers,
    private readonly legacyAlias: AliasTable,
  ) {
    this.mark = new Int32Array(world.videos.count).fill(-1);
  }

  /** Refills the pool of user u at time t (days) from `rng`, topics drawn from `cdf`. */
  refresh(u: number, t: number, rng: Rng, cdf: Float64Array): void {
    const uploadTime = this.world.videos.uploadTime;
    const videoLanguage = this.world.videos.language;
    const language = this.world.users.language[u];
    const languages = this.world.config.languages;
    const { mark, epoch, ids, scores } = this;
    let size = 0;
    for (let c = 0; c < POOL_CANDIDATES; c++) {
      const v =
        rng.uniform() < POOL_TOPICAL
          ? drawTopicalInLanguage(
              this.topical,
              this.byLanguage,
              languages,
              drawTopic(cdf, rng),
              language,
              rng,
            )
          : this.legacyAlias.draw(rng.uniform);
      if (v < 0 || !(uploadTime[v] <= t) || mark[v] === epoch) continue;
      mark[v] = epoch;
      const s =
        affinity(this.world, u, v) + (videoLanguage[v] !== language ? POOL_LANGUAGE_MISMATCH : 0);
      // Keep the POOL_SIZE best in a min-heap on score: the root is the worst kept.
      if (size < POOL_SIZE) heapPush(ids, scores, size++, v, s);
      else if (s > scores[0]) heapReplaceRoot(ids, scores, POOL_SIZE, v, s);
    }
    this.size = size;
    this.epoch++;
  }
}

/**
 * What every shard of users needs: the world, its vocabulary and the indexes built once over
 * the catalogue (alias tables, topic samplers, upload index, postings, previous episodes).
 */
export interface SessionContext {
  world: World;
  vocab: Vocabulary;
  popAlias: AliasTable;
  legacyAlias: AliasTable;
  topical: TopicSamplers;
  /** The same per (topic, language): key topic·languages + language. */
  topicalByLanguage: TopicSamplers;
  uploads: UploadIndex;
  postings: { offsets: Int32Array; videos: Int32Array };
  prevEpisode: Int32Array;
}

/** Builds the catalogue's indexes the sessions draw from (O(videos + title tokens)). */
export function sessionContext(world: World, vocab: Vocabulary): SessionContext {
  const vid = world.videos;
  const N = vid.count;
  const popAlias = new AliasTable(vid.popularity);
  const legacyWeight = new Float64Array(N);
  for (let v = 0; v < N; v++) legacyWeight[v] = Math.pow(vid.popularity[v], 0.4);
  const legacyAlias = new AliasTable(legacyWeight);
  const topical = buildTopicSamplers(vid.topic, world.config.topics, legacyWeight);
  const L = world.config.languages;
  const keys = new Int32Array(N);
  for (let v = 0; v < N; v++) keys[v] = vid.topic[v] * L + vid.language[v];
  const topicalByLanguage = buildTopicSamplers(keys, world.config.topics * L, legacyWeight);
  const uploads = buildUploadIndex(vid.uploadTime);
  const postings = buildPostings(world, vocab.words.length);
  const prevEpisode = new Int32Array(N).fill(-1);
  for (let v = 0; v < N; v++) if (vid.nextEpisode[v] >= 0) prevEpisode[vid.nextEpisode[v]] = v;
  return {
    world,
    vocab,
    popAlias,
    legacyAlias,
    topical,
    topicalByLanguage,
    uploads,
    postings,
    prevEpisode,
  };
}

/**
 * Simulates every user's sessions over the window and returns the logs. `world.logs` is not
 * read. Cost: O(sessions × impressionsPerSession × latentDim + users × days/3 × 120 × latentDim).
 * `shards` > 1 simulates the users in that many contiguous ranges and joins them: each user
 * draws from its own stream and nothing else carries from one user to the next, so the logs are
 * the same bit for bit whatever the number of shards (the ranges could run on as many workers).
 */
export function simulateLogs(
  world: World,
  vocab: Vocabulary,
  onProgress?: Progress,
  shards = 1,
): Logs {
  const ctx = sessionContext(world, vocab);
  const U = world.users.count;
  const k = Math.max(1, Math.min(U, Math.floor(shards)));
  const parts: Logs[] = [];
  for (let i = 0; i < k; i++) {
    const from = Math.floor((i * U) / k);
    const to = Math.floor(((i + 1) * U) / k);
    parts.push(simulateUserRange(ctx, from, to, (f) => onProgress?.((from + f * (to - from)) / U)));
  }
  onProgress?.(1);
  return parts.length === 1 ? parts[0] : joinLogs(parts);
}

/**
 * The logs of users [from, to): the same shape as `Logs`, its indices local to the range
 * (session, impression, watch and search ids start at 0; `userWatchOffsets` and
 * `userSearchOffsets` have to − from + 1 entries). `joinLogs` puts ranges together.
 * No closure is created per user or per session (issue 14: they cost a fifth of the time).
 */
export function simulateUserRange(
  ctx: SessionContext,
  from: number,
  to: number,
  onProgress?: Progress,
): Logs {
  const { world, vocab, popAlias, topical, uploads, postings, prevEpisode } = ctx;
  const cfg = world.config;
  const vid = world.videos;
  const usr = world.users;
  const N = vid.count;
  const T = cfg.topics;
  const ips = cfg.impressionsPerSession;
  const uploadTime = vid.uploadTime;
  const popularity = vid.popularity;
  const nextEpisode = vid.nextEpisode;
  const duration = vid.duration;

  let expectedSessions = 0;
  for (let u = from; u < to; u++) expectedSessions += usr.activity[u] * cfg.days;
  const out = new LogColumns(Math.ceil(expectedSessions * 1.1) + 16, ips, cfg.searchRate);
  const userWatchOffsets = new Int32Array(to - from + 1);
  const userSearchOffsets = new Int32Array(to - from + 1);

  // Per-user scratch, reset by stamping with the user / session number instead of clearing.
  const watchedBy = new Int32Array(N).fill(-1);
  const inSession = new Int32Array(N).fill(-1);
  let sessionId = 0;
  const byLanguage = ctx.topicalByLanguage;
  const languages = cfg.languages;
  const pool = new LegacyPool(world, topical, byLanguage, ctx.legacyAlias);
  const page = new Page(ips, inSession, uploadTime);
  const slots = page.slots;
  const slotSource = page.source;
  const dayTimes = new Float64Array(64);
  const cdf = new Float64Array(T);

  for (let u = from; u < to; u++) {
    const rng: Rng = createRng(cfg.seed, STREAM.logs, u);
    interestCdf(usr.interests, u, T, cdf);
    pool.size = 0;
    let lastWatched = -1;
    // A session starts after the user's previous one ends, so watches stay in time order.
    let free = -Infinity;
    let sessionsSinceRefresh = Infinity;

    for (let day = 0; day < cfg.days; day++) {
      const k = Math.min(dayTimes.length, rng.poisson(usr.activity[u]));
      // Refresh every POOL_REFRESH_SESSIONS sessions (about every 4 days for an average user):
      // the cost follows activity, so light users cost little however large the catalogue.
      if (k > 0 && sessionsSinceRefresh >= POOL_REFRESH_SESSIONS) {
        pool.refresh(u, day, rng, cdf);
        sessionsSinceRefresh = 0;
      }
      sessionsSinceRefresh += k;
      // The day's start times in ascending order: an insertion sort of the k (≤ 64, mostly 1–3)
      // draws as they come, the same order as a numeric sort without a subarray per day.
      for (let i = 0; i < k; i++) {
        const x = day + rng.uniform();
        let j = i;
        for (; j > 0 && dayTimes[j - 1] > x; j--) dayTimes[j] = dayTimes[j - 1];
        dayTimes[j] = x;
      }
      for (let s = 0; s < k; s++) {
        const t = Math.max(dayTimes[s], free);
        const sid = sessionId++;
        page.start(sid, t);
        out.reserve(ips);

        // Search: a topic the user likes, one to three of its words.
        let search = -1;
        if (rng.uniform() < cfg.searchRate) {
          const topic = drawTopic(cdf, rng);
          const a = vocab.topicOffsets[topic];
          const b = vocab.topicOffsets[topic + 1];
          const q = 1 + rng.int(3);
          search = out.searches++;
          out.searchTime[search] = t;
          let tok = -1;
          for (let i = 0; i < q; i++) {
            tok =
              i === 0 && rng.uniform() < 0.6
                ? vocab.topicTokens[a]
                : vocab.topicTokens[a + rng.int(b - a)];
            out.searchTokens[out.tokens++] = tok;
          }
          out.searchTokenOffsets[out.searches] = out.tokens;
          // Results: of a dozen videos with the last query word, the best by affinity and popularity.
          const p0 = postings.offsets[tok];
          const p1 = postings.offsets[tok + 1];
          for (let r = 0; r < SEARCH_RESULTS && p1 > p0; r++) {
            let best = -1;
            let bestScore = -Infinity;
            for (let c = 0; c < 4; c++) {
              const v = postings.videos[p0 + rng.int(p1 - p0)];
              if (!(uploadTime[v] <= t) || inSession[v] === sid) continue;
              const sc = affinity(world, u, v) + 0.5 * Math.log(popularity[v] * N);
              if (sc > bestScore) {
                bestScore = sc;
                best = v;
              }
            }
            page.add(best, ImpressionSource.Search);
          }
        }
        if (lastWatched >= 0) page.add(nextEpisode[lastWatched], ImpressionSource.NextEpisode);
        for (let i = 0, got = 0; got < 2 && i < 20; i++)
          if (page.add(popAlias.draw(rng.uniform), ImpressionSource.Popular)) got++;
        // Fresh: the most popular of three uploads from the last few days.
        const hi = upperBound(uploads, t);
        const lo = upperBound(uploads, t - FRESH_WINDOW_DAYS);
        if (hi > lo) {
          let best = -1;
          for (let c = 0; c < 3; c++) {
            const v = uploads.order[lo + rng.int(hi - lo)];
            if (inSession[v] !== sid && (best < 0 || popularity[v] > popularity[best])) best = v;
          }
          page.add(best, ImpressionSource.Fresh);
        }
        for (let i = 0; i < 10; i++) if (page.add(rng.int(N), ImpressionSource.Random)) break;
        // Legacy recommender: pool entries in random order, skipping what was watched.
        const poolIds = pool.ids;
        const poolScore = pool.scores;
        for (let i = 0; i < pool.size && page.n < ips; i++) {
          const j = i + rng.int(pool.size - i);
          const v = poolIds[j];
          poolIds[j] = poolIds[i];
          poolIds[i] = v;
          const sc = poolScore[j];
          poolScore[j] = poolScore[i];
          poolScore[i] = sc;
          if (watchedBy[v] !== u) page.add(v, ImpressionSource.Legacy);
        }
        // Pool exhausted: the legacy recommender falls back to popular videos of liked topics.
        for (let i = 0; page.n < ips && i < 50; i++) {
          const v = drawTopicalInLanguage(
            topical,
            byLanguage,
            languages,
            drawTopic(cdf, rng),
            usr.language[u],
            rng,
          );
          if (v >= 0 && watchedBy[v] !== u) page.add(v, ImpressionSource.Legacy);
        }

        // Shuffle the page, then let the user click and watch in page order.
        const n = page.n;
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
          const imp = out.impressions++;
          out.impVideo[imp] = v;
          out.impSource[imp] = slotSource[i];
          if (rng.uniform() < sigmoid(logit)) {
            const f = watchFractionFromAffinity(world, v, a);
            const frac = rng.beta(f * WATCH_CONCENTRATION, (1 - f) * WATCH_CONCENTRATION);
            const minutes = duration[v] * frac;
            out.impClicked[imp] = 1;
            out.impWatchMinutes[imp] = minutes;
            const w = out.watches++;
            out.watchVideo[w] = v;
            out.watchTime[w] = clock;
            out.watchMinutes[w] = minutes;
            out.watchImpression[w] = imp;
            clock += Math.max(minutes, MIN_WATCH_STEP_MINUTES) / 1440;
            watchedBy[v] = u;
            lastWatched = v;
          } else {
            out.impClicked[imp] = 0;
            out.impWatchMinutes[imp] = 0;
          }
        }
        free = clock + MIN_WATCH_STEP_MINUTES / 1440;
        const ses = out.sessions++;
        out.sessionUser[ses] = u;
        out.sessionTime[ses] = t;
        out.sessionSearch[ses] = search;
        out.sessionImpOffsets[ses + 1] = out.impressions;
      }
    }
    userWatchOffsets[u + 1 - from] = out.watches;
    userSearchOffsets[u + 1 - from] = out.searches;
    if (onProgress && (u & 255) === 255) onProgress((u + 1 - from) / (to - from));
  }

  return {
    sessions: out.sessions,
    sessionUser: tight(out.sessionUser, out.sessions),
    sessionTime: tight(out.sessionTime, out.sessions),
    sessionSearch: tight(out.sessionSearch, out.sessions),
    sessionImpOffsets: tight(out.sessionImpOffsets, out.sessions + 1),
    impressions: out.impressions,
    impVideo: tight(out.impVideo, out.impressions),
    impSource: tight(out.impSource, out.impressions),
    impClicked: tight(out.impClicked, out.impressions),
    impWatchMinutes: tight(out.impWatchMinutes, out.impressions),
    watches: out.watches,
    userWatchOffsets,
    watchVideo: tight(out.watchVideo, out.watches),
    watchTime: tight(out.watchTime, out.watches),
    watchMinutes: tight(out.watchMinutes, out.watches),
    watchImpression: tight(out.watchImpression, out.watches),
    searches: out.searches,
    userSearchOffsets,
    searchTime: tight(out.searchTime, out.searches),
    searchTokenOffsets: tight(out.searchTokenOffsets, out.searches + 1),
    searchTokens: tight(out.searchTokens, out.tokens),
  };
}

/** The parts one after another in one array of their element type. */
function concat<T extends Column>(parts: T[]): T {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new (parts[0].constructor as new (n: number) => T)(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * CSR offsets of consecutive ranges joined: each part's offsets (starting at 0) shifted by the
 * total of the parts before it, the shared boundary written once.
 */
function joinOffsets(parts: Int32Array[]): Int32Array {
  let n = 1;
  for (const p of parts) n += p.length - 1;
  const out = new Int32Array(n);
  let at = 0;
  let base = 0;
  for (const p of parts) {
    for (let i = 1; i < p.length; i++) out[at + i] = p[i] + base;
    at += p.length - 1;
    base = out[at];
  }
  return out;
}

/** The logs of consecutive user ranges (from `simulateUserRange`) joined into one. */
export function joinLogs(parts: Logs[]): Logs {
  const sessionSearch = concat(parts.map((p) => p.sessionSearch));
  const watchImpression = concat(parts.map((p) => p.watchImpression));
  // Shift each part's search and impression ids by the counts of the parts before it.
  let s = 0;
  let w = 0;
  let searchBase = 0;
  let impBase = 0;
  for (const p of parts) {
    for (let i = 0; i < p.sessions; i++, s++)
      if (sessionSearch[s] >= 0) sessionSearch[s] += searchBase;
    for (let i = 0; i < p.watches; i++, w++) watchImpression[w] += impBase;
    searchBase += p.searches;
    impBase += p.impressions;
  }
  const sum = (f: (p: Logs) => number) => parts.reduce((a, p) => a + f(p), 0);
  return {
    sessions: sum((p) => p.sessions),
    sessionUser: concat(parts.map((p) => p.sessionUser)),
    sessionTime: concat(parts.map((p) => p.sessionTime)),
    sessionSearch,
    sessionImpOffsets: joinOffsets(parts.map((p) => p.sessionImpOffsets)),
    impressions: sum((p) => p.impressions),
    impVideo: concat(parts.map((p) => p.impVideo)),
    impSource: concat(parts.map((p) => p.impSource)),
    impClicked: concat(parts.map((p) => p.impClicked)),
    impWatchMinutes: concat(parts.map((p) => p.impWatchMinutes)),
    watches: sum((p) => p.watches),
    userWatchOffsets: joinOffsets(parts.map((p) => p.userWatchOffsets)),
    watchVideo: concat(parts.map((p) => p.watchVideo)),
    watchTime: concat(parts.map((p) => p.watchTime)),
    watchMinutes: concat(parts.map((p) => p.watchMinutes)),
    watchImpression,
    searches: sum((p) => p.searches),
    userSearchOffsets: joinOffsets(parts.map((p) => p.userSearchOffsets)),
    searchTime: concat(parts.map((p) => p.searchTime)),
    searchTokenOffsets: joinOffsets(parts.map((p) => p.searchTokenOffsets)),
    searchTokens: concat(parts.map((p) => p.searchTokens)),
  };
}
