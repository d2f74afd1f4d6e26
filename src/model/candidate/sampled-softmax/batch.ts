/**
 * The columns of one sampled-softmax batch (paper §3.1): which videos each label is scored
 * against, the logQ correction of each column and label, and the accidental hits to mask.
 * Plain TypeScript, no tfjs; `loss.ts` turns a {@link SoftmaxBatch} into logits and the loss.
 * Training steps and the held-out loss both build their batch here, so they score a label the
 * same way.
 */
import {
  drawsNegatives,
  hasProposal,
  negativesAreBatchLabels,
  type SoftmaxChoice,
} from './choices';
import { accidentalHitMask, countAccidentalHits, MASKED_LOGIT } from './accidental-hits';
import { makeSampler, type NegativeSampler, type UniformSource } from './samplers';

/** The settings of sampled softmax (the matching fields of the candidate model's config). */
export interface SoftmaxSettings {
  /** The softmax choice: a negative sampler, or 'full' (exact softmax over the corpus). */
  sampler: SoftmaxChoice;
  /** Negatives K drawn per step, shared by the whole batch (only when the choice draws them). */
  negatives: number;
  /** Subtract log q from the logit of every column and label (the logQ correction). */
  logQ: boolean;
  /** Mask a negative equal to the row's own label (an accidental hit) out of the softmax. */
  removeAccidentalHits: boolean;
}

/**
 * How each row's label logit is found: 'prepended' — drawn negatives; the label is scored on
 * its own and becomes column 0 of the logits [B × (1 + K)]; 'diagonal' — in-batch; row b's
 * label is column b; 'id' — full softmax; the columns are every video, and the label is the
 * column of its own id.
 */
export type LabelPlacement = 'prepended' | 'diagonal' | 'id';

/** Everything of one batch's softmax that is not a tensor. */
export interface SoftmaxBatch {
  /** The batch's label video ids y_b [B]. */
  readonly labels: Int32Array;
  /**
   * Video ids of the negative columns [K]: K drawn negatives, the labels themselves (in-batch,
   * K = B) or every video 0 … n − 1 (full softmax, K = n).
   */
  readonly columns: Int32Array;
  /** Where each row's label logit is (see {@link LabelPlacement}). */
  readonly placement: LabelPlacement;
  /**
   * True when the label rows v_y, b_y [B × d], [B] are scored on their own (placement
   * 'prepended'); otherwise the labels are among the columns and their rows get no gradient.
   */
  readonly needsLabelRows: boolean;
  /**
   * Offsets added to the column logits [B × K] (row-major): {@link MASKED_LOGIT} on accidental
   * hits, 0 elsewhere; null when there is none (nothing to add).
   */
  readonly mask: Float32Array | null;
  /** Number of accidental hits masked (0 unless removing them). */
  readonly accidentalHits: number;
  /** log q of every column [K] in nats, when the logQ correction applies; else null. */
  readonly logQColumns: Float32Array | null;
  /** log q of every row's label [B] in nats, when the logQ correction applies; else null. */
  readonly logQLabels: Float32Array | null;
}

/**
 * The proposal distribution q of a softmax choice over `numItems` videos: the sampler that
 * draws its negatives (or, for in-batch, gives q of the batch's labels), built from how often
 * each video is a training label ([numItems], the popularity and in-batch q and the
 * log-uniform order) and α (popularity sampler only). Null for 'full' (no sampler).
 */
export function makeProposal(
  choice: SoftmaxChoice,
  numItems: number,
  labelCounts: ArrayLike<number>,
  alpha: number,
): NegativeSampler | null {
  return hasProposal(choice) ? makeSampler(choice, { numItems, counts: labelCounts, alpha }) : null;
}

/**
 * The softmax columns of a batch with labels `labels` [B] over a corpus of `numItems` videos.
 * A choice that draws negatives takes K = settings.negatives ids from `proposal` with
 * `uniform` (K calls, nothing else consumes it); in-batch uses the labels as columns; full
 * softmax uses every video. Accidental hits are masked (in-batch: off the diagonal only) when
 * `removeAccidentalHits`; log q of columns and labels is filled when `logQ` (never for full
 * softmax). `proposal` must be the sampler of `settings.sampler` (from {@link makeProposal});
 * it is ignored for 'full'. Throws an Error when it is missing or of another kind.
 */
export function drawSoftmaxBatch(
  settings: SoftmaxSettings,
  proposal: NegativeSampler | null,
  numItems: number,
  labels: Int32Array,
  uniform: UniformSource,
): SoftmaxBatch {
  const choice = settings.sampler;
  const sampler = hasProposal(choice) ? proposal : null;
  if (hasProposal(choice) && sampler?.kind !== choice)
    throw new Error(`sampled softmax '${choice}' got the sampler '${proposal?.kind ?? 'none'}'`);
  const B = labels.length;
  let columns: Int32Array;
  let placement: LabelPlacement;
  if (drawsNegatives(choice)) {
    const K = settings.negatives;
    columns = sampler!.sample(K, uniform, new Int32Array(K));
    placement = 'prepended';
  } else if (negativesAreBatchLabels(choice)) {
    columns = labels;
    placement = 'diagonal';
  } else {
    columns = Int32Array.from({ length: numItems }, (_, i) => i);
    placement = 'id';
  }
  const K = columns.length;

  let mask: Float32Array | null = null;
  let accidentalHits = 0;
  if (settings.removeAccidentalHits && sampler) {
    const hits = accidentalHitMask(labels, columns, { inBatch: placement === 'diagonal' });
    accidentalHits = countAccidentalHits(hits);
    if (accidentalHits > 0) {
      // A plain loop: `Float32Array.from(hits, fn)` goes through the iterator protocol and
      // took ~10 ms of a step for [256 × 256] (docs/performance.md#training).
      mask = new Float32Array(hits.length);
      for (let i = 0; i < hits.length; i++) if (hits[i]) mask[i] = MASKED_LOGIT;
    }
  }
  const correct = settings.logQ && sampler !== null;
  return {
    labels,
    columns,
    placement,
    needsLabelRows: placement === 'prepended',
    mask,
    accidentalHits,
    logQColumns: correct ? sampler.logQInto(columns, new Float32Array(K)) : null,
    logQLabels: correct ? sampler.logQInto(labels, new Float32Array(B)) : null,
  };
}
