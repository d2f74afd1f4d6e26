/**
 * The video catalogue: topics and their centres in the true latent space, the token
 * vocabulary, channels, and the columnar video table (docs/model.md#videos).
 */
import { createRng, type Rng } from './rng';
import type { Videos, WorldConfig } from './types';
import { LANGUAGES, TOPIC_NAMES } from './vocab-names';

/** Stream ids for {@link createRng}, so each stage draws from its own stream. */
export const STREAM = { topics: 1, videos: 2, series: 3, users: 4, logs: 5, vocab: 6 } as const;

/** Words shared by all topics ("how", "best", …): token ids 0 … COMMON_WORDS.length−1. */
export const COMMON_WORDS: readonly string[] = [
  'how',
  'to',
  'best',
  'new',
  'top',
  '10',
  'vs',
  'review',
  'live',
  'full',
  'guide',
  'easy',
  'first',
  'time',
  'reaction',
  'challenge',
  'tips',
  'episode',
  'part',
  'official',
  'ultimate',
  'beginner',
  'pro',
  'fast',
  'real',
  'epic',
  'day',
  'week',
  'my',
  'the',
];
/** Made-up words drawn per topic besides the topic's own name. */
export const WORDS_PER_TOPIC = 16;
/** Spread of a video's latent vector around its topic centre. */
export const VIDEO_NOISE = 0.4;

/** Vocabulary and the token ids of each topic. */
export interface Vocabulary {
  /** Token strings; id = index. */
  words: string[];
  /** CSR offsets into `topicTokens`, length topics+1. */
  topicOffsets: Int32Array;
  /** Token ids of each topic's vocabulary (its name's words first). */
  topicTokens: Int32Array;
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ru',
  'ten',
  'sa',
  'vo',
  'ni',
  'pe',
  'ga',
  'zu',
  'ri',
  'bo',
  'xe',
  'da',
  'fu',
];

/** Builds the vocabulary: common words, then per topic its name's words and made-up words. */
export function buildVocabulary(topics: number): Vocabulary {
  const rng = createRng(0x5eed, STREAM.vocab);
  const words = [...COMMON_WORDS];
  const index = new Map(words.map((w, i) => [w, i]));
  const id = (w: string): number => {
    let i = index.get(w);
    if (i === undefined) {
      i = words.length;
      words.push(w);
      index.set(w, i);
    }
    return i;
  };
  const offsets = new Int32Array(topics + 1);
  const tokens: number[] = [];
  for (let t = 0; t < topics; t++) {
    for (const w of TOPIC_NAMES[t].split(/[\s-]+/)) tokens.push(id(w));
    for (let k = 0; k < WORDS_PER_TOPIC; k++) {
      let w: string;
      do {
        w = '';
        const n = 2 + rng.int(2);
        for (let s = 0; s < n; s++) w += SYLLABLES[rng.int(SYLLABLES.length)];
      } while (index.has(w));
      tokens.push(id(w));
    }
    offsets[t + 1] = tokens.length;
  }
  return { words, topicOffsets: offsets, topicTokens: Int32Array.from(tokens) };
}

/** Topic centres ~ N(0, I) in the true latent space, row-major [topics × latentDim]. */
export function buildTopicCentres(cfg: WorldConfig): Float32Array {
  const rng = createRng(cfg.seed, STREAM.topics);
  const c = new Float32Array(cfg.topics * cfg.latentDim);
  for (let i = 0; i < c.length; i++) c[i] = rng.normal();
  return c;
}

/** Share of the catalogue in each language: most is English. */
const LANGUAGE_SHARE = [0.55, 0.1, 0.07, 0.06, 0.06, 0.06, 0.06, 0.04];

/**
 * Share of the catalogue in each of the world's first `languages` languages (sums to 1):
 * {@link LANGUAGE_SHARE} cut to them and renormalised; [1] for a one-language world.
 */
export function catalogueLanguageShares(languages: number): Float64Array {
  const n = Math.max(1, Math.min(languages, LANGUAGES.length));
  const out = Float64Array.from(LANGUAGE_SHARE.slice(0, n));
  let s = 0;
  for (const x of out) s += x;
  for (let i = 0; i < n; i++) out[i] /= s;
  return out;
}

function drawCategorical(rng: Rng, shares: ArrayLike<number>): number {
  let x = rng.uniform();
  for (let i = 0; i < shares.length - 1; i++) {
    x -= shares[i];
    if (x < 0) return i;
  }
  return shares.length - 1;
}

/** Topic weights of the catalogue: some topics have many more videos than others. */
function topicShares(rng: Rng, topics: number): Float64Array {
  const w = new Float64Array(topics);
  let s = 0;
  for (let t = 0; t < topics; t++) s += w[t] = rng.gamma(2);
  for (let t = 0; t < topics; t++) w[t] /= s;
  return w;
}

/**
 * Generates the video table. Popularity is Zipf over a random rank; uploads spread over the
 * window (a `catalogueShare` before day 0, the rest arriving daily); durations log-normal
 * (median 8 min); a few videos go viral; series are runs of episodes uploaded in order.
 */
