/**
 * One training step of candidate generation in slow motion (docs/step.md): everything a step of
 * sampled softmax computes on a small batch, phase by phase, as plain arrays. Built by
 * `CandidateModel.traceBatch` from the training step's own arithmetic (the loss and the output
 * rows' gradients) and the same loss functions (logits, softmax, ∂L/∂u). Plain TypeScript, no
 * tfjs, so the protocol and the page can carry it.
 *
 * Matrices are row-major [B × (1 + K)]: row b is example b, column 0 its positive (the label
 * y_b, scored on its own), columns 1 … K the K negatives shared by the batch.
 */
import type { SoftmaxChoice } from './sampled-softmax/choices';

/** A trace of one step of sampled softmax (see the module comment for the layout). */
export interface StepTrace {
  /** Steps the model had taken when traced: this is the step that would be number `step + 1`. */
  step: number;
  /** The softmax choice (a sampler that draws negatives). */
  sampler: SoftmaxChoice;
  /** Batch size B and negatives K (columns: 1 + K), embedding size d. */
  B: number;
  K: number;
  d: number;
  /** Whether the run subtracts log q (logQ correction) and masks accidental hits. */
  logQ: boolean;
  removeAccidentalHits: boolean;
  /** Training example rows [B], their users [B] and positives y_b (video ids) [B]. */
  rows: Int32Array;
  users: Int32Array;
  labels: Int32Array;
  /** Video ids of the sampled negatives [K]. */
  negatives: Int32Array;
  /** Sampling probability q of each positive [B] and each negative [K] (the proposal's q). */
  qLabels: Float64Array;
  qNegatives: Float64Array;
  /** Raw scores u_b·v_j + b_j [B × (1 + K)], before correction and mask. */
  scores: Float32Array;
  /** The logQ correction added to each score [B × (1 + K)]: −log q_j when on, else 0 (nats). */
  correction: Float32Array;
  /** Accidental hits [B × (1 + K)]: 1 where a negative is the row's own positive and is masked. */
  hits: Uint8Array;
  /** Logits the softmax sees [B × (1 + K)]: score + correction, −1e9 on a masked hit. */
  logits: Float32Array;
  /** softmax of each row of the logits [B × (1 + K)]; each row sums to 1. */
  softmax: Float32Array;
  /** Cross-entropy of each example, −log softmax at column 0 [B] (nats). */
  perExample: Float32Array;
  /** The step's loss: mean cross-entropy of the batch (nats), as the training step computes it. */
  loss: number;
  /** User vectors u [B × d] and ∂loss/∂u [B × d]. */
  u: Float32Array;
  gradU: Float32Array;
  /** Positive video vectors v_y [B × d] and their gradient [B × d]; bias gradients [B]. */
  vPositive: Float32Array;
  gradPositive: Float32Array;
  gradPositiveBias: Float32Array;
  /** Negative video vectors v_j [K × d] and their gradient [K × d]; bias gradients [K]. */
  vNegative: Float32Array;
  gradNegative: Float32Array;
  gradNegativeBias: Float32Array;
}

/** What {@link buildStepTrace} assembles: the model's batch and the tensors it read back. */
export interface StepTraceParts {
  step: number;
  sampler: SoftmaxChoice;
  logQ: boolean;
  removeAccidentalHits: boolean;
  d: number;
  rows: Int32Array;
  users: Int32Array;
  labels: Int32Array;
  columns: Int32Array;
  /** log q of every label [B] and column [K] (nats), whether or not the correction is on. */
  logQLabels: Float32Array;
  logQColumns: Float32Array;
  /** The batch's mask offsets [B × K] (MASKED_LOGIT on a hit), or null for none. */
  mask: Float32Array | null;
  loss: number;
  u: Float32Array;
  scores: Float32Array;
  logits: Float32Array;
  softmax: Float32Array;
  perExample: Float32Array;
  gradU: Float32Array;
  vLabel: Float32Array;
  vColumns: Float32Array;
  bLabel: Float32Array;
  bColumns: Float32Array;
  gradLabel: Float32Array;
  gradColumns: Float32Array;
  gradLabelBias: Float32Array;
  gradColumnBias: Float32Array;
}

/** Assembles a {@link StepTrace}: the correction and hit matrices laid out as the logits are. */
export function buildStepTrace(p: StepTraceParts): StepTrace {
  const B = p.labels.length;
  const K = p.columns.length;
  const C = 1 + K;
  const correction = new Float32Array(B * C);
  const hits = new Uint8Array(B * C);
  for (let b = 0; b < B; b++) {
    if (p.logQ) {
      correction[b * C] = -p.logQLabels[b];
      for (let j = 0; j < K; j++) correction[b * C + 1 + j] = -p.logQColumns[j];
    }
    if (p.mask) for (let j = 0; j < K; j++) hits[b * C + 1 + j] = p.mask[b * K + j] < 0 ? 1 : 0;
  }
  return {
    step: p.step,
    sampler: p.sampler,
    B,
    K,
    d: p.d,
    logQ: p.logQ,
    removeAccidentalHits: p.removeAccidentalHits,
    rows: p.rows,
    users: p.users,
    labels: p.labels,
    negatives: p.columns,
    qLabels: Float64Array.from(p.logQLabels, Math.exp),
    qNegatives: Float64Array.from(p.logQColumns, Math.exp),
    scores: p.scores,
    correction,
    hits,
    logits: p.logits,
    softmax: p.softmax,
    perExample: p.perExample,
    loss: p.loss,
    u: p.u,
    gradU: p.gradU,
    vPositive: p.vLabel,
    gradPositive: p.gradLabel,
    gradPositiveBias: p.gradLabelBias,
    vNegative: p.vColumns,
    gradNegative: p.gradColumns,
    gradNegativeBias: p.gradColumnBias,
  };
}
