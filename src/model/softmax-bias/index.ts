/**
 * How sampled softmax sees one user's softmax (docs/model.md#sampled-softmax-bias, paper §3.1): the
 * full softmax p over the live corpus against the probabilities p̂ that sampled softmax, with K
 * negatives from a sampler q and the logQ correction on or off, effectively uses, and the
 * distribution ℓ ∝ p² / p̂ that training with it converges towards. The estimator and its
 * derivation are in estimate.ts, the bias figures in summary.ts, p itself in scores.ts. Plain
 * TypeScript, no tfjs.
 */
import type { NegativeSampler } from '../candidate/sampled-softmax/samplers';
import { estimate, learnedFrom, limitEstimate, prepare } from './estimate';
import { summarize, type BiasSummary } from './summary';

export { fullSoftmax, userScores } from './scores';
export type { BiasSummary, PopularityGroup } from './summary';

/** Settings of {@link softmaxBias}. */
export interface SoftmaxBiasOptions {
  /** Number of sampled negatives K ≥ 1. */
  negatives: number;
  /** Subtract log q from every logit (the label's and the negatives'). */
  logQ: boolean;
  /** Monte Carlo repeats R ≥ 1 (default 32). */
  repeats?: number;
  /** Seed of the repeats' uniform source (default 1). The stream does not depend on K or logQ. */
  seed?: number;
  /** Drop negatives equal to the label, as training does by default (default true). */
  removeAccidentalHits?: boolean;
  /**
   * Popularity of each item [n] that orders the deciles of the summary (e.g. training label
   * counts); default: the sampler's q.
   */
  popularity?: ArrayLike<number>;
  /** Number of popularity groups in the summary (default 10). */
  groups?: number;
}

/** Result of {@link softmaxBias}; every array has one entry per item [n]. */
export interface SoftmaxBias {
  /** The full softmax p over the items with a finite score (0 elsewhere). */
  full: Float64Array;
  /** p̂: each item's probability as sampled softmax sees it (see estimate.ts). */
  estimate: Float64Array;
  /** estimate / full (NaN where p = 0). */
  ratio: Float64Array;
  /** ℓ ∝ p² / p̂, normalised: the distribution training with this sampler converges towards. */
  learned: Float64Array;
  /** Bias of `estimate` against `full`. */
  summary: BiasSummary;
  /** Bias of `learned` against `full`. */
  learnedSummary: BiasSummary;
}

/**
 * The full softmax of one user's `scores` [sampler.numItems] (−∞ = not live) against sampled
 * softmax's view of it with `sampler`, K negatives and logQ on or off (see estimate.ts
 * for the estimator), with bias figures overall and by popularity group.
 */
export function softmaxBias(
  scores: ArrayLike<number>,
  sampler: NegativeSampler,
  options: SoftmaxBiasOptions,
): SoftmaxBias {
  const pr = prepare(scores, sampler, options);
  const est = estimate(
    pr,
    options.negatives,
    options.logQ,
    options.repeats ?? 32,
    options.seed ?? 1,
    options.removeAccidentalHits ?? true,
  );
  const learned = learnedFrom(pr.p, est);
  return {
    full: pr.p,
    estimate: est,
    ratio: Float64Array.from(est, (e, j) => (pr.p[j] > 0 ? e / pr.p[j] : NaN)),
    learned,
    summary: summarize(pr, est),
    learnedSummary: summarize(pr, learned),
  };
}

/** One point of {@link negativesBiasSweep}. */
export interface NegativesBiasPoint {
  /** K (Infinity for the analytic limit). */
  negatives: number;
  logQ: boolean;
  /** Bias of p̂ and of the learned distribution ℓ against p. */
  estimate: BiasSummary;
  learned: BiasSummary;
}

/** Settings of {@link negativesBiasSweep}: those of {@link softmaxBias} without K and logQ. */
export interface NegativesBiasSweepOptions extends Omit<SoftmaxBiasOptions, 'negatives' | 'logQ'> {
  /** The K to try (default 4, 16, 64, 256, 1024). */
  ks?: readonly number[];
}

/** The default K of the sweep. */
export const SWEEP_NEGATIVES: readonly number[] = [4, 16, 64, 256, 1024];

/**
 * Bias against K for logQ off and on: one point per (K, logQ), K ascending, logQ off first for
 * each K, then the two K → ∞ limits in closed form ({@link limitEstimate}: logQ on, p̂ = p up
 * to the accidental-hit term; off, p̂ ∝ q·p). Common
 * random numbers: every point uses the same seeded stream. Cost O(|ks| · R · (K + n)).
 */
export function negativesBiasSweep(
  scores: ArrayLike<number>,
  sampler: NegativeSampler,
  options: NegativesBiasSweepOptions = {},
): NegativesBiasPoint[] {
  const pr = prepare(scores, sampler, options);
  const repeats = options.repeats ?? 32;
  const seed = options.seed ?? 1;
  const hits = options.removeAccidentalHits ?? true;
  const points: NegativesBiasPoint[] = [];
  for (const K of options.ks ?? SWEEP_NEGATIVES) {
    for (const logQ of [false, true]) {
      const est = estimate(pr, K, logQ, repeats, seed, hits);
      points.push({
        negatives: K,
        logQ,
        estimate: summarize(pr, est),
        learned: summarize(pr, learnedFrom(pr.p, est)),
      });
    }
  }
  for (const logQ of [false, true]) {
    const est = limitEstimate(pr, logQ, hits);
    points.push({
      negatives: Infinity,
      logQ,
      estimate: summarize(pr, est),
      learned: summarize(pr, learnedFrom(pr.p, est)),
    });
  }
  return points;
}
