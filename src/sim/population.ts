/**
 * The users: demographics, interests correlated with demographics (so demographics help a
 * cold-start user), true latent vectors, and heavy-tailed activity (docs/model.md#users,
 * docs/design-notes.md#calibration).
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

/**
 * Generates the user table. Interests: w ~ Dirichlet(0.03 + 2·prior of the user's age bucket),
 * where each age bucket's prior is itself a sparse Dirichlet over topics. Latent
 * p = Σ_t w_t·centre_t + 0.3·N(0, I). Activity (sessions per day) is log-normal with
 * σ = 1, scaled so its mean is `sessionsPerDay`, capped at 20.
 */
export function buildUsers(cfg: WorldConfig, centres: Float32Array): Users {
  const n = cfg.users;
  const T = cfg.topics;
  const D = cfg.latentDim;
  const rng = createRng(cfg.seed, STREAM.users);

  // Age-bucket topic priors: each bucket cares about a handful of topics.
  const prior = new Float64Array(AGE_BUCKETS.length * T);
  for (let b = 0; b < AGE_BUCKETS.length; b++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += prior[b * T + t] = rng.gamma(0.3);
    for (let t = 0; t < T; t++) prior[b * T + t] /= s;
  }

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
    gender[u] = rng.int(2);
    const c = drawCategorical(rng, COUNTRY_SHARE.slice(0, COUNTRIES.length));
    country[u] = c;
    device[u] = drawCategorical(rng, DEVICE_SHARE.slice(0, DEVICES.length));
    loggedIn[u] = rng.uniform() < 0.8 ? 1 : 0;
    language[u] = c === 2 && rng.uniform() < 0.5 ? 0 : COUNTRY_LANGUAGE[c];
    activity[u] = Math.min(20, cfg.sessionsPerDay * rng.logNormal(-0.5 * sigma * sigma, sigma));
    let s = 0;
    for (let t = 0; t < T; t++)
      s += interests[u * T + t] = rng.gamma(DIR0 + DIR1 * prior[b * T + t]);
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
