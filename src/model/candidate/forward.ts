/**
 * The forward pass and the loss of one candidate-generation batch (paper §3): the user tower's
 * input x from the averaged sparse fields and the dense inputs, the step's leaves (x and the
 * gathered output rows v_y, v_j, b_y, b_j), and the mean sampled-softmax loss with its
 * gradients on the tower's variables and on the leaves. Nothing here updates a weight: the
 * training step (`model.ts`) applies the gradients (`sparse-updates.ts`), the trace
 * (`trace-batch.ts`) reads them.
 */
import * as tf from '@tensorflow/tfjs';
import type { CandidateExamples } from '../../sim/examples';
import type { World } from '../../sim/types';
import type { SparseEmbedding } from '../embedding';
import type { SortedSlots } from '../sorted-slots';
import { leafVariable } from '../leaf';
import type { DenseTower } from '../tower';
import type { CandidateConfig } from './config';
import { DENSE_INPUTS, userInputs, type InputTables, type UserInputs } from './inputs';
import {
  drawSoftmaxBatch,
  sampledSoftmaxLoss,
  type NegativeSampler,
  type SoftmaxBatch,
  type UniformSource,
} from './sampled-softmax';

/**
 * The parts of a candidate model a batch is scored with: its world, tables, output rows, user
 * tower and proposal (the model's own objects, not copies).
 */
export interface ForwardParts {
  readonly world: World;
  /** Embedding size d of u and of the output vectors v_i. */
  readonly d: number;
  /** The input tables (watch and search bags, region, device; user ids for factorisation). */
  readonly tables: InputTables;
  /** Output video vectors v_i [videos × d]. */
  readonly videoOut: SparseEmbedding;
  /** Output video biases b_i [videos × 1]. */
  readonly videoBias: SparseEmbedding;
  /** The user tower, or null for factorisation (u is the user-id embedding). */
  readonly net: DenseTower | null;
  /** The proposal of sampled softmax for the config's sampler; null for the full softmax. */
  readonly proposal: NegativeSampler | null;
}

/** The parts of one step before its gradient (see {@link prepareStep}). */
export interface PreparedStep {
  /** Batch size B. */
  B: number;
  /** The labels y_b (video ids) [B]. */
  labels: Int32Array;
  /** The user inputs of the batch's rows. */
  inputs: UserInputs;
  /** The softmax columns, logQ and accidental-hit mask of the batch. */
  batch: SoftmaxBatch;
  /** The tower input x [B × width], row-major. */
  input: { x: Float32Array; width: number };
  /** The step's leaves: x [B × width], v_y [B × d], v_j [K × d], b_y [B], b_j [K]. */
  leaves: tf.Variable[];
}

/**
 * The user tower: u [batch × d] from the tower input x of {@link towerInput} (for
 * factorisation, x is the user-id embedding and u = x).
 */
export function towerOf(net: DenseTower | null, x: tf.Tensor2D): tf.Tensor2D {
  return net ? net.apply(x) : x;
}

/**
 * The tower input of a batch, one row per example [batch × width]: the averaged fields side by
 * side, then the dense inputs (the paper's concatenated input layer); with `concatenate` false
 * (factorisation) just the user-id embedding. Concatenated here rather than by `tf.concat`, so a
 * training step has one input leaf and no concat gradient (docs/performance.md#training): the
 * same values.
 */
export function towerInput(
  inputs: UserInputs,
  concatenate: boolean,
): { x: Float32Array; width: number } {
  if (!concatenate) return { x: inputs.fields[0].mean, width: inputs.fields[0].table.dim };
  const B = inputs.batch;
  const width = inputs.fields.reduce((a, f) => a + f.table.dim, 0) + DENSE_INPUTS;
  const x = new Float32Array(B * width);
  let col = 0;
  for (const part of [...inputs.fields.map((f) => f.mean), inputs.dense]) {
    const w = part.length / B;
    for (let b = 0; b < B; b++) x.set(part.subarray(b * w, b * w + w), b * width + col);
    col += w;
  }
  return { x, width };
}

