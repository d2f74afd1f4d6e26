type Typed = Int32Array | Float32Array | Uint8Array;

/**
 * An append-only typed array that doubles its capacity when full; `finish()` returns a
 * tight copy. Lets the generator write columnar logs whose length is known only at the end.
 */
export class Growable<T extends Typed> {
  private buf: T;
  /** Number of elements written. */
  length = 0;
  constructor(
    private readonly ctor: new (length: number) => T,
    capacity: number,
  ) {
    this.buf = new ctor(Math.max(16, Math.ceil(capacity)));
  }
  /** Appends one value. */
  push(x: number): void {
    if (this.length === this.buf.length) {
      const next = new this.ctor(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = x;
  }
  /** The value at index i < length. */
  get(i: number): number {
    return this.buf[i];
  }
  /** The written values as a typed array of exactly `length` elements. */
  finish(): T {
    return (this.length === this.buf.length ? this.buf : this.buf.slice(0, this.length)) as T;
  }
}
