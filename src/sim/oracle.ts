/**
 * The oracle: the stated model of user × video × time from which every click and watch in
 * the logs is drawn, and so the truth every recommender is scored against (docs/model.md#oracle,
 * docs/design-notes.md#calibration).
 *
 *   affinity a        = p_user · z_video / AFFINITY_SCALE
 *   P(click)          = σ(CLICK.bias + CLICK.affinity·a + CLICK.clickbait·cb
 *                          + CLICK.logPopularity·log(N·popularity) + CLICK.fresh·e^(−age/FRESH_DAYS)
 *                          + viral·e^(−age/VIRAL_DAYS) + CLICK.languageMismatch·[languages differ]
 *                          + s·DEVICE_DURATION[device]·log(duration / 8 min)
 *                          + CLICK.nextEpisode·[previous episode watched] + CLICK.rewatch·[watched])
 *   watch fraction f  = σ(WATCH.bias + WATCH.affinity·a + WATCH.quality·(quality − 0.6)
 *                          + WATCH.clickbait·cb)
 *   E[watch | click]  = duration · f   (minutes)
 *   E[watch per impression] = P(click) · duration · f
 *
 * Time is in days; a video has no freshness boost before its upload (it cannot be shown then).
 */
import type { World } from './types';

/** Divisor of the latent dot product. */
export const AFFINITY_SCALE = 4;
/** Days over which the freshness boost decays by e. */
export const FRESH_DAYS = 4;
/** Days over which a viral video's extra boost decays by e. */
export const VIRAL_DAYS = 10;

/** Beyond this age (days) the freshness boost is taken as 0. */
export const FRESH_HORIZON_DAYS = 90;

/** Coefficients of the click logit. */
export const CLICK = {
  bias: -2.6,
  affinity: 2.5,
  clickbait: 1.2,
  logPopularity: 0.12,
  fresh: 1.0,
  languageMismatch: -2.0,
  nextEpisode: 2.0,
  rewatch: -3.0,
} as const;

/**
 * Duration preference of each device (index = device id: mobile, desktop, tv, tablet): the click
 * logit gains s·DEVICE_DURATION[device]·log(duration / 8 min), s = the world's
 * `demographicEffect` — on a phone a 32-minute video loses 0.69 of logit against an 8-minute
 * one, on a TV it gains 0.83 (docs/model.md#demographics).
 */
export const DEVICE_DURATION: readonly number[] = [-0.5, 0, 0.6, 0.2];
/** The duration (minutes) at which no device prefers or avoids a video. */
export const NEUTRAL_DURATION_MINUTES = 8;

/** Coefficients of the watch-fraction logit. */
export const WATCH = {
  bias: -0.3,
  affinity: 0.6,
  quality: 2.0,
  clickbait: -2.2,
} as const;

/** Per-impression context the click model depends on beyond user, video and time. */
export interface OracleContext {
  /** The user already watched this video. */
  watched?: boolean;
  /** The user watched the previous episode of this video's series. */
  previousEpisodeWatched?: boolean;
}

