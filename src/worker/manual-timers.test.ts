import { describe, expect, it } from 'vitest';
import { ManualTimers } from './manual-timers';

describe('ManualTimers', () => {
  it('runs what falls due, in order of time then of setting, and cancels', () => {
    const t = new ManualTimers();
    const ran: string[] = [];
    t.schedule(() => ran.push('b'), 20);
    t.schedule(() => ran.push('a'), 10);
    const cancel = t.schedule(() => ran.push('x'), 15);
    t.schedule(() => ran.push('c'), 20);
    cancel();
    expect(t.pending).toBe(3);
    t.advance(9);
    expect(ran).toEqual([]);
    t.advance(11);
    expect(ran).toEqual(['a', 'b', 'c']);
    // A timer set while running falls due later on the same clock.
    t.schedule(() => t.schedule(() => ran.push('d'), 5), 1);
    t.advance(5);
    expect(ran).toEqual(['a', 'b', 'c']);
    t.advance(1);
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
    expect(t.pending).toBe(0);
  });
});
