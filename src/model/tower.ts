/**
 * A ReLU tower of dense layers, as both of the paper's models use: hidden layers with ReLU,
 * then a linear output layer. Weights are tf variables (trained by the owner's Adam); the
 * initial values come from the owner's seeded uniform source, so a seed fixes the run.
 */
import * as tf from '@tensorflow/tfjs';
import { matMulPlain } from './matmul';
import type { UniformSource } from '../sim/alias';

/** How the output layer is initialised. */
export interface TowerOptions {
  /** 'he': uniform ±√(6/fanIn) like the hidden layers; 'glorot': ±√(6/(fanIn + width)). */
  outputInit: 'he' | 'glorot';
  /** Initial bias of the output layer (e.g. the training log-odds); default 0. */
  outputBias?: number;
}

/** Dense layers [fanIn → widths[0] → … → widths[last]]; ReLU on all but the last. */
export class DenseTower {
  readonly layers: { w: tf.Variable; b: tf.Variable }[] = [];

  /** @param widths layer widths, input side first; the last is the output width (≥ 1 layer). */
  constructor(
    fanIn: number,
    widths: readonly number[],
    uniform: UniformSource,
    options: TowerOptions,
  ) {
    tf.tidy(() => {
      widths.forEach((w, i) => {
        const last = i === widths.length - 1;
        const limit =
          last && options.outputInit === 'glorot'
            ? Math.sqrt(6 / (fanIn + w))
            : Math.sqrt(6 / fanIn);
        const init = Float32Array.from({ length: fanIn * w }, () => (2 * uniform() - 1) * limit);
        this.layers.push({
          w: tf.variable(tf.tensor2d(init, [fanIn, w])),
          b: tf.variable(last ? tf.fill([w], options.outputBias ?? 0) : tf.zeros([w])),
        });
        fanIn = w;
      });
    });
  }

  /** The tower applied to x [batch × fanIn] → [batch × output width]. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    this.layers.forEach(({ w, b }, i) => {
      // Plain products forward and backward (matmul.ts): tfjs-wasm's fast path.
      x = tf.add(matMulPlain(x, w as tf.Tensor2D), b) as tf.Tensor2D;
      if (i < this.layers.length - 1) x = tf.relu(x);
    });
    return x;
  }

  /** Every weight and bias, for `tf.variableGrads`. */
  get variables(): tf.Variable[] {
    return this.layers.flatMap((l) => [l.w, l.b]);
  }

  /** Frees the variables. */
  dispose(): void {
    for (const l of this.layers) tf.dispose([l.w, l.b]);
  }
}
