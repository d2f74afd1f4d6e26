/**
 * The statistics of the simulated A/B test (docs/loop.md#the-ab-test): per-user metrics of two
 * randomised arms, their means with 95% intervals, the difference B − A with its interval, and
 * the number of users per arm needed to detect that difference. Pure; normal approximations
 * (the arms have hundreds of users or more).
 *
 * - Mean of an arm: x̄ ± z·s/√n, z = Φ⁻¹(0.975) = 1.960.
 * - Difference (Welch): x̄_B − x̄_A ± z·√(s_A²/n_A + s_B²/n_B).
 * - A ratio of sums R = Σ y / Σ c per arm (the clickbait share of clicks): the delta method,
 *   Var(R) ≈ Σ (y_i − R·c_i)² / (n(n − 1)·c̄²), so R ± z·√Var(R), and the difference of two
 *   ratios with the two variances added.
 * - Users needed per arm to detect a true difference δ with power 1 − β at two-sided level α,
 *   for a metric of per-user standard deviation σ (the two arms' variances pooled):
 *   n = 2·(z_{1−α/2} + z_{1−β})²·σ² / δ², with z_{0.975} = 1.960 and z_{0.8} = 0.8416 (α = 0.05,
 *   power 0.8); for a ratio, σ² is n times its delta-method variance.
 */

/** Φ⁻¹(0.975). */
export const Z_975 = 1.959963984540054;
/** Φ⁻¹(0.8): power 0.8. */
export const Z_80 = 0.8416212335729143;

/** A mean (or difference, or ratio) with its 95% interval. */
export interface Estimate {
  value: number;
  lo: number;
  hi: number;
  /** The standard error behind the interval. */
  se: number;
}

/** Mean and sample variance of `xs` (variance 0 for fewer than two). */
export function meanVar(xs: ArrayLike<number>): { mean: number; variance: number; n: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, variance: NaN, n };
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  const mean = s / n;
  let q = 0;
  for (let i = 0; i < n; i++) q += (xs[i] - mean) ** 2;
  return { mean, variance: n > 1 ? q / (n - 1) : 0, n };
}

const estimate = (value: number, se: number): Estimate => ({
  value,
  se,
  lo: value - Z_975 * se,
  hi: value + Z_975 * se,
});

/** An arm's mean with its 95% normal interval. */
export function meanEstimate(xs: ArrayLike<number>): Estimate {
  const { mean, variance, n } = meanVar(xs);
  return estimate(mean, Math.sqrt(variance / n));
}

/** x̄_B − x̄_A with Welch's 95% interval. */
export function differenceEstimate(a: ArrayLike<number>, b: ArrayLike<number>): Estimate {
  const A = meanVar(a);
  const B = meanVar(b);
  return estimate(B.mean - A.mean, Math.sqrt(A.variance / A.n + B.variance / B.n));
}

/** Σ y / Σ c over the users of an arm, with its delta-method 95% interval. */
export function ratioEstimate(y: ArrayLike<number>, c: ArrayLike<number>): Estimate {
  const n = y.length;
  if (n !== c.length)
    throw new RangeError('ratioEstimate needs as many numerators as denominators');
  let sy = 0;
  let sc = 0;
  for (let i = 0; i < n; i++) {
    sy += y[i];
    sc += c[i];
  }
  if (!(sc > 0) || n < 2) return estimate(NaN, NaN);
  const r = sy / sc;
  const cbar = sc / n;
  let q = 0;
  for (let i = 0; i < n; i++) q += (y[i] - r * c[i]) ** 2;
  return estimate(r, Math.sqrt(q / (n * (n - 1))) / cbar);
}

/** R_B − R_A of two ratios of sums, the variances added. */
export function ratioDifference(a: Estimate, b: Estimate): Estimate {
  return estimate(b.value - a.value, Math.sqrt(a.se ** 2 + b.se ** 2));
}

/**
 * Users per arm needed to detect a difference `delta` of a metric with per-user standard
 * deviation `sigma` (α = 0.05 two-sided, power 0.8): ⌈2·(z_{0.975} + z_{0.8})²·σ²/δ²⌉;
 * Infinity when δ = 0.
 */
export function usersNeeded(sigma: number, delta: number): number {
  if (!(sigma >= 0) || !Number.isFinite(delta)) return NaN;
  if (delta === 0) return Infinity;
  return Math.ceil((2 * (Z_975 + Z_80) ** 2 * sigma * sigma) / (delta * delta));
}

/** The pooled per-user standard deviation of two arms: √((s_A² + s_B²) / 2). */
export function pooledSd(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Math.sqrt((meanVar(a).variance + meanVar(b).variance) / 2);
}

/** One online metric of the A/B test: both arms, the difference and the users it would take. */
export interface AbMetric {
  a: Estimate;
  b: Estimate;
  /** B − A. */
  diff: Estimate;
  /** Users per arm needed to detect diff.value (α 0.05, power 0.8). */
  usersNeeded: number;
}

/** An {@link AbMetric} of a per-user metric. */
export function abMean(a: ArrayLike<number>, b: ArrayLike<number>): AbMetric {
  const diff = differenceEstimate(a, b);
  return {
    a: meanEstimate(a),
    b: meanEstimate(b),
    diff,
    usersNeeded: usersNeeded(pooledSd(a, b), diff.value),
  };
}

/** An {@link AbMetric} of a ratio of sums (numerators y, denominators c per user). */
export function abRatio(
  ya: ArrayLike<number>,
  ca: ArrayLike<number>,
  yb: ArrayLike<number>,
  cb: ArrayLike<number>,
): AbMetric {
  const a = ratioEstimate(ya, ca);
  const b = ratioEstimate(yb, cb);
  const diff = ratioDifference(a, b);
  // Per-user σ of the ratio: se·√n, pooled over the arms.
  const sigma = Math.sqrt((a.se ** 2 * ya.length + b.se ** 2 * yb.length) / 2);
  return { a, b, diff, usersNeeded: usersNeeded(sigma, diff.value) };
}
