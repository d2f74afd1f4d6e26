/**
 * The session loop of one range of users (docs/model.md#sessions): `RangeSimulator` simulates
 * users one after another, each from its own random stream, a method per step of a session
 * (search, the rest of the page, clicks and watches). sessions.ts runs it over user ranges and
 * joins the ranges' logs. It creates no closure and no object per user, session or impression,
 * and draws from a {@link SimRng} (the same numbers as `createRng`) by method calls the engine
 * inlines (docs/performance.md#world-generation).
 */
import { STREAM } from './catalogue';
import { legacyFallback } from './legacy-fallback';
import { LegacyPool, POOL_REFRESH_SESSIONS } from './legacy-pool';
import { LogColumns } from './log-columns';
import type { LogArrays } from './log-room';
import { affinityAt, CLICK, FRESH_DAYS, FRESH_HORIZON_DAYS, VIRAL_DAYS, WATCH } from './oracle';
import { SimRng } from './rng';
import { belowSigmoid, sigmoidTable } from './sigmoid-bounds';
import { checkLayout, Page, STAMP_STRIDE } from './session-page';
import {
  drawTopicGuided,
  interestCdf,
  sampleSlot,
  TOPIC_GUIDE_BITS,
  topicGuide,
  upperBound,
  type SessionContext,
} from './session-context';
import { IMP_CLICKED, ImpressionSource, type Logs, type World } from './types';

const SEARCH_RESULTS = 3;
/** Stands in for the user's latent row in `clickAndWatch` when latentDim is not 16. */
const ZERO_ROW = new Float32Array(16);
const FRESH_WINDOW_DAYS = 3;
/**
 * The clock advances at least this much (minutes) per watch and between sessions, so a user's
 * watch times are strictly increasing even in float32.
 */
export const MIN_WATCH_STEP_MINUTES = 0.05;
/** Concentration of the Beta draw of the watched fraction around its mean. */
export const WATCH_CONCENTRATION = 3;
/** At most this many sessions per user-day (the Poisson draw is capped). */
export const MAX_SESSIONS_PER_DAY = 64;

/**
 * The simulation of one range of users, split into a method per step of a session (search,
 * the rest of the page, clicks and watches) so that each is compiled on its own and the
 * engine inlines the per-impression helpers (affinity, the click logit, the random stream)
 * into it rather than calling them. Users are given in ascending order (`user`), then `finish`
 * returns the range's logs.
 */
export class RangeSimulator {
  private readonly world: World;
  private readonly cfg: World['config'];
  private readonly ips: number;
  private readonly d: number;
  private readonly out: LogColumns;
  private readonly userWatchOffsets: Int32Array;
  private readonly userSearchOffsets: Int32Array;
  /**
   * Per-slot scratch, reset by stamping with the user / session number instead of clearing:
   * the session on whose page the video is, the last user who watched it, the pool's epoch.
   */
  private readonly stamps: Int32Array;
  private readonly pool: LegacyPool;
  private readonly page: Page;
  private readonly dayTimes = new Float64Array(MAX_SESSIONS_PER_DAY);
  /** σ on a grid, for the click draw (sigmoid-bounds.ts). */
  private readonly sigmoid = sigmoidTable();
  private readonly cdf: Float64Array;
  /** `topicGuide` of `cdf`, rebuilt per user. */
  private readonly guide = new Int32Array(1 << TOPIC_GUIDE_BITS);
  private sessionId = 0;
  /** A sum of what the prefetching passes read, kept live so they are not optimised away. */
  touched = 0;
  // The current user.
  private rng: SimRng;
  private u = 0;
  private pu = 0;
  private language = 0;
  private durationWeight = 0;
  /** The slot of the user's last watched video, or −1. */
  private lastWatched = -1;
  /** A session starts after the user's previous one ends, so watches stay in time order. */
  private free = -Infinity;

  /**
   * Users [from, to), writing into `columns` (log-room.ts: `reserveColumns(rangeRoom(…))`, or a
   * window of shared columns), finished as views on them when `views`.
   */
  constructor(
    private readonly ctx: SessionContext,
    private readonly from: number,
    to: number,
    columns: LogArrays,
    views: boolean,
  ) {
    checkLayout();
    const world = (this.world = ctx.world);
    const cfg = (this.cfg = world.config);
    this.ips = cfg.impressionsPerSession | 0; // int32: the page's length is compared with it
    this.d = cfg.latentDim | 0; // int32, so index arithmetic stays integer (oracle.ts affinityAt)
    this.out = new LogColumns(columns, views);
    this.userWatchOffsets = new Int32Array(to - from + 1);
    this.userSearchOffsets = new Int32Array(to - from + 1);
    this.stamps = new Int32Array(STAMP_STRIDE * world.videos.count).fill(-1);
    this.pool = new LegacyPool(ctx, this.stamps);
    this.page = new Page(this.ips, this.stamps, ctx.record);
    this.cdf = new Float64Array(cfg.topics);
    this.rng = new SimRng(cfg.seed, STREAM.logs, from);
  }

