/**
 * Matrix products whose forward pass and gradients never ask tfjs for a transposed operand.
 *
 * tfjs-wasm multiplies fast (XNNPACK) only when neither input is transposed; `matMul(a, b,
 * false, true)` and the gradients of every `matMul` (dA = dy·Bᵀ, dB = Aᵀ·dy) fall back to a
 * scalar loop: [256 × 32]·[257 × 32]ᵀ took 14.8 ms against 0.7 ms for an explicit
 * `transpose` then a plain product (docs/performance.md#training). Here every transpose is a
 * `tf.transpose` (a copy of the smaller operand, cheap at these shapes) and every product plain.
 * The results are the same products, summed in a possibly different order (last bits).
 */
import * as tf from '@tensorflow/tfjs';

type Product = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

const t = (x: tf.Tensor2D, yes: boolean): tf.Tensor2D => (yes ? tf.transpose(x) : x);

/** C = op(a)·op(b) with op = transpose where asked; gradients by plain products. */
function product(transposeA: boolean, transposeB: boolean): Product {
  return tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const a = args[0] as tf.Tensor2D;
    const b = args[1] as tf.Tensor2D;
    (args[2] as tf.GradSaveFunc)([a, b]);
    return {
      value: tf.matMul(t(a, transposeA), t(b, transposeB)),
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [sa, sb] = saved as tf.Tensor2D[];
        // With A = op(a), B = op(b): dA = dy·Bᵀ, dB = Aᵀ·dy; then back through op.
        const dA = tf.matMul(dy, t(sb, !transposeB)) as tf.Tensor2D;
        const dB = tf.matMul(t(sa, !transposeA), dy) as tf.Tensor2D;
        return [t(dA, transposeA), t(dB, transposeB)];
      },
    };
  }) as Parameters<typeof tf.customGrad<tf.Tensor2D>>[0]) as Product;
}

const PRODUCTS: Product[] = [
  product(false, false),
  product(false, true),
  product(true, false),
  product(true, true),
];

/**
 * a·b [M × N] for a [M × K] (or [K × M] with transposeA) and b [K × N] (or [N × K] with
 * transposeB), differentiable with respect to both, through plain products only.
 */
export function matMulPlain(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  transposeA = false,
  transposeB = false,
): tf.Tensor2D {
  return PRODUCTS[(transposeA ? 2 : 0) + (transposeB ? 1 : 0)](a, b);
}
