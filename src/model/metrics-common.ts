/**
 * What the offline metrics (`metrics.ts`) share: the binary-label type, the NaN-for-empty mean
 * and the argument checks.
 */

/** Binary labels: a truthy entry (≠ 0, `true`) is a positive. */
export type BinaryLabels = ArrayLike<number> | ArrayLike<boolean>;

/** Mean of f over `xs`; NaN for an empty `xs` (no data is not a score of 0). */
export function meanOf<T>(xs: ArrayLike<T>, f: (x: T, i: number) => number): number {
  if (xs.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += f(xs[i], i);
  return sum / xs.length;
}

/** Throws a RangeError unless `i` is a whole number in [0, n). */
export function checkIndex(i: number, n: number, name: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= n)
    throw new RangeError(`${name} ${i} not in [0, ${n})`);
}

/** Throws a RangeError unless the parallel arrays' lengths `a` and `b` are equal. */
export function checkSameLength(a: number, b: number, nameA: string, nameB: string): void {
  if (a !== b) throw new RangeError(`${nameA} has length ${a} but ${nameB} has length ${b}`);
}

/** Throws a RangeError naming the first NaN entry of `xs`. */
export function checkNoNaN(xs: ArrayLike<number>, name: string): void {
  for (let i = 0; i < xs.length; i++) {
    if (Number.isNaN(xs[i])) throw new RangeError(`${name}[${i}] is NaN`);
  }
}
