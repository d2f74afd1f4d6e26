/**
 * The catalogue's indexes the sessions draw from, built once per world (and once per worker
 * when users are simulated in shards): alias tables of popularity, topic samplers in CSR, the
 * upload index for fresh uploads, title postings for search, previous episodes, and the
 * per-video and per-user terms of the oracle's click and watch logits (oracle.ts) as plain
 * arrays, so the session loop (range-simulator.ts) reads numbers instead of calling through caches.
 *
 * The session loop works on videos by **slot**, not by id: slots order the catalogue by topic,
 * then language, then id, and every per-video array of the context (records, latent rows, the
 * loop's stamps) is laid out by slot. A user's candidates come mostly from a few (topic,
 * language) pairs, whose videos are then side by side in memory instead of spread over the
 * whole catalogue (docs/performance.md#world-generation). Slots are a relabelling only: the
 * same videos are drawn in the same order, and the loop writes world ids (`ids`) to the logs.
 */
import type { Vocabulary } from './catalogue';
import { oracleTerms, type OracleTerms } from './oracle';
import type { SimRng } from './rng';
import type { World } from './types';
import { alloc, buildVideoSampler, sampleSlot, type VideoSampler } from './video-sampler';

export {
  drawTopic,
  drawTopicGuided,
  interestCdf,
  sampleSlot,
  sampleVideo,
  TOPIC_GUIDE_BITS,
  topicGuide,
  type VideoSampler,
} from './video-sampler';

/**
 * Videos sorted by upload time, for "uploaded in the last few days" queries, with a coarse
 * index by whole day so a query searches one day's uploads rather than the whole catalogue.
 */
export interface UploadIndex {
  /** Video ids in ascending upload time, [videos]. */
  order: Int32Array;
  /** The same videos as slots (`SessionContext.ids`), [videos]. */
  slots: Int32Array;
  /** Their upload times (days), ascending, [videos]. */
  times: Float32Array;
  /** First whole day the coarse index covers (the earliest upload's, floored). */
  firstDay: number;
  /** dayStart[d] = upperBound(times, firstDay + d), for d = 0 … days covered. */
  dayStart: Int32Array;
}

/** This machine stores the low 32-bit word of a 64-bit integer first (every engine we run on). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Video ids by upload time, ties by ascending id: the order a stable sort of 0 … n − 1 by
 * `upload[a] − upload[b]` gives. Sorted as 64-bit keys by the engine's native sort — the upload
 * time's float32 bits made unsigned-ordered (−0 as +0) in the high word, the id in the low —
 * rather than by a comparator called n log n times (~1.5 s at a million videos).
 */
export function uploadOrder(upload: Float32Array, shared: boolean): Int32Array {
  const n = upload.length;
  const order = alloc(Int32Array, n, shared);
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort((a, b) => upload[a] - upload[b]);
  }
  const bits = new Uint32Array(upload.buffer, upload.byteOffset, n);
  const keys = new BigUint64Array(n);
  const words = new Uint32Array(keys.buffer);
  for (let v = 0; v < n; v++) {
    const b = bits[v] === 0x80000000 ? 0 : bits[v];
    words[2 * v] = v;
    words[2 * v + 1] = b & 0x80000000 ? ~b : b | 0x80000000;
  }
  keys.sort();
  for (let i = 0; i < n; i++) order[i] = words[2 * i];
  return order;
}

function buildUploadIndex(upload: Float32Array, slotOf: Int32Array, shared: boolean): UploadIndex {
  const order = uploadOrder(upload, shared);
  const times = alloc(Float32Array, order.length, shared);
  const slots = alloc(Int32Array, order.length, shared);
  for (let i = 0; i < order.length; i++) {
    times[i] = upload[order[i]];
    slots[i] = slotOf[order[i]];
  }
  const n = times.length;
  const firstDay = n ? Math.floor(times[0]) : 0;
  const lastDay = n ? Math.floor(times[n - 1]) + 1 : 0;
  const dayStart = alloc(Int32Array, lastDay - firstDay + 1, shared);
  for (let d = 0; d < dayStart.length; d++) dayStart[d] = upperBoundIn(times, firstDay + d, 0, n);
  return { order, slots, times, firstDay, dayStart };
}

