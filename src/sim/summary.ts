/**
 * Summarises a world into the small {@link WorldSummary} that the World view and the
 * `npm run world` command show: counts, the fitted Zipf exponent, clickbait against the rest,
 * series direction, topic mix, popularity by rank, durations and one user's timeline.
 */
import type { UserTimeline, WorldSummary } from './summary-types';
import { IMP_CLICKED, IMP_SOURCE, ImpressionSource, type World } from './types';
import { AGE_BUCKETS, COUNTRIES, DEVICES, LANGUAGES } from './vocab-names';

/**
 * Least-squares slope of log(count) on log(rank) over ranks 1 … maxRank of the counts sorted
 * in descending order; returns −slope, the Zipf exponent (positive). Ranks with count 0 are
 * skipped.
 */
export function fitZipfExponent(
  counts: ArrayLike<number>,
  minRank = 1,
  maxRank = Infinity,
): number {
  const sorted = Float64Array.from(counts).sort().reverse();
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  const last = Math.min(sorted.length, maxRank);
  for (let r = minRank; r <= last; r++) {
    const c = sorted[r - 1];
    if (c <= 0) break;
    const x = Math.log(r);
    const y = Math.log(c);
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  if (n < 2) return NaN;
  return -(n * sxy - sx * sy) / (n * sxx - sx * sx);
}

/** Per video, how many times it was shown because of its popularity (source Popular). */
export function popularShown(world: World): Float64Array {
  const c = new Float64Array(world.videos.count);
  const { impVideo, impFlags } = world.logs;
  for (let i = 0; i < impVideo.length; i++)
    if ((impFlags[i] & IMP_SOURCE) === ImpressionSource.Popular) c[impVideo[i]]++;
  return c;
}

/** Watches per video over the whole window. */
export function watchCounts(world: World): Float64Array {
  const c = new Float64Array(world.videos.count);
  const wv = world.logs.watchVideo;
  for (let i = 0; i < wv.length; i++) c[wv[i]]++;
  return c;
}

/**
 * Share of series transitions that go forward: over each user's consecutive watches that
 * move between adjacent episodes of one series, the share going k → k+1.
 */
export function seriesForwardShare(world: World): number {
  const { series, episode } = world.videos;
  const { userWatchOffsets, watchVideo } = world.logs;
  let fwd = 0;
  let back = 0;
  for (let u = 0; u < world.users.count; u++) {
    for (let j = userWatchOffsets[u] + 1; j < userWatchOffsets[u + 1]; j++) {
      const a = watchVideo[j - 1];
      const b = watchVideo[j];
      if (series[a] < 0 || series[a] !== series[b]) continue;
      const d = episode[b] - episode[a];
      if (d === 1) fwd++;
      else if (d === -1) back++;
    }
  }
  return fwd + back > 0 ? fwd / (fwd + back) : NaN;
}

/** Index of the user with the median number of watches. */
function medianUser(world: World): number {
  const off = world.logs.userWatchOffsets;
  const n = world.users.count;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => off[a + 1] - off[a] - (off[b + 1] - off[b]) || a - b,
  );
  return order[n >> 1];
}

