/**
 * One training step in slow motion (docs/step.md): a {@link StepTrace} of a prepared batch,
 * from the training step's own arithmetic (`forward.ts` {@link stepGradients}: the loss and
 * the output rows' gradients, unapplied) and the same loss functions on the same batch (logits,
 * softmax, per-example losses, ∂L/∂u). Changes no weight.
 */
import * as tf from '@tensorflow/tfjs';
import type { DenseTower } from '../tower';
import { stepGradients, towerOf, type PreparedStep } from './forward';
import {
  logSumExpRows,
  sampledSoftmaxLogits,
  sampledSoftmaxLoss,
  type NegativeSampler,
  type SoftmaxBatch,
} from './sampled-softmax';
import { buildStepTrace, type StepTrace } from './step-trace';

/** What the trace says about the run besides the batch (see {@link StepTrace}). */
export interface TraceContext {
  /** Steps the model had taken. */
  step: number;
  /** The run's sampled-softmax settings. */
  sampler: StepTrace['sampler'];
  logQ: boolean;
  removeAccidentalHits: boolean;
  /** Embedding size d. */
  d: number;
  /** Training example rows [B] and their users [B]. */
  rows: Int32Array;
  users: Int32Array;
  /** The proposal that drew the negatives (gives their q). */
  proposal: NegativeSampler;
}

/**
 * The trace of `prepared` (a batch of drawn negatives) through the user tower `net`. With the
 * model's K, its loss is bit for bit what the training step reports for the same batch.
 * Disposes the prepared leaves.
 */
export async function traceOf(
  net: DenseTower | null,
  prepared: PreparedStep,
  context: TraceContext,
): Promise<StepTrace> {
  const { value, grads } = stepGradients(net, prepared);
  const [x, wLabel, wColumns, bLabel, bColumns] = prepared.leaves;
  const { batch } = prepared;
  const outputRows = {
    columnVectors: wColumns as tf.Tensor2D,
    columnBiases: bColumns as tf.Tensor1D,
    labelVectors: wLabel as tf.Tensor2D,
    labelBiases: bLabel as tf.Tensor1D,
  };
  const plain: SoftmaxBatch = { ...batch, logQColumns: null, logQLabels: null, mask: null };
  const t = tf.tidy(() => {
    const u = towerOf(net, x as tf.Tensor2D);
    const scores = sampledSoftmaxLogits(u, plain, outputRows).logits;
    const { logits, labelLogit } = sampledSoftmaxLogits(u, batch, outputRows);
    const lse = logSumExpRows(logits);
    const softmax = tf.exp(tf.sub(logits, tf.expandDims(lse, 1)));
    const perExample = tf.sub(lse, labelLogit);
    const du = tf.grad((uu: tf.Tensor) => sampledSoftmaxLoss(uu as tf.Tensor2D, batch, outputRows))(
      u,
    );
    return { u, scores, logits, softmax, perExample, du };
  });
  const read = (a: tf.Tensor) => a.data() as Promise<Float32Array>;
  const { proposal } = context;
  const result = buildStepTrace({
    step: context.step,
    sampler: context.sampler,
    logQ: context.logQ,
    removeAccidentalHits: context.removeAccidentalHits,
    d: context.d,
    rows: context.rows,
    users: context.users,
    labels: prepared.labels,
    columns: batch.columns,
    logQLabels: proposal.logQInto(prepared.labels, new Float32Array(prepared.B)),
    logQColumns: proposal.logQInto(batch.columns, new Float32Array(batch.columns.length)),
    mask: batch.mask,
    loss: (await value.data())[0],
    u: await read(t.u),
    scores: await read(t.scores),
    logits: await read(t.logits),
    softmax: await read(t.softmax),
    perExample: await read(t.perExample),
    gradU: await read(t.du),
    vLabel: await read(wLabel),
    vColumns: await read(wColumns),
    bLabel: await read(bLabel),
    bColumns: await read(bColumns),
    gradLabel: await read(grads[wLabel.name]),
    gradColumns: await read(grads[wColumns.name]),
    gradLabelBias: await read(grads[bLabel.name]),
    gradColumnBias: await read(grads[bColumns.name]),
  });
  tf.dispose([value, ...prepared.leaves, ...Object.values(grads), ...Object.values(t)]);
  return result;
}