export function buildVideos(cfg: WorldConfig, vocab: Vocabulary, centres: Float32Array): Videos {
  const n = cfg.videos;
  const D = cfg.latentDim;
  const rng = createRng(cfg.seed, STREAM.videos);

  // Channels: ~25 videos each, one topic and one language per channel.
  const channels = Math.max(1, Math.round(n / 25));
  const shares = topicShares(rng, cfg.topics);
  const chTopic = new Uint16Array(channels);
  const chLanguage = new Uint8Array(channels);
  const languageShares = catalogueLanguageShares(cfg.languages);
  for (let c = 0; c < channels; c++) {
    chTopic[c] = drawCategorical(rng, shares);
    chLanguage[c] = drawCategorical(rng, languageShares);
  }

  const topic = new Uint16Array(n);
  const language = new Uint8Array(n);
  const channel = new Int32Array(n);
  const uploadTime = new Float32Array(n);
  const duration = new Float32Array(n);
  const quality = new Float32Array(n);
  const clickbait = new Uint8Array(n);
  const viral = new Float32Array(n);
  for (let v = 0; v < n; v++) {
    const c = rng.int(channels);
    channel[v] = c;
    topic[v] = chTopic[c];
    language[v] = chLanguage[c];
    uploadTime[v] =
      rng.uniform() < cfg.catalogueShare ? -365 * rng.uniform() : cfg.days * rng.uniform();
    duration[v] = Math.min(180, Math.max(0.5, rng.logNormal(Math.log(8), 0.75)));
    const cb = rng.uniform() < cfg.clickbaitShare;
    clickbait[v] = cb ? 1 : 0;
    quality[v] = rng.beta(cb ? 2 : 4, 3);
    viral[v] = rng.uniform() < 0.005 ? 1.5 + 1.5 * rng.uniform() : 0;
  }

  // Series: runs of 3–10 episodes on one channel, uploaded in episode order 1–4 days apart.
  const series = new Int32Array(n).fill(-1);
  const episode = new Int16Array(n).fill(-1);
  const nextEpisode = new Int32Array(n).fill(-1);
  const srng = createRng(cfg.seed, STREAM.series);
  const target = Math.floor(cfg.seriesShare * n);
  let placed = 0;
  let sid = 0;
  let guard = 0;
  while (placed < target && guard++ < 4 * n) {
    const len = Math.min(3 + srng.int(8), target - placed);
    if (len < 2) break;
    const first = srng.int(n);
    if (series[first] !== -1) continue;
    const c = channel[first];
    let t = uploadTime[first];
    let prev = -1;
    for (let k = 0; k < len; k++) {
      let v = first;
      if (k > 0) {
        let tries = 0;
        do v = srng.int(n);
        while (series[v] !== -1 && ++tries < 50);
        if (series[v] !== -1) break;
        t += 1 + 3 * srng.uniform();
      }
      series[v] = sid;
      episode[v] = k;
      channel[v] = c;
      topic[v] = chTopic[c];
      language[v] = chLanguage[c];
      uploadTime[v] = t;
      clickbait[v] = 0;
      if (prev >= 0) nextEpisode[prev] = v;
      prev = v;
      placed++;
    }
    sid++;
  }

  // Popularity: Zipf over a random permutation of ranks.
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = rank[i];
    rank[i] = rank[j];
    rank[j] = tmp;
  }
  const popularity = new Float32Array(n);
  let z = 0;
  for (let v = 0; v < n; v++) z += popularity[v] = Math.pow(rank[v] + 1, -cfg.zipfExponent);
  for (let v = 0; v < n; v++) popularity[v] /= z;

  // True latent vectors near the topic centre.
  const latent = new Float32Array(n * D);
  for (let v = 0; v < n; v++) {
    const t = topic[v];
    for (let i = 0; i < D; i++) latent[v * D + i] = centres[t * D + i] + VIDEO_NOISE * rng.normal();
  }

  // Titles: two or three topic words and one or two common words.
  const titleOffsets = new Int32Array(n + 1);
  const titleTokens = new Int32Array(n * 5);
  let w = 0;
  for (let v = 0; v < n; v++) {
    const t = topic[v];
    const a = vocab.topicOffsets[t];
    const b = vocab.topicOffsets[t + 1];
    const k = 2 + rng.int(2);
    for (let i = 0; i < k; i++) titleTokens[w++] = vocab.topicTokens[a + rng.int(b - a)];
    const c = 1 + rng.int(2);
    for (let i = 0; i < c; i++) titleTokens[w++] = rng.int(COMMON_WORDS.length);
    titleOffsets[v + 1] = w;
  }

  return {
    count: n,
    topic,
    language,
    channel,
    channels,
    popularity,
    uploadTime,
    duration,
    quality,
    clickbait,
    viral,
    series,
    episode,
    nextEpisode,
    latent,
    titleOffsets,
    titleTokens: titleTokens.slice(0, w),
  };
}

export { drawCategorical };
