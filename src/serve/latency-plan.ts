/**
 * Which requests of a funnel sweep (funnel.ts) are served in full and timed: the latencies'
 * sample. Each N and each retrieval (exact, and the index when there is one) gets `perN` timed
 * requests, each by another query where there are enough: request t (t = 0 … perN · |ns| − 1)
 * is served by query t mod Q, exact at N = ns[t mod |ns|] and through the index at
 * N = ns[(t + ⌊|ns|/2⌋) mod |ns|] (half the axis away, so that the two rankings of one query
 * share few videos). A query's timed rankings then cover different prefixes of its lists, and
 * the sweep ranks only what they left (query-scores.ts): every (query, video) is ranked about
 * once, against once per N for queries timed at every N.
 */

/** One timed request: retrieval `mode` (0: exact, 1: the index) at N = ns[n]. */
export interface TimedRequest {
  mode: number;
  /** Index into the sweep's N values. */
  n: number;
}

/**
 * The timed requests of each of `queries` queries [queries], for `ns` N values, `modes`
 * retrievals (1 or 2) and `perN` requests per N and retrieval (none when there is no query).
 */
export function latencyPlan(
  queries: number,
  ns: number,
  modes: number,
  perN: number,
): TimedRequest[][] {
  const plan: TimedRequest[][] = Array.from({ length: queries }, () => []);
  if (queries === 0 || ns === 0) return plan;
  const shift = Math.floor(ns / 2);
  for (let t = 0; t < perN * ns; t++) {
    const q = plan[t % queries];
    q.push({ mode: 0, n: t % ns });
    if (modes > 1) q.push({ mode: 1, n: (t + shift) % ns });
  }
  return plan;
}
