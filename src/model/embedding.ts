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
import { WasmTable, type AdamStep } from './wasm/sparse-table';
import type { SortedSlots } from './sorted-slots';

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
  /**
   * Lazy Adam's moments, interleaved per row [rows × 2·dim]: row r's first moments m at
   * r·2·dim … r·2·dim + dim − 1, then its second moments v. One row's update reads one
   * contiguous 2·dim block instead of two blocks far apart (docs/performance.md#training).
   */
  private readonly moments: Float32Array;
  /** Number of updates applied (the Adam step t for bias correction). */
  step = 0;
  /**
   * The sum of the values {@link gather} last read ahead: meaningless, kept (public, so the
   * compiler sees it used) only so that the engine cannot drop those reads.
   */
  touched = 0;
  /**
   * Rows held fixed (1 = frozen), e.g. out-of-vocabulary ids (docs/model.md#vocabulary), or
   * null. {@link applyGradients} skips them, so they keep the value {@link freezeRows} gave.
   */
  private frozen: Uint8Array | null = null;
  /**
   * The storage in WebAssembly with its SIMD kernels (`wasm/sparse-table.ts`), or null: plain
   * arrays and the JavaScript loops, which give the same numbers to the bit.
   */
  private readonly wasm: WasmTable | null;

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
    this.wasm = WasmTable.create(rows, dim);
    this.weights = this.wasm ? this.wasm.weights : new Float32Array(rows * dim);
    for (let i = 0; i < this.weights.length; i++) this.weights[i] = (2 * rng() - 1) * scale;
    // Written now, so the pages are mapped before training: a fresh buffer's pages are only
    // mapped on first write, and at a million rows those faults were half of a step's time
    // (docs/performance.md#training). PyTorch's SparseAdam also zero-fills its state at once.
    this.moments = (this.wasm ? this.wasm.moments : new Float32Array(rows * 2 * dim)).fill(0);
  }

  /**
   * Lazy Adam's state: copies of the first and second moments [rows × dim] and the step t
   * (what an exact resume needs besides the weights; docs/run-files.md#exact-resume).
   */
  exportState(): { m: Float32Array; v: Float32Array; step: number } {
    const d = this.dim;
    const m = new Float32Array(this.rows * d);
    const v = new Float32Array(this.rows * d);
    for (let r = 0; r < this.rows; r++) {
      m.set(this.moments.subarray(2 * r * d, 2 * r * d + d), r * d);
      v.set(this.moments.subarray(2 * r * d + d, 2 * r * d + 2 * d), r * d);
    }
    return { m, v, step: this.step };
  }

  /**
   * Takes back a state of {@link exportState} (copied). Throws a RangeError naming the
   * moment of the wrong size, or a bad step, before changing anything.
   */
  importState(state: { m: Float32Array; v: Float32Array; step: number }): void {
    const d = this.dim;
    const size = this.rows * d;
    for (const key of ['m', 'v'] as const)
      if (state[key].length !== size)
        throw new RangeError(
          `Adam moment ${key} has ${state[key].length} values, the table ${size}`,
        );
    if (!(Number.isInteger(state.step) && state.step >= 0))
      throw new RangeError(`Adam step must be a whole number ≥ 0, got ${state.step}`);
    for (let r = 0; r < this.rows; r++) {
      this.moments.set(state.m.subarray(r * d, r * d + d), 2 * r * d);
      this.moments.set(state.v.subarray(r * d, r * d + d), 2 * r * d + d);
    }
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

  /**
   * The average of each bag's rows, [bags × dim] (bag b: rows ids[offsets[b] … offsets[b + 1]),
   * all zeros when empty): the float32 sum in id order, then divided by the count. `offsets`
   * [bags + 1] starts at 0 and never decreases; ids are rows of this table.
   */
  bagMean(ids: Int32Array, offsets: Int32Array): Float32Array {
    const B = offsets.length - 1;
    const d = this.dim;
    const mean = new Float32Array(B * d);
    if (this.wasm?.bagMean(ids, offsets, mean)) return mean;
    for (let b = 0; b < B; b++) this.averageInto(mean, b * d, ids, offsets[b], offsets[b + 1]);
    return mean;
  }

  /**
   * Numbers the distinct rows of `ids` in ascending order into `sorted` (as
   * `SortedSlots.index`; in WebAssembly where it runs). Returns `sorted`.
   */
  sortRows(ids: Int32Array, sorted: SortedSlots): SortedSlots {
    sorted.reserve(ids.length);
    const size = this.wasm ? this.wasm.sortSlots(ids, sorted.rows, sorted.slots) : -1;
    if (size < 0) return sorted.index(ids);
    sorted.size = size;
    return sorted;
  }

  /**
   * Writes the average of rows ids[from … to) into out[o … o + dim), which must hold zeros (and
   * is left so when the bag is empty): summed in id order into the float32 row, then divided by
   * the count — the one order every bag average uses ({@link bagMean} too), so equal bags get
   * equal averages to the bit, wherever they are written.
   */
  averageInto(
    out: Float32Array,
    o: number,
    ids: ArrayLike<number>,
    from: number,
    to: number,
  ): void {
    const n = to - from;
    if (n === 0) return;
    const d = this.dim;
    const w = this.weights;
    for (let i = from; i < to; i++) {
      const base = ids[i] * d;
      for (let k = 0; k < d; k++) out[o + k] += w[base + k];
    }
    for (let k = 0; k < d; k++) out[o + k] /= n;
  }

  /**
   * The gradient of bag averages spread over the rows they read: bag b's rows are local rows
   * slots[offsets[b] … offsets[b + 1]) (local row j standing for one distinct table row), and
   * each gets gMean[b] / |bag b| (float64, added into its float32 gradient), bag by bag. Returns
   * the gradients [rows × dim] of the `rows` local rows.
   */
  spreadBagGradients(
    slots: Int32Array,
    offsets: Int32Array,
    gMean: Float32Array,
    rows: number,
  ): Float32Array {
    const fast = this.wasm?.spreadBags(slots, offsets, gMean, rows);
    if (fast) return fast;
    const d = this.dim;
    const B = offsets.length - 1;
    const grads = new Float32Array(rows * d);
    // gMean[b] / |bag b| once per bag, kept in float64 as the quotient was when computed per id.
    const share = new Float64Array(d);
    for (let b = 0; b < B; b++) {
      const n = offsets[b + 1] - offsets[b];
      if (n === 0) continue;
      for (let k = 0; k < d; k++) share[k] = gMean[b * d + k] / n;
      for (let i = offsets[b]; i < offsets[b + 1]; i++) {
        const base = slots[i] * d;
        for (let k = 0; k < d; k++) grads[base + k] += share[k];
      }
    }
    return grads;
  }

  /** Copies rows `ids` into `out` [ids.length × dim] (allocated if absent) and returns it. */
  gather(
    ids: ArrayLike<number>,
    out: Float32Array = new Float32Array(ids.length * this.dim),
  ): Float32Array {
    const d = this.dim;
    const w = this.weights;
    const n = ids.length;
    let touched = 0;
    for (let i = 0; i < n; i++) {
      // Every 8 rows, one value of each of the next 8 (as the WebAssembly averages do): in a
      // large table their cache misses then overlap instead of coming one row at a time.
      if ((i & 7) === 0)
        for (let j = i + 8, end = Math.min(i + 16, n); j < end; j++) touched += w[ids[j] * d];
      const from = ids[i] * d;
      const to = i * d;
      for (let k = 0; k < d; k++) out[to + k] = w[from + k];
    }
    this.touched = touched;
    return out;
  }

  /**
   * {@link spreadBagGradients} then {@link applyGradients}: one lazy-Adam step on the distinct
   * rows `ids` [rows] (local row j is table row ids[j]) with the gradient of the bag averages
   * `gMean` spread over them (bag b's local rows slots[offsets[b] … offsets[b + 1])). Where
   * WebAssembly runs (and no row is frozen) the gradients stay in its scratch between the two
   * kernels instead of being copied out and back; the same numbers either way.
   */
  applyBagGradients(
    ids: Int32Array,
    slots: Int32Array,
    offsets: Int32Array,
    gMean: Float32Array,
    adam: AdamSettings,
  ): void {
    if (!this.frozen && this.wasm) {
      const step = this.step;
      if (this.wasm.spreadAdam(slots, offsets, gMean, ids, this.nextAdamStep(adam))) return;
      this.step = step;
    }
    this.applyGradients(ids, this.spreadBagGradients(slots, offsets, gMean, ids.length), adam);
  }

  /** Advances the Adam step t and returns the step's constants (bias-corrected rate and betas). */
  private nextAdamStep(adam: AdamSettings): AdamStep {
    this.step++;
    const { learningRate, beta1, beta2, epsilon } = adam;
    const c1 = 1 - Math.pow(beta1, this.step);
    const c2 = 1 - Math.pow(beta2, this.step);
    const lr = (learningRate * Math.sqrt(c2)) / c1;
    return { lr, beta1, beta2, a1: 1 - beta1, a2: 1 - beta2, epsilon };
  }

  /**
   * One lazy-Adam step on rows `ids` (must be distinct) with gradients `grads`
   * [ids.length × dim]. Increments `step` once. Frozen rows ({@link freezeRows}) are skipped.
   */
  applyGradients(ids: ArrayLike<number>, grads: Float32Array, adam: AdamSettings): void {
    const { lr, beta1, beta2, a1, a2, epsilon } = this.nextAdamStep(adam);
    const d = this.dim;
    const frozen = this.frozen;
    const w = this.weights;
    const mv = this.moments;
    // The same arithmetic in WebAssembly SIMD where it runs (frozen rows only in JavaScript).
    if (!frozen && this.wasm?.adam(ids, grads, { lr, beta1, beta2, a1, a2, epsilon })) return;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (frozen && frozen[id]) continue;
      const base = id * d;
      const mb = 2 * base;
      const gb = i * d;
      for (let k = 0; k < d; k++) {
        const g = grads[gb + k];
        // m and v stay the float64 values computed here (not their float32 copies), as before.
        const m = (mv[mb + k] = beta1 * mv[mb + k] + a1 * g);
        const v = (mv[mb + d + k] = beta2 * mv[mb + d + k] + a2 * g * g);
        w[base + k] -= (lr * m) / (Math.sqrt(v) + epsilon);
      }
    }
  }
}

