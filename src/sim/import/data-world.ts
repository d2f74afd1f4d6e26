/**
 * Loaded interactions as a {@link World}: the narrowest seam to everything that trains on the
 * synthetic world. The examples builder (examples.ts) reads the users' time-ordered watch
 * lists (`logs.userWatchOffsets`, `watchVideo`, `watchTime`) and the split day; the samplers
 * and logQ read the training label counts; most-popular reads `videos.popularity`. Those are
 * filled from the data; the rest is switched off or derived, and said so (docs/own-data.md):
 *
 * - time: days since the first interaction; next-watch labels come from each user's time
 *   order (ties in file order). What is held out for recall ({@link HeldOut}): with `last`
 *   (the default) each user's last interaction (users with at least two), moved to `splitDay`
 *   = the first whole day after the data's last interaction, so the examples builder's one
 *   split day separates it; with `time` the latest {@link HELD_OUT_SHARE} of the interactions by time
 *   (`splitDay` = the time at that quantile; only users active then are scored);
 * - one session, one impression, one click per interaction: there are no unclicked
 *   impressions, so nothing a ranker or a funnel's ranking half could learn from;
 * - `videos.popularity`: each item's share of the training interactions (most-popular and
 *   the world summary); the samplers' logQ is built by the model from the same counts;
 * - `uploadTime`: the item's first interaction (an item is not recommended before it is seen);
 * - topic: the item's first genre (MovieLens item files), else one topic "all";
 * - titles: the item files' or the CSV's titles, one token per word;
 * - no searches, no demographics (every user the same age bucket, country, device, logged
 *   in), one language, no clickbait, no series, zero latent vectors: the oracle is not known.
 */
import type { Interactions } from './interactions';
import { DataError } from './formats';
import type { Logs, Users, Videos, World, WorldConfig } from '../types';
import { ImpressionSource, impFlagsOf } from '../types';

/** Share of the interactions, the latest by time, held out for evaluation with `heldOut: 'time'`. */
export const HELD_OUT_SHARE = 0.1;

/**
 * What is held out for recall: `last` = each user's last interaction (leave-last-out; users
 * with one interaction are only trained on), `time` = the latest {@link HELD_OUT_SHARE} of all
 * interactions by time (a global time split, as the generated world's split day).
 */
export type HeldOut = 'last' | 'time';

/** Every {@link HeldOut}. */
export const HELD_OUTS: readonly HeldOut[] = ['last', 'time'];

/** Minutes of a watch with no `watch_seconds` (MovieLens ratings). */
export const UNTIMED_WATCH_MINUTES = 1;

/** What was loaded, in numbers the page and the CLI show. */
export interface DatasetInfo {
  format: string;
  /** What was held out for recall. */
  heldOut: HeldOut;
  files: string[];
  users: number;
  items: number;
  interactions: number;
  /** Interactions before the split day (training) and at or after it (held out). */
  trainInteractions: number;
  heldOutInteractions: number;
  /** Users with at least one held-out interaction (each gives one recall example). */
  heldOutUsers: number;
  /**
   * ISO dates of the first interaction, the split (`time`: the first held-out interaction's;
   * `last`: '' — each user's own last) and the last interaction.
   */
  firstDate: string;
  splitDate: string;
  lastDate: string;
  /** Days from the first to the last interaction. */
  days: number;
  /** Items with a title, genres found, whether watch seconds were given. */
  titled: number;
  genres: string[];
  watchSeconds: boolean;
}

/** A world built from data: the world and what was loaded. */
export interface DataWorld {
  world: World;
  info: DatasetInfo;
}

const DAY = 86_400;

/**
 * Builds the {@link World} of `data` (module comment). Throws a {@link DataError} when the
 * timestamps do not leave both a training and a held-out part.
 */
