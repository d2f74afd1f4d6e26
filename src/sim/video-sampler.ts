/**
 * The draws the session loop makes from the catalogue (session-context.ts builds them): topics
 * from a user's interest mixture (a binary search, or the same topic through a guide table),
 * and videos from flattened alias tables per key (`VideoSampler`), built in one pass over all
 * keys with Vose's method exactly as `AliasTable` builds them, so the draws are the
 * AliasTable's, number for number.
 */
import { LCG_EPS, type SimRng } from './rng';

/** The typed arrays the context holds. */
type IndexArray = Int32Array | Float32Array | Float64Array;
type IndexArrayCtor<T extends IndexArray> = {
  new (length: number): T;
  new (buffer: ArrayBufferLike): T;
  readonly BYTES_PER_ELEMENT: number;
};

/** A zeroed array of n elements, on a SharedArrayBuffer when `shared`. */
export function alloc<T extends IndexArray>(C: IndexArrayCtor<T>, n: number, shared: boolean): T {
  return shared ? new C(new SharedArrayBuffer(n * C.BYTES_PER_ELEMENT)) : new C(n);
}

/** Fills `cdf` [T] with the cumulative interest mixture of user u (interests [users × T]). */
export function interestCdf(
  interests: Float32Array,
  u: number,
  T: number,
  cdf: Float64Array,
): void {
  let s = 0;
  for (let i = 0; i < T; i++) cdf[i] = s += interests[u * T + i];
}

/** A topic drawn from a cumulative mixture `cdf` [T] by binary search (one uniform). */
export function drawTopic(cdf: Float64Array, rng: SimRng): number {
  const x = rng.next() * cdf[cdf.length - 1];
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** log2 of the buckets of a {@link topicGuide}: the draw's top TOPIC_GUIDE_BITS bits pick one. */
export const TOPIC_GUIDE_BITS = 7;

/**
 * Fills `guide` [2^TOPIC_GUIDE_BITS] for the mixture `cdf` [T]: guide[b] is the topic
 * {@link drawTopic} returns for the smallest 32-bit word of bucket b (b · 2^(32 − bits)). The
 * topic drawn is non-decreasing in the word, so a draw in bucket b starts its search there.
 */
export function topicGuide(cdf: Float64Array, guide: Int32Array): void {
  const last = cdf.length - 1;
  const total = cdf[last];
  const step = 2 ** (32 - TOPIC_GUIDE_BITS);
  let i = 0;
  for (let b = 0; b < guide.length; b++) {
    const x = LCG_EPS * (b * step) * total;
    while (i < last && cdf[i] <= x) i++;
    guide[b] = i;
  }
}

/**
 * {@link drawTopic} to the draw (the same uniform, the same topic), found by a short forward
 * scan from the bucket's first topic in `guide` ({@link topicGuide} of the same `cdf`) instead
 * of a binary search over every topic.
 */
export function drawTopicGuided(cdf: Float64Array, guide: Int32Array, rng: SimRng): number {
  const word = rng.nextU32();
  const x = LCG_EPS * word * cdf[cdf.length - 1];
  const last = cdf.length - 1;
  let i = guide[word >>> (32 - TOPIC_GUIDE_BITS)];
  while (i < last && cdf[i] <= x) i++;
  return i;
}

/**
 * Alias tables (alias.ts) of videos, one per key (a topic; a topic and a language: topic ·
 * languages + language; or a single key over the whole catalogue), flattened for the session
 * loop: column i of key k (the key's videos in ascending id) is entry e = offsets[k] + i, and
 * table[3e … 3e + 3) holds its keep threshold, the slot of the column's video and the slot of
 * its alias, so a draw reads 12 bytes in one place rather than three arrays. The keep probability p is held as the unsigned 32-bit
 * threshold ⌈p · 2³²⌉ (a column with threshold 2³² has its alias set to itself): a uniform
 * u = w · 2⁻³² of the stream is below p exactly when its word w is below the threshold, so
 * draws are the AliasTable's, number for number.
 */
export interface VideoSampler {
  /** First entry of each key, [keys + 1]. */
  offsets: Int32Array;
  /** [keep threshold (uint32 bits), slot, alias slot] per entry, [3 · videos]. */
  table: Int32Array;
  /** Slot → video id (`SessionContext.ids`). */
  ids: Int32Array;
}

/**
 * Vose's construction of `AliasTable` (alias.ts) over w[o … o + n), step for step and so bit
 * for bit, into keep[0 … n) and alias[0 … n) (column indexes), with the caller's scratch
 * (`scaled` Float64 and two Int32 stacks of at least n): one function for every key, where a
 * new AliasTable per key allocated six arrays and, its branches taken differently from key to
 * key, was deoptimised hundreds of times (docs/performance.md#world-generation).
 */
function buildAlias(
  w: Float64Array,
  o: number,
  n: number,
  keep: Float64Array,
  alias: Int32Array,
  scaled: Float64Array,
  small: Int32Array,
  large: Int32Array,
): void {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = w[o + i];
    if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`weight ${i} is ${x}, not ≥ 0`);
    sum += x;
  }
  if (!(sum > 0)) throw new RangeError('alias table needs a positive total weight');
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < n; i++) {
    const p = w[o + i] / sum;
    scaled[i] = p * n;
    if (scaled[i] < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const a = small[--ns];
    const b = large[--nl];
    keep[a] = scaled[a];
    alias[a] = b;
    scaled[b] = scaled[b] + scaled[a] - 1;
    if (scaled[b] < 1) small[ns++] = b;
    else large[nl++] = b;
  }
  while (nl > 0) {
    const i = large[--nl];
    keep[i] = 1;
    alias[i] = i;
  }
  while (ns > 0) {
    const i = small[--ns];
    keep[i] = 1;
    alias[i] = i;
  }
}