  /** Simulates user u's days (users in ascending order). */
  user(u: number): void {
    const { cfg, pool, dayTimes } = this;
    const usr = this.world.users;
    const rng = (this.rng = new SimRng(cfg.seed, STREAM.logs, u));
    interestCdf(usr.interests, u, cfg.topics, this.cdf);
    topicGuide(this.cdf, this.guide);
    this.u = u;
    this.pu = (u * this.d) | 0;
    this.language = usr.language[u];
    this.durationWeight = this.ctx.durationPreference[u];
    const activity = usr.activity[u];
    pool.size = 0;
    this.lastWatched = -1;
    this.free = -Infinity;
    let sessionsSinceRefresh = Infinity;
    for (let day = 0; day < cfg.days; day++) {
      const k = Math.min(MAX_SESSIONS_PER_DAY, rng.poisson(activity));
      // Refresh every POOL_REFRESH_SESSIONS sessions (about every 4 days for an average user):
      // the cost follows activity, so light users cost little however large the catalogue.
      if (k > 0 && sessionsSinceRefresh >= POOL_REFRESH_SESSIONS) {
        pool.refresh(u, day, rng, this.cdf, this.guide);
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
      for (let s = 0; s < k; s++) this.session(Math.max(dayTimes[s], this.free));
    }
    this.userWatchOffsets[u + 1 - this.from] = this.out.watches;
    this.userSearchOffsets[u + 1 - this.from] = this.out.searches;
  }

  /** One session of the current user starting at time t (days). */
  private session(t: number): void {
    const { out, page, rng } = this;
    const sid = this.sessionId++;
    page.start(sid, t);
    out.reserve(this.ips);
    const search = rng.next() < this.cfg.searchRate ? this.search(t, sid) : -1;
    this.fillPage(t, sid);
    this.clickAndWatch(t);
    const ses = out.sessions++;
    out.sessionUser[ses] = this.u;
    out.sessionTime[ses] = t;
    out.sessionSearch[ses] = search;
    out.sessionImpOffsets[ses + 1] = out.impressions;
  }

  /**
   * Search: a topic the user likes, one to three of its words; of a dozen videos with the last
   * query word, the best by affinity and popularity go on the page. Returns the search id.
   */
  private search(t: number, sid: number): number {
    const { out, rng, stamps, page, d, pu } = this;
    const { vocab, postings, record, recordF64 } = this.ctx;
    const userLatent = this.world.users.latent;
    const videoLatent = this.ctx.latent;
    const topic = drawTopicGuided(this.cdf, this.guide, rng);
    const a = vocab.topicOffsets[topic];
    const b = vocab.topicOffsets[topic + 1];
    const q = 1 + rng.int(3);
    const search = out.searches++;
    out.searchTime[search] = t;
    let tok = -1;
    for (let i = 0; i < q; i++) {
      tok =
        i === 0 && rng.next() < 0.6 ? vocab.topicTokens[a] : vocab.topicTokens[a + rng.int(b - a)];
      out.searchTokens[out.tokens++] = tok;
    }
    out.searchTokenOffsets[out.searches] = out.tokens;
    const p0 = postings.offsets[tok];
    const p1 = postings.offsets[tok + 1];
    const RS = 16; // REC_STRIDE, STAMP_STRIDE, REC_LOG_POPULARITY_N / 2 (LAYOUT_LITERALS)
    const SS = 4;
    const LOG_POP = 6;
    for (let r = 0; r < SEARCH_RESULTS && p1 > p0; r++) {
      let best = -1;
      let bestScore = -Infinity;
      let bestAffinity = NaN;
      for (let c = 0; c < 4; c++) {
        const v = postings.videos[p0 + rng.int(p1 - p0)];
        if (!(record[RS * v] <= t) || stamps[SS * v] === sid) continue;
        const av = affinityAt(userLatent, pu, videoLatent, v * d, d);
        const sc = av + 0.5 * recordF64[(RS / 2) * v + LOG_POP];
        if (sc > bestScore) {
          bestScore = sc;
          best = v;
          bestAffinity = av;
        }
      }
      page.add(best, ImpressionSource.Search, bestAffinity);
    }
    return search;
  }

  /**
   * The rest of the page: next episode, popular, fresh, random, the legacy pool and its
   * fallback; then the page shuffled.
   */
  private fillPage(t: number, sid: number): void {
    const { rng, page, pool, u } = this;
    const { popular, recordInt } = this.ctx;
    const RS = 16; // REC_STRIDE (LAYOUT_LITERALS)
    if (this.lastWatched >= 0)
      page.add(
        recordInt[RS * this.lastWatched + 9], // REC_NEXT_EPISODE
        ImpressionSource.NextEpisode,
        NaN,
      );
    for (let i = 0, got = 0; got < 2 && i < 20; i++)
      if (page.add(sampleSlot(popular, 0, rng), ImpressionSource.Popular, NaN)) got++;
    this.fresh(t, sid);
    const N = this.world.videos.count;
    const slotOf = this.ctx.slotOf;
    for (let i = 0; i < 10; i++)
      if (page.add(slotOf[rng.int(N)], ImpressionSource.Random, NaN)) break;
    pool.fill(page, rng, u); // legacy recommender: pool entries in random order
    if (page.n < page.ips)
      legacyFallback(page, rng, this.ctx, this.cdf, this.guide, this.language, u, this.stamps);
    page.shuffle(rng);
  }

  /** Fresh: the most popular of three uploads from the last few days goes on the page. */
  private fresh(t: number, sid: number): void {
    const { rng, stamps } = this;
    const { uploads, record } = this.ctx;
    const hi = upperBound(uploads, t);
    const lo = upperBound(uploads, t - FRESH_WINDOW_DAYS);
    if (hi > lo) {
      let best = -1;
      for (let c = 0; c < 3; c++) {
        const v = uploads.slots[lo + rng.int(hi - lo)];
        // Word 0 of the stamps (STAMP_STRIDE 4): the session; field 10 of the record (REC_STRIDE
        // 16): popularity.
        if (stamps[4 * v] !== sid && (best < 0 || record[16 * v + 10] > record[16 * best + 10]))
          best = v;
      }
      this.page.add(best, ImpressionSource.Fresh, NaN);
    }
  }

  /** The user clicks and watches in page order; the session started at t (days). */
  private clickAndWatch(t: number): void {
    const { out, rng, stamps, page, d, pu, u, language, durationWeight } = this;
    const { record, recordInt } = this.ctx;
    const videoLatent = this.ctx.latent;
    const userLatent = this.world.users.latent;
    const slots = page.slots;
    const known = page.affinity;
    const n = page.n;
    // The record's and stamps' layout as literals (LAYOUT_LITERALS), the oracle's coefficients
    // read once per page rather than at every use.
    const RS = 16;
    const SS = 4;
    const WATCHED = 1;
    const { affinity: cAffinity, languageMismatch, nextEpisode, rewatch, fresh } = CLICK;
    const wAffinity = WATCH.affinity;
    const freshHorizon = FRESH_HORIZON_DAYS;
    const freshDays = FRESH_DAYS;
    const viralDays = VIRAL_DAYS;
    const sigmoid = this.sigmoid;
    // The user's row in locals at latentDim 16 (ZERO_ROW otherwise, unused).
    const P = d === 16 ? userLatent : ZERO_ROW;
    const q = d === 16 ? pu : 0;
    const p0 = P[q];
    const p1 = P[q + 1];
    const p2 = P[q + 2];
    const p3 = P[q + 3];
    const p4 = P[q + 4];
    const p5 = P[q + 5];
    const p6 = P[q + 6];
    const p7 = P[q + 7];
    const p8 = P[q + 8];
    const p9 = P[q + 9];
    const p10 = P[q + 10];
    const p11 = P[q + 11];
    const p12 = P[q + 12];
    const p13 = P[q + 13];
    const p14 = P[q + 14];
    const p15 = P[q + 15];
    // Read each shown video's latent row (unless its affinity is known) and its previous
    // episode's stamps once, so their cache misses overlap (the loop below finds them in cache).
    let touch = 0;
    for (let i = 0; i < n; i++) {
      const v = slots[i];
      const prev = recordInt[RS * v + 7]; // REC_PREV_EPISODE
      touch += stamps[SS * (prev < 0 ? v : prev)];
      if (known[i] !== known[i]) touch += videoLatent[v * d];
    }
    this.touched += touch;
    let clock = t;
    for (let i = 0; i < n; i++) {
      const v = slots[i];
      const r = RS * v;
      // The affinity the pool or the search computed for this video, else computed now: the
      // same call (affinityAt) on the same rows, so the same number.
      let a = known[i];
      if (a !== a) {
        if (d === 16) {
          // As LegacyPool.refresh: affinityAt's four partial sums in its order, the user's
          // row in locals (the same number to the bit).
          const z = videoLatent;
          const b = (v * 16) | 0;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          s0 += p0 * z[b];
          s1 += p1 * z[(b + 1) | 0];
          s2 += p2 * z[(b + 2) | 0];
          s3 += p3 * z[(b + 3) | 0];
          s0 += p4 * z[(b + 4) | 0];
          s1 += p5 * z[(b + 5) | 0];
          s2 += p6 * z[(b + 6) | 0];
          s3 += p7 * z[(b + 7) | 0];
          s0 += p8 * z[(b + 8) | 0];
          s1 += p9 * z[(b + 9) | 0];
          s2 += p10 * z[(b + 10) | 0];
          s3 += p11 * z[(b + 11) | 0];
          s0 += p12 * z[(b + 12) | 0];
          s1 += p13 * z[(b + 13) | 0];
          s2 += p14 * z[(b + 14) | 0];
          s3 += p15 * z[(b + 15) | 0];
          a = (s0 + s1 + s2 + s3) / 4; // AFFINITY_SCALE
        } else a = affinityAt(userLatent, pu, videoLatent, v * d, d);
      }
      const prev = recordInt[r + 7]; // REC_PREV_EPISODE
      // oracle.ts's clickLogitOf(click, a, freshnessAt(age, viral), duration term, the three
      // flags) written out from the record (fields REC_CLICK = 1, REC_UPLOAD = 0, REC_VIRAL = 4,
      // REC_LOG_DURATION = 3, REC_LANGUAGE = 6): the same operations in the same order, so the
      // same number to the bit (oracle.test.ts and the world hashes hold it there).
      // A video that is not viral (all but ~0.5%) adds 0 · e^(−age/VIRAL_DAYS) = +0, which
      // leaves the sum's bits as they are: its exponential is not computed.
      const age = t - record[r];
      let freshness = 0;
      if (!(age < 0 || age > freshHorizon)) {
        const viral = record[r + 4];
        freshness = fresh * Math.exp(-age / freshDays);
        if (viral !== 0) freshness += viral * Math.exp(-age / viralDays);
      }
      let logit = record[r + 1] + cAffinity * a + freshness + durationWeight * record[r + 3];
      if (recordInt[r + 6] !== language) logit += languageMismatch;
      if (prev >= 0 && stamps[SS * prev + WATCHED] === u) logit += nextEpisode;
      if (stamps[SS * v + WATCHED] === u) logit += rewatch;
      const imp = out.impressions++;
      const id = recordInt[r + 8]; // REC_ID
      out.impVideo[imp] = id;
      // rng.next() < σ(logit), decided from bounds on σ where they suffice (sigmoid-bounds.ts).
      if (belowSigmoid(sigmoid, rng.next(), logit)) {
        // watchFractionOf(REC_WATCH = 2, a): σ(watch + WATCH.affinity · a).
        const f = 1 / (1 + Math.exp(-(record[r + 2] + wAffinity * a)));
        const frac = rng.beta(f * WATCH_CONCENTRATION, (1 - f) * WATCH_CONCENTRATION);
        const minutes = record[r + 5] * frac; // REC_DURATION
        out.impFlags[imp] = page.source[i] | IMP_CLICKED;
        const w = out.watches++;
        out.watchVideo[w] = id;
        out.watchTime[w] = clock;
        out.watchMinutes[w] = minutes;
        out.watchImpression[w] = imp;
        clock += Math.max(minutes, MIN_WATCH_STEP_MINUTES) / 1440;
        stamps[SS * v + WATCHED] = u;
        this.lastWatched = v;
      } else out.impFlags[imp] = page.source[i];
    }
    this.free = clock + MIN_WATCH_STEP_MINUTES / 1440;
  }

  /** The columns being written (their counts so far; `LogColumns.rewindow`). */
  get columns(): LogColumns {
    return this.out;
  }

  /** The logs of the range. */
  finish(): Logs {
    this.pool.touched += this.touched;
    return this.out.finish(this.userWatchOffsets, this.userSearchOffsets);
  }
}
