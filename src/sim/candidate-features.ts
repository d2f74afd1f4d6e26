/**
 * Ranking features of *any* videos for one user at one time (docs/model.md#funnel, the funnel):
 * retrieved candidates were never impressions, so they have no row in {@link buildRankingExamples};
 * this builds the same columns for them from the logs strictly before `time`, exactly as
 * buildRankingExamples does for an impression of a session that starts at `time`:
 *
 * - watch bag: the newest `maxWatches` watches with watch time < time;
 * - sinceChannel / sinceTopic: time − the last such watch of the video's channel / topic
 *   (capped at NEVER_DAYS; NEVER_DAYS if none);
 * - previousImpressions: how often the video was shown to the user in sessions that started
 *   before `time` (a session starting at `time` itself is not counted);
 * - languageMatch, videoAge = time − upload time, logPopularity = log(1 + the video's watches
 *   by anyone strictly before `time`);
 * - oracleClick / oracleWatch with the oracle context (already watched, previous episode
 *   watched) from the same watches.
 *
 * clicked = 0, watchMinutes = 0 and weight = 1 (these are not logged impressions). Cost: one
 * pass over the user's history before `time`, then O(1) per video.
 *
 * At a time inside a session (e.g. a later watch's time) the session's own page counts as
 * already shown; {@link sessionStartRows} picks the evaluation examples served at a session's
 * start, where nothing of the session is known yet.
 */
import type { CandidateExamples } from './examples';
import {
  affinityAt,
  clickLogitWith,
  oracleTerms,
  sigmoid,
  watchFractionOf,
  type OracleContext,
} from './oracle';
import {
  NEVER_DAYS,
  videoWatchIndex,
  watchesBefore,
  type RankingExamples,
} from './ranking-examples';
import type { World } from './types';

/** What the logs say about one user strictly before `time`. */
export interface UserHistory {
  user: number;
  /** Days. */
  time: number;
  /** Most watches in the bag (the `maxWatches` it was read with). */
  maxWatches: number;
  /** Watch-bag range [bagStart, bagEnd) into the watch arrays: the newest maxWatches before time. */
  bagStart: number;
  bagEnd: number;
  /** Time of the user's last watch of each channel / topic before `time`. */
  lastChannel: Map<number, number>;
  lastTopic: Map<number, number>;
  /** Videos the user watched before `time`. */
  watched: Set<number>;
  /** Times each video was shown to the user in sessions that started before `time`. */
  shown: Map<number, number>;
}

/**
 * Per-world tables: each episode's previous episode, and scratch arrays that one call marks a
 * history into and clears before it returns ({@link markHistory}): per video, WATCHED and
 * SHOWN flags; per channel and topic, the feature's value (NEVER_DAYS where never watched).
 */
interface WorldTables {
  prevEpisode: Int32Array;
  flags: Uint8Array;
  sinceChannel: Float64Array;
  sinceTopic: Float64Array;
}
const tableCache = new WeakMap<World['logs'], WorldTables>();

/** Flags of {@link WorldTables.flags}. */
const WATCHED = 1;
const SHOWN = 2;

function worldTables(world: World): WorldTables {
  let t = tableCache.get(world.logs);
  if (!t) {
    const { videos } = world;
    const prevEpisode = new Int32Array(videos.count).fill(-1);
    let channels = 0;
    let topics = 0;
    for (let v = 0; v < videos.count; v++) {
      if (videos.nextEpisode[v] >= 0) prevEpisode[videos.nextEpisode[v]] = v;
      channels = Math.max(channels, videos.channel[v] + 1);
      topics = Math.max(topics, videos.topic[v] + 1);
    }
    t = {
      prevEpisode,
      flags: new Uint8Array(videos.count),
      sinceChannel: new Float64Array(channels).fill(NEVER_DAYS),
      sinceTopic: new Float64Array(topics).fill(NEVER_DAYS),
    };
    tableCache.set(world.logs, t);
  }
  return t;
}