/**
 * What a step needs before its gradient: the labels y_b [B] of examples `rows`, their user
 * inputs, the softmax columns drawn with `uniform` under `settings` (the proposal must be the
 * sampler of `settings.sampler`), the tower input x [B × width] and the step's leaves (x, v_y
 * [B × d], v_j [K × d], b_y [B], b_j [K]). The training step and the trace share it, so both
 * score the same batch the same way. With `slots` (one per field, see `userInputs`) the
 * fields keep their sorted rows for the step's updates. The caller disposes the leaves.
 */
export function prepareStep(
  parts: ForwardParts,
  examples: CandidateExamples,
  rows: Int32Array,
  uniform: UniformSource,
  settings: CandidateConfig,
  slots?: readonly SortedSlots[],
): PreparedStep {
  const B = rows.length;
  const labels = Int32Array.from(rows, (r) => examples.label[r]);
  const inputs = userInputs(
    parts.world,
    examples,
    rows,
    parts.tables,
    settings.features,
    false,
    slots,
  );
  const batch = drawSoftmaxBatch(
    settings,
    parts.proposal,
    parts.world.videos.count,
    labels,
    uniform,
  );
  const columns = batch.columns;
  const K = columns.length;
  const d = parts.d;
  const input = towerInput(inputs, parts.net !== null);
  const leaves = [
    leafVariable(input.x, [B, input.width]),
    leafVariable(parts.videoOut.gather(labels), [B, d]),
    leafVariable(parts.videoOut.gather(columns), [K, d]),
    leafVariable(parts.videoBias.gather(labels), [B]),
    leafVariable(parts.videoBias.gather(columns), [K]),
  ];
  return { B, labels, inputs, batch, input, leaves };
}

/**
 * The step's arithmetic: the mean sampled-softmax loss (nats) of a prepared batch through the
 * user tower `net`, and its gradients on the tower's variables and on the leaves (keyed by
 * variable name; the label rows v_y, b_y get none when the labels are among the columns).
 * Nothing is applied; the caller disposes `value` and the gradients.
 */
export function stepGradients(
  net: DenseTower | null,
  prepared: PreparedStep,
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const { batch, leaves } = prepared;
  const towerVars = net?.variables ?? [];
  const [x, wLabel, wColumns, bLabel, bColumns] = leaves;
  // Label rows are unused when the labels are among the columns (full and in-batch softmax).
  const outputVars = batch.needsLabelRows
    ? [wLabel, wColumns, bLabel, bColumns]
    : [wColumns, bColumns];
  return tf.variableGrads(
    () =>
      sampledSoftmaxLoss(towerOf(net, x as tf.Variable<tf.Rank.R2>), batch, {
        columnVectors: wColumns as tf.Tensor2D,
        columnBiases: bColumns as tf.Tensor1D,
        labelVectors: wLabel as tf.Tensor2D,
        labelBiases: bLabel as tf.Tensor1D,
      }),
    [...towerVars, x, ...outputVars],
  );
}

/**
 * The mean sampled-softmax cross-entropy (nats) of user vectors `u` [B × d] against labels
 * `labels` [B] and the columns of `batch` (drawn for those labels), read from the output tables
 * without a gradient. Disposes nothing it did not make; the caller disposes `u`.
 */
export async function batchLoss(
  parts: Pick<ForwardParts, 'd' | 'videoOut' | 'videoBias'>,
  u: tf.Tensor2D,
  labels: Int32Array,
  batch: SoftmaxBatch,
): Promise<number> {
  const { columns } = batch;
  const { d, videoOut, videoBias } = parts;
  const B = labels.length;
  const loss = tf.tidy(() =>
    sampledSoftmaxLoss(u, batch, {
      columnVectors: tf.tensor2d(videoOut.gather(columns), [columns.length, d]),
      columnBiases: tf.tensor1d(videoBias.gather(columns)),
      ...(batch.needsLabelRows && {
        labelVectors: tf.tensor2d(videoOut.gather(labels), [B, d]),
        labelBiases: tf.tensor1d(videoBias.gather(labels)),
      }),
    }),
  );
  const value = (await loss.data())[0];
  loss.dispose();
  return value;
}
