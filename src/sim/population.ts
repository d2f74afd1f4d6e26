/**
 * The users: demographics, interests correlated with demographics (so demographics help a
 * cold-start user), true latent vectors, and heavy-tailed activity (docs/model.md#users,
 * docs/model.md#demographics, docs/design-notes.md#calibration). What each demographic changes
 * scales with `demographicEffect` s: age bucket and gender tilt the topic prior (prior^s), the
 * logged-out user's activity is e^(−0.7·s) of a logged-in one's (a thinner history), and the
 * device's duration preference is the oracle's (`DEVICE_DURATION` in oracle.ts).
 */
import { drawCategorical, STREAM } from './catalogue';
import { createRng } from './rng';
import type { Users, WorldConfig } from './types';
import { AGE_BUCKETS, COUNTRIES, DEVICES } from './vocab-names';

/** Share of users per country (index = country id). */
const COUNTRY_SHARE = [0.3, 0.08, 0.15, 0.1, 0.07, 0.06, 0.07, 0.06, 0.05, 0.06];
/** Main language of each country; India speaks English half the time. */
const COUNTRY_LANGUAGE = [0, 0, 1, 2, 3, 4, 5, 6, 6, 7];
const AGE_SHARE = [0.12, 0.25, 0.25, 0.18, 0.12, 0.08];
/** Spread of a user's latent vector around its interest-weighted topic centres. */
const USER_NOISE = 0.3;
/** Interests w ~ Dirichlet(DIR0 + DIR1·prior of the age bucket): sparse, a few topics per user. */
const DIR0 = 0.03;
const DIR1 = 2;
const DEVICE_SHARE = [0.6, 0.25, 0.1, 0.05];
/** Spread of the per-topic gender tilt γ_t ~ N(0, GENDER_TILT²) of the topic prior. */
export const GENDER_TILT = 0.8;
/** Share of users who are logged in. */
const LOGGED_IN_SHARE = 0.8;
/** A logged-out user's activity is e^(−LOGGED_OUT_ACTIVITY·s) of a logged-in one's. */
export const LOGGED_OUT_ACTIVITY = 0.7;

/**
 * A user's language id: the country's main language (India: English when `englishInIndia`),
 * English (0) when that language is not among the world's first `languages`.
 */
export function userLanguage(country: number, englishInIndia: boolean, languages: number): number {
  const l = country === 2 && englishInIndia ? 0 : COUNTRY_LANGUAGE[country];
  return l < languages ? l : 0;
}

/**
 * Generates the user table. Interests: w ~ Dirichlet(0.03 + 2·prior of the user's age bucket
 * and gender), where each age bucket's prior π_b is itself a sparse Dirichlet over topics, and
 * prior_{b,g}(t) ∝ π_b(t)^s · e^(±s·γ_t) (+ for gender 1, − for 0; γ_t ~ N(0, 0.8²) per topic;
 * s = demographicEffect, so s = 0 is one uniform prior for everyone). Latent
 * p = Σ_t w_t·centre_t + 0.3·N(0, I). Activity (sessions per day) is log-normal with
 * σ = 1, times e^(−0.7·s) for a logged-out user, both groups scaled so the mean is
 * `sessionsPerDay`, capped at 20. Language: the country's main language (India: English half the time), English
 * when that is beyond the first `languages`.
 */
export function buildUsers(cfg: WorldConfig, centres: Float32Array): Users {
  const n = cfg.users;
  const T = cfg.topics;
  const D = cfg.latentDim;
  const rng = createRng(cfg.seed, STREAM.users);

  // Age-bucket topic priors: each bucket cares about a handful of topics.
  const ageBuckets = AGE_BUCKETS.length;
  const agePrior = new Float64Array(ageBuckets * T);
  for (let b = 0; b < ageBuckets; b++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += agePrior[b * T + t] = rng.gamma(0.3);
    for (let t = 0; t < T; t++) agePrior[b * T + t] /= s;
  }
  // Gender tilts every topic a little one way or the other.
  const tilt = new Float64Array(T);
  for (let t = 0; t < T; t++) tilt[t] = GENDER_TILT * rng.normal();
  // prior[(b·2 + g)·T + t] ∝ agePrior^s · e^(±s·tilt): s = 0 is uniform for everyone.
  const strength = cfg.demographicEffect;
  const prior = new Float64Array(ageBuckets * 2 * T);
  for (let b = 0; b < ageBuckets; b++) {
    for (let g = 0; g < 2; g++) {
      const row = (b * 2 + g) * T;
      let s = 0;
      for (let t = 0; t < T; t++) {
        const base = Math.max(agePrior[b * T + t], 1e-30);
        s += prior[row + t] =
          Math.pow(base, strength) * Math.exp(strength * (g ? 1 : -1) * tilt[t]);
      }
      for (let t = 0; t < T; t++) prior[row + t] /= s;
    }
  }
  // Logged-out users are less active by e^(−0.7·s); both groups are rescaled so the mean
  // activity stays `sessionsPerDay` (LOGGED_IN_SHARE of users are logged in).
  const outFactor = Math.exp(-LOGGED_OUT_ACTIVITY * strength);
  const norm = LOGGED_IN_SHARE + (1 - LOGGED_IN_SHARE) * outFactor;
  const loggedInActivity = 1 / norm;
  const loggedOutActivity = outFactor / norm;

  const ageBucket = new Uint8Array(n);
  const gender = new Uint8Array(n);
  const country = new Uint8Array(n);
  const device = new Uint8Array(n);
  const loggedIn = new Uint8Array(n);
  const language = new Uint8Array(n);
  const activity = new Float32Array(n);
  const interests = new Float32Array(n * T);
  const latent = new Float32Array(n * D);
  const sigma = 1;
  for (let u = 0; u < n; u++) {
    const b = drawCategorical(rng, AGE_SHARE);
    ageBucket[u] = b;
    const g = (gender[u] = rng.int(2));
    const c = drawCategorical(rng, COUNTRY_SHARE.slice(0, COUNTRIES.length));
    country[u] = c;
    device[u] = drawCategorical(rng, DEVICE_SHARE.slice(0, DEVICES.length));
    const inside = (loggedIn[u] = rng.uniform() < LOGGED_IN_SHARE ? 1 : 0);
    language[u] = userLanguage(c, c === 2 && rng.uniform() < 0.5, cfg.languages);
    activity[u] = Math.min(
      20,
      cfg.sessionsPerDay *
        (inside ? loggedInActivity : loggedOutActivity) *
        rng.logNormal(-0.5 * sigma * sigma, sigma),
    );
    const row = (b * 2 + g) * T;
    let s = 0;
    for (let t = 0; t < T; t++) s += interests[u * T + t] = rng.gamma(DIR0 + DIR1 * prior[row + t]);
    for (let t = 0; t < T; t++) interests[u * T + t] /= s;
    for (let i = 0; i < D; i++) {
      let x = USER_NOISE * rng.normal();
      for (let t = 0; t < T; t++) {
        const w = interests[u * T + t];
        if (w > 1e-4) x += w * centres[t * D + i];
      }
      latent[u * D + i] = x;
    }
  }
  return {
    count: n,
    ageBucket,
    gender,
    country,
    device,
    loggedIn,
    language,
    activity,
    interests,
    latent,
  };
}
