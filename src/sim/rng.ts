/**
 * Seeded random sources for the simulation. Everything random in `src/sim` draws from an
 * explicit {@link Rng} passed in by the caller; `Math.random` is never used, so the same seed
 * and settings give the same world bit for bit in Node and in the browser.
 *
 * The uniform source is d3-random's `randomLcg` (a 32-bit LCG, the same in every engine);
 * normal and large-rate Poisson draws are d3-random's generators bound to that source with
 * `.source()`; gamma (and so Beta and Dirichlet) is Marsaglia–Tsang written out below.
 */
import { randomLcg, randomNormal, randomPoisson } from 'd3-random';

/** A seeded random source with the few shapes the world needs. All draws are deterministic. */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Integer uniform in [0, n). n ≥ 1. */
  int(n: number): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Gamma(shape, 1); shape > 0. */
  gamma(shape: number): number;
  /** Beta(a, b); a, b > 0. */
  beta(a: number, b: number): number;
  /** Log-normal: exp(N(mu, sigma)). */
  logNormal(mu: number, sigma: number): number;
  /** Poisson(lambda), lambda ≥ 0. */
  poisson(lambda: number): number;
}

/**
 * Mixes a seed with up to three stream ids into one 32-bit-safe seed in [0, 1), the form
 * `randomLcg` takes, so that independent streams (one per user, one per stage) can be drawn
 * in any order and still give the same numbers. splitmix32-style integer hash.
 */
export function mixSeed(seed: number, a = 0, b = 0, c = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const x of [0, a, b, c]) {
    h = (h + (x >>> 0) + 0x9e3779b9) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h / 4294967296;
}

/** Creates an {@link Rng} for `seed` and optional stream ids (see {@link mixSeed}). */
export function createRng(seed: number, a = 0, b = 0, c = 0): Rng {
  const u = randomLcg(mixSeed(seed, a, b, c));
  const normal = randomNormal.source(u)(0, 1);
  /**
   * Gamma(shape, 1) by Marsaglia and Tsang (2000), as d3's randomGamma, inlined so that a
   * different shape on every call (the Beta draws of watch fractions) allocates nothing;
   * shape < 1 uses the boost Gamma(shape) = Gamma(shape + 1)·U^(1/shape).
   */
  const gamma = (shape: number): number => {
    const boost = shape < 1 ? Math.pow(u(), 1 / shape) : 1;
    const d = (shape < 1 ? shape + 1 : shape) - 1 / 3;
    const c = 1 / (3 * Math.sqrt(d));
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v *= v * v;
      const w = 1 - u();
      if (w < 1 - 0.0331 * x * x * x * x || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v * boost;
      }
    }
  };
  const poissonCache = new Map<number, () => number>();
  const poisson = (lambda: number): number => {
    // Knuth's product method for the small rates sessions use; d3's generator above that.
    if (lambda < 20) {
      const l = Math.exp(-lambda);
      let k = 0;
      let p = u();
      while (p > l) {
        k++;
        p *= u();
      }
      return k;
    }
    let g = poissonCache.get(lambda);
    if (!g) {
      g = randomPoisson.source(u)(lambda);
      if (poissonCache.size < 64) poissonCache.set(lambda, g);
    }
    return g();
  };
  return {
    uniform: u,
    int: (n) => Math.floor(u() * n),
    normal,
    gamma,
    beta: (a1, b1) => {
      const x = gamma(a1);
      return x / (x + gamma(b1));
    },
    logNormal: (mu, sigma) => Math.exp(mu + sigma * normal()),
    poisson: (lambda) => (lambda <= 0 ? 0 : poisson(lambda)),
  };
}
