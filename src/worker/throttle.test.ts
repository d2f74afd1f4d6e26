import { describe, expect, it } from 'vitest';
import { throttle } from './throttle';

describe('throttle', () => {
  it('passes the first call, then at most one per interval', () => {
    let clock = 0;
    const seen: number[] = [];
    const f = throttle(
      (x: number) => seen.push(x),
      100,
      () => clock,
    );
    for (let i = 0; i <= 30; i++) {
      f(i);
      clock += 10; // a call every 10 ms
    }
    // Calls at t = 0, 100, 200, 300 pass (x = 0, 10, 20, 30).
    expect(seen).toEqual([0, 10, 20, 30]);
  });

  it('passes every call when they are further apart than the interval', () => {
    let clock = 0;
    const seen: string[] = [];
    const f = throttle(
      (a: string, b: string) => seen.push(a + b),
      100,
      () => clock,
    );
    f('a', '1');
    clock = 150;
    f('b', '2');
    clock = 400;
    f('c', '3');
    expect(seen).toEqual(['a1', 'b2', 'c3']);
  });
});
