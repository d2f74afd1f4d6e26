/**
 * Negative samplers for sampled softmax (paper §3.1, docs/model.md#samplers). Plain TypeScript, no
 * tfjs: the model asks for K negative video ids per step, shared across the batch, and for log q of
 * any id so that it can apply the logQ (importance) correction logit − log q (Yi et al. 2019).
 *
 * Every sampler draws *with replacement*; q(i) is the probability that one draw returns i, so
 * K draws return i K·q(i) times on average. The constant log K is left out of `logQ`: it shifts
 * every corrected logit equally and cancels in the softmax.
 *
 * Randomness comes only from the caller's uniform source `() => number` in [0, 1) (e.g. d3's
 * `randomLcg(seed)`), never `Math.random`, so a seeded run draws the same negatives everywhere.
 */

import { AliasTable, type UniformSource } from '../../../sim/alias';
import { hasProposal, SOFTMAX_CHOICES, type ProposalChoice } from './choices';

export type { UniformSource };
export { AliasTable };

/**
 * The negative samplers on offer (docs/model.md#samplers): every softmax choice but 'full'
 * (choices.ts).
 */
export type SamplerKind = ProposalChoice;

/** All sampler kinds, in menu order (the softmax choices that have a proposal q). */
export const SAMPLER_KINDS: readonly SamplerKind[] = SOFTMAX_CHOICES.filter(hasProposal);

/** Settings for {@link makeSampler}. */
export interface SamplerOptions {
  /** Corpus size n ≥ 1; item ids are 0 … n − 1. */
  numItems: number;
  /** Observed frequency of each item [n] (e.g. training label counts), ≥ 0. Needed by
   * 'popularity' and 'in-batch'; orders 'log-uniform' (without it, id order is taken as
   * popularity order). */
  counts?: ArrayLike<number>;
  /** Exponent of the 'popularity' sampler, q ∝ (count + 1)^alpha; default 0.75. */
  alpha?: number;
}

/** A negative sampler over items 0 … numItems − 1. */
export interface NegativeSampler {
  readonly kind: SamplerKind;
  readonly numItems: number;
  /**
   * Writes k item ids into out[0 … k) and returns `out`. 'in-batch' copies the first k of
   * `batchLabels` (required, k ≤ its length) and ignores `rng`; the others draw i.i.d. from q.
   */
  sample(
    k: number,
    rng: UniformSource,
    out: Int32Array,
    batchLabels?: ArrayLike<number>,
  ): Int32Array;
  /** log q(item): natural log of the probability that one draw returns `item`. Finite for every id. */
  logQ(item: number): number;
  /** Fills out[i] = log q(items[i]) for a batch of ids and returns `out`. */
  logQInto(items: ArrayLike<number>, out: Float32Array): Float32Array;
  /** A copy of q [n], summing to 1, for plotting the sampling distribution. */
  probabilities(): Float64Array;
}

/**
 * Builds a sampler (the kind decides q):
 * - 'uniform': q = 1/n.
 * - 'popularity': q ∝ (count + 1)^alpha (alpha = 0.75 by default, as word2vec); the +1 gives
 *   unseen items mass. Alias table.
 * - 'log-uniform': Zipf over popularity rank r (0 = most popular, ties by id),
 *   q(r) = log((r + 2)/(r + 1)) / log(n + 1), as TensorFlow's log-uniform candidate sampler;
 *   drawn by inverting its CDF in closed form, then mapped through the rank → item permutation.
 * - 'in-batch': the batch's own labels are the negatives, so q is the share of an item among
 *   training labels: q = (count + 1) / Σ(count + 1). The +1 (a departure from the raw share)
 *   keeps log q finite for items the counts never saw; with realistic counts it barely moves q.
 */