/**
 * Maps global ids to dense local indices 0 … n−1 in first-seen order, so a batch can gather
 * each touched row once and add up the gradients of repeated ids. Reusable across batches
 * (`reset`) without clearing an array of the table's size: an open-addressing hash table
 * (Int32Array keys and slots, linear probing, at most half full) sized to the ids of one batch,
 * which stays in cache where a `Map` or a table-sized array would not
 * (docs/performance.md#training). Ids are whole numbers in [0, 2³¹).
 */
export class LocalIndex {
  /** Global ids in local order (a fresh array after each {@link reset}). */
  ids: number[] = [];
  /** Hash table of ids, −1 where empty; its length is a power of two. */
  private keys = new Int32Array(1024).fill(-1);
  /** Local index of the id in the same position of `keys`. */
  private slots = new Int32Array(1024);
  /** 32 − log2(keys.length): the shift taking a 32-bit hash to a position. */
  private shift = 22;

  /** Local index of `id`, adding it if new. Throws a RangeError for an id outside [0, 2³¹). */
  add(id: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    let h = Math.imul(id, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = keys[h];
      if (k === -1) break;
      if (k === id) return this.slots[h];
      h = (h + 1) & mask;
    }
    if (!(id >= 0 && id <= 0x7fffffff && id === Math.floor(id)))
      throw new RangeError(`LocalIndex: id ${id} must be a whole number in [0, 2^31)`);
    const i = this.ids.length;
    this.ids.push(id);
    keys[h] = id;
    this.slots[h] = i;
    if (2 * this.ids.length > keys.length) this.grow();
    return i;
  }

  /** Doubles the hash table and re-inserts every id. */
  private grow(): void {
    const size = this.keys.length * 2;
    this.keys = new Int32Array(size).fill(-1);
    this.slots = new Int32Array(size);
    this.shift--;
    const mask = size - 1;
    this.ids.forEach((id, i) => {
      let h = Math.imul(id, 0x9e3779b1) >>> this.shift;
      while (this.keys[h] !== -1) h = (h + 1) & mask;
      this.keys[h] = id;
      this.slots[h] = i;
    });
  }

  /** Forgets every id (arrays returned by `ids` before stay as they were). */
  reset(): void {
    if (this.ids.length) this.keys.fill(-1);
    this.ids = [];
  }

  get size(): number {
    return this.ids.length;
  }
}
