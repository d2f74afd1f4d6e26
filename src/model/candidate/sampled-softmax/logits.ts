/**
 * The logits of sampled softmax, with the logQ (importance) correction of Yi et al. 2019 and
 * TensorFlow Recommenders: logit_i = u·v_i + b_i − log q_i, where q_i is the probability that
 * the sampler draws item i. Subtracting (never adding: TFRS's first version added it) lowers
 * the logits of items the sampler draws often, so popular items are not over-penalised as
 * negatives. Accidental hits (a negative equal to the row's label) get a logit of −1e9
 * (MASKED_LOGIT, accidental-hits.ts) through the optional mask.
 */
import * as tf from '@tensorflow/tfjs';
import { matMulPlain } from '../../matmul';

/**
 * Logits of users `u` [B × d] against candidates `w` [C × d] with biases `b` [C]:
 * [B × C] = u·wᵀ + b − logQ (when `logQ` [C] is given) + mask (when `mask` [B × C] is given,
 * 0 or MASKED_LOGIT).
 */
export function candidateLogits(
  u: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
  logQ?: tf.Tensor1D | null,
  mask?: tf.Tensor2D | null,
): tf.Tensor2D {
  return tf.tidy(() => {
    let z: tf.Tensor = tf.add(matMulPlain(u, w, false, true), b);
    if (logQ) z = tf.sub(z, logQ);
    if (mask) z = tf.add(z, mask);
    return z as tf.Tensor2D;
  });
}

/** Label logits when each row has its own candidate: [B] = Σ_k u_bk·w_bk + b_b − logQ_b. */
export function labelLogits(
  u: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
  logQ?: tf.Tensor1D | null,
): tf.Tensor1D {
  return tf.tidy(() => {
    let z: tf.Tensor = tf.add(tf.sum(tf.mul(u, w), 1), b);
    if (logQ) z = tf.sub(z, logQ);
    return z as tf.Tensor1D;
  });
}