export function makeSampler(kind: SamplerKind, options: SamplerOptions): NegativeSampler {
  const { numItems: n, counts, alpha = 0.75 } = options;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`numItems ${n} must be an integer ≥ 1`);
  if (counts !== undefined) checkCounts(counts, n);
  if (!Number.isFinite(alpha) || alpha < 0) throw new RangeError(`alpha ${alpha} must be ≥ 0`);
  const needCounts = (): ArrayLike<number> => {
    if (counts === undefined) throw new RangeError(`the '${kind}' sampler needs item counts`);
    return counts;
  };
  switch (kind) {
    case 'uniform':
      return new DistributionSampler(kind, new Float64Array(n).fill(1 / n), (rng) =>
        Math.min(n - 1, Math.floor(rng() * n)),
      );
    case 'popularity': {
      const table = new AliasTable(Float64Array.from(needCounts(), (c) => (c + 1) ** alpha));
      return new DistributionSampler(kind, table.p, (rng) => table.draw(rng));
    }
    case 'log-uniform': {
      const byRank = popularityOrder(n, counts);
      const logN1 = Math.log(n + 1);
      const q = new Float64Array(n);
      for (let r = 0; r < n; r++) q[byRank[r]] = Math.log1p(1 / (r + 1)) / logN1;
      return new DistributionSampler(kind, q, (rng) => {
        // CDF(r) = log(r + 2) / log(n + 1), so r = ⌊(n + 1)^u⌋ − 1 for u uniform.
        const r = Math.floor(Math.exp(rng() * logN1)) - 1;
        return byRank[Math.min(n - 1, Math.max(0, r))];
      });
    }
    case 'in-batch': {
      const c = needCounts();
      let total = 0;
      for (let i = 0; i < n; i++) total += c[i] + 1;
      return new DistributionSampler(
        kind,
        Float64Array.from(c, (x) => (x + 1) / total),
        null,
      );
    }
  }
}

/**
 * A sampler defined by its q [n] and a draw function; `draw === null` means in-batch (the
 * negatives are the batch labels).
 */
class DistributionSampler implements NegativeSampler {
  readonly numItems: number;

  constructor(
    readonly kind: SamplerKind,
    private readonly q: Float64Array,
    private readonly draw: ((rng: UniformSource) => number) | null,
  ) {
    this.numItems = q.length;
  }

  sample(
    k: number,
    rng: UniformSource,
    out: Int32Array,
    batchLabels?: ArrayLike<number>,
  ): Int32Array {
    if (!Number.isInteger(k) || k < 0 || k > out.length) {
      throw new RangeError(`k ${k} must be an integer in [0, out.length = ${out.length}]`);
    }
    if (this.draw !== null) {
      for (let i = 0; i < k; i++) out[i] = this.draw(rng);
      return out;
    }
    if (batchLabels === undefined || k > batchLabels.length) {
      throw new RangeError(`the in-batch sampler needs ≥ ${k} batch labels`);
    }
    for (let i = 0; i < k; i++) out[i] = this.checkItem(batchLabels[i]);
    return out;
  }

  logQ(item: number): number {
    return Math.log(this.q[this.checkItem(item)]);
  }

  logQInto(items: ArrayLike<number>, out: Float32Array): Float32Array {
    if (out.length < items.length) throw new RangeError('logQInto: out is shorter than items');
    for (let i = 0; i < items.length; i++) out[i] = this.logQ(items[i]);
    return out;
  }

  probabilities(): Float64Array {
    return this.q.slice();
  }

  private checkItem(item: number): number {
    if (!Number.isInteger(item) || item < 0 || item >= this.numItems) {
      throw new RangeError(`item ${item} not in [0, ${this.numItems})`);
    }
    return item;
  }
}

/** Item ids by count descending, ties by id ascending; id order without counts. */
function popularityOrder(n: number, counts: ArrayLike<number> | undefined): Int32Array {
  const order = new Int32Array(n).map((_, i) => i);
  return counts === undefined ? order : order.sort((a, b) => counts[b] - counts[a] || a - b);
}

function checkCounts(counts: ArrayLike<number>, n: number): void {
  if (counts.length !== n) throw new RangeError(`counts has length ${counts.length}, not ${n}`);
  for (let i = 0; i < n; i++) {
    if (!(counts[i] >= 0) || !Number.isFinite(counts[i])) {
      throw new RangeError(`counts[${i}] is ${counts[i]}, not a finite count ≥ 0`);
    }
  }
}
