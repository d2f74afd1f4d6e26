/**
 * Bounds on the session loop's σ(x) = 1 / (1 + e^(−x)) (computed exactly so, in float64), so
 * that the click draw `u < σ(logit)` is decided without the exponential for nearly every
 * impression, with the same answer to the bit (docs/performance.md#world-generation).
 *
 * The table holds σ at the grid x_k = SIGMOID_LO + k / SIGMOID_STEPS_PER_UNIT. σ is increasing
 * and the computed σ is too, up to a few units in the last place where `Math.exp` rounds
 * unevenly; so for x in [x_k, x_{k+1}] the computed σ(x) lies in
 * [table[k] − SIGMOID_SLACK, table[k + 1] + SIGMOID_SLACK] (the slack, 2⁻³⁶, is a million
 * times those few units, and covers the rounding of the bucket's index too). A uniform below the
 * lower bound is a click, one at or above the upper bound is not; only one in about a hundred
 * falls between and needs σ itself. Outside [SIGMOID_LO, −SIGMOID_LO) (or NaN) the caller
 * computes σ.
 */

/** The grid's first point; the table covers [SIGMOID_LO, −SIGMOID_LO). */
export const SIGMOID_LO = -16;
/** Grid points per unit of x. */
export const SIGMOID_STEPS_PER_UNIT = 32;
/** Buckets of the grid: 2 · 16 · 32. */
export const SIGMOID_BUCKETS = -2 * SIGMOID_LO * SIGMOID_STEPS_PER_UNIT;
/** Widening of each bucket's bounds (absolute), 2⁻³⁶. */
export const SIGMOID_SLACK = 2 ** -36;

/**
 * σ at every grid point, [SIGMOID_BUCKETS + 1]: table[k] = 1 / (1 + e^(−x_k)), computed as the
 * session loop computes it.
 */
export function sigmoidTable(): Float64Array {
  const table = new Float64Array(SIGMOID_BUCKETS + 1);
  for (let k = 0; k <= SIGMOID_BUCKETS; k++) {
    const x = SIGMOID_LO + k / SIGMOID_STEPS_PER_UNIT;
    table[k] = 1 / (1 + Math.exp(-x));
  }
  return table;
}

/**
 * `u < 1 / (1 + Math.exp(-x))`, the same answer for every u and x, from `table`
 * ({@link sigmoidTable}) where the bounds decide it and from σ itself elsewhere. The session
 * loop writes this out inline (sessions.ts `clickAndWatch`); this is its reference, tested
 * against the direct comparison.
 */
export function belowSigmoid(table: Float64Array, u: number, x: number): boolean {
  // SIGMOID_LO, SIGMOID_STEPS_PER_UNIT, SIGMOID_BUCKETS and SIGMOID_SLACK as literals: a bundled
  // module constant is loaded and checked at every use (session-page.ts, LAYOUT_LITERALS);
  // sigmoid-bounds.test.ts checks them.
  const y = (x + 16) * 32;
  if (y >= 0 && y < 1024) {
    const k = y | 0;
    if (u < table[k] - 1.4551915228366852e-11) return true;
    if (u >= table[k + 1] + 1.4551915228366852e-11) return false;
  }
  return u < 1 / (1 + Math.exp(-x));
}