/**
 * A sampler over keys `key[v]` (keys 0 … K−1) with weights `weight[v]`: each key's videos in
 * ascending id, the key's alias table (`buildAlias`, AliasTable's) built over their weights.
 */
export function buildVideoSampler(
  key: ArrayLike<number>,
  K: number,
  weight: ArrayLike<number>,
  slotOf: Int32Array,
  ids: Int32Array,
  shared: boolean,
): VideoSampler {
  const offsets = alloc(Int32Array, K + 1, shared);
  for (let v = 0; v < key.length; v++) offsets[key[v] + 1]++;
  for (let k = 0; k < K; k++) offsets[k + 1] += offsets[k];
  const fill = offsets.slice(0, K);
  const videos = new Int32Array(key.length);
  for (let v = 0; v < key.length; v++) videos[fill[key[v]]++] = v;
  const w = new Float64Array(key.length);
  for (let i = 0; i < videos.length; i++) w[i] = weight[videos[i]];
  const table = alloc(Int32Array, 3 * key.length, shared);
  let most = 0;
  for (let k = 0; k < K; k++) most = Math.max(most, offsets[k + 1] - offsets[k]);
  const keep = new Float64Array(most);
  const alias = new Int32Array(most);
  const scaled = new Float64Array(most);
  const small = new Int32Array(most);
  const large = new Int32Array(most);
  for (let k = 0; k < K; k++) {
    const o = offsets[k];
    const n = offsets[k + 1] - o;
    if (n === 0) continue;
    buildAlias(w, o, n, keep, alias, scaled, small, large);
    for (let i = 0; i < n; i++) {
      const e = 3 * (o + i);
      const threshold = Math.ceil(keep[i] * 2 ** 32); // exact: a power-of-two scaling
      table[e + 1] = slotOf[videos[o + i]];
      if (threshold >= 2 ** 32) {
        table[e] = -1; // any word keeps the column: its alias is itself
        table[e + 2] = slotOf[videos[o + i]];
      } else {
        table[e] = threshold | 0;
        table[e + 2] = slotOf[videos[o + alias[i]]];
      }
    }
  }
  return { offsets, table, ids };
}

/**
 * The slot of a video of key k drawn as `AliasTable.draw` draws (column from one uniform, the
 * coin from a second), or −1 without a draw when the key has no videos.
 */
export function sampleSlot(s: VideoSampler, k: number, rng: SimRng): number {
  const o = s.offsets[k];
  const n = s.offsets[k + 1] - o;
  if (n === 0) return -1;
  const e = 3 * (o + Math.min(n - 1, (rng.next() * n) | 0));
  return rng.nextU32() < s.table[e] >>> 0 ? s.table[e + 1] : s.table[e + 2];
}

/** {@link sampleSlot} as a video id, or −1 without a draw when the key has no videos. */
export function sampleVideo(s: VideoSampler, k: number, rng: SimRng): number {
  const slot = sampleSlot(s, k, rng);
  return slot < 0 ? -1 : s.ids[slot];
}
