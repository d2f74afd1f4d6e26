/**
 * Seeded random sources for the simulation. Everything random in `src/sim` draws from an
 * explicit {@link Rng} passed in by the caller; `Math.random` is never used, so the same seed
 * and settings give the same world bit for bit in Node and in the browser.
 *
 * The uniform source is d3-random's `randomLcg` (a 32-bit LCG, the same in every engine) and
 * normal draws are d3-random's polar method, both written out in {@link SimRng} with the same
 * numbers; large-rate Poisson draws are d3-random's generator bound to that source with
 * `.source()`; gamma (and so Beta and Dirichlet) is Marsaglia–Tsang.
 */
import { randomPoisson } from 'd3-random';

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

/** d3-random's `randomLcg` multiplier (a 32-bit LCG: state ← mul·state + inc mod 2³²). */
export const LCG_MUL = 0x19660d;
/** The LCG's increment. */
export const LCG_INC = 0x3c6ef35f;
/** 2⁻³²: `next()` is the 32-bit word of {@link SimRng.nextU32} times this, exactly. */
export const LCG_EPS = 1 / 0x100000000;

/**
 * The generator's random stream as a class: the same numbers as {@link createRng} for the same
 * seed and stream ids, draw for draw and shape for shape (d3-random's `randomLcg` uniform, its
 * `randomNormal` with the spare value kept, Marsaglia–Tsang gamma, Knuth's Poisson below rate
 * 20 and d3's `randomPoisson` from 20 on). Methods live on the prototype so the world's hot
 * loops call them without a closure (docs/performance.md#world-generation); `createRng` wraps
 * one for code that passes `rng.uniform` around as a function.
 */
export class SimRng {
  /**
   * The LCG state, a signed 32-bit integer. Public so that a hot loop may step it in a local
   * variable and store it back (`LegacyPool.refresh`): the same steps as {@link next}.
   */
  state: number;
  /** d3's polar normal makes two values per accepted pair: the spare one and its radius². */
  private spare = 0;
  private spareR = 0;
  private hasSpare = false;
  /** d3 Poisson generators for rates ≥ 20, one per rate (at most 64), as `createRng` keeps. */
  private poissonCache: Map<number, () => number> | null = null;

  /** Seed and stream ids as {@link mixSeed} takes them. */
  constructor(seed: number, a = 0, b = 0, c = 0) {
    // randomLcg(x) for x in [0, 1): state = x·2³² truncated to int32.
    this.state = (mixSeed(seed, a, b, c) / LCG_EPS) | 0;
  }

  /**
   * Uniform in [0, 1) (a multiple of 2⁻³²). The constants are LCG_MUL, LCG_INC and LCG_EPS
   * written as literals: the engine folds a literal, whereas a module constant is loaded and
   * checked at every use once bundled (docs/performance.md#world-generation; rng.test.ts pins
   * the three).
   */
  next(): number {
    this.state = (Math.imul(0x19660d, this.state) + 0x3c6ef35f) | 0;
    return 2.3283064365386963e-10 * (this.state >>> 0);
  }

  /**
   * The same step as {@link next}, returned as the 32-bit word itself: next() = word · 2⁻³²
   * exactly, so `next() < p` ⇔ `nextU32() < ⌈p · 2³²⌉` (an integer threshold the session loop
   * stores instead of p; docs/performance.md#world-generation).
   */
  nextU32(): number {
    this.state = (Math.imul(0x19660d, this.state) + 0x3c6ef35f) | 0;
    return this.state >>> 0;
  }

  /**
   * Integer uniform in [0, n), 1 ≤ n ≤ 2³¹: ⌊next()·n⌋, taken as `| 0` (the product is in
   * [0, 2³¹), where truncation is the floor): the engine then converts once instead of rounding
   * and checking that the result is an integer.
   */
  int(n: number): number {
    return (this.next() * n) | 0;
  }

  /** Standard normal N(0, 1): d3's polar method, the second value of a pair kept for next time. */
  normal(): number {
    let y: number;
    let r: number;
    if (this.hasSpare) {
      this.hasSpare = false;
      y = this.spare;
      r = this.spareR;
    } else {
      let x: number;
      do {
        x = this.next() * 2 - 1;
        y = this.next() * 2 - 1;
        r = x * x + y * y;
      } while (!r || r > 1);
      this.spare = x;
      this.spareR = r;
      this.hasSpare = true;
    }
    // d3 returns mu + sigma·y·√(−2 ln r / r) with mu = 0, sigma = 1 (the 0 + keeps −0 as d3 does).
    return 0 + y * Math.sqrt((-2 * Math.log(r)) / r);
  }

  /**
   * Gamma(shape, 1) by Marsaglia and Tsang (2000), as d3's randomGamma but allocation-free for a
   * different shape on every call; shape < 1 uses Gamma(shape) = Gamma(shape + 1)·U^(1/shape).
   */
  gamma(shape: number): number {
    const boost = shape < 1 ? Math.pow(this.next(), 1 / shape) : 1;
    const d = (shape < 1 ? shape + 1 : shape) - 1 / 3;
    const c = 1 / (3 * Math.sqrt(d));
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v *= v * v;
      const w = 1 - this.next();
      if (w < 1 - 0.0331 * x * x * x * x || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v * boost;
      }
    }
  }

  /** Beta(a, b) = X / (X + Y), X ~ Gamma(a) drawn first, Y ~ Gamma(b); a, b > 0. */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    return x / (x + this.gamma(b));
  }

  /** exp(N(mu, sigma)). */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Poisson(lambda); 0 without a draw for lambda ≤ 0. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    // Knuth's product method for the small rates sessions use; d3's generator above that.
    if (lambda < 20) {
      const l = Math.exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > l) {
        k++;
        p *= this.next();
      }
      return k;
    }
    const cache = (this.poissonCache ??= new Map());
    let g = cache.get(lambda);
    if (!g) {
      g = randomPoisson.source(() => this.next())(lambda);
      if (cache.size < 64) cache.set(lambda, g);
    }
    return g();
  }
}

/**
 * Creates an {@link Rng} for `seed` and optional stream ids (see {@link mixSeed}): a
 * {@link SimRng} behind plain functions, so `rng.uniform` and the others may be passed around
 * detached from the object.
 */
export function createRng(seed: number, a = 0, b = 0, c = 0): Rng {
  const r = new SimRng(seed, a, b, c);
  return {
    uniform: () => r.next(),
    int: (n) => r.int(n),
    normal: () => r.normal(),
    gamma: (shape) => r.gamma(shape),
    beta: (a1, b1) => r.beta(a1, b1),
    logNormal: (mu, sigma) => r.logNormal(mu, sigma),
    poisson: (lambda) => r.poisson(lambda),
  };
}
