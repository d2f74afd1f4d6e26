/**
 * An embedding table kept in a plain Float32Array and updated sparsely: a training step reads
 * the rows its batch touches, tfjs computes the gradient with respect to those rows only, and
 * `applyGradients` updates just them with lazy Adam (the moments of untouched rows are left
 * as they are, as TensorFlow's LazyAdam does). A step's cost is therefore
 * O(rows touched × dim), never O(table size × dim): the corpus can grow to a million videos
 * without slowing the step (docs/model.md#sparse-embedding-updates).
 *
 * It also side-steps two tfjs pitfalls (docs/tfjs-notes.md#gather-gradient): the WASM backend has
 * no gradient for `tf.gather`, and dense updates of a [1M × d] variable would copy it every step.
 */
import type { UniformSource } from '../sim/alias';

/** Lazy-Adam hyperparameters. */
export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * Defaults: Adam's usual betas, ε = 1e-7 (see docs/tfjs-notes.md#adam-epsilon: never the WebGL
 * 1e-4).
 */
export const defaultAdam: AdamSettings = {
  learningRate: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
};

/** A [rows × dim] table with lazy-Adam sparse updates. */
export class SparseEmbedding {
  /** Row-major weights [rows × dim]. */
  readonly weights: Float32Array;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  /** Number of updates applied (the Adam step t for bias correction). */
  step = 0;
  /**
   * Rows held fixed (1 = frozen), e.g. out-of-vocabulary ids (docs/model.md#vocabulary), or
   * null. {@link applyGradients} skips them, so they keep the value {@link freezeRows} gave.
   */
  private frozen: Uint8Array | null = null;

  /**
   * @param rows number of ids
   * @param dim embedding width
   * @param rng seeded uniform source for the initial weights, uniform in ±scale
   * @param scale initial half-width (default 0.5/√dim)
   */
  constructor(
    readonly rows: number,
    readonly dim: number,
    rng: UniformSource,
    scale = 0.5 / Math.sqrt(dim),
  ) {
    this.weights = new Float32Array(rows * dim);
    for (let i = 0; i < this.weights.length; i++) this.weights[i] = (2 * rng() - 1) * scale;
    this.m = new Float32Array(rows * dim);
    this.v = new Float32Array(rows * dim);
  }

  /**
   * Lazy Adam's state: copies of the first and second moments [rows × dim] and the step t
   * (what an exact resume needs besides the weights; docs/run-files.md#exact-resume).
   */
  exportState(): { m: Float32Array; v: Float32Array; step: number } {
    return { m: this.m.slice(), v: this.v.slice(), step: this.step };
  }

  /**
   * Takes back a state of {@link exportState} (copied). Throws a RangeError naming the
   * moment of the wrong size, or a bad step, before changing anything.
   */
  importState(state: { m: Float32Array; v: Float32Array; step: number }): void {
    for (const key of ['m', 'v'] as const)
      if (state[key].length !== this.m.length)
        throw new RangeError(
          `Adam moment ${key} has ${state[key].length} values, the table ${this.m.length}`,
        );
    if (!(Number.isInteger(state.step) && state.step >= 0))
      throw new RangeError(`Adam step must be a whole number ≥ 0, got ${state.step}`);
    this.m.set(state.m);
    this.v.set(state.v);
    this.step = state.step;
  }

  /**
   * Sets every row with `mask[row]` = 1 to `value` in every column and freezes it (its Adam
   * moments stay 0). Call after construction: the initial weights are drawn for every row
   * first, so the other rows are the same as without a mask. `mask` has one entry per row.
   */
  freezeRows(mask: Uint8Array, value = 0): void {
    if (mask.length !== this.rows)
      throw new RangeError(`mask has ${mask.length} entries, the table ${this.rows} rows`);
    const d = this.dim;
    for (let r = 0; r < this.rows; r++) if (mask[r]) this.weights.fill(value, r * d, r * d + d);
    this.frozen = mask;
  }

  /** Whether row `id` is frozen by {@link freezeRows}. */
  isFrozen(id: number): boolean {
    return this.frozen !== null && this.frozen[id] === 1;
  }

  /** Copies rows `ids` into `out` [ids.length × dim] (allocated if absent) and returns it. */
  gather(ids: ArrayLike<number>, out = new Float32Array(ids.length * this.dim)): Float32Array {
    const d = this.dim;
    for (let i = 0; i < ids.length; i++)
      out.set(this.weights.subarray(ids[i] * d, ids[i] * d + d), i * d);
    return out;
  }

  /**
   * One lazy-Adam step on rows `ids` (must be distinct) with gradients `grads`
   * [ids.length × dim]. Increments `step` once. Frozen rows ({@link freezeRows}) are skipped.
   */
  applyGradients(ids: ArrayLike<number>, grads: Float32Array, adam: AdamSettings): void {
    this.step++;
    const { learningRate, beta1, beta2, epsilon } = adam;
    const c1 = 1 - Math.pow(beta1, this.step);
    const c2 = 1 - Math.pow(beta2, this.step);
    const lr = (learningRate * Math.sqrt(c2)) / c1;
    const d = this.dim;
    const frozen = this.frozen;
    for (let i = 0; i < ids.length; i++) {
      if (frozen && frozen[ids[i]]) continue;
      const base = ids[i] * d;
      for (let k = 0; k < d; k++) {
        const g = grads[i * d + k];
        const j = base + k;
        const m = (this.m[j] = beta1 * this.m[j] + (1 - beta1) * g);
        const v = (this.v[j] = beta2 * this.v[j] + (1 - beta2) * g * g);
        this.weights[j] -= (lr * m) / (Math.sqrt(v) + epsilon);
      }
    }
  }
}

/**
 * Maps global ids to dense local indices 0 … n−1 in first-seen order, so a batch can gather
 * each touched row once and add up the gradients of repeated ids. Reusable across batches
 * (`reset`) without clearing an array of the table's size.
 */
export class LocalIndex {
  /** Global ids in local order. */
  ids: number[] = [];
  private readonly map = new Map<number, number>();
  /** Local index of `id`, adding it if new. */
  add(id: number): number {
    let i = this.map.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.map.set(id, i);
    }
    return i;
  }
  /** Forgets every id. */
  reset(): void {
    this.ids.length = 0;
    this.map.clear();
  }
  get size(): number {
    return this.ids.length;
  }
}
