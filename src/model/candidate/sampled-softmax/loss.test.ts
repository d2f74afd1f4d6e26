import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../backend';
import { logSumExpRows } from './loss';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('logSumExpRows', () => {
  it("equals tfjs's logSumExp and its gradient, including a masked column and large logits", async () => {
    const z = tf.tensor2d(
      [
        [0.5, -1, 2, 3.25, -1e9],
        [40, 41, -3, 0, 2],
        [-2, -2, -2, -2, -2],
      ],
      [3, 5],
    );
    const dy = tf.tensor1d([0.3, -1.2, 2]);
    const ours = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(logSumExpRows(x as tf.Tensor2D), dy)));
    const theirs = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.logSumExp(x, 1), dy)));
    expect(Array.from(await logSumExpRows(z).data())).toEqual(
      Array.from(await tf.logSumExp(z, 1).data()),
    );
    const a = await ours(z).data();
    const b = await theirs(z).data();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 6);
    // Rows of the gradient sum to dy (softmax rows sum to 1); the masked column gets 0.
    expect(a[4]).toBe(0);
    expect(a[5] + a[6] + a[7] + a[8] + a[9]).toBeCloseTo(-1.2, 5);
  });
});
