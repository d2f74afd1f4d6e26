/**
 * Dense local slots 0 … n−1 for the distinct rows of one table that a batch touches, in
 * first-seen order: the numbering a step's merged sparse gradient uses. A sparse set (Briggs &
 * Torczon): one Int32Array of the table's size maps a row to its slot, and a slot counts only
 * where the slot list holds that row back, so {@link RowSlots.reset} is O(1) — no clearing, no
 * hashing, no epoch stamps — and a lookup is two array reads. Costs 4 bytes per table row
 * (4 MB at a million videos).
 */

/** Slots of the distinct rows of a table of `rows` rows; reuse across steps with reset(). */
export class RowSlots {
  /** slotOf[row]: the row's slot when list[slotOf[row]] === row and that slot is < size. */
  private readonly slotOf: Int32Array;
  /** The rows in slot order (the first `size` entries count). */
  private list: Int32Array;
  /** Number of distinct rows since the last reset. */
  size = 0;

  /** @param rows the table's number of rows: valid rows are whole numbers in [0, rows). */
  constructor(readonly rows: number) {
    this.slotOf = new Int32Array(rows);
    this.list = new Int32Array(Math.max(1, Math.min(rows, 1024)));
  }

  /** Forgets every row (O(1)). */
  reset(): void {
    this.size = 0;
  }

  /** Slot of `row`, giving it the next one if new. Throws a RangeError for a row outside the table. */
  add(row: number): number {
    const s = this.slotOf[row];
    if (s < this.size && this.list[s] === row) return s;
    if (!(row >= 0 && row < this.rows && row === Math.floor(row)))
      throw new RangeError(`RowSlots: row ${row} is not in [0, ${this.rows})`);
    if (this.size === this.list.length) {
      const grown = new Int32Array(Math.min(this.rows, 2 * this.list.length));
      grown.set(this.list);
      this.list = grown;
    }
    this.list[this.size] = row;
    this.slotOf[row] = this.size;
    return this.size++;
  }

  /** The distinct rows in slot order: a fresh copy [size]. */
  rowsCopy(): Int32Array {
    return this.list.slice(0, this.size);
  }
}
