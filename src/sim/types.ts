/**
 * The shapes of the synthetic world. Everything is columnar: one typed array per field,
 * indexed by video id, user id, session id, impression id or watch id, with CSR offsets for
 * variable-length lists. Nothing here is an array of objects, so a million videos fit in
 * memory and every buffer can move to a worker as a transferable.
 *
 * Units: time is in **days** since the start of the simulated window (a float; videos uploaded
 * before the window have negative upload times); durations and watch times are in **minutes**.
 */

/** Settings that fully determine a world (with the seed). See `defaultWorldConfig`. */
export interface WorldConfig {
  /** Seed of every random draw (uint32). */
  seed: number;
  /** Number of videos, 100 … 1 000 000. */
  videos: number;
  /** Number of users, 10 … 100 000. */
  users: number;
  /** Simulated days in the window, 7 … 120. */
  days: number;
  /** Number of topics, 2 … 50 (each has a name in `TOPIC_NAMES`). */
  topics: number;
  /** Dimension of the true latent space of users and videos. */
  latentDim: number;
  /** Zipf exponent s of base popularity: popularity ∝ 1 / rank^s over a random rank. */
  zipfExponent: number;
  /** Share of videos that are clickbait, 0 … 0.5. */
  clickbaitShare: number;
  /** Share of videos that are episodes of a series, 0 … 0.8. */
  seriesShare: number;
  /** Share of the catalogue already uploaded before day 0; the rest arrives daily. */
  catalogueShare: number;
  /** Mean sessions per user per day (activity is heavy-tailed around it). */
  sessionsPerDay: number;
  /** Videos shown per session. */
  impressionsPerSession: number;
  /** Probability that a session starts with a search. */
  searchRate: number;
  /**
   * Languages in the world, 1 … 8 (the first `languages` of `LANGUAGES`): videos and users
   * draw from them; 1 = everyone speaks and every video is in one language, so language
   * changes nothing (docs/model.md#language).
   */
  languages: number;
  /**
   * Strength s of the demographic effects, 0 … 2 (docs/model.md#demographics): the age bucket's
   * and gender's topic priors are raised to the power s, the device's duration preference and
   * the logged-out activity factor e^(−0.7·s) scale with s; 0 = demographics change nothing.
   */
  demographicEffect: number;
  /** First day of the evaluation split: train on days < splitDay, evaluate on the rest. */
  splitDay: number;
}

/** Columnar video table; every array has length `count` unless stated. */
export interface Videos {
  count: number;
  /** Topic id, 0 … topics−1. */
  topic: Uint16Array;
  /** Language id, 0 … LANGUAGES.length−1. */
  language: Uint8Array;
  /** Channel id, 0 … channels−1 (a channel has one topic and one language). */
  channel: Int32Array;
  /** Number of channels. */
  channels: number;
  /** Base popularity, Zipf over a random rank; sums to 1 over all videos. */
  popularity: Float32Array;
  /** Upload time in days (negative: before the window). */
  uploadTime: Float32Array;
  /** Length in minutes (log-normal). */
  duration: Float32Array;
  /** Production quality in [0, 1]. */
  quality: Float32Array;
  /** 1 if the video is clickbait (clicked more, watched less). */
  clickbait: Uint8Array;
  /** Extra freshness boost of a viral video (0 for most videos). */
  viral: Float32Array;
  /** Series id, or −1 for a stand-alone video. */
  series: Int32Array;
  /** Episode number within its series (0-based), or −1. */
  episode: Int16Array;
  /** Next episode's video id, or −1. */
  nextEpisode: Int32Array;
  /** True latent vectors, row-major [count × latentDim]. */
  latent: Float32Array;
  /** CSR offsets into `titleTokens`, length count+1. */
  titleOffsets: Int32Array;
  /** Token ids (into `World.vocabulary`) of each title. */
  titleTokens: Int32Array;
}

/** Columnar user table; every array has length `count` unless stated. */
export interface Users {
  count: number;
  /** Age bucket id, 0 … AGE_BUCKETS.length−1. */
  ageBucket: Uint8Array;
  /** 0 or 1. */
  gender: Uint8Array;
  /** Country (region) id, 0 … COUNTRIES.length−1. */
  country: Uint8Array;
  /** Device id, 0 … DEVICES.length−1. */
  device: Uint8Array;
  /** 1 if logged in. */
  loggedIn: Uint8Array;
  /** Preferred language id. */
  language: Uint8Array;
  /** Mean sessions per day of this user (heavy-tailed). */
  activity: Float32Array;
  /** Topic mixture (Dirichlet), row-major [count × topics], rows sum to 1. */
  interests: Float32Array;
  /** True latent vectors, row-major [count × latentDim]. */
  latent: Float32Array;
}

