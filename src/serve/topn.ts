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
 * Puts (score, id) at the root of the heap (s, ids) of its first n pairs, replacing the root,
 * and sifts it down until no child is worse.
 */
function siftDown(s: Float64Array, ids: Int32Array, n: number, score: number, id: number): void {
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
    siftDown(s, ids, this.size, score, id);
    this.threshold = s[0];
  }

  /** The kept pairs, best first (see the module's order). The heap itself is left as it is. */
  result(): TopN {
    // A heap sort of a copy: the root (the worst pair left) is taken out into the last free
    // place, n times. The module's order is strict (ids are distinct), so this is the order a
    // comparison sort gives.
    let n = this.size;
    const s = this.scores.slice(0, n);
    const ids = this.ids.slice(0, n);
    const outIds = new Int32Array(n);
    const outScores = new Float64Array(n);
    while (n > 0) {
      outIds[n - 1] = ids[0];
      outScores[n - 1] = s[0];
      n--;
      // Move the last leaf to the root and sift it down (as `offer` does).
      siftDown(s, ids, n, s[n], ids[n]);
    }
    return { ids: outIds, scores: outScores };
  }
}

/** True when (sa, ia) ranks strictly below (sb, ib): lower score, or equal score and higher id. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/**
 * The m-th smallest of values[0 … len) (m from 0), found by quickselect with a three-way
 * partition (runs of equal values, as tie-heavy scores have, take one pass); `values` is
 * reordered in place. No value may be NaN. O(len) expected.
 */
export function selectNth(values: Float64Array, len: number, m: number): number {
  if (!(m >= 0 && m < len)) throw new RangeError(`rank ${m} not in [0, ${len})`);
  let lo = 0;
  let hi = len - 1;
  while (lo < hi) {
    const a = values[lo];
    const b = values[(lo + hi) >> 1];
    const c = values[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let lt = lo;
    let gt = hi;
    for (let i = lo; i <= gt;) {
      const x = values[i];
      if (x < pivot) {
        values[i++] = values[lt];
        values[lt++] = x;
      } else if (x > pivot) {
        values[i] = values[gt];
        values[gt--] = x;
      } else i++;
    }
    if (m < lt) hi = lt - 1;
    else if (m > gt) lo = gt + 1;
    else return pivot;
  }
  return values[lo];
}

/**
 * Offers to `heap` the items ids[0 … len) with exact scores scores[0 … len) (no NaN), but only
 * those scoring at least the capacity-th best score among them: the others are beaten by at
 * least capacity items, so they could not be kept, and the heap ends as if all were offered.
 * For a capacity that is a large share of len, cheaper than offering every one (most would
 * enter the heap and be pushed out again). `scratch` [≥ len] is overwritten.
 */
export function offerBest(
  heap: TopNHeap,
  ids: Int32Array,
  scores: Float64Array,
  len: number,
  scratch: Float64Array,
): void {
  let floor = -Infinity;
  if (len > heap.capacity && heap.capacity > 0) {
    scratch.set(scores.subarray(0, len));
    floor = selectNth(scratch, len, len - heap.capacity);
  }
  for (let j = 0; j < len; j++) if (scores[j] >= floor) heap.offer(ids[j], scores[j]);
}