export function worldFromInteractions(data: Interactions, heldOut: HeldOut = 'last'): DataWorld {
  const n = data.count;
  const U = data.userKeys.length;
  const N = data.itemKeys.length;
  // Order: by user, then time, then file order.
  const order = Int32Array.from({ length: n }, (_, k) => k).sort(
    (a, b) => data.user[a] - data.user[b] || data.time[a] - data.time[b] || a - b,
  );
  let t0 = Infinity;
  let t1 = -Infinity;
  for (let k = 0; k < n; k++) {
    if (data.time[k] < t0) t0 = data.time[k];
    if (data.time[k] > t1) t1 = data.time[k];
  }
  const sortedTimes = Float64Array.from(data.time).sort();
  const splitSeconds =
    heldOut === 'time'
      ? sortedTimes[Math.min(n - 1, Math.floor((1 - HELD_OUT_SHARE) * n))]
      : t0 + (Math.floor((t1 - t0) / DAY) + 1) * DAY;
  const files = data.files.join(', ');
  if (heldOut === 'time' && !(splitSeconds > t0))
    throw new DataError(
      files,
      null,
      null,
      `${files}: the timestamps do not spread enough to hold out the latest ${100 * HELD_OUT_SHARE}% of the interactions (at least two distinct times before the last tenth are needed)`,
    );
  const day = (s: number) => Math.fround((s - t0) / DAY);
  const splitDay = day(splitSeconds);

  // Watches grouped by user in time order.
  const userWatchOffsets = new Int32Array(U + 1);
  for (let k = 0; k < n; k++) userWatchOffsets[data.user[k] + 1]++;
  for (let u = 0; u < U; u++) userWatchOffsets[u + 1] += userWatchOffsets[u];
  const watchVideo = new Int32Array(n);
  const watchTime = new Float32Array(n);
  const watchMinutes = new Float32Array(n);
  const timed = data.watchSeconds.some((w) => !Number.isNaN(w));
  for (let j = 0; j < n; j++) {
    const k = order[j];
    watchVideo[j] = data.item[k];
    watchTime[j] = day(data.time[k]);
    const w = data.watchSeconds[k];
    watchMinutes[j] = Number.isNaN(w) ? UNTIMED_WATCH_MINUTES : w / 60;
  }
  if (heldOut === 'last') {
    // Each user's last interaction (of at least two) moves to the split day: held out.
    let held = 0;
    for (let u = 0; u < U; u++)
      if (userWatchOffsets[u + 1] - userWatchOffsets[u] >= 2) {
        watchTime[userWatchOffsets[u + 1] - 1] = splitDay;
        held++;
      }
    if (held === 0)
      throw new DataError(
        files,
        null,
        null,
        `${files}: no user has two interactions, so no last one can be held out`,
      );
  }

  // Items: training counts → popularity; first seen → upload time.
  const counts = new Float64Array(N);
  const upload = new Float32Array(N).fill(Infinity);
  const longest = new Float32Array(N);
  let train = 0;
  for (let j = 0; j < n; j++) {
    const v = watchVideo[j];
    if (watchTime[j] < splitDay) {
      counts[v]++;
      train++;
    }
    if (watchTime[j] < upload[v]) upload[v] = watchTime[j];
    if (watchMinutes[j] > longest[v]) longest[v] = watchMinutes[j];
  }
  const topics = Math.max(1, data.genres.length);
  const topicNames = data.genres.length ? [...data.genres] : ['all'];

  // Titles: one token per word.
  const vocabulary: string[] = [];
  const tokenOf = new Map<string, number>();
  const titleOffsets = new Int32Array(N + 1);
  const tokens: number[] = [];
  for (let v = 0; v < N; v++) {
    const title = data.titles[v] || `item ${data.itemKeys[v]}`;
    for (const w of title.split(/\s+/)) {
      if (!w) continue;
      let id = tokenOf.get(w);
      if (id === undefined) {
        tokenOf.set(w, (id = vocabulary.length));
        vocabulary.push(w);
      }
      tokens.push(id);
    }
    titleOffsets[v + 1] = tokens.length;
  }

  const videos: Videos = {
    count: N,
    topic: Uint16Array.from(data.itemGenre, (g) => Math.max(0, g)),
    language: new Uint8Array(N),
    channel: new Int32Array(N),
    channels: 1,
    popularity: Float32Array.from(counts, (c) => c / Math.max(1, train)),
    uploadTime: upload,
    duration: Float32Array.from(longest, (m) => Math.max(m, UNTIMED_WATCH_MINUTES)),
    quality: new Float32Array(N).fill(0.5),
    clickbait: new Uint8Array(N),
    viral: new Float32Array(N),
    series: new Int32Array(N).fill(-1),
    episode: new Int16Array(N).fill(-1),
    nextEpisode: new Int32Array(N).fill(-1),
    latent: new Float32Array(N),
    titleOffsets,
    titleTokens: Int32Array.from(tokens),
  };
  const users: Users = {
    count: U,
    ageBucket: new Uint8Array(U),
    gender: new Uint8Array(U),
    country: new Uint8Array(U),
    device: new Uint8Array(U),
    loggedIn: new Uint8Array(U).fill(1),
    language: new Uint8Array(U),
    activity: new Float32Array(U).fill(1),
    interests: new Float32Array(U * topics).fill(1 / topics),
    latent: new Float32Array(U),
  };
  const ids = Int32Array.from({ length: n }, (_, j) => j);
  const sessionImpOffsets = Int32Array.from({ length: n + 1 }, (_, j) => j);
  const sessionUser = new Int32Array(n);
  for (let u = 0; u < U; u++) sessionUser.fill(u, userWatchOffsets[u], userWatchOffsets[u + 1]);
  const logs: Logs = {
    sessions: n,
    sessionUser,
    sessionTime: watchTime.slice(),
    sessionSearch: new Int32Array(n).fill(-1),
    sessionImpOffsets,
    impressions: n,
    impVideo: watchVideo.slice(),
    impFlags: new Uint8Array(n).fill(impFlagsOf(ImpressionSource.Random, true)),
    watches: n,
    userWatchOffsets,
    watchVideo,
    watchTime,
    watchMinutes,
    watchImpression: ids,
    searches: 0,
    userSearchOffsets: new Int32Array(U + 1),
    searchTime: new Float32Array(0),
    searchTokenOffsets: new Int32Array(1),
    searchTokens: new Int32Array(0),
  };
  const days = Math.max(1, Math.ceil(Math.max(day(t1), splitDay) + 1e-6));
  const config: WorldConfig = {
    seed: 1,
    videos: N,
    users: U,
    days,
    topics,
    latentDim: 1,
    zipfExponent: 0,
    clickbaitShare: 0,
    seriesShare: 0,
    catalogueShare: 1,
    sessionsPerDay: 0,
    impressionsPerSession: 1,
    searchRate: 0,
    languages: 1,
    demographicEffect: 0,
    splitDay,
  };
  const heldOutUsers = new Set<number>();
  for (let u = 0; u < U; u++)
    if (watchTime[userWatchOffsets[u + 1] - 1] >= splitDay) heldOutUsers.add(u);
  const iso = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);
  const info: DatasetInfo = {
    format: data.format,
    heldOut,
    files: [...data.files],
    users: U,
    items: N,
    interactions: n,
    trainInteractions: train,
    heldOutInteractions: n - train,
    heldOutUsers: heldOutUsers.size,
    firstDate: iso(t0),
    splitDate: heldOut === 'time' ? iso(splitSeconds) : '',
    lastDate: iso(t1),
    days: (t1 - t0) / DAY,
    titled: data.titles.filter((t) => t !== '').length,
    genres: [...data.genres],
    watchSeconds: timed,
  };
  return {
    world: {
      config,
      topicNames,
      vocabulary,
      topicCentres: new Float32Array(topics),
      videos,
      users,
      logs,
    },
    info,
  };
}
