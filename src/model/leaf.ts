/**
 * A trainable leaf for one step: the batch's gathered embedding rows or bag averages as a tf
 * variable, so `tf.variableGrads` returns their gradient. `tf.variable(t)` copies `t`, which
 * would otherwise stay alive: the copy source is disposed here.
 */
import * as tf from '@tensorflow/tfjs';

/** A variable holding `values` with `shape` ([rows] or [rows × cols]); dispose it after the step. */
export function leafVariable(
  values: Float32Array,
  shape: [number] | [number, number],
): tf.Variable {
  const t = tf.tensor(values, shape);
  const v = tf.variable(t);
  t.dispose();
  return v;
}
