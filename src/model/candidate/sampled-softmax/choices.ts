/**
 * The softmax choices of candidate generation (paper §3.1, docs/model.md#sampled-softmax), declared
 * once: which negatives sampled softmax scores each label against, or the exact softmax over the
 * corpus. Plain TypeScript with no tfjs and no other import, so the worker's settings table, the
 * page's menus and the scripts can read it; code outside the sampled-softmax unit asks the
 * predicates below instead of comparing a choice to a string.
 *
 * | choice        | negatives of a batch                       | K knob | proposal q               |
 * |---------------|--------------------------------------------|--------|--------------------------|
 * | 'uniform'     | K draws, q = 1/n                           | used   | uniform                  |
 * | 'popularity'  | K draws, q ∝ (label count + 1)^α           | used   | popularity^α             |
 * | 'log-uniform' | K draws, Zipf over popularity rank         | used   | log-uniform              |
 * | 'in-batch'    | the batch's own B labels                   | unused | label share (count + 1)  |
 * | 'full'        | every video of the corpus (exact softmax)  | unused | none (nothing to correct)|
 */

/** Every softmax choice, in menu order: the four negative samplers, then the full softmax. */
export const SOFTMAX_CHOICES = [
  'uniform',
  'popularity',
  'log-uniform',
  'in-batch',
  'full',
] as const;

/** One softmax choice: a negative sampler of sampled softmax, or 'full' (exact softmax). */
export type SoftmaxChoice = (typeof SOFTMAX_CHOICES)[number];

/**
 * The choices with a proposal distribution q (every sampler: all but 'full'): those the logQ
 * correction applies to and the softmax-bias study can estimate.
 */
export type ProposalChoice = Exclude<SoftmaxChoice, 'full'>;

/** The choices that draw K negatives from q at every step ('uniform', 'popularity', 'log-uniform'). */
export type DrawingChoice = Exclude<SoftmaxChoice, 'full' | 'in-batch'>;

/** The sampler a study or sweep falls back on when the run's choice does not fit it. */
export const FALLBACK_SAMPLER: DrawingChoice = 'popularity';

/** True when `x` is one of {@link SOFTMAX_CHOICES} (e.g. a command-line flag or a URL value). */
export function isSoftmaxChoice(x: unknown): x is SoftmaxChoice {
  return typeof x === 'string' && (SOFTMAX_CHOICES as readonly string[]).includes(x);
}

/**
 * True when the choice has a proposal distribution q, i.e. it is a sampler (false only for
 * 'full'). The logQ correction and the accidental-hit removal apply only to these.
 */
export function hasProposal(choice: SoftmaxChoice): choice is ProposalChoice {
  return choice !== 'full';
}

/**
 * True when the choice draws K negatives from its sampler at every step, so that the number of
 * negatives K matters; false for 'in-batch' (the negatives are the batch's B labels: K stands
 * for the batch size) and 'full' (every video is a column).
 */
export function drawsNegatives(choice: SoftmaxChoice): choice is DrawingChoice {
  return choice !== 'full' && choice !== 'in-batch';
}

/**
 * True when the negatives are the batch's own labels ('in-batch'): the label of row b is
 * column b (the diagonal), and K is the batch size.
 */
export function negativesAreBatchLabels(choice: SoftmaxChoice): boolean {
  return choice === 'in-batch';
}

/** The sampler that the softmax-bias study uses for a run's choice: the choice itself, or
 * {@link FALLBACK_SAMPLER} for 'full' (exact softmax has no sampler to study). */
export function samplerForStudy(choice: SoftmaxChoice): ProposalChoice {
  return hasProposal(choice) ? choice : FALLBACK_SAMPLER;
}

/** The sampler a sweep over K trains with for a run's choice: the choice itself when it draws
 * K negatives, else {@link FALLBACK_SAMPLER} ('in-batch' and 'full' ignore K). */
export function samplerForSweep(choice: SoftmaxChoice): DrawingChoice {
  return drawsNegatives(choice) ? choice : FALLBACK_SAMPLER;
}
