/**
 * The statistics of a world that the World view and the `npm run world` command show.
 * Small (a few kilobytes whatever the world size), so it crosses from the worker as JSON.
 */
export interface WorldSummary {
  seed: number;
  videos: number;
  users: number;
  days: number;
  channels: number;
  watches: number;
  impressions: number;
  sessions: number;
  searches: number;
  /**
   * watches / videos. docs/design-notes.md#watches-per-video: ID embeddings need roughly 50+ per
   * video.
   */
  watchesPerVideo: number;
  /** watches / users. */
  watchesPerUser: number;
  /** Overall click-through rate (watches / impressions). */
  ctr: number;
  /**
   * Zipf exponent fitted (least squares on log-log, ranks 1 … videos/20) to how often each
   * video was shown for its popularity: recovers the generated popularity law.
   */
  zipfExponent: number;
  /** The same fit on watch counts (flatter: watches follow interests as well as popularity). */
  zipfExponentWatches: number;
  /** The exponent the world was generated with. */
  zipfExponentSetting: number;
  clickbait: {
    /** Share of videos that are clickbait. */
    share: number;
    /** CTR of clickbait impressions. */
    ctr: number;
    /** CTR of all other impressions. */
    ctrOther: number;
    /** Mean watched fraction (watch minutes / duration) of clickbait watches. */
    watchFraction: number;
    /** Mean watched fraction of other watches. */
    watchFractionOther: number;
  };
  series: {
    /** Number of series. */
    count: number;
    /** Share of videos that are episodes. */
    episodeShare: number;
    /**
     * Of a user's consecutive watches that move between adjacent episodes of one series
     * (k→k+1 or k+1→k), the share that go forward.
     */
    forwardShare: number;
  };
  /**
   * Language and demographics (docs/model.md#language, #demographics): the world's number of
   * languages; the share of watches in the watcher's language; watches per logged-out and per
   * logged-in user; the geometric-mean duration (minutes) of the videos watched on each device
   * (DEVICES order).
   */
  audience: {
    languages: number;
    ownLanguageShare: number;
    watchesPerUserLoggedOut: number;
    watchesPerUserLoggedIn: number;
    watchedDurationByDevice: number[];
  };
  /** Share of impressions by source (popular, legacy, fresh, search, next episode, random). */
  impressionSources: Record<string, number>;
  /** Per topic: name, share of videos, share of watches; ordered by topic id. */
  topics: { name: string; videoShare: number; watchShare: number }[];
  /**
   * Watch count by popularity rank (1-based), sampled at log-spaced ranks for a log-log plot:
   * pairs [rank, watches]; only ranks with ≥ 1 watch.
   */
  popularityByRank: [number, number][];
  /** Histogram of video durations: bins of `[fromMinutes, toMinutes, count]`, log-spaced. */
  durationHistogram: [number, number, number][];
  /** One user's timeline (the user with the median activity, or the one asked for). */
  timeline: UserTimeline;
  /** Milliseconds spent generating the world (0 when unknown). */
  genMs: number;
}

/** The events of one user, in time order; times in days, minutes for watch time. */
export interface UserTimeline {
  user: number;
  ageBucket: string;
  country: string;
  device: string;
  language: string;
  /** Top topics of the user's true interests: [name, weight]. */
  topInterests: [string, number][];
  searches: { time: number; query: string }[];
  /** Impressions not clicked: at most 400, every k-th of them so they span the whole window. */
  impressions: { time: number; video: number; topic: string }[];
  /** How many impressions the user did not click in all (≥ impressions.length). */
  impressionsNotClicked: number;
  watches: {
    time: number;
    video: number;
    topic: string;
    minutes: number;
    duration: number;
    clickbait: boolean;
  }[];
}
