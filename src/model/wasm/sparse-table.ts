/**
 * A sparse embedding table's storage in WebAssembly memory, with its two hot loops in
 * WebAssembly SIMD (sparse-table.wat): lazy Adam over the touched rows and the average of each
 * bag's rows. The arithmetic is the JavaScript's operation for operation (float64 for Adam,
 * float32 sums and quotients for the averages), so a table gives the same weights to the last
 * bit with or without it (tested against `embedding.ts`'s JavaScript). Used by
 * `SparseEmbedding` where WebAssembly SIMD runs and the width is a multiple of 4.
 */
import { lazyModule } from './compile';
import { WASM_BASE64 } from './sparse-table-wasm';

/** The module's exports. */
interface TableExports {
  adam: (
    ids: number,
    n: number,
    grads: number,
    d: number,
    w: number,
    mv: number,
    lr: number,
    b1: number,
    b2: number,
    a1: number,
    a2: number,
    eps: number,
  ) => number;
  bagMean: (
    ids: number,
    offsets: number,
    bags: number,
    d: number,
    w: number,
    out: number,
  ) => number;
  spreadBags: (
    slots: number,
    offsets: number,
    bags: number,
    d: number,
    gMean: number,
    out: number,
    shares: number,
  ) => void;
  sortSlots: (
    ids: number,
    n: number,
    rows: number,
    db: number,
    passes: number,
    count: number,
    order: number,
    spare: number,
    sorted: number,
    slots: number,
  ) => number;
}

/** One lazy-Adam step's constants, as `SparseEmbedding.applyGradients` derives them. */
export interface AdamStep {
  /** Bias-corrected learning rate lr·√(1 − β2ᵗ)/(1 − β1ᵗ). */
  lr: number;
  beta1: number;
  beta2: number;
  /** 1 − β1. */
  a1: number;
  /** 1 − β2. */
  a2: number;
  epsilon: number;
}

/** The compiled module, or null where WebAssembly or its SIMD is missing. */
const tableModule = lazyModule(WASM_BASE64);

/** Whether tables may use WebAssembly here (tests switch it off to compare with JavaScript). */
let enabled = true;

/** Lets tables built from now on use WebAssembly (true, the default) or not (false). */
export function setWasmTables(on: boolean): void {
  enabled = on;
}

const PAGE = 65536;
/** The sort's widest radix digit, and its histogram's size. */
const MAX_DIGIT_BITS = 11;
const RADIX = 1 << MAX_DIGIT_BITS;

/**
 * Weights [rows × dim] and interleaved moments [rows × 2·dim] (float32) in a WebAssembly memory
 * of their own, which never grows (so the views stay valid), followed by scratch for one call's
 * ids, offsets and rows. Build with {@link WasmTable.create}.
 */
export class WasmTable {
  /** Row-major weights [rows × dim], a view of the instance's memory. */
  readonly weights: Float32Array;
  /** Interleaved moments [rows × 2·dim] (row r: m then v), a view of the instance's memory. */
  readonly moments: Float32Array;
  private readonly exports: TableExports;
  private readonly idsAt: number;
  private readonly offsetsAt: number;
  private readonly rowsAt: number;
  private readonly bagRowsAt: number;
  private readonly sharesAt: number;
  private readonly countAt: number;
  private readonly orderAt: number;
  private readonly spareAt: number;
  private readonly sortedAt: number;
  private readonly slotsAt: number;
  /** Bits of a radix digit and passes of the sort, for ids in [0, rows). */
  private readonly digitBits: number;
  private readonly passes: number;
  private readonly scratchIds: Int32Array;
  private readonly scratchOffsets: Int32Array;
  private readonly scratchRows: Float32Array;
  private readonly scratchBagRows: Float32Array;