/** σ(x). */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * True affinity a of user u for video v (dimensionless; about N(0, 0.5²) off-topic, 1–3 for a
 * user's main topics). The dot product is unrolled by four: it is the world's hot loop.
 */
export function affinity(world: World, u: number, v: number): number {
  const d = world.config.latentDim;
  return affinityAt(world.users.latent, u * d, world.videos.latent, v * d, d);
}

/**
 * {@link affinity} from the rows themselves: p[a … a + d) · z[b … b + d) / AFFINITY_SCALE,
 * summed in four interleaved partial sums (the remainder of d mod 4 into the first), always in
 * this order, so every caller gets the same number to the bit.
 */
export function affinityAt(
  p: Float32Array,
  a: number,
  z: Float32Array,
  b: number,
  d: number,
): number {
  // Indices as int32 (`| 0`): a dimension read from a settings object is often a float64 in the
  // engine, and index arithmetic in float64 converts and checks every index at every access.
  a |= 0;
  b |= 0;
  d |= 0;
  const end = (a + d - (d & 3)) | 0;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (; a < end; a = (a + 4) | 0, b = (b + 4) | 0) {
    s0 += p[a] * z[b];
    s1 += p[(a + 1) | 0] * z[(b + 1) | 0];
    s2 += p[(a + 2) | 0] * z[(b + 2) | 0];
    s3 += p[(a + 3) | 0] * z[(b + 3) | 0];
  }
  for (let i = 0; i < (d & 3); i++) s0 += p[a + i] * z[b + i];
  return (s0 + s1 + s2 + s3) / AFFINITY_SCALE;
}

/** Per-video parts of the click and watch logits that do not depend on user or time. */
interface StaticTerms {
  click: Float32Array;
  watch: Float32Array;
  /** log(duration / NEUTRAL_DURATION_MINUTES). */
  logDuration: Float32Array;
}
const staticCache = new WeakMap<World['videos'], StaticTerms>();
/** Per user, s·DEVICE_DURATION[device]: the weight of log duration in the click logit. */
const durationCache = new WeakMap<World['users'], Float32Array>();

function durationPreference(world: World): Float32Array {
  let d = durationCache.get(world.users);
  if (!d) {
    const { device, count } = world.users;
    const s = world.config.demographicEffect ?? 0;
    d = new Float32Array(count);
    for (let u = 0; u < count; u++) d[u] = s * DEVICE_DURATION[device[u]];
    durationCache.set(world.users, d);
  }
  return d;
}

/** The per-video constant terms, computed once per video table. */
function staticTerms(world: World): StaticTerms {
  let s = staticCache.get(world.videos);
  if (!s) {
    const vid = world.videos;
    const n = vid.count;
    const click = new Float32Array(n);
    const watch = new Float32Array(n);
    const logDuration = new Float32Array(n);
    for (let v = 0; v < n; v++) {
      logDuration[v] = Math.log(vid.duration[v] / NEUTRAL_DURATION_MINUTES);
      click[v] =
        CLICK.bias +
        CLICK.clickbait * vid.clickbait[v] +
        CLICK.logPopularity * Math.log(vid.popularity[v] * n);
      watch[v] =
        WATCH.bias + WATCH.quality * (vid.quality[v] - 0.6) + WATCH.clickbait * vid.clickbait[v];
    }
    s = { click, watch, logDuration };
    staticCache.set(world.videos, s);
  }
  return s;
}

/**
 * The oracle's terms that depend on the video alone or on the user alone, cached per table:
 * what a hot loop needs to compute `clickLogitFromAffinity` and `watchFractionFromAffinity`
 * with plain array reads (the session simulation, src/sim/sessions.ts, does, in the same order
 * of operations, so its numbers are these functions' to the bit).
 */
export interface OracleTerms {
  /** CLICK.bias + CLICK.clickbait·cb + CLICK.logPopularity·ln(N·popularity), [videos]. */
  click: Float32Array;
  /** WATCH.bias + WATCH.quality·(quality − 0.6) + WATCH.clickbait·cb, [videos]. */
  watch: Float32Array;
  /** ln(duration / NEUTRAL_DURATION_MINUTES), [videos]. */
  logDuration: Float32Array;
  /** s·DEVICE_DURATION[device] (s = demographicEffect), the weight of logDuration, [users]. */
  durationPreference: Float32Array;
}

/** OracleTerms per video table, then per user table. */
const termsCache = new WeakMap<World['videos'], WeakMap<World['users'], OracleTerms>>();

/** The cached {@link OracleTerms} of a world (computed on first use, O(videos + users)). */
export function oracleTerms(world: World): OracleTerms {
  let byUsers = termsCache.get(world.videos);
  if (!byUsers) termsCache.set(world.videos, (byUsers = new WeakMap()));
  let terms = byUsers.get(world.users);
  if (!terms) {
    terms = { ...staticTerms(world), durationPreference: durationPreference(world) };
    byUsers.set(world.users, terms);
  }
  return terms;
}

/**
 * Freshness term of the click logit at time t (days) for video v: 0 before upload and after
 * FRESH_HORIZON_DAYS (where it is below 1e-3 for any video).
 */
export function freshness(world: World, v: number, t: number): number {
  return freshnessAt(t - world.videos.uploadTime[v], world.videos.viral[v]);
}

/** {@link freshness} of a video `age` days old (negative: not yet uploaded) with boost `viral`. */
export function freshnessAt(age: number, viral: number): number {
  if (age < 0 || age > FRESH_HORIZON_DAYS) return 0;
  return CLICK.fresh * Math.exp(-age / FRESH_DAYS) + viral * Math.exp(-age / VIRAL_DAYS);
}

/**
 * Click logit of video v for user u at time t (days) from the cached `terms` and a precomputed
 * affinity `a`, the context as two flags: the sum of docs/model.md#oracle in a fixed order, so
 * every caller gets the same number to the bit. The session simulation's hot loop calls this.
 */
export function clickLogitWith(
  terms: OracleTerms,
  world: World,
  u: number,
  v: number,
  t: number,
  a: number,
  watched: boolean,
  previousEpisodeWatched: boolean,
): number {
  return clickLogitOf(
    terms.click[v],
    a,
    freshness(world, v, t),
    terms.durationPreference[u] * terms.logDuration[v],
    world.videos.language[v] !== world.users.language[u],
    previousEpisodeWatched,
    watched,
  );
}

/**
 * The click logit from its parts: the video's static term (`OracleTerms.click`), affinity a,
 * the freshness term, the device's duration term (durationPreference[u] · logDuration[v]) and
 * the three flags, added in this fixed order.
 */
export function clickLogitOf(
  click: number,
  a: number,
  fresh: number,
  durationTerm: number,
  languageDiffers: boolean,
  previousEpisodeWatched: boolean,
  watched: boolean,
): number {
  let z = click + CLICK.affinity * a + fresh + durationTerm;
  if (languageDiffers) z += CLICK.languageMismatch;
  if (previousEpisodeWatched) z += CLICK.nextEpisode;
  if (watched) z += CLICK.rewatch;
  return z;
}

/** Click logit given a precomputed affinity `a` (hot loops compute a once). */
export function clickLogitFromAffinity(
  world: World,
  u: number,
  v: number,
  t: number,
  a: number,
  ctx?: OracleContext,
): number {
  return clickLogitWith(
    oracleTerms(world),
    world,
    u,
    v,
    t,
    a,
    !!ctx?.watched,
    !!ctx?.previousEpisodeWatched,
  );
}

/** P(click) of showing video v to user u at time t (days). */
export function pClick(world: World, u: number, v: number, t: number, ctx?: OracleContext): number {
  return sigmoid(clickLogitFromAffinity(world, u, v, t, affinity(world, u, v), ctx));
}

/** Expected watched fraction of the video's duration, given a click and affinity `a`. */
export function watchFractionFromAffinity(world: World, v: number, a: number): number {
  return sigmoid(staticTerms(world).watch[v] + WATCH.affinity * a);
}

/** {@link watchFractionFromAffinity} from the video's static term (`OracleTerms.watch`). */
export function watchFractionOf(watch: number, a: number): number {
  return sigmoid(watch + WATCH.affinity * a);
}

/** E[watch minutes | click] of user u on video v. */
export function expectedWatchGivenClick(world: World, u: number, v: number): number {
  return world.videos.duration[v] * watchFractionFromAffinity(world, v, affinity(world, u, v));
}

/** E[watch minutes per impression] = P(click) · E[watch | click]: what a ranker should sort by. */
export function expectedWatchPerImpression(
  world: World,
  u: number,
  v: number,
  t: number,
  ctx?: OracleContext,
): number {
  const a = affinity(world, u, v);
  const p = sigmoid(clickLogitFromAffinity(world, u, v, t, a, ctx));
  return p * world.videos.duration[v] * watchFractionFromAffinity(world, v, a);
}
