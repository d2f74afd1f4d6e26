/**
 * Slots of the distinct rows of a table that a batch touches, numbered in ascending row order:
 * the numbering a step's merged sparse gradient uses (in place of first-seen order), found once
 * per field when its ids are averaged and shared by spreading the bag gradients and by lazy
 * Adam, which then walks the table in ascending row order (cheaper than random order at both
 * 20 000 and 1 000 000 rows; docs/performance.md#training). Each row's gradient is the same sum
 * in the same order whatever the numbering, so the updates are the same to the bit. An LSD
 * radix sort of the entries' positions by row (11 bits a pass), so its cost is O(entries),
 * independent of the table's size and without a table-sized array; `SparseEmbedding.sortRows`
 * runs the same sort in WebAssembly.
 */

/** Bits of a radix digit, and the histogram's size. */
const DIGIT_BITS = 11;
const RADIX = 1 << DIGIT_BITS;

/** Distinct rows in ascending order and each entry's slot; reuse one per table across steps. */
export class SortedSlots {
  /** The distinct rows in ascending order (the first {@link size} entries count). */
  rows = new Int32Array(1024);
  /** slots[i]: the slot of entry i of the last {@link index}ed list, in [0, size). */
  slots = new Int32Array(1024);
  /** Number of distinct rows of the last {@link index}ed list. */
  size = 0;
  private order = new Int32Array(1024);
  private spare = new Int32Array(1024);
  private readonly count = new Int32Array(RADIX);

  /**
   * Makes room for lists of `n` ids ({@link rows} and {@link slots} hold at least n entries;
   * earlier results are dropped when they grow). For writers other than {@link index} (the
   * WebAssembly sort of `SparseEmbedding.sortRows`), which then set {@link size}.
   */
  reserve(n: number): void {
    if (this.slots.length >= n) return;
    const cap = Math.max(n, 2 * this.slots.length);
    this.rows = new Int32Array(cap);
    this.slots = new Int32Array(cap);
    this.order = new Int32Array(cap);
    this.spare = new Int32Array(cap);
  }

  /**
   * Numbers the distinct rows of `ids` [n] (whole numbers in [0, 2³¹)) in ascending order:
   * afterwards rows[0 … size) are those rows and slots[i] is the slot of ids[i]. Returns this.
   */
  index(ids: ArrayLike<number>): this {
    const n = ids.length;
    this.reserve(n);
    let max = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (!(id >= 0 && id <= 0x7fffffff && id === Math.floor(id)))
        throw new RangeError(`SortedSlots: id ${id} must be a whole number in [0, 2^31)`);
      if (id > max) max = id;
    }
    // Entry positions sorted by row: one counting pass per digit, lowest digit first (stable).
    let src = this.spare;
    let dst = this.order;
    const count = this.count;
    let first = true;
    // At most three passes: ids are below 2³¹ (and `>>>` takes its shift modulo 32).
    for (let shift = 0; first || (shift < 32 && max >>> shift > 0); shift += DIGIT_BITS) {
      count.fill(0);
      for (let i = 0; i < n; i++) count[(ids[first ? i : src[i]] >>> shift) & (RADIX - 1)]++;
      let at = 0;
      for (let r = 0; r < RADIX; r++) {
        const c = count[r];
        count[r] = at;
        at += c;
      }
      for (let i = 0; i < n; i++) {
        const e = first ? i : src[i];
        dst[count[(ids[e] >>> shift) & (RADIX - 1)]++] = e;
      }
      const t = src;
      src = dst;
      dst = t;
      first = false;
    }
    const rows = this.rows;
    const slots = this.slots;
    let size = 0;
    let prev = -1;
    for (let i = 0; i < n; i++) {
      const e = src[i];
      const id = ids[e];
      if (id !== prev) {
        rows[size++] = id;
        prev = id;
      }
      slots[e] = size - 1;
    }
    this.size = size;
    return this;
  }
}