/** First index i in [lo, hi) with times[i] > t, or hi; times sorted, and times[lo − 1] ≤ t. */
function upperBoundIn(times: Float32Array, t: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * First index i with times[i] > t (t in days): the answer lies between the day index's bounds
 * for ⌊t⌋ and ⌊t⌋ + 1, so only that day's uploads are searched (the same index as a full search).
 */
export function upperBound(index: UploadIndex, t: number): number {
  const { times, dayStart } = index;
  const d = Math.floor(t) - index.firstDay;
  if (d < 0) return 0; // t < firstDay ≤ every upload time
  if (d + 1 >= dayStart.length) return times.length; // t ≥ lastDay > every upload time
  return upperBoundIn(times, t, dayStart[d], dayStart[d + 1]);
}

/**
 * Inverted index token → videos whose title has it (CSR: offsets [vocab + 1], videos in
 * ascending id, each given as its slot).
 */
function buildPostings(
  world: World,
  vocabSize: number,
  slotOf: Int32Array,
  shared: boolean,
): { offsets: Int32Array; videos: Int32Array } {
  const { titleOffsets, titleTokens, count } = world.videos;
  const offsets = alloc(Int32Array, vocabSize + 1, shared);
  for (let i = 0; i < titleTokens.length; i++) offsets[titleTokens[i] + 1]++;
  for (let t = 0; t < vocabSize; t++) offsets[t + 1] += offsets[t];
  const fill = offsets.slice(0, vocabSize);
  const videos = alloc(Int32Array, titleTokens.length, shared);
  for (let v = 0; v < count; v++) {
    for (let i = titleOffsets[v]; i < titleOffsets[v + 1]; i++)
      videos[fill[titleTokens[i]]++] = slotOf[v];
  }
  return { offsets, videos };
}

/**
 * The legacy recommender's topical draw as a slot: a video of topic t in `language`
 * (∝ popularity^0.4), or of topic t in any language when the topic has none in it; −1 when the
 * topic is empty.
 */
export function drawTopicalSlot(
  ctx: SessionContext,
  t: number,
  language: number,
  rng: SimRng,
): number {
  const v = sampleSlot(ctx.topicalByLanguage, t * ctx.languages + language, rng);
  return v >= 0 ? v : sampleSlot(ctx.topical, t, rng);
}

/** {@link drawTopicalSlot} as a video id, or −1 when the topic is empty. */
export function drawTopicalInLanguage(
  ctx: SessionContext,
  t: number,
  language: number,
  rng: SimRng,
): number {
  const slot = drawTopicalSlot(ctx, t, language, rng);
  return slot < 0 ? -1 : ctx.ids[slot];
}

/** Fields of a slot's record in `SessionContext.record` (Float32 view unless said). */
export const REC_UPLOAD = 0;
/** `OracleTerms.click`. */
export const REC_CLICK = 1;
/** `OracleTerms.watch`. */
export const REC_WATCH = 2;
/** `OracleTerms.logDuration`. */
export const REC_LOG_DURATION = 3;
/** The viral boost. */
export const REC_VIRAL = 4;
/** Duration, minutes. */
export const REC_DURATION = 5;
/** Language id (Int32 view). */
export const REC_LANGUAGE = 6;
/** The previous episode's slot, or −1 (Int32 view). */
export const REC_PREV_EPISODE = 7;
/** The video id (Int32 view). */
export const REC_ID = 8;
/** The next episode's slot, or −1 (Int32 view). */
export const REC_NEXT_EPISODE = 9;
/** Popularity (the world's float32 value). */
export const REC_POPULARITY = 10;
/** ln(N · popularity), a float64 at word REC_LOG_POPULARITY_N (`recordF64[record index / 2]`). */
export const REC_LOG_POPULARITY_N = 12;
/** 32-bit words per record: 64 bytes. */
export const REC_STRIDE = 16;

/**
 * What every shard of users needs: the world, its vocabulary and the indexes built once over
 * the catalogue (alias tables, topic samplers, upload index, postings, previous episodes, the
 * oracle's per-video terms), every video given by its slot.
 */
export interface SessionContext {
  world: World;
  vocab: Vocabulary;
  /** The world's `languages` setting. */
  languages: number;
  /** Slot → video id: the catalogue by topic, then language, then id, [videos]. */
  ids: Int32Array;
  /** Video id → slot, [videos]. */
  slotOf: Int32Array;
  /** One key, ∝ popularity over all videos (popular impressions). */
  popular: VideoSampler;
  /** One key, ∝ popularity^0.4 over all videos (the legacy recommender's untopical draw). */
  legacy: VideoSampler;
  /** Per topic, ∝ popularity^0.4 within the topic. */
  topical: VideoSampler;
  /** The same per (topic, language): key topic·languages + language. */
  topicalByLanguage: VideoSampler;
  uploads: UploadIndex;
  /** Title postings, each video as its slot. */
  postings: { offsets: Int32Array; videos: Int32Array };
  /** Per user, the weight of a video's log duration in the click logit (`OracleTerms`), [users]. */
  durationPreference: Float32Array;
  /**
   * What the session loop reads of the video in slot s, in one 64-byte record at REC_STRIDE · s
   * (fields REC_*; the same numbers as the world's and the oracle's arrays): one memory access
   * per video instead of ten (a million-video catalogue does not fit in the cache).
   */
  record: Float32Array;
  /** Int32 view of `record`'s buffer, for the integer fields. */
  recordInt: Int32Array;
  /** Float64 view of `record`'s buffer (REC_LOG_POPULARITY_N). */
  recordF64: Float64Array;
  /** The videos' true latent rows by slot, [videos × latentDim] (the world's float32 values). */
  latent: Float32Array;
}

/**
 * Builds the catalogue's indexes the sessions draw from (O(videos + title tokens)). `shared`:
 * every array over the catalogue is allocated on a SharedArrayBuffer, so that worker threads can
 * read the context without a copy of it ever being made (scripts/world-threads.ts).
 */
export function sessionContext(
  world: World,
  vocab: Vocabulary,
  { shared = false }: { shared?: boolean } = {},
): SessionContext {
  const vid = world.videos;
  const N = vid.count;
  const d = world.config.latentDim;
  const legacyWeight = new Float64Array(N);
  for (let v = 0; v < N; v++) legacyWeight[v] = Math.pow(vid.popularity[v], 0.4);
  const none = new Uint8Array(N);
  const L = world.config.languages;
  const T = world.config.topics;
  const keys = new Int32Array(N);
  for (let v = 0; v < N; v++) keys[v] = vid.topic[v] * L + vid.language[v];
  // Slots: the videos by (topic, language) key, ascending id within a key (a counting sort).
  const start = new Int32Array(T * L + 1);
  for (let v = 0; v < N; v++) start[keys[v] + 1]++;
  for (let k = 0; k < T * L; k++) start[k + 1] += start[k];
  const ids = alloc(Int32Array, N, shared);
  const slotOf = alloc(Int32Array, N, shared);
  for (let v = 0; v < N; v++) {
    const slot = start[keys[v]]++;
    ids[slot] = v;
    slotOf[v] = slot;
  }
  const terms: OracleTerms = oracleTerms(world);
  const record = alloc(Float32Array, REC_STRIDE * N, shared);
  const recordInt = new Int32Array(record.buffer);
  const recordF64 = new Float64Array(record.buffer);
  const latent = alloc(Float32Array, N * d, shared);
  for (let s = 0; s < N; s++) {
    const v = ids[s];
    const r = REC_STRIDE * s;
    record[r + REC_UPLOAD] = vid.uploadTime[v];
    record[r + REC_CLICK] = terms.click[v];
    record[r + REC_WATCH] = terms.watch[v];
    record[r + REC_LOG_DURATION] = terms.logDuration[v];
    record[r + REC_VIRAL] = vid.viral[v];
    record[r + REC_DURATION] = vid.duration[v];
    recordInt[r + REC_LANGUAGE] = vid.language[v];
    recordInt[r + REC_PREV_EPISODE] = -1;
    recordInt[r + REC_ID] = v;
    const next = vid.nextEpisode[v];
    recordInt[r + REC_NEXT_EPISODE] = next < 0 ? -1 : slotOf[next];
    record[r + REC_POPULARITY] = vid.popularity[v];
    recordF64[(r + REC_LOG_POPULARITY_N) / 2] = Math.log(vid.popularity[v] * N);
    // A plain copy: a subarray per video allocated a view object each (a million at 1M videos).
    for (let i = 0; i < d; i++) latent[s * d + i] = vid.latent[v * d + i];
  }
  for (let v = 0; v < N; v++)
    if (vid.nextEpisode[v] >= 0)
      recordInt[REC_STRIDE * slotOf[vid.nextEpisode[v]] + REC_PREV_EPISODE] = slotOf[v];
  return {
    world,
    vocab,
    languages: L,
    ids,
    slotOf,
    popular: buildVideoSampler(none, 1, vid.popularity, slotOf, ids, shared),
    legacy: buildVideoSampler(none, 1, legacyWeight, slotOf, ids, shared),
    topical: buildVideoSampler(vid.topic, T, legacyWeight, slotOf, ids, shared),
    topicalByLanguage: buildVideoSampler(keys, T * L, legacyWeight, slotOf, ids, shared),
    uploads: buildUploadIndex(vid.uploadTime, slotOf, shared),
    postings: buildPostings(world, vocab.words.length, slotOf, shared),
    durationPreference: terms.durationPreference,
    record,
    recordInt,
    recordF64,
    latent,
  };
}

/**
 * The context's latent rows put back in id order, in place, and returned: row v of the result is
 * the world's `videos.latent` row v, bit for bit. A caller that drops the world's own copy while
 * the sessions run (they read the context's only: scripts/world-threads.ts) gets it back this
 * way without a second copy at the end. Afterwards `ctx.latent` is by id, so `ctx` must not
 * simulate sessions again. O(videos × latentDim), one byte per video of scratch.
 */
export function latentByIdInPlace(ctx: SessionContext): Float32Array {
  const { latent, slotOf } = ctx;
  const N = slotOf.length;
  const d = latent.length / N;
  const done = new Uint8Array(N);
  const tmp = new Float32Array(d);
  // Row v takes the row of slot slotOf[v]: follow each cycle of the permutation, carrying the
  // cycle's first row, so every row is read before it is overwritten.
  for (let v0 = 0; v0 < N; v0++) {
    if (done[v0]) continue;
    for (let i = 0; i < d; i++) tmp[i] = latent[v0 * d + i];
    let v = v0;
    for (;;) {
      done[v] = 1;
      const src = slotOf[v];
      if (src === v0) {
        for (let i = 0; i < d; i++) latent[v * d + i] = tmp[i];
        break;
      }
      for (let i = 0; i < d; i++) latent[v * d + i] = latent[src * d + i];
      v = src;
    }
  }
  return latent;
}