/**
 * Sessions, impressions, watches and searches. Sessions are ordered by (user, time);
 * impressions are grouped by session (CSR); watches and searches are grouped by user (CSR)
 * in time order.
 *
 * Watches are the clicked impressions, in the same order: `watchImpression` is strictly
 * increasing and names every impression whose `impFlags` has IMP_CLICKED, once. So the minutes
 * of a clicked impression are its watch's `watchMinutes` (found by {@link watchOfImpression},
 * or by a cursor that moves with the impressions), and an impression costs 5 bytes.
 */
export interface Logs {
  /** Number of sessions. */
  sessions: number;
  /** User of each session. */
  sessionUser: Int32Array;
  /** Start time of each session (days). */
  sessionTime: Float32Array;
  /** Search issued at the start of the session (index into searches), or −1. */
  sessionSearch: Int32Array;
  /** CSR offsets into the impression arrays, length sessions+1. */
  sessionImpOffsets: Int32Array;

  /** Number of impressions. */
  impressions: number;
  /** Video shown. */
  impVideo: Int32Array;
  /**
   * Why it was shown and whether it was clicked, packed: bits 0–2 the `ImpressionSource`
   * (`flags & IMP_SOURCE`), bit 7 set when clicked (`flags & IMP_CLICKED`, or `flags >>> 7` as
   * 0 or 1); the other bits are 0.
   */
  impFlags: Uint8Array;

  /** Number of watches (= clicked impressions). */
  watches: number;
  /** CSR offsets into the watch arrays by user, length users+1. */
  userWatchOffsets: Int32Array;
  /** Video watched. */
  watchVideo: Int32Array;
  /** Time the watch started (days). */
  watchTime: Float32Array;
  /** Minutes watched. */
  watchMinutes: Float32Array;
  /** Impression that led to the watch. */
  watchImpression: Int32Array;

  /** Number of searches. */
  searches: number;
  /** CSR offsets into the search arrays by user, length users+1. */
  userSearchOffsets: Int32Array;
  /** Time of each search (days). */
  searchTime: Float32Array;
  /** CSR offsets into `searchTokens`, length searches+1. */
  searchTokenOffsets: Int32Array;
  /** Query token ids (into `World.vocabulary`). */
  searchTokens: Int32Array;
}

/** Why a video was shown in a session. */
export const ImpressionSource = {
  Popular: 0,
  Legacy: 1,
  Fresh: 2,
  Search: 3,
  NextEpisode: 4,
  Random: 5,
} as const;
export type ImpressionSource = (typeof ImpressionSource)[keyof typeof ImpressionSource];

/** Bits of `Logs.impFlags` holding the impression's `ImpressionSource`. */
export const IMP_SOURCE = 0x07;
/** Bit of `Logs.impFlags` set when the impression was clicked (and so has a watch). */
export const IMP_CLICKED = 0x80;

/** `Logs.impFlags` of an impression shown for `source`, clicked or not (1/0 or a boolean). */
export function impFlagsOf(source: number, clicked: number | boolean): number {
  return source | (clicked ? IMP_CLICKED : 0);
}

/**
 * The watch that impression i of `logs` led to (an index into the watch columns), or −1 when
 * it was not clicked: a binary search of `watchImpression` (O(log watches)).
 */
export function watchOfImpression(logs: Logs, i: number): number {
  const w = logs.watchImpression;
  let lo = 0;
  let hi = logs.watches;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (w[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return lo < logs.watches && w[lo] === i ? lo : -1;
}

/**
 * Minutes watched of each impression of `logs` (0 when not clicked), [impressions]: the
 * watches' minutes put at their impressions. O(impressions); 4 bytes per impression, so for a
 * shard or a test rather than the whole of a large world.
 */
export function impressionMinutes(logs: Logs): Float32Array {
  const out = new Float32Array(logs.impressions);
  for (let w = 0; w < logs.watches; w++) out[logs.watchImpression[w]] = logs.watchMinutes[w];
  return out;
}

/** A generated world: its settings, entities, logs and the vocabulary of title/search tokens. */
export interface World {
  config: WorldConfig;
  /** Topic names, length config.topics. */
  topicNames: string[];
  /** Token strings; token id = index. */
  vocabulary: string[];
  /** Topic centres in the latent space, row-major [topics × latentDim]. */
  topicCentres: Float32Array;
  videos: Videos;
  users: Users;
  logs: Logs;
}
