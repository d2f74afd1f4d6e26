/**
 * The held-out loss of the candidate model: the same sampled-softmax cross-entropy that a
 * training step minimises (label against the sampled negatives, logQ-corrected and with
 * accidental hits masked when the run says so), computed without a gradient on a fixed batch
 * of held-out next watches. Its gap to the training loss is the overfitting you can see.
 *
 * The negatives come from a fresh generator seeded the same way at every evaluation, so two
 * evaluations of one model give the same number and the curve moves only when the model does.
 *
 * (CandidateModel has no loss-without-training method, so this file rebuilds the step's
 * logits from the model's public parts: inputs, userVectors, the output tables and sampler.)
 */
import * as tf from '@tensorflow/tfjs';
import type { CandidateExamples } from '../sim/examples';
import { createRng } from '../sim/rng';
import type { CandidateModel } from '../model/candidate/model';
import { candidateLogits, labelLogits, MASKED_LOGIT } from '../model/candidate/logits';

/**
 * Mean sampled-softmax loss (nats) of `model` on examples `rows` of `examples`, with negatives
 * drawn from the model's current sampler by a generator seeded with `seed`.
 */
export async function heldOutLoss(
  model: CandidateModel,
  examples: CandidateExamples,
  rows: Int32Array,
  seed: number,
): Promise<number> {
  const cfg = model.config;
  const B = rows.length;
  if (B === 0) return NaN;
  const labels = Int32Array.from(rows, (r) => examples.label[r]);
  const N = model.world.videos.count;
  const full = cfg.sampler === 'full' || model.sampler === null;
  const inBatch = !full && cfg.sampler === 'in-batch';
  let negatives: Int32Array;
  if (full) negatives = Int32Array.from({ length: N }, (_, i) => i);
  else if (inBatch) negatives = labels;
  else {
    const rng = createRng(seed, 0x4e6);
    negatives = model.sampler!.sample(cfg.negatives, rng.uniform, new Int32Array(cfg.negatives));
  }
  const K = negatives.length;
  const mask = new Float32Array(B * K);
  if (cfg.removeAccidentalHits && !full) {
    for (let b = 0; b < B; b++)
      for (let k = 0; k < K; k++)
        if (negatives[k] === labels[b] && !(inBatch && k === b)) mask[b * K + k] = MASKED_LOGIT;
  }
  const correct = cfg.logQ && !full && model.sampler !== null;
  const logQNeg = new Float32Array(K);
  const logQPos = new Float32Array(B);
  if (correct) {
    model.sampler!.logQInto(negatives, logQNeg);
    model.sampler!.logQInto(labels, logQPos);
  }
  const d = model.d;
  const u = model.userVectors(model.inputs(examples, rows));
  const loss = tf.tidy(() => {
    const wNeg = tf.tensor2d(model.videoOut.gather(negatives), [K, d]);
    const bNeg = tf.tensor1d(model.videoBias.gather(negatives));
    const neg = candidateLogits(
      u,
      wNeg,
      bNeg,
      correct ? tf.tensor1d(logQNeg) : null,
      tf.tensor2d(mask, [B, K]),
    );
    let logits: tf.Tensor2D;
    let labelLogit: tf.Tensor1D;
    if (full) {
      logits = neg;
      labelLogit = tf.sum(tf.mul(logits, tf.oneHot(tf.tensor1d(labels, 'int32'), K)), 1);
    } else if (inBatch) {
      logits = neg;
      labelLogit = tf.sum(tf.mul(logits, tf.eye(B)), 1);
    } else {
      const wPos = tf.tensor2d(model.videoOut.gather(labels), [B, d]);
      const bPos = tf.tensor1d(model.videoBias.gather(labels));
      labelLogit = labelLogits(u, wPos, bPos, correct ? tf.tensor1d(logQPos) : null);
      logits = tf.concat([tf.expandDims(labelLogit, 1), neg], 1) as tf.Tensor2D;
    }
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), labelLogit));
  });
  u.dispose();
  const value = (await loss.data())[0];
  loss.dispose();
  return value;
}
