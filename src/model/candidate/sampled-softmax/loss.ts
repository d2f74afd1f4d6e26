/**
 * The logits and the loss of sampled softmax (paper §3.1) for one {@link SoftmaxBatch}: the
 * cross-entropy of each row's label against the batch's columns, logQ-corrected and with
 * accidental hits masked as the batch says. Used inside `tf.variableGrads` by a training step
 * and without a gradient by the held-out loss, so both compute the same number.
 */
import * as tf from '@tensorflow/tfjs';
import type { SoftmaxBatch } from './batch';
import { candidateLogits, labelLogits } from './logits';

/** Output-side rows of one batch: video vectors v and biases b. */
export interface OutputRows {
  /** v of every column [K × d] and b [K] (rows of `batch.columns`, in order). */
  columnVectors: tf.Tensor2D;
  columnBiases: tf.Tensor1D;
  /**
   * v of every row's label [B × d] and b [B]; required when `batch.needsLabelRows`, ignored
   * otherwise (the labels are then among the columns).
   */
  labelVectors?: tf.Tensor2D;
  labelBiases?: tf.Tensor1D;
}

/** The logits of a batch and, per row, the logit of its label. */
export interface SoftmaxLogits {
  /** [B × C]: C = 1 + K with the label in column 0 (drawn negatives), else C = K. */
  logits: tf.Tensor2D;
  /** [B]: each row's label logit (an entry of `logits`). */
  labelLogit: tf.Tensor1D;
}

/**
 * Logits of users `u` [B × d] against the batch: column j of row b is
 * u_b·v_j + b_j − log q_j (logQ on) + mask_bj (MASKED_LOGIT on an accidental hit), and with
 * drawn negatives the label's own logit u_b·v_y + b_y − log q_y is prepended as column 0. The
 * caller disposes the tensors (or runs this inside a tidy or `tf.variableGrads`).
 */
export function sampledSoftmaxLogits(
  u: tf.Tensor2D,
  batch: SoftmaxBatch,
  rows: OutputRows,
): SoftmaxLogits {
  return tf.tidy(() => {
    const B = batch.labels.length;
    const K = batch.columns.length;
    const qColumns = batch.logQColumns ? tf.tensor1d(batch.logQColumns) : null;
    const mask = batch.mask ? tf.tensor2d(batch.mask, [B, K]) : null;
    const columns = candidateLogits(u, rows.columnVectors, rows.columnBiases, qColumns, mask);
    switch (batch.placement) {
      case 'id': {
        const oneHot = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), K);
        return { logits: columns, labelLogit: tf.sum(tf.mul(columns, oneHot), 1) as tf.Tensor1D };
      }
      case 'diagonal':
        return {
          logits: columns,
          labelLogit: tf.sum(tf.mul(columns, tf.eye(B)), 1) as tf.Tensor1D,
        };
      case 'prepended': {
        if (!rows.labelVectors || !rows.labelBiases)
          throw new Error('sampled softmax with drawn negatives needs the label rows');
        const qLabels = batch.logQLabels ? tf.tensor1d(batch.logQLabels) : null;
        const labelLogit = labelLogits(u, rows.labelVectors, rows.labelBiases, qLabels);
        const logits = tf.concat([tf.expandDims(labelLogit, 1), columns], 1) as tf.Tensor2D;
        return { logits, labelLogit };
      }
    }
  });
}

/**
 * log Σ_j exp(z_bj) per row of z [B × C] → [B], with the max subtracted first for stability,
 * and its gradient written out: dL/dz = dL/dlse · softmax(z). tfjs's own `logSumExp` derives
 * its gradient through `max`, which compares every logit with a broadcast column of row maxima
 * (an `Equal` and a `where` on [B × C]): a third of a candidate-generation step
 * (docs/performance.md#training). The values are the same ops in the same order; the gradient
 * is the same function, rounded differently in the last bits.
 */
export const logSumExpRows = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const z = args[0] as tf.Tensor2D;
  const save = args[1] as tf.GradSaveFunc;
  const m = tf.max(z, 1, true);
  const e = tf.exp(tf.sub(z, m));
  const s = tf.sum(e, 1, true);
  save([e, s]);
  return {
    value: tf.reshape(tf.add(tf.log(s), m), [-1]) as tf.Tensor1D,
    gradFunc: (dy: tf.Tensor1D, saved: tf.Tensor[]) =>
      tf.mul(tf.div(saved[0], saved[1]), tf.expandDims(dy, 1)),
  };
}) as Parameters<typeof tf.customGrad<tf.Tensor1D>>[0]) as (z: tf.Tensor2D) => tf.Tensor1D;

/**
 * Mean cross-entropy (nats) of the batch's labels under the softmax of their logits:
 * mean_b (logsumexp_j z_bj − z_b,y_b). A scalar tensor; differentiable with respect to `u` and
 * the output rows.
 */
export function sampledSoftmaxLoss(
  u: tf.Tensor2D,
  batch: SoftmaxBatch,
  rows: OutputRows,
): tf.Scalar {
  return tf.tidy(() => {
    const { logits, labelLogit } = sampledSoftmaxLogits(u, batch, rows);
    return tf.mean(tf.sub(logSumExpRows(logits), labelLogit)) as tf.Scalar;
  });
}
