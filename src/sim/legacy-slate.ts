/**
 * The legacy recommender the world was generated with, as a policy of the closed loop
 * (docs/loop.md#policies): the home page sessions.ts builds, without the search that starts
 * some sessions (search is not a recommendation). A page holds the next episode of the last
 * watched series, two videos drawn by global popularity, the most popular of three uploads of
 * the last three days, one uniform video, then the user's legacy pool (legacy-pool.ts: the best
 * by TRUE affinity of 120 candidates, refreshed every POOL_REFRESH_SESSIONS sessions) in random
 * order skipping what the user watched, and popular videos of liked topics when the pool runs
 * out; then the page is shuffled. The same draws as the generator's, from the caller's stream.
 */
import { buildVocabulary } from './catalogue';
import { LegacyPool, POOL_REFRESH_SESSIONS, POOL_SIZE } from './legacy-pool';
import { STAMP_STRIDE } from './session-page';
import type { SimRng } from './rng';
import {
  drawTopic,
  drawTopicalInLanguage,
  interestCdf,
  sampleVideo,
  sessionContext,
  upperBound,
  type SessionContext,
} from './session-context';
import { ImpressionSource, type World } from './types';

/** Days of uploads the fresh slot draws from (as sessions.ts). */
const FRESH_WINDOW_DAYS = 3;

/** What the legacy slate needs to know of a user beyond the world. */
export interface LegacyUserState {
  watched: { has(v: number): boolean };
  /** The user's last watched video, or −1. */
  lastWatched: number;
}

/** A slate: videos top first and why each was shown. */
export interface Slate {
  videos: Int32Array;
  sources: Uint8Array;
}

/** The legacy recommender over a world's users, keeping each user's pool between rounds. */
export class LegacySlates {
  private readonly ctx: SessionContext;
  private readonly pool: LegacyPool;
  private readonly pools: Int32Array;
  private readonly poolSize: Int32Array;
  private readonly sinceRefresh: Float64Array;
  private readonly cdf: Float64Array;

  constructor(readonly world: World) {
    this.ctx = sessionContext(world, buildVocabulary(world.config.topics));
    const stamps = new Int32Array(STAMP_STRIDE * world.videos.count).fill(-1);
    this.pool = new LegacyPool(this.ctx, stamps);
    const U = world.users.count;
    this.pools = new Int32Array(U * POOL_SIZE);
    this.poolSize = new Int32Array(U);
    this.sinceRefresh = new Float64Array(U).fill(Infinity);
    this.cdf = new Float64Array(world.config.topics);
  }

  /**
   * At the start of user u's day `day` with `sessions` sessions: refreshes the user's pool when
   * POOL_REFRESH_SESSIONS sessions have passed since the last refresh (as sessions.ts does).
   */
  startDay(u: number, day: number, sessions: number, rng: SimRng): void {
    if (sessions > 0 && this.sinceRefresh[u] >= POOL_REFRESH_SESSIONS) {
      interestCdf(this.world.users.interests, u, this.world.config.topics, this.cdf);
      this.pool.refresh(u, day, rng, this.cdf);
      this.pools.set(this.pool.ids.subarray(0, this.pool.size), u * POOL_SIZE);
      this.poolSize[u] = this.pool.size;
      this.sinceRefresh[u] = 0;
    }
    this.sinceRefresh[u] += sessions;
  }

  /** The page of `k` videos for user u at time t (days). */
  slate(u: number, t: number, k: number, user: LegacyUserState, rng: SimRng): Slate {
    const { ctx, world } = this;
    const vid = world.videos;
    const N = vid.count;
    const videos: number[] = [];
    const sources: number[] = [];
    const add = (v: number, src: number): boolean => {
      if (videos.length >= k || v < 0 || !(vid.uploadTime[v] <= t) || videos.includes(v))
        return false;
      videos.push(v);
      sources.push(src);
      return true;
    };
    if (user.lastWatched >= 0) add(vid.nextEpisode[user.lastWatched], ImpressionSource.NextEpisode);
    for (let i = 0, got = 0; got < 2 && i < 20; i++)
      if (add(sampleVideo(ctx.popular, 0, rng), ImpressionSource.Popular)) got++;
    const hi = upperBound(ctx.uploads, t);
    const lo = upperBound(ctx.uploads, t - FRESH_WINDOW_DAYS);
    if (hi > lo) {
      let best = -1;
      for (let c = 0; c < 3; c++) {
        const v = ctx.uploads.order[lo + rng.int(hi - lo)];
        if (!videos.includes(v) && (best < 0 || vid.popularity[v] > vid.popularity[best])) best = v;
      }
      add(best, ImpressionSource.Fresh);
    }
    for (let i = 0; i < 10; i++) if (add(rng.int(N), ImpressionSource.Random)) break;
    const pool = this.pools.subarray(u * POOL_SIZE, u * POOL_SIZE + this.poolSize[u]);
    for (let i = 0; i < pool.length && videos.length < k; i++) {
      const j = i + rng.int(pool.length - i);
      const v = pool[j];
      pool[j] = pool[i];
      pool[i] = v;
      if (!user.watched.has(v)) add(v, ImpressionSource.Legacy);
    }
    interestCdf(world.users.interests, u, world.config.topics, this.cdf);
    const language = world.users.language[u];
    for (let i = 0; videos.length < k && i < 50; i++) {
      const v = drawTopicalInLanguage(ctx, drawTopic(this.cdf, rng), language, rng);
      if (v >= 0 && !user.watched.has(v)) add(v, ImpressionSource.Legacy);
    }
    for (let i = videos.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [videos[i], videos[j]] = [videos[j], videos[i]];
      [sources[i], sources[j]] = [sources[j], sources[i]];
    }
    return { videos: Int32Array.from(videos), sources: Uint8Array.from(sources) };
  }
}
