/**
 * The statistics behind a lesson's verdict (docs/lessons.md#verdicts): means, Student-t
 * intervals over repeats, a paired bootstrap over evaluation examples, and the one verdict
 * rule every lesson uses. Pure TypeScript (no tfjs, no DOM): the page and the worker both call it.
 */
import { createRng } from '../../sim/rng';

/** An estimate with its two-sided 95% interval; `lo`/`hi` are NaN when it cannot be computed. */
export interface Interval {
  mean: number;
  lo: number;
  hi: number;
  /** Values the interval is computed from (repeats, or bootstrap examples). */
  n: number;
}

/** The three outcomes of a comparison (docs/lessons.md#verdicts). */
export type Verdict = 'reproduced' | 'not-reproduced' | 'inconclusive';

/** Which way the paper says a metric moves from the base variant to the compared one. */
export type Direction = 'higher' | 'lower';

/** Arithmetic mean (NaN for none). */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Sample standard deviation (n − 1 in the denominator; NaN for fewer than 2 values). */
export function sampleSd(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

/** The 0.975 quantile of Student's t for 1–30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
];

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom: the table for df ≤ 30, beyond
 * it the first Cornish–Fisher term z + (z³ + z)/(4 df) (within 0.002 of the exact value).
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return NaN;
  const k = Math.floor(df);
  if (k <= 30) return T975[k - 1];
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * k);
}

/** Mean of `xs` with its 95% Student-t interval (NaN bounds for fewer than 2 values). */
export function tInterval(xs: ArrayLike<number>): Interval {
  const n = xs.length;
  const m = mean(xs);
  if (n < 2) return { mean: m, lo: NaN, hi: NaN, n };
  const half = (tQuantile975(n - 1) * sampleSd(xs)) / Math.sqrt(n);
  return { mean: m, lo: m - half, hi: m + half, n };
}

/** Paired differences a[i] − b[i] (equal lengths). */
export function pairedDifferences(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  if (a.length !== b.length)
    throw new RangeError(`paired values need equal lengths (${a.length} and ${b.length})`);
  return Array.from({ length: a.length }, (_, i) => a[i] - b[i]);
}

/**
 * A paired percentile bootstrap over evaluation examples: `diff[i]` is example i's difference
 * (variant − base, already averaged over repeats); the interval is the 2.5% and 97.5%
 * quantiles of the mean over `rounds` resamples of the examples with replacement, drawn by a
 * seeded generator (the same inputs give the same interval).
 */
export function bootstrapInterval(diff: ArrayLike<number>, rounds = 1000, seed = 1): Interval {
  const n = diff.length;
  const m = mean(diff);
  if (n < 2) return { mean: m, lo: NaN, hi: NaN, n };
  const rng = createRng(seed, 0xb007);
  const means = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += diff[rng.int(n)];
    means[r] = s / n;
  }
  means.sort();
  const at = (q: number) => means[Math.min(rounds - 1, Math.max(0, Math.floor(q * rounds)))];
  return { mean: m, lo: at(0.025), hi: at(0.975), n };
}

/** Which side of 0 an interval lies on: +1 above, −1 below, 0 when it holds 0 (or is NaN). */
export function sideOfZero(i: Interval): -1 | 0 | 1 {
  if (i.lo > 0) return 1;
  if (i.hi < 0) return -1;
  return 0;
}

/**
 * THE verdict rule (one rule for every lesson; never tuned per lesson). `repeats` is the
 * t-interval of the paired differences over repeats; `examples`, when the metric has one, the
 * bootstrap over evaluation examples. Every interval given must exclude 0 on the same side:
 * on the paper's side → `reproduced`, on the other → `not-reproduced`; any interval holding 0
 * (or not computable: one repeat and no bootstrap) → `inconclusive`.
 */
export function verdictOf(
  expect: Direction,
  repeats: Interval,
  examples: Interval | null = null,
): Verdict {
  const sides = [repeats, ...(examples ? [examples] : [])].map(sideOfZero);
  const side = sides[0];
  if (side === 0 || sides.some((s) => s !== side)) return 'inconclusive';
  const want = expect === 'higher' ? 1 : -1;
  return side === want ? 'reproduced' : 'not-reproduced';
}
