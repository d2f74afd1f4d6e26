/**
 * The catalogue's indexes the sessions draw from, built once per world (and once per worker
 * when users are simulated in shards): alias tables of popularity, topic samplers in CSR, the
 * upload index for fresh uploads, title postings for search, previous episodes, and the
 * per-video and per-user terms of the oracle's click and watch logits (oracle.ts) as plain
 * arrays, so the session loop (sessions.ts) reads numbers instead of calling through caches.
 */
import { AliasTable } from './alias';
import type { Vocabulary } from './catalogue';
import { oracleTerms, type OracleTerms } from './oracle';
import type { SimRng } from './rng';
import type { World } from './types';

/**
 * Videos sorted by upload time, for "uploaded in the last few days" queries, with a coarse
 * index by whole day so a query searches one day's uploads rather than the whole catalogue.
 */
export interface UploadIndex {
  /** Video ids in ascending upload time, [videos]. */
  order: Int32Array;
  /** Their upload times (days), ascending, [videos]. */
  times: Float32Array;
  /** First whole day the coarse index covers (the earliest upload's, floored). */
  firstDay: number;
  /** dayStart[d] = upperBound(times, firstDay + d), for d = 0 … days covered. */
  dayStart: Int32Array;
}

function buildUploadIndex(upload: Float32Array): UploadIndex {
  const order = Int32Array.from({ length: upload.length }, (_, i) => i).sort(
    (a, b) => upload[a] - upload[b],
  );
  const times = new Float32Array(order.length);
  for (let i = 0; i < order.length; i++) times[i] = upload[order[i]];
  const n = times.length;
  const firstDay = n ? Math.floor(times[0]) : 0;
  const lastDay = n ? Math.floor(times[n - 1]) + 1 : 0;
  const dayStart = new Int32Array(lastDay - firstDay + 1);
  for (let d = 0; d < dayStart.length; d++) dayStart[d] = upperBoundIn(times, firstDay + d, 0, n);
  return { order, times, firstDay, dayStart };
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

/** Inverted index token → videos whose title has it (CSR: offsets [vocab + 1], videos ascending). */
function buildPostings(
  world: World,
  vocabSize: number,
): { offsets: Int32Array; videos: Int32Array } {
  const { titleOffsets, titleTokens, count } = world.videos;
  const offsets = new Int32Array(vocabSize + 1);
  for (let i = 0; i < titleTokens.length; i++) offsets[titleTokens[i] + 1]++;
  for (let t = 0; t < vocabSize; t++) offsets[t + 1] += offsets[t];
  const fill = offsets.slice(0, vocabSize);
  const videos = new Int32Array(titleTokens.length);
  for (let v = 0; v < count; v++) {
    for (let i = titleOffsets[v]; i < titleOffsets[v + 1]; i++) videos[fill[titleTokens[i]]++] = v;
  }
  return { offsets, videos };
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

/**
 * Per key (a topic, or a topic and a language: topic·languages + language), an alias table over
 * its videos' weights, the videos held in CSR order (key by key, ascending id):
 * `drawTopical(samplers, k, rng)` → a video of key k, or −1 when it has none.
 */
export interface TopicSamplers {
  /** CSR offsets by key, [keys + 1]. */
  offsets: Int32Array;
  /** Video ids, key by key, [videos]. */
  videos: Int32Array;
  /** Alias table of each key over its videos, null for a key without videos. */
  tables: (AliasTable | null)[];
}

function buildTopicSamplers(
  topic: ArrayLike<number>,
  T: number,
  weight: Float64Array,
): TopicSamplers {
  const offsets = new Int32Array(T + 1);
  for (let v = 0; v < topic.length; v++) offsets[topic[v] + 1]++;
  for (let t = 0; t < T; t++) offsets[t + 1] += offsets[t];
  const fill = offsets.slice(0, T);
  const videos = new Int32Array(topic.length);
  for (let v = 0; v < topic.length; v++) videos[fill[topic[v]]++] = v;
  const w = new Float64Array(topic.length);
  for (let i = 0; i < videos.length; i++) w[i] = weight[videos[i]];
  const tables: (AliasTable | null)[] = [];
  for (let t = 0; t < T; t++)
    tables.push(
      offsets[t + 1] > offsets[t] ? new AliasTable(w.subarray(offsets[t], offsets[t + 1])) : null,
    );
  return { offsets, videos, tables };
}

/** A video of key t drawn ∝ its weight (two uniforms), or −1 (no draw) when the key has none. */
export function drawTopical(s: TopicSamplers, t: number, rng: SimRng): number {
  const table = s.tables[t];
  return table ? s.videos[s.offsets[t] + table.sample(rng)] : -1;
}

/**
 * The legacy recommender's topical draw: a video of topic t in `language` (∝ popularity^0.4),
 * or of topic t in any language when the topic has none in it; −1 when the topic is empty.
 */
export function drawTopicalInLanguage(
  ctx: SessionContext,
  t: number,
  language: number,
  rng: SimRng,
): number {
  const v = drawTopical(ctx.topicalByLanguage, t * ctx.languages + language, rng);
  return v >= 0 ? v : drawTopical(ctx.topical, t, rng);
}

/**
 * What every shard of users needs: the world, its vocabulary and the indexes built once over
 * the catalogue (alias tables, topic samplers, upload index, postings, previous episodes, the
 * oracle's per-video terms).
 */
export interface SessionContext {
  world: World;
  vocab: Vocabulary;
  /** The world's `languages` setting. */
  languages: number;
  /** Alias table ∝ popularity over all videos (popular impressions). */
  popAlias: AliasTable;
  /** Alias table ∝ popularity^0.4 over all videos (the legacy recommender's untopical draw). */
  legacyAlias: AliasTable;
  /** Per topic, ∝ popularity^0.4 within the topic. */
  topical: TopicSamplers;
  /** The same per (topic, language): key topic·languages + language. */
  topicalByLanguage: TopicSamplers;
  uploads: UploadIndex;
  postings: { offsets: Int32Array; videos: Int32Array };
  /** The episode before video v in its series, or −1, [videos]. */
  prevEpisode: Int32Array;
  /** ln(N · popularity[v]) (search results rank by it), [videos]. */
  logPopularityN: Float64Array;
  /** The oracle's per-video and per-user terms (oracle.ts). */
  terms: OracleTerms;
}

/** Builds the catalogue's indexes the sessions draw from (O(videos + title tokens)). */
export function sessionContext(world: World, vocab: Vocabulary): SessionContext {
  const vid = world.videos;
  const N = vid.count;
  const popAlias = new AliasTable(vid.popularity);
  const legacyWeight = new Float64Array(N);
  for (let v = 0; v < N; v++) legacyWeight[v] = Math.pow(vid.popularity[v], 0.4);
  const legacyAlias = new AliasTable(legacyWeight);
  const topical = buildTopicSamplers(vid.topic, world.config.topics, legacyWeight);
  const L = world.config.languages;
  const keys = new Int32Array(N);
  for (let v = 0; v < N; v++) keys[v] = vid.topic[v] * L + vid.language[v];
  const topicalByLanguage = buildTopicSamplers(keys, world.config.topics * L, legacyWeight);
  const uploads = buildUploadIndex(vid.uploadTime);
  const postings = buildPostings(world, vocab.words.length);
  const prevEpisode = new Int32Array(N).fill(-1);
  for (let v = 0; v < N; v++) if (vid.nextEpisode[v] >= 0) prevEpisode[vid.nextEpisode[v]] = v;
  const logPopularityN = new Float64Array(N);
  for (let v = 0; v < N; v++) logPopularityN[v] = Math.log(vid.popularity[v] * N);
  return {
    world,
    vocab,
    languages: L,
    popAlias,
    legacyAlias,
    topical,
    topicalByLanguage,
    uploads,
    postings,
    prevEpisode,
    logPopularityN,
    terms: oracleTerms(world),
  };
}