/**
 * Writes the history into the world's scratch tables — the video flags, and time − the last
 * watch (capped at NEVER_DAYS) per channel and topic watched — runs `body`, then clears what it
 * wrote (O(history), whatever the world's size): array reads instead of map and set lookups
 * per candidate, the same values.
 */
function withHistory<T>(world: World, h: UserHistory, body: (t: WorldTables) => T): T {
  const t = worldTables(world);
  const { flags, sinceChannel, sinceTopic } = t;
  for (const v of h.watched) flags[v] |= WATCHED;
  for (const v of h.shown.keys()) flags[v] |= SHOWN;
  for (const [c, at] of h.lastChannel) sinceChannel[c] = Math.min(NEVER_DAYS, h.time - at);
  for (const [c, at] of h.lastTopic) sinceTopic[c] = Math.min(NEVER_DAYS, h.time - at);
  try {
    return body(t);
  } finally {
    for (const v of h.watched) flags[v] = 0;
    for (const v of h.shown.keys()) flags[v] = 0;
    for (const c of h.lastChannel.keys()) sinceChannel[c] = NEVER_DAYS;
    for (const c of h.lastTopic.keys()) sinceTopic[c] = NEVER_DAYS;
  }
}

/** First index in [lo, hi) whose value is ≥ t (values ascending). */
function lowerBound(a: ArrayLike<number>, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sessions of `user`: [first, end) into the session arrays (sessions are grouped by user). */
function userSessions(world: World, user: number): [number, number] {
  const su = world.logs.sessionUser;
  return [lowerBound(su, 0, su.length, user), lowerBound(su, 0, su.length, user + 1)];
}

/** The user's history strictly before `time` (days). O(watches + impressions before time). */
export function userHistory(
  world: World,
  user: number,
  time: number,
  maxWatches = 50,
): UserHistory {
  const { logs, videos } = world;
  if (!(user >= 0 && user < world.users.count) || !Number.isInteger(user))
    throw new RangeError(`user ${user} not in [0, ${world.users.count})`);
  const w0 = logs.userWatchOffsets[user];
  const end = lowerBound(logs.watchTime, w0, logs.userWatchOffsets[user + 1], time);
  const lastChannel = new Map<number, number>();
  const lastTopic = new Map<number, number>();
  const watched = new Set<number>();
  for (let j = w0; j < end; j++) {
    const v = logs.watchVideo[j];
    lastChannel.set(videos.channel[v], logs.watchTime[j]);
    lastTopic.set(videos.topic[v], logs.watchTime[j]);
    watched.add(v);
  }
  const shown = new Map<number, number>();
  const [s0, s1] = userSessions(world, user);
  for (let x = s0; x < s1 && logs.sessionTime[x] < time; x++) {
    for (let i = logs.sessionImpOffsets[x]; i < logs.sessionImpOffsets[x + 1]; i++) {
      const v = logs.impVideo[i];
      shown.set(v, (shown.get(v) ?? 0) + 1);
    }
  }
  return {
    user,
    time,
    maxWatches,
    bagStart: Math.max(w0, end - maxWatches),
    bagEnd: end,
    lastChannel,
    lastTopic,
    watched,
    shown,
  };
}

/** The oracle's context of showing video v given the history: watched, previous episode watched. */
export function oracleContextOf(world: World, h: UserHistory, v: number): OracleContext {
  const prev = worldTables(world).prevEpisode[v];
  return { watched: h.watched.has(v), previousEpisodeWatched: prev >= 0 && h.watched.has(prev) };
}

/**
 * The oracle's expected watch minutes per impression of each of `videos` for the history's
 * user at its time, with the same context as the ranking examples (the truth the funnel is
 * scored by).
 */
export function oracleWatchOf(
  world: World,
  h: UserHistory,
  videos: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(videos.length);
  withHistory(world, h, (t) => oracleInto(world, h, t, videos, null, out));
  return out;
}

/**
 * The oracle's P(click) (into `click`, unless null) and expected watch minutes per impression
 * (into `watch`) of each of `videos` for the history's user at its time, in the context of
 * {@link oracleContextOf}: the affinity once per video, then the sums of oracle.ts's `pClick`
 * and `expectedWatchPerImpression` in their order (as buildRankingExamples does), so the
 * numbers are theirs to the bit.
 */
function oracleInto(
  world: World,
  h: UserHistory,
  tables: WorldTables,
  videos: ArrayLike<number>,
  click: Float32Array | null,
  watch: Float32Array,
): void {
  const { users, videos: vid, config } = world;
  const terms = oracleTerms(world);
  const { prevEpisode, flags } = tables;
  const d = config.latentDim;
  const u = h.user;
  const t = h.time;
  const uo = u * d;
  for (let i = 0; i < videos.length; i++) {
    const v = videos[i];
    const prev = prevEpisode[v];
    const watched = (flags[v] & WATCHED) !== 0;
    const previousEpisodeWatched = prev >= 0 && (flags[prev] & WATCHED) !== 0;
    const a = affinityAt(users.latent, uo, vid.latent, v * d, d);
    const p = sigmoid(clickLogitWith(terms, world, u, v, t, a, watched, previousEpisodeWatched));
    if (click) click[i] = p;
    watch[i] = p * vid.duration[v] * watchFractionOf(terms.watch[v], a);
  }
}

/**
 * Ranking examples of `videos` for `user` at `time` (days): one row per video, the columns of
 * buildRankingExamples computed from the logs before `time` (see the module comment), clicked
 * 0, watchMinutes 0, weight 1, every row on page `page`. `options.split` is the split `time`
 * falls in. Videos must be valid ids; a video not yet uploaded gets a negative videoAge.
 */
export function candidateRankingExamples(
  world: World,
  user: number,
  time: number,
  videos: Int32Array,
  maxWatches = 50,
  page = 0,
): RankingExamples {
  return candidateRankingExamplesOf(
    world,
    userHistory(world, user, time, maxWatches),
    videos,
    page,
  );
}

/**
 * {@link candidateRankingExamples} from the user's history already read ({@link userHistory}
 * with the user, time and maxWatches): for several lists of one user at one time, the history
 * is read once. The same rows, column for column.
 */
export function candidateRankingExamplesOf(
  world: World,
  h: UserHistory,
  videos: Int32Array,
  page = 0,
): RankingExamples {
  return candidateExamplesWith(world, h, videos, candidateColumnsOf(world, h, videos), page);
}

/**
 * The columns of {@link candidateRankingExamplesOf} that come from the world and the user's
 * history (not from the video id, the user or the time alone), one value per video: what a
 * cache of one user at one time can keep (they depend on no model).
 */
export interface CandidateColumns {
  sinceChannel: Float32Array;
  sinceTopic: Float32Array;
  previousImpressions: Float32Array;
  videoAge: Float32Array;
  logPopularity: Float32Array;
  languageMatch: Uint8Array;
  oracleClick: Float32Array;
  oracleWatch: Float32Array;
}

/** The {@link CandidateColumns} of `videos` for the history's user at its time. */
export function candidateColumnsOf(
  world: World,
  h: UserHistory,
  videos: Int32Array,
): CandidateColumns {
  const { user, time } = h;
  const { videos: vid, users } = world;
  const popularity = videoWatchIndex(world);
  const n = videos.length;
  const sinceChannel = new Float32Array(n);
  const sinceTopic = new Float32Array(n);
  const previousImpressions = new Float32Array(n);
  const videoAge = new Float32Array(n);
  const logPopularity = new Float32Array(n);
  const languageMatch = new Uint8Array(n);
  const oracleClick = new Float32Array(n);
  const oracleWatch = new Float32Array(n);
  const language = users.language[user];
  for (let i = 0; i < n; i++) {
    const v = videos[i];
    if (!(v >= 0 && v < vid.count)) throw new RangeError(`video ${v} not in [0, ${vid.count})`);
  }
  withHistory(world, h, (t) => {
    const { flags } = t;
    const byChannel = t.sinceChannel;
    const byTopic = t.sinceTopic;
    const { channel, topic, uploadTime, language: videoLanguage } = vid;
    for (let i = 0; i < n; i++) {
      const v = videos[i];
      sinceChannel[i] = byChannel[channel[v]];
      sinceTopic[i] = byTopic[topic[v]];
      previousImpressions[i] = (flags[v] & SHOWN) !== 0 ? (h.shown.get(v) ?? 0) : 0;
      videoAge[i] = time - uploadTime[v];
      logPopularity[i] = Math.log1p(watchesBefore(popularity, v, time));
      languageMatch[i] = videoLanguage[v] === language ? 1 : 0;
    }
    oracleInto(world, h, t, videos, oracleClick, oracleWatch);
  });
  return {
    sinceChannel,
    sinceTopic,
    previousImpressions,
    videoAge,
    logPopularity,
    languageMatch,
    oracleClick,
    oracleWatch,
  };
}

/**
 * Ranking examples of `videos` for the history's user at its time from their
 * {@link CandidateColumns} (`columns`, one value per video, kept by reference): the rows of
 * {@link candidateRankingExamplesOf}, clicked 0, watchMinutes 0, weight 1, on page `page`.
 */
export function candidateExamplesWith(
  world: World,
  h: UserHistory,
  videos: Int32Array,
  columns: CandidateColumns,
  page = 0,
): RankingExamples {
  const { user, time, maxWatches } = h;
  const n = videos.length;
  return {
    count: n,
    options: {
      split: time < world.config.splitDay ? 'train' : 'test',
      pagesPerUser: 0,
      maxWatches,
      seed: 0,
    },
    user: new Int32Array(n).fill(user),
    video: Int32Array.from(videos),
    page: new Int32Array(n).fill(page),
    time: new Float32Array(n).fill(time),
    clicked: new Uint8Array(n),
    watchMinutes: new Float32Array(n),
    weight: new Float32Array(n).fill(1),
    bagStart: new Int32Array(n).fill(h.bagStart),
    bagEnd: new Int32Array(n).fill(h.bagEnd),
    languageMatch: columns.languageMatch,
    sinceChannel: columns.sinceChannel,
    sinceTopic: columns.sinceTopic,
    previousImpressions: columns.previousImpressions,
    videoAge: columns.videoAge,
    logPopularity: columns.logPopularity,
    oracleClick: columns.oracleClick,
    oracleWatch: columns.oracleWatch,
  };
}

/**
 * Rows of `examples` (default: all) whose label is the first watch of its session, so that the
 * example's time is the session's start: served there, the funnel knows nothing of the session
 * (its page, its other watches), exactly like a ranking example of that session.
 */
export function sessionStartRows(
  world: World,
  examples: CandidateExamples,
  rows?: ArrayLike<number>,
): Int32Array {
  const { logs } = world;
  const all = rows ?? Int32Array.from({ length: examples.count }, (_, i) => i);
  const out: number[] = [];
  for (let i = 0; i < all.length; i++) {
    const r = all[i];
    const j = examples.labelWatch[r];
    const imp = logs.watchImpression[j];
    // The session holding the impression: last x with sessionImpOffsets[x] ≤ imp.
    const x = lowerBound(logs.sessionImpOffsets, 0, logs.sessions + 1, imp + 1) - 1;
    const first = logs.sessionImpOffsets[x];
    const u = examples.user[r];
    if (j === logs.userWatchOffsets[u] || logs.watchImpression[j - 1] < first) out.push(r);
  }
  return Int32Array.from(out);
}
