/**
 * A time-based throttle for progress reports: a call passes when it is the first one or when
 * at least `intervalMs` have gone by since the last call that passed; the others are dropped.
 * The final state of a task is announced by its own message (e.g. `worldReady`), so no
 * trailing call is needed.
 */

/**
 * Wraps `fn` so that it runs at most once per `intervalMs`, measured with `now()`
 * (milliseconds; `performance.now` by default, a fake clock in tests).
 */
export function throttle<A extends unknown[]>(
  fn: (...args: A) => void,
  intervalMs: number,
  now: () => number = () => performance.now(),
): (...args: A) => void {
  let last = -Infinity;
  return (...args: A) => {
    const t = now();
    if (t - last < intervalMs) return;
    last = t;
    fn(...args);
  };
}