/** The timeline of user u (defaults to the median-activity user). */
export function userTimeline(world: World, u = medianUser(world)): UserTimeline {
  const { users, videos, logs, topicNames, vocabulary } = world;
  const T = world.config.topics;
  const interests = Array.from(
    { length: T },
    (_, t) => [topicNames[t], users.interests[u * T + t]] as [string, number],
  )
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3);
  const searches = [];
  for (let s = logs.userSearchOffsets[u]; s < logs.userSearchOffsets[u + 1]; s++) {
    const words = [];
    for (let i = logs.searchTokenOffsets[s]; i < logs.searchTokenOffsets[s + 1]; i++)
      words.push(vocabulary[logs.searchTokens[i]]);
    searches.push({ time: logs.searchTime[s], query: words.join(' ') });
  }
  const impressions: UserTimeline['impressions'] = [];
  // Sessions are ordered by user: binary search the first session of u.
  let lo = 0;
  let hi = logs.sessions;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (logs.sessionUser[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  // Unclicked impressions, strided so that at most 400 cover the whole window.
  let unclicked = 0;
  let end = lo;
  for (; end < logs.sessions && logs.sessionUser[end] === u; end++) {
    for (let i = logs.sessionImpOffsets[end]; i < logs.sessionImpOffsets[end + 1]; i++)
      unclicked += 1 - (logs.impFlags[i] >>> 7);
  }
  const stride = Math.max(1, Math.ceil(unclicked / 400));
  let k = 0;
  for (let s = lo; s < end; s++) {
    for (let i = logs.sessionImpOffsets[s]; i < logs.sessionImpOffsets[s + 1]; i++) {
      if (logs.impFlags[i] & IMP_CLICKED || k++ % stride !== 0) continue;
      const v = logs.impVideo[i];
      impressions.push({ time: logs.sessionTime[s], video: v, topic: topicNames[videos.topic[v]] });
    }
  }
  const watches = [];
  for (let j = logs.userWatchOffsets[u]; j < logs.userWatchOffsets[u + 1]; j++) {
    const v = logs.watchVideo[j];
    watches.push({
      time: logs.watchTime[j],
      video: v,
      topic: topicNames[videos.topic[v]],
      minutes: logs.watchMinutes[j],
      duration: videos.duration[v],
      clickbait: videos.clickbait[v] === 1,
    });
  }
  return {
    user: u,
    ageBucket: AGE_BUCKETS[users.ageBucket[u]],
    country: COUNTRIES[users.country[u]],
    device: DEVICES[users.device[u]],
    language: LANGUAGES[users.language[u]],
    topInterests: interests,
    searches,
    impressions,
    impressionsNotClicked: unclicked,
    watches,
  };
}

/** Computes the {@link WorldSummary} of a world. O(impressions + videos·log videos). */
export function summarizeWorld(world: World, genMs = 0, timelineUser?: number): WorldSummary {
  const { config, videos, logs } = world;
  const N = videos.count;
  const counts = watchCounts(world);

  // Clickbait against the rest: CTR over impressions, watched fraction over watches.
  const imp = [0, 0];
  const clk = [0, 0];
  for (let i = 0; i < logs.impressions; i++) {
    const cb = videos.clickbait[logs.impVideo[i]];
    imp[cb]++;
    clk[cb] += logs.impFlags[i] >>> 7;
  }
  const frac = [0, 0];
  for (let j = 0; j < logs.watches; j++) {
    const v = logs.watchVideo[j];
    frac[videos.clickbait[v]] += logs.watchMinutes[j] / videos.duration[v];
  }
  let cbVideos = 0;
  let episodes = 0;
  let seriesCount = 0;
  for (let v = 0; v < N; v++) {
    cbVideos += videos.clickbait[v];
    if (videos.series[v] >= 0) {
      episodes++;
      seriesCount = Math.max(seriesCount, videos.series[v] + 1);
    }
  }

  const sourceNames = Object.keys(ImpressionSource);
  const bySource = new Float64Array(sourceNames.length);
  for (let i = 0; i < logs.impressions; i++) bySource[logs.impFlags[i] & IMP_SOURCE]++;

  const topicVideos = new Float64Array(config.topics);
  const topicWatches = new Float64Array(config.topics);
  for (let v = 0; v < N; v++) {
    topicVideos[videos.topic[v]]++;
    topicWatches[videos.topic[v]] += counts[v];
  }

  const sorted = Float64Array.from(counts).sort().reverse();
  const popularityByRank: [number, number][] = [];
  let lastRank = 0;
  for (let k = 0; ; k++) {
    const r = Math.max(lastRank + 1, Math.round(Math.pow(10, k / 20)));
    if (r > N || sorted[r - 1] <= 0) break;
    popularityByRank.push([r, sorted[r - 1]]);
    lastRank = r;
  }

  const audience = audienceFigures(world);

  const edges = [0.5, 1, 2, 3, 5, 8, 12, 18, 27, 40, 60, 90, 135, 180];
  const durationHistogram: [number, number, number][] = edges
    .slice(0, -1)
    .map((e, i) => [e, edges[i + 1], 0]);
  for (let v = 0; v < N; v++) {
    const d = videos.duration[v];
    let b = 0;
    while (b < durationHistogram.length - 1 && d >= durationHistogram[b][1]) b++;
    durationHistogram[b][2]++;
  }

  return {
    seed: config.seed,
    videos: N,
    users: world.users.count,
    days: config.days,
    channels: videos.channels,
    watches: logs.watches,
    impressions: logs.impressions,
    sessions: logs.sessions,
    searches: logs.searches,
    watchesPerVideo: logs.watches / N,
    watchesPerUser: logs.watches / world.users.count,
    ctr: logs.watches / Math.max(1, logs.impressions),
    // Fitted on how often each video was shown by popularity (ranks 1 … N/20, where counts are
    // large enough for their logs to be stable): the generated popularity as the logs see it.
    zipfExponent: fitZipfExponent(popularShown(world), 1, Math.max(10, Math.floor(N / 20))),
    // The same fit on watch counts: personalisation flattens the head.
    zipfExponentWatches: fitZipfExponent(counts, 1, Math.max(10, Math.floor(N / 20))),
    zipfExponentSetting: config.zipfExponent,
    audience,
    clickbait: {
      share: cbVideos / N,
      ctr: clk[1] / Math.max(1, imp[1]),
      ctrOther: clk[0] / Math.max(1, imp[0]),
      watchFraction: frac[1] / Math.max(1, clk[1]),
      watchFractionOther: frac[0] / Math.max(1, clk[0]),
    },
    series: {
      count: seriesCount,
      episodeShare: episodes / N,
      forwardShare: seriesForwardShare(world),
    },
    impressionSources: Object.fromEntries(
      sourceNames.map((s, i) => [s, bySource[i] / Math.max(1, logs.impressions)]),
    ),
    topics: world.topicNames.map((name, t) => ({
      name,
      videoShare: topicVideos[t] / N,
      watchShare: topicWatches[t] / Math.max(1, logs.watches),
    })),
    popularityByRank,
    durationHistogram,
    timeline: userTimeline(world, timelineUser),
    genMs,
  };
}

/** The `audience` part of the summary: one pass over the watches (O(watches)). */
function audienceFigures(world: World): WorldSummary['audience'] {
  const { users, videos, logs } = world;
  let own = 0;
  const byLogin = [0, 0];
  const nLogin = [0, 0];
  const logDur = new Float64Array(DEVICES.length);
  const nDev = new Float64Array(DEVICES.length);
  for (let u = 0; u < users.count; u++) {
    const w0 = logs.userWatchOffsets[u];
    const w1 = logs.userWatchOffsets[u + 1];
    nLogin[users.loggedIn[u]]++;
    byLogin[users.loggedIn[u]] += w1 - w0;
    const dev = users.device[u];
    for (let j = w0; j < w1; j++) {
      const v = logs.watchVideo[j];
      if (videos.language[v] === users.language[u]) own++;
      logDur[dev] += Math.log(videos.duration[v]);
      nDev[dev]++;
    }
  }
  return {
    languages: world.config.languages,
    ownLanguageShare: own / Math.max(1, logs.watches),
    watchesPerUserLoggedOut: byLogin[0] / Math.max(1, nLogin[0]),
    watchesPerUserLoggedIn: byLogin[1] / Math.max(1, nLogin[1]),
    watchedDurationByDevice: Array.from(logDur, (x, d) => (nDev[d] ? Math.exp(x / nDev[d]) : 0)),
  };
}
