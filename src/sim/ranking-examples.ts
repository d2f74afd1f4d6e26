/**
 * Ranking examples (docs/model.md#ranking-examples, paper §4): one per impression, label clicked or
 * not, weight = watch minutes for a click and 1 otherwise (weighted logistic regression), with the
 * features the ranker sees computed from the logs *before* the impression's session:
 * language match, time since the user last watched the video's channel and topic, how often
 * this video was shown to this user before, video age and observed popularity (the video's
 * watches by anyone before the session).
 */
import { createRng } from './rng';
import { affinityAt, clickLogitWith, oracleTerms, sigmoid, watchFractionOf } from './oracle';
import type { Split } from './examples';
import type { World } from './types';

/** "Never" for the time-since features (days). */
export const NEVER_DAYS = 365;

/** Options of {@link buildRankingExamples}. */
export interface RankingExampleOptions {
  split: Split;
  /** At most this many pages (sessions) per user (0 = no cap); pages are drawn at random. */
  pagesPerUser: number;
  /** Most watches in the watch bag. */
  maxWatches: number;
  /** Seed of the page subsampling. */
  seed: number;
}

/** Defaults of {@link RankingExampleOptions}. */
export const defaultRankingOptions: RankingExampleOptions = {
  split: 'train',
  pagesPerUser: 20,
  maxWatches: 50,
  seed: 1,
};

/**
 * Ranking examples, columnar; every array has length `count`. All features use only events
 * before the session's start (`time`). `oracleClick` and `oracleWatch` are the truth, for
 * metrics only, never model inputs.
 */
export interface RankingExamples {
  count: number;
  options: RankingExampleOptions;
  user: Int32Array;
  video: Int32Array;
  /** Page id (the session); the weighted per-user loss compares impressions within a page. */
  page: Int32Array;
  /** Session start (days). */
  time: Float32Array;
  /** 1 if clicked. */
  clicked: Uint8Array;
  /** Minutes watched (0 if not clicked). */
  watchMinutes: Float32Array;
  /** Weighted logistic regression weight: watch minutes if clicked, else 1. */
  weight: Float32Array;
  /** Watch-bag range [bagStart, bagEnd) into the watch arrays: watches before `time`. */
  bagStart: Int32Array;
  bagEnd: Int32Array;
  /** 1 if the video's language is the user's. */
  languageMatch: Uint8Array;
  /** Days since the user last watched this channel (NEVER_DAYS if never). */
  sinceChannel: Float32Array;
  /** Days since the user last watched this topic (NEVER_DAYS if never). */
  sinceTopic: Float32Array;
  /** Times this video was shown to this user before this session. */
  previousImpressions: Float32Array;
  /** Days since upload. */
  videoAge: Float32Array;
  /**
   * Observed popularity: log(1 + the video's watches, by anyone, before the session started).
   * Neither this impression's click nor any later watch is counted.
   */
  logPopularity: Float32Array;
  /**
   * The candidate model's score u·v (+ bias) of the impression video, u from the user's
   * history before the session (docs/model.md#candidate-sources); absent until a model's
   * `attachCandidateSources` fills it (src/sim knows no model).
   */
  sourceScore?: Float32Array;
  /**
   * log(rank) of the impression video by that score among the videos uploaded by the
   * session's start (rank 1 = the model's top video; estimated from a fixed sample); absent
   * with `sourceScore`.
   */
  sourceRank?: Float32Array;
  /** The oracle's P(click) of this impression (truth). */
  oracleClick: Float32Array;
  /** The oracle's expected watch minutes of this impression (truth). */
  oracleWatch: Float32Array;
}

/**
 * Every watch's time grouped by video (CSR): the watches of video v are
 * `times[offsets[v] .. offsets[v + 1])`, in increasing time. The source of the observed
 * popularity feature, counted at any time without looking past it.
 */
export interface VideoWatchIndex {
  /** [videos + 1] */
  offsets: Int32Array;
  /** [watches] days, ascending within each video. */
  times: Float32Array;
}
const watchIndexCache = new WeakMap<World['logs'], VideoWatchIndex>();

