/**
 * Number formats of the statistics. A statistic's element holds the bare number (digits, a
 * dot and decimals; no separators or units), so tests and screen readers read it as is; the
 * label beside it gives the unit.
 */

/** An integer, e.g. `1234567`; `n/a` when not finite. */
export function int(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x)) : 'n/a';
}

/** A number with `digits` decimals, e.g. `0.231`; `n/a` when not finite. */
export function fixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

/** A share as a percentage with one decimal, e.g. `23.1%` (for captions, not statistics). */
export function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a';
}

/**
 * Four decimals, or two significant digits below 0.001 (`0.00034`): always a plain decimal, so
 * a tiny figure still reads as a bare number; `n/a` when not finite.
 */
export function small(x: number): string {
  if (!Number.isFinite(x) || x === 0 || Math.abs(x) >= 1e-3) return fixed(x, 4);
  return x.toFixed(Math.min(20, 1 - Math.floor(Math.log10(Math.abs(x)))));
}
