/**
 * Continuous-feature normalisation of the paper's §4.1: "we scale the values such that the
 * feature is equally distributed in [0, 1) using the cumulative distribution, x̃ = ∫ df,
 * … approximated with linear interpolation on the quantiles of the feature values computed in a
 * single pass over the data before training", and the ranker also gets x̃² and √x̃ so that it
 * can form super- and sub-linear functions of the feature. Plain TypeScript, no tfjs.
 */

/**
 * Largest float32 below 1 (1 − 2⁻²⁴). Values at or above the training maximum map here, so x̃
 * stays in [0, 1) even after it is stored in a Float32Array.
 */
export const BELOW_ONE = 1 - 2 ** -24;

/**
 * A fitted empirical CDF: `knots[j]` is the training j/B-quantile, j = 0 … B (B = buckets), so
 * knots[0] is the minimum and knots[B] the maximum; knots are non-decreasing. x between knots j
 * and j + 1 maps linearly to (j + t)/B. The map is monotone non-decreasing and clipped:
 * x < min → 0, x > max → {@link BELOW_ONE}. A value equal to knots j … j' maps to the middle
 * of that run, (j + j')/(2B): the min maps to 0, the max to 1 (clipped to BELOW_ONE), and a
 * point mass (e.g. many zeros; a constant feature → 1/2) to its mid-rank rather than to one end
 * of its step in the CDF. NaN stays NaN.
 */
export class QuantileNormalizer {
  /** Training quantiles [B + 1], non-decreasing, finite. */
  readonly knots: Float64Array;
  /** x̃ of a value equal to knot j, where j is the first knot of its run of equal knots. */
  private readonly atKnot: Float64Array;

  /** Rebuilds a normaliser from saved knots (e.g. an imported run); validates them. */
  constructor(knots: ArrayLike<number>) {
    if (knots.length < 2) throw new RangeError('a quantile normaliser needs at least 2 knots');
    for (let j = 0; j < knots.length; j++) {
      if (!Number.isFinite(knots[j])) throw new RangeError(`knot ${j} is ${knots[j]}`);
      if (j > 0 && knots[j] < knots[j - 1]) throw new RangeError(`knot ${j} decreases`);
    }
    this.knots = Float64Array.from(knots);
    // x̃ of a value equal to knot j, for each j that starts a run of equal knots (where the
    // search of transform lands): the middle of the run, computed once instead of per value.
    const b = knots.length - 1;
    this.atKnot = new Float64Array(b + 1);
    for (let j = 0; j <= b;) {
      let last = j;
      while (last < b && this.knots[last + 1] === this.knots[j]) last++;
      this.atKnot[j] = Math.min((j + last) / 2 / b, BELOW_ONE);
      j = last + 1;
    }
  }

  /** Number of buckets B (= knots − 1). */
  get buckets(): number {
    return this.knots.length - 1;
  }

  /** x̃ ∈ [0, 1) for a raw value x (same units as the training values). O(log B). */
  transform(x: number): number {
    const q = this.knots;
    const b = q.length - 1;
    if (Number.isNaN(x)) return NaN;
    if (x < q[0]) return 0;
    if (x > q[b]) return BELOW_ONE;
    // lo = first knot ≥ x; lo ≥ 1 unless x hits a knot, since q[0] ≤ x ≤ q[b].
    let lo = 0;
    let hi = b;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (q[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    if (q[lo] === x) return this.atKnot[lo];
    return (lo - 1 + (x - q[lo - 1]) / (q[lo] - q[lo - 1])) / b;
  }

  /** x̃ for every value of `values` [n], written into `out` [n] (allocated if omitted). */
  transformAll(values: ArrayLike<number>, out = new Float32Array(values.length)): Float32Array {
    if (out.length < values.length) throw new RangeError('transformAll: out is too short');
    for (let i = 0; i < values.length; i++) out[i] = this.transform(values[i]);
    return out;
  }

  /**
   * The ranker's three inputs per value: row-major [n × 3] of (x̃, x̃², √x̃) — see {@link expand}.
   * `out` [3n] is allocated if omitted.
   */
  expandAll(values: ArrayLike<number>, out = new Float32Array(3 * values.length)): Float32Array {
    if (out.length < 3 * values.length) throw new RangeError('expandAll: out is too short');
    for (let i = 0; i < values.length; i++) {
      const t = this.transform(values[i]);
      out[3 * i] = t;
      out[3 * i + 1] = t * t;
      out[3 * i + 2] = Math.sqrt(t);
    }
    return out;
  }
}

/**
 * Fits a {@link QuantileNormalizer} with `buckets` (B ≥ 1, default 100) buckets to training
 * `values` [n]. Knot j is the j/B-quantile with linear interpolation between order statistics
 * (position (n − 1)·j/B in the sorted values, R's type 7). Non-finite values (missing) are
 * skipped; throws when no finite value is left. O(n log n), one pass plus one sort.
 */
export function fitQuantiles(values: ArrayLike<number>, buckets = 100): QuantileNormalizer {
  if (!Number.isInteger(buckets) || buckets < 1) {
    throw new RangeError(`buckets ${buckets} must be an integer ≥ 1`);
  }
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  if (finite.length === 0) throw new RangeError('fitQuantiles needs at least one finite value');
  const sorted = Float64Array.from(finite).sort();
  const m = sorted.length;
  const knots = new Float64Array(buckets + 1);
  for (let j = 0; j <= buckets; j++) {
    const h = ((m - 1) * j) / buckets;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, m - 1);
    knots[j] = sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
  return new QuantileNormalizer(knots);
}

/**
 * The ranker's expansion of a normalised value (paper §4.1): [x̃, x̃², √x̃], each in [0, 1) for
 * x̃ ∈ [0, 1).
 */
export function expand(xTilde: number): [number, number, number] {
  return [xTilde, xTilde * xTilde, Math.sqrt(xTilde)];
}