/** The {@link VideoWatchIndex} of a world's logs, built once per logs (O(watches log watches)). */
export function videoWatchIndex(world: World): VideoWatchIndex {
  let index = watchIndexCache.get(world.logs);
  if (!index) {
    const { logs, videos } = world;
    const offsets = new Int32Array(videos.count + 1);
    for (let j = 0; j < logs.watches; j++) offsets[logs.watchVideo[j] + 1]++;
    for (let v = 0; v < videos.count; v++) offsets[v + 1] += offsets[v];
    const fill = offsets.slice(0, videos.count);
    const times = new Float32Array(logs.watches);
    for (let j = 0; j < logs.watches; j++) times[fill[logs.watchVideo[j]]++] = logs.watchTime[j];
    for (let v = 0; v < videos.count; v++) times.subarray(offsets[v], offsets[v + 1]).sort();
    index = { offsets, times };
    watchIndexCache.set(world.logs, index);
  }
  return index;
}

/**
 * Watches of video `v` (by anyone) strictly before `time` (days): the observed popularity of
 * an impression in a session starting at `time`. The session's own clicks and everything later
 * are not counted (docs/model.md#ranking-examples). O(log watches of v).
 */
export function watchesBefore(index: VideoWatchIndex, v: number, time: number): number {
  let lo = index.offsets[v];
  let hi = index.offsets[v + 1];
  const start = lo;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (index.times[mid] < time) lo = mid + 1;
    else hi = mid;
  }
  return lo - start;
}

/**
 * Builds ranking examples for one split. O(impressions + watches).
 *
 * Two passes over the users: the first draws each user's pages (the only use of the split's
 * random stream, so the draws are those of one pass) and counts their impressions; the second
 * writes every column straight into a typed array of that length. The oracle's terms are read
 * once per impression from the cached {@link oracleTerms} with one affinity (the same sums, in
 * the same order, as oracle.ts's `pClick` and `expectedWatchPerImpression`).
 */