  private constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    readonly rows: number,
    readonly dim: number,
    /** Most ids (and bags) one call takes. */
    readonly capIds: number,
    /** Most rows of gradients or averages one call takes. */
    readonly capRows: number,
  ) {
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    this.exports = instance.exports as unknown as TableExports;
    const buffer = memory.buffer;
    const size = rows * dim;
    this.weights = new Float32Array(buffer, 0, size);
    this.moments = new Float32Array(buffer, size * 4, 2 * size);
    this.idsAt = size * 12;
    this.offsetsAt = this.idsAt + capIds * 4;
    this.rowsAt = this.offsetsAt + (capIds + 1) * 4;
    this.bagRowsAt = this.rowsAt + capRows * dim * 4;
    this.sharesAt = (this.bagRowsAt + capRows * dim * 4 + 7) & ~7;
    this.countAt = this.sharesAt + dim * 8;
    this.orderAt = this.countAt + RADIX * 4;
    this.spareAt = this.orderAt + capIds * 4;
    this.sortedAt = this.spareAt + capIds * 4;
    this.slotsAt = this.sortedAt + capIds * 4;
    const bits = Math.max(1, Math.ceil(Math.log2(rows)));
    this.passes = Math.ceil(bits / MAX_DIGIT_BITS);
    this.digitBits = Math.ceil(bits / this.passes);
    this.scratchIds = new Int32Array(buffer, this.idsAt, capIds);
    this.scratchOffsets = new Int32Array(buffer, this.offsetsAt, capIds + 1);
    this.scratchRows = new Float32Array(buffer, this.rowsAt, capRows * dim);
    this.scratchBagRows = new Float32Array(buffer, this.bagRowsAt, capRows * dim);
  }

  /**
   * The table's storage in WebAssembly, or null where it cannot be: WebAssembly SIMD missing,
   * switched off ({@link setWasmTables}), `dim` not a positive multiple of 4, or a memory over
   * 4 GiB or refused by the engine.
   */
  static create(rows: number, dim: number): WasmTable | null {
    if (!enabled || !(dim >= 4 && dim % 4 === 0 && rows >= 1)) return null;
    const module = tableModule();
    if (!module) return null;
    const capIds = 1 << 16;
    const capRows = Math.max(4096, Math.min(rows, 1 << 16));
    // Weights and moments; ids and offsets; two blocks of rows; one float64 row (8-aligned); the
    // sort's histogram, its two orders, the sorted rows and the slots.
    const bytes =
      rows * dim * 12 +
      (2 * capIds + 1) * 4 +
      2 * capRows * dim * 4 +
      dim * 8 +
      8 +
      RADIX * 4 +
      4 * capIds * 4;
    const pages = Math.ceil(bytes / PAGE);
    if (pages > 65536) return null;
    try {
      const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
      return new WasmTable(module, memory, rows, dim, capIds, capRows);
    } catch {
      return null;
    }
  }

  /**
   * Lazy Adam on rows `ids` [n] (distinct) with gradients `grads` [n × dim]; false (nothing
   * done) when n is over the scratch's capacity.
   */
  adam(ids: ArrayLike<number>, grads: Float32Array, s: AdamStep): boolean {
    const n = ids.length;
    if (n > this.capIds || n > this.capRows) return false;
    this.scratchIds.set(ids);
    this.scratchRows.set(grads.subarray(0, n * this.dim));
    this.runAdam(n, s);
    return true;
  }

  /** Lazy Adam on the n rows in the ids scratch with the gradients in the rows scratch. */
  private runAdam(n: number, s: AdamStep): void {
    const d = this.dim;
    this.exports.adam(
      this.idsAt,
      n,
      this.rowsAt,
      d,
      0,
      this.rows * d * 4,
      s.lr,
      s.beta1,
      s.beta2,
      s.a1,
      s.a2,
      s.epsilon,
    );
  }

  /**
   * The average of each bag's rows into `out` [bags × dim] (bag b: ids[offsets[b] …
   * offsets[b + 1]), 0 when empty); false (nothing done) when the ids or bags are over the
   * scratch's capacity. `offsets` [bags + 1] starts at 0 and never decreases.
   */
  bagMean(ids: Int32Array, offsets: Int32Array, out: Float32Array): boolean {
    const bags = offsets.length - 1;
    if (ids.length > this.capIds || bags > this.capIds || bags > this.capRows) return false;
    const d = this.dim;
    this.scratchIds.set(ids);
    this.scratchOffsets.set(offsets);
    this.exports.bagMean(this.idsAt, this.offsetsAt, bags, d, 0, this.rowsAt);
    out.set(this.scratchRows.subarray(0, bags * d));
    return true;
  }

  /**
   * Numbers the distinct rows of `ids` [n] in ascending order (an LSD radix sort in
   * WebAssembly): writes them to sorted[0 … size), each id's slot to slots[0 … n), and returns
   * size; −1 (nothing written) when an id is not a row of the table or n is over the scratch's
   * capacity. `sorted` and `slots` hold at least n entries.
   */
  sortSlots(ids: ArrayLike<number>, sorted: Int32Array, slots: Int32Array): number {
    const n = ids.length;
    if (n > this.capIds) return -1;
    this.scratchIds.set(ids);
    return this.sortScratch(n, sorted, slots);
  }

  /** {@link sortSlots} of the n ids already in the ids scratch. */
  private sortScratch(n: number, sorted: Int32Array, slots: Int32Array): number {
    const size = this.exports.sortSlots(
      this.idsAt,
      n,
      this.rows,
      this.digitBits,
      this.passes,
      this.countAt,
      this.orderAt,
      this.spareAt,
      this.sortedAt,
      this.slotsAt,
    );
    if (size < 0) return -1;
    const buffer = this.weights.buffer;
    sorted.set(new Int32Array(buffer, this.sortedAt, size));
    slots.set(new Int32Array(buffer, this.slotsAt, n));
    return size;
  }

  /**
   * The gradient of each bag's average spread over its rows: for bag b (rows slots[offsets[b] …
   * offsets[b + 1]) of `rows` local rows), gMean[b] / |bag| in float64 added to each of its
   * rows' float32 gradients, bag by bag. Returns the gradients [rows × dim], or null (nothing
   * done) when the slots, bags or rows are over the scratch's capacity.
   */
  spreadBags(
    slots: Int32Array,
    offsets: Int32Array,
    gMean: Float32Array,
    rows: number,
  ): Float32Array | null {
    if (!this.spreadInScratch(slots, offsets, gMean, rows)) return null;
    return this.scratchRows.slice(0, rows * this.dim);
  }

  /**
   * {@link spreadBags} and then {@link adam} on its gradients, which stay in the scratch (no copy
   * out and back in): lazy Adam on rows `ids` [rows] (distinct; local row j is table row ids[j])
   * with the spread gradients. The same numbers as the two calls. False (nothing done) when over
   * the scratch's capacity.
   */
  spreadAdam(
    slots: Int32Array,
    offsets: Int32Array,
    gMean: Float32Array,
    ids: Int32Array,
    s: AdamStep,
  ): boolean {
    const n = ids.length;
    if (n > this.capIds || !this.spreadInScratch(slots, offsets, gMean, n)) return false;
    this.scratchIds.set(ids);
    this.runAdam(n, s);
    return true;
  }

  /** Spreads the bag gradients into the rows scratch (see {@link spreadBags}); false when over capacity. */
  private spreadInScratch(
    slots: Int32Array,
    offsets: Int32Array,
    gMean: Float32Array,
    rows: number,
  ): boolean {
    const bags = offsets.length - 1;
    const d = this.dim;
    if (slots.length > this.capIds || bags > this.capIds || bags > this.capRows) return false;
    if (rows > this.capRows) return false;
    this.scratchIds.set(slots);
    this.scratchOffsets.set(offsets);
    this.scratchBagRows.set(gMean.subarray(0, bags * d));
    this.scratchRows.fill(0, 0, rows * d);
    this.exports.spreadBags(
      this.idsAt,
      this.offsetsAt,
      bags,
      d,
      this.bagRowsAt,
      this.rowsAt,
      this.sharesAt,
    );
    return true;
  }
}
