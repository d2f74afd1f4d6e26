/**
 * How far an estimated distribution is from the full softmax p (softmax-bias, index.ts):
 * total variation, KL and the bias by popularity group. Plain TypeScript, no tfjs.
 */
import type { Prepared } from './estimate';

/** One popularity group of the live items (equal item counts, least popular first). */
export interface PopularityGroup {
  /** Smallest and largest popularity in the group. */
  from: number;
  to: number;
  /** Live items in the group. */
  items: number;
  /** Mean over the group's items of log(estimate_j / p_j) (0: unbiased; < 0: under-weighted). */
  meanLogRatio: number;
  /** log(Σ estimate / Σ p) over the group: the bias of the group's total probability mass. */
  massLogRatio: number;
}

/** How far an estimated distribution is from the full softmax p. */
export interface BiasSummary {
  /** Σ_j estimate_j before normalising (1 up to Monte Carlo error for `estimate`). */
  mass: number;
  /** Total variation distance ½ Σ |ê_j − p_j| of the normalised estimate ê, in [0, 1]. */
  tv: number;
  /** KL(p ‖ ê) in nats (∞ when ê misses an item of p). */
  kl: number;
  /** The bias by popularity group, least popular first. */
  groups: PopularityGroup[];
}

/**
 * Summary of `est` [n] (any non-negative weights) against the full softmax `p`: normalised,
 * its total variation distance and KL(p ‖ ·), and the log-ratio by popularity group.
 */
export function summarize(pr: Prepared, est: Float64Array): BiasSummary {
  const { p, popularityOrder: order, popularity, groups } = pr;
  let mass = 0;
  for (let j = 0; j < est.length; j++) mass += est[j];
  const e = (j: number): number => (mass > 0 ? est[j] / mass : 0);
  let tv = 0;
  let kl = 0;
  for (let j = 0; j < p.length; j++) {
    const ej = e(j);
    tv += Math.abs(ej - p[j]);
    if (p[j] > 0) kl += ej > 0 ? p[j] * Math.log(p[j] / ej) : Infinity;
  }
  const out: PopularityGroup[] = [];
  const live = order.length;
  for (let g = 0; g < Math.min(groups, live); g++) {
    const a = Math.floor((g * live) / groups);
    const b = Math.floor(((g + 1) * live) / groups);
    if (b <= a) continue;
    let logSum = 0;
    let finite = 0;
    let sumE = 0;
    let sumP = 0;
    for (let i = a; i < b; i++) {
      const j = order[i];
      const ej = e(j);
      sumE += ej;
      sumP += p[j];
      if (ej > 0) {
        logSum += Math.log(ej / p[j]);
        finite++;
      }
    }
    out.push({
      from: popularity[order[a]],
      to: popularity[order[b - 1]],
      items: b - a,
      meanLogRatio: finite === b - a ? logSum / finite : -Infinity,
      massLogRatio: Math.log(sumE / sumP),
    });
  }
  return { mass, tv: tv / 2, kl, groups: out };
}
