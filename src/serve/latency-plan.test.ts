/** The latencies' sample of a funnel sweep (latency-plan.ts). */
import { describe, expect, it } from 'vitest';
import { latencyPlan } from './latency-plan';

/** Timed requests per (mode, N) and the queries timed, for a plan. */
function counts(plan: ReturnType<typeof latencyPlan>, ns: number, modes: number) {
  const per = Array.from({ length: modes }, () => new Array<number>(ns).fill(0));
  for (const q of plan) for (const r of q) per[r.mode][r.n]++;
  return { per, timedQueries: plan.filter((q) => q.length > 0).length };
}

describe('latencyPlan', () => {
  it('times each N and retrieval perN times, each by another query when there are enough', () => {
    const plan = latencyPlan(40, 8, 2, 4);
    const { per, timedQueries } = counts(plan, 8, 2);
    expect(per).toEqual([new Array(8).fill(4), new Array(8).fill(4)]);
    expect(timedQueries).toBe(32);
    // One N per retrieval and query, the index's half the axis from the exact one's.
    expect(plan[0]).toEqual([
      { mode: 0, n: 0 },
      { mode: 1, n: 4 },
    ]);
    expect(plan[9]).toEqual([
      { mode: 0, n: 1 },
      { mode: 1, n: 5 },
    ]);
    expect(plan.slice(32).every((q) => q.length === 0)).toBe(true);
  });

  it('with few queries, each serves several; with one N, the first perN queries', () => {
    const few = latencyPlan(3, 8, 2, 4);
    expect(counts(few, 8, 2).per).toEqual([new Array(8).fill(4), new Array(8).fill(4)]);
    expect(few.map((q) => q.length)).toEqual([22, 22, 20]);
    expect(latencyPlan(40, 1, 1, 4).map((q) => q.length)).toEqual([
      ...new Array(4).fill(1),
      ...new Array(36).fill(0),
    ]);
    expect(latencyPlan(0, 8, 2, 4)).toEqual([]);
  });
});