export function buildRankingExamples(
  world: World,
  options: Partial<RankingExampleOptions> = {},
): RankingExamples {
  const o = { ...defaultRankingOptions, ...options };
  const { logs, videos, users, config } = world;
  const chosen = choosePages(world, o);
  let count = 0;
  for (let x = 0; x < logs.sessions; x++)
    if (chosen[x]) count += logs.sessionImpOffsets[x + 1] - logs.sessionImpOffsets[x];

  const popularity = videoWatchIndex(world);
  const terms = oracleTerms(world);
  const latentDim = config.latentDim;
  const prevEpisode = new Int32Array(videos.count).fill(-1);
  for (let v = 0; v < videos.count; v++)
    if (videos.nextEpisode[v] >= 0) prevEpisode[videos.nextEpisode[v]] = v;

  // Per-user state, stamped with the user id instead of cleared.
  const chTime = new Float64Array(videos.channels);
  const chUser = new Int32Array(videos.channels).fill(-1);
  const tpTime = new Float64Array(config.topics);
  const tpUser = new Int32Array(config.topics).fill(-1);
  const impCount = new Int32Array(videos.count);
  const impUser = new Int32Array(videos.count).fill(-1);
  const watchedUser = new Int32Array(videos.count).fill(-1);

  const ex: RankingExamples = {
    count,
    options: o,
    user: new Int32Array(count),
    video: new Int32Array(count),
    page: new Int32Array(count),
    time: new Float32Array(count),
    clicked: new Uint8Array(count),
    watchMinutes: new Float32Array(count),
    weight: new Float32Array(count),
    bagStart: new Int32Array(count),
    bagEnd: new Int32Array(count),
    languageMatch: new Uint8Array(count),
    sinceChannel: new Float32Array(count),
    sinceTopic: new Float32Array(count),
    previousImpressions: new Float32Array(count),
    videoAge: new Float32Array(count),
    logPopularity: new Float32Array(count),
    oracleClick: new Float32Array(count),
    oracleWatch: new Float32Array(count),
  };
  let n = 0;
  let s = 0;
  for (let u = 0; u < users.count; u++) {
    const sBegin = s;
    while (s < logs.sessions && logs.sessionUser[s] === u) s++;
    const sEnd = s;
    let j = logs.userWatchOffsets[u];
    const w0 = j;
    const w1 = logs.userWatchOffsets[u + 1];
    // The watch of the next clicked impression (watches are the clicked impressions in order).
    let k = w0;
    const userLanguage = users.language[u];
    for (let x = sBegin; x < sEnd; x++) {
      const t = logs.sessionTime[x];
      for (; j < w1 && logs.watchTime[j] < t; j++) {
        const v = logs.watchVideo[j];
        chUser[videos.channel[v]] = u;
        chTime[videos.channel[v]] = logs.watchTime[j];
        tpUser[videos.topic[v]] = u;
        tpTime[videos.topic[v]] = logs.watchTime[j];
        watchedUser[v] = u;
      }
      const i0 = logs.sessionImpOffsets[x];
      const i1 = logs.sessionImpOffsets[x + 1];
      if (chosen[x]) {
        const bagStart = Math.max(w0, j - o.maxWatches);
        while (k < w1 && logs.watchImpression[k] < i0) k++;
        for (let i = i0; i < i1; i++, n++) {
          const v = logs.impVideo[i];
          const ch = videos.channel[v];
          const tp = videos.topic[v];
          const clicked = logs.impFlags[i] >>> 7;
          const minutes = clicked ? logs.watchMinutes[k++] : 0;
          const watched = watchedUser[v] === u;
          const previousEpisodeWatched = prevEpisode[v] >= 0 && watchedUser[prevEpisode[v]] === u;
          ex.user[n] = u;
          ex.video[n] = v;
          ex.page[n] = x;
          ex.time[n] = t;
          ex.clicked[n] = clicked;
          ex.watchMinutes[n] = minutes;
          ex.weight[n] = clicked ? minutes : 1;
          ex.bagStart[n] = bagStart;
          ex.bagEnd[n] = j;
          ex.languageMatch[n] = videos.language[v] === userLanguage ? 1 : 0;
          ex.sinceChannel[n] = chUser[ch] === u ? Math.min(NEVER_DAYS, t - chTime[ch]) : NEVER_DAYS;
          ex.sinceTopic[n] = tpUser[tp] === u ? Math.min(NEVER_DAYS, t - tpTime[tp]) : NEVER_DAYS;
          ex.previousImpressions[n] = impUser[v] === u ? impCount[v] : 0;
          ex.videoAge[n] = t - videos.uploadTime[v];
          ex.logPopularity[n] = Math.log1p(watchesBefore(popularity, v, t));
          // As pClick and expectedWatchPerImpression, with the affinity computed once.
          const a = affinityAt(
            users.latent,
            u * latentDim,
            videos.latent,
            v * latentDim,
            latentDim,
          );
          const p = sigmoid(
            clickLogitWith(terms, world, u, v, t, a, watched, previousEpisodeWatched),
          );
          ex.oracleClick[n] = p;
          ex.oracleWatch[n] = p * videos.duration[v] * watchFractionOf(terms.watch[v], a);
        }
      }
      for (let i = i0; i < i1; i++) {
        const v = logs.impVideo[i];
        if (impUser[v] !== u) {
          impUser[v] = u;
          impCount[v] = 0;
        }
        impCount[v]++;
      }
    }
  }
  return ex;
}

/**
 * The pages (sessions) of split `o.split` that become examples: chosen[x] = 1 for each. A user
 * with more than `o.pagesPerUser` pages in the split keeps that many, drawn without replacement
 * by a partial Fisher–Yates shuffle of the split's seeded stream; `pagesPerUser` 0 keeps all.
 */
function choosePages(world: World, o: RankingExampleOptions): Uint8Array {
  const { logs, users, config } = world;
  const rng = createRng(o.seed, 0x7a4, o.split === 'train' ? 1 : 2);
  const chosen = new Uint8Array(logs.sessions);
  const eligible: number[] = [];
  let s = 0;
  for (let u = 0; u < users.count; u++) {
    const sBegin = s;
    while (s < logs.sessions && logs.sessionUser[s] === u) s++;
    eligible.length = 0;
    for (let x = sBegin; x < s; x++) {
      const inTrain = logs.sessionTime[x] < config.splitDay;
      if (inTrain === (o.split === 'train')) eligible.push(x);
    }
    if (o.pagesPerUser > 0 && eligible.length > o.pagesPerUser) {
      for (let i = 0; i < o.pagesPerUser; i++) {
        const k = i + rng.int(eligible.length - i);
        const tmp = eligible[i];
        eligible[i] = eligible[k];
        eligible[k] = tmp;
        chosen[eligible[i]] = 1;
      }
    } else for (const x of eligible) chosen[x] = 1;
  }
  return chosen;
}
