/**
 * Top-N selection shared by the exact scan and the approximate index: a bounded min-heap
 * keeps the N best (score, id) pairs seen so far, so choosing the N best of n costs
 * O(n + N log N) comparisons in the common case, never a full O(n log n) sort.
 *
 * Order (the same everywhere in src/serve): a higher score is better; of equal scores the
 * lower id is better. Results are therefore fully determined by the scores, whatever the
 * order the items were visited in (the exact scan goes by id, the index list by list).
 */

/** The N best items for one query. */
export interface TopN {
  /** Item ids, best first; length = min(N, number of allowed items). */
  ids: Int32Array;
  /** Their scores (q·x_i + b_i), non-increasing; equal scores are ordered by ascending id. */
  scores: Float64Array;
}

/**
 * A bounded heap of the `capacity` best (score, id) pairs offered. The root (index 0) is the
 * worst pair kept; {@link threshold} is its score once the heap is full (−∞ before), so a scan
 * can skip any item scoring below it without a call.
 */
export class TopNHeap {
  /** Heap-ordered scores [capacity]; only the first `size` are valid. */
  readonly scores: Float64Array;
  /** Heap-ordered ids [capacity], parallel to `scores`. */
  readonly ids: Int32Array;
  /** Pairs kept, ≤ capacity. */
  size = 0;
  /** Score below which an offer is certainly refused: the root's score when full, else −∞. */
  threshold = -Infinity;

  /** @param capacity N ≥ 0, the number of pairs kept. */
  constructor(readonly capacity: number) {
    if (!(capacity >= 0) || !Number.isInteger(capacity))
      throw new RangeError(`top-N capacity must be an integer ≥ 0, got ${capacity}`);
    this.scores = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  /** Empties the heap for the next query (keeps its storage). */
  reset(): void {
    this.size = 0;
    this.threshold = this.capacity === 0 ? Infinity : -Infinity;
  }

  /** Offers one pair; keeps it if the heap has room or it beats the worst pair kept. NaN is refused. */
  offer(id: number, score: number): void {
    const cap = this.capacity;
    if (score !== score || cap === 0) return;
    const s = this.scores;
    const ids = this.ids;
    if (this.size < cap) {
      // Sift up from the new leaf: a parent must be worse than (or equal to) its children.
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(score, id, s[p], ids[p])) break;
        s[i] = s[p];
        ids[i] = ids[p];
        i = p;
      }
      s[i] = score;
      ids[i] = id;
      if (this.size === cap) this.threshold = s[0];
      return;
    }
    if (!worse(s[0], ids[0], score, id)) return;
    // Replace the root and sift down.
    const n = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && worse(s[r], ids[r], s[l], ids[l]) ? r : l;
      if (!worse(s[c], ids[c], score, id)) break;
      s[i] = s[c];
      ids[i] = ids[c];
      i = c;
    }
    s[i] = score;
    ids[i] = id;
    this.threshold = s[0];
  }

  /** The kept pairs, best first (see the module's order). The heap itself is left as it is. */
  result(): TopN {
    const n = this.size;
    const order = Array.from({ length: n }, (_, i) => i);
    const s = this.scores;
    const ids = this.ids;
    order.sort((a, b) => s[b] - s[a] || ids[a] - ids[b]);
    return {
      ids: Int32Array.from(order, (i) => ids[i]),
      scores: Float64Array.from(order, (i) => s[i]),
    };
  }
}

/** True when (sa, ia) ranks strictly below (sb, ib): lower score, or equal score and higher id. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}
