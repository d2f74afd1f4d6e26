/**
 * Walker's alias method (Vose's variant): O(n) build, O(1) per draw from a discrete
 * distribution given by non-negative weights. Used by the world (popular and legacy
 * impressions) and by the negative samplers of sampled softmax.
 */
export class AliasTable {
  /** Number of outcomes. */
  readonly size: number;
  /** Acceptance probability of each column, in [0, 1]. */
  private readonly prob: Float64Array;
  /** Outcome taken when column i rejects. */
  private readonly alias: Int32Array;
  /** Normalised probabilities (sum 1). */
  readonly probabilities: Float64Array;

  /** Builds the table; weights must be finite, ≥ 0 and not all 0. */
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new Error('AliasTable needs at least one weight');
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`AliasTable weight ${i} is ${w}`);
      sum += w;
    }
    if (sum <= 0) throw new Error('AliasTable weights are all 0');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    this.probabilities = new Float64Array(n);
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      this.probabilities[i] = weights[i] / sum;
      scaled[i] = this.probabilities[i] * n;
      if (scaled[i] < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns];
      const l = large[--nl];
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    while (nl > 0) this.prob[large[--nl]] = 1;
    while (ns > 0) this.prob[small[--ns]] = 1; // numerical leftovers
  }

  /** One draw using uniform source `u` in [0, 1). */
  draw(u: () => number): number {
    const x = u() * this.size;
    const i = Math.min(this.size - 1, Math.floor(x));
    return x - i < this.prob[i] ? i : this.alias[i];
  }
}
