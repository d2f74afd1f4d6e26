/**
 * Day-by-day sessions: searches, impressions, clicks and watch time, all drawn from the
 * oracle (docs/model.md#sessions, docs/design-notes.md#calibration). Users are simulated one after
 * another, each from its own random stream, so the logs come out grouped by user in time order and
 * the result does not depend on how the work is chunked.
 *
 * A session shows `impressionsPerSession` videos: the next episode of the last watched series
 * (when there is one), three search results (when the session starts with a search), two
 * drawn by global popularity, one fresh upload, one uniform, and the rest from the legacy
 * recommender's pool (legacy-pool.ts), refreshed every POOL_REFRESH_SESSIONS sessions.
 *
 * The modules: the catalogue's indexes in session-context.ts, the pool in legacy-pool.ts, the
 * log columns and the joining of shards in log-columns.ts; this file is the session loop. It
 * creates no closure and no object per user, session or impression, and draws from a
 * {@link SimRng} (the same numbers as `createRng`) by method calls the engine inlines
 * (docs/performance.md#world-generation).
 */
import { STREAM, type Vocabulary } from './catalogue';
import { LegacyPool, POOL_REFRESH_SESSIONS } from './legacy-pool';
import { joinLogs, LogColumns } from './log-columns';
import { affinity, clickLogitWith, sigmoid, watchFractionWith } from './oracle';
import { SimRng } from './rng';
import {
  drawTopic,
  drawTopicalInLanguage,
  interestCdf,
  sessionContext,
  upperBound,
  type SessionContext,
} from './session-context';
import { ImpressionSource, type Logs, type World } from './types';

export { joinLogs, sessionContext, type SessionContext };

const SEARCH_RESULTS = 3;
const FRESH_WINDOW_DAYS = 3;
/**
 * The clock advances at least this much (minutes) per watch and between sessions, so a user's
 * watch times are strictly increasing even in float32.
 */
const MIN_WATCH_STEP_MINUTES = 0.05;
/** Concentration of the Beta draw of the watched fraction around its mean. */
const WATCH_CONCENTRATION = 3;
/** At most this many sessions per user-day (the Poisson draw is capped). */
const MAX_SESSIONS_PER_DAY = 64;

/** Progress callback: fraction done in [0, 1]. */
export type Progress = (fraction: number) => void;

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
 */
export function simulateUserRange(
  ctx: SessionContext,
  from: number,
  to: number,
  onProgress?: Progress,
): Logs {
  const { world, vocab, popAlias, uploads, postings, prevEpisode, terms } = ctx;
  const cfg = world.config;
  const vid = world.videos;
  const usr = world.users;
  const N = vid.count;
  const T = cfg.topics;
  const ips = cfg.impressionsPerSession;
  const searchRate = cfg.searchRate;
  const uploadTime = vid.uploadTime;
  const popularity = vid.popularity;
  const logPopularityN = ctx.logPopularityN;
  const nextEpisode = vid.nextEpisode;
  const duration = vid.duration;
  const topicOffsets = vocab.topicOffsets;
  const topicTokens = vocab.topicTokens;

  let expectedSessions = 0;
  for (let u = from; u < to; u++) expectedSessions += usr.activity[u] * cfg.days;
  const out = new LogColumns(Math.ceil(expectedSessions * 1.1) + 16, ips, searchRate);
  const userWatchOffsets = new Int32Array(to - from + 1);
  const userSearchOffsets = new Int32Array(to - from + 1);

  // Per-user scratch, reset by stamping with the user / session number instead of clearing.
  const watchedBy = new Int32Array(N).fill(-1);
  const inSession = new Int32Array(N).fill(-1);
  let sessionId = 0;
  const pool = new LegacyPool(ctx);
  const poolIds = pool.ids;
  const poolScore = pool.scores;
  const page = new Page(ips, inSession, uploadTime);
  const slots = page.slots;
  const slotSource = page.source;
  const dayTimes = new Float64Array(MAX_SESSIONS_PER_DAY);
  const cdf = new Float64Array(T);

  for (let u = from; u < to; u++) {
    const rng = new SimRng(cfg.seed, STREAM.logs, u);
    interestCdf(usr.interests, u, T, cdf);
    const language = usr.language[u];
    const activity = usr.activity[u];
    pool.size = 0;
    let lastWatched = -1;
    // A session starts after the user's previous one ends, so watches stay in time order.
    let free = -Infinity;
    let sessionsSinceRefresh = Infinity;

    for (let day = 0; day < cfg.days; day++) {
      const k = Math.min(MAX_SESSIONS_PER_DAY, rng.poisson(activity));
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
        const x = day + rng.next();
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
        if (rng.next() < searchRate) {
          const topic = drawTopic(cdf, rng);
          const a = topicOffsets[topic];
          const b = topicOffsets[topic + 1];
          const q = 1 + rng.int(3);
          search = out.searches++;
          out.searchTime[search] = t;
          let tok = -1;
          for (let i = 0; i < q; i++) {
            tok = i === 0 && rng.next() < 0.6 ? topicTokens[a] : topicTokens[a + rng.int(b - a)];
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
              const sc = affinity(world, u, v) + 0.5 * logPopularityN[v];
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
          if (page.add(popAlias.sample(rng), ImpressionSource.Popular)) got++;
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
          const v = drawTopicalInLanguage(ctx, drawTopic(cdf, rng), language, rng);
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
          const logit = clickLogitWith(
            terms,
            world,
            u,
            v,
            t,
            a,
            watchedBy[v] === u,
            prev >= 0 && watchedBy[prev] === u,
          );
          const imp = out.impressions++;
          out.impVideo[imp] = v;
          out.impSource[imp] = slotSource[i];
          if (rng.next() < sigmoid(logit)) {
            const f = watchFractionWith(terms, v, a);
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

  return out.finish(userWatchOffsets, userSearchOffsets);
}
