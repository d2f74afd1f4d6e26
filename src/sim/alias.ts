/**
 * The alias method: O(1) draws from a discrete distribution. Used by the world (popular and
 * legacy impressions) and by the negative samplers of sampled softmax (src/model/samplers.ts).
 */
/** A uniform random source in [0, 1). */
export type UniformSource = () => number;

/**
 * Walker's alias method (Vose's O(n) construction): after building from n non-negative weights,
 * each draw costs one column pick and one biased coin, O(1) whatever the distribution.
 *
 * Column i keeps itself with probability `keep[i]` and otherwise jumps to `alias[i]`, so
 * P(i) = (keep[i] + Σ_{j: alias[j] = i} (1 − keep[j])) / n = w_i / Σw exactly (up to rounding).
 * Two uniforms per draw rather than one split into column and coin: with a 32-bit source, the
 * fractional part of u·n would keep only 32 − log2 n bits for the coin, which biases rare items
 * of a million-video corpus by tens of percent.
 */
export class AliasTable {
  /** Number of outcomes n ≥ 1. */
  readonly size: number;
  /** Normalised probabilities p[i] = w_i / Σw, [n]. */
  readonly p: Float64Array;
  /** keep[i] ∈ [0, 1]: probability that column i returns i itself, [n]. */
  readonly keep: Float64Array;
  /** alias[i]: the outcome column i returns otherwise, [n]. */
  readonly alias: Int32Array;

  /** `weights` [n]: finite, ≥ 0, with a positive sum. Throws RangeError otherwise. */
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight ${i} is ${w}, not ≥ 0`);
      sum += w;
    }
    if (!(sum > 0)) throw new RangeError('alias table needs a positive total weight');
    this.size = n;
    // Plain loops: `Float64Array.from(weights, fn)` goes through the iterator protocol and a
    // callback per element, several times slower on a million weights (issue 14).
    const p = new Float64Array(n);
    const scaled = new Float64Array(n); // mean 1
    for (let i = 0; i < n; i++) {
      p[i] = weights[i] / sum;
      scaled[i] = p[i] * n;
    }
    this.p = p;
    this.keep = new Float64Array(n);
    this.alias = new Int32Array(n);
    const small = new Int32Array(n); // stacks of columns below / at-or-above 1
    const large = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      if (scaled[i] < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns];
      const l = large[--nl];
      this.keep[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1; // l gave 1 − scaled[s] of its mass to column s
      if (scaled[l] < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    // Whatever is left is 1 up to rounding.
    while (nl > 0) this.fill(large[--nl]);
    while (ns > 0) this.fill(small[--ns]);
  }

  /** One draw: an outcome in [0, n) with probability p[i]. Uses two values of `rng`. */
  draw(rng: UniformSource): number {
    const column = Math.min(this.size - 1, Math.floor(rng() * this.size));
    return rng() < this.keep[column] ? column : this.alias[column];
  }

  private fill(i: number): void {
    this.keep[i] = 1;
    this.alias[i] = i;
  }
}
