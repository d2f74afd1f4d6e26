import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backend';
import { matMulPlain } from './matmul';

beforeAll(async () => {
  await useBackend('wasm');
});

async function close(a: tf.Tensor, b: tf.Tensor): Promise<void> {
  expect(a.shape).toEqual(b.shape);
  const x = await a.data();
  const y = await b.data();
  for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(y[i], 4);
}

describe('matMulPlain', () => {
  it("gives tf.matMul's product and gradients for every transpose", async () => {
    for (const [ta, tb] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      const a = tf.randomNormal(ta ? [5, 3] : [3, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
      const b = tf.randomNormal(tb ? [4, 5] : [5, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
      const w = tf.randomNormal([3, 4], 0, 1, 'float32', 3);
      const loss = (f: typeof matMulPlain) => (x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(f(x as tf.Tensor2D, y as tf.Tensor2D, ta, tb), w));
      await close(matMulPlain(a, b, ta, tb), tf.matMul(a, b, ta, tb));
      const ours = tf.grads(loss(matMulPlain))([a, b]);
      const theirs = tf.grads(loss(tf.matMul))([a, b]);
      await close(ours[0], theirs[0]);
      await close(ours[1], theirs[1]);
    }
  });
});
