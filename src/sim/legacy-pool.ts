/**
 * The legacy recommender's pool of one user (docs/model.md#sessions): every POOL_REFRESH_SESSIONS
 * sessions, POOL_CANDIDATES videos drawn ∝ popularity^0.4 (POOL_TOPICAL of them within a topic
 * drawn from the user's interests, in the user's language when the topic has videos in it) are
 * scored by true affinity (less POOL_LANGUAGE_MISMATCH for another language) and the best
 * POOL_SIZE kept.
 */
import { affinityAt, CLICK } from './oracle';
import type { SimRng } from './rng';
import type { Page } from './session-page';
import { ImpressionSource } from './types';
import {
  TOPIC_GUIDE_BITS,
  topicGuide,
  type SessionContext,
  type VideoSampler,
} from './session-context';

/** Stands in for the user's latent row in `LegacyPool.refresh` when latentDim is not 16. */
const ZERO_ROW = new Float32Array(16);

/** Sessions between two refreshes of a user's pool (a refresh happens at the start of a day). */
export const POOL_REFRESH_SESSIONS = 6;
/** Candidates drawn per refresh. */
export const POOL_CANDIDATES = 120;
/** Best candidates kept. */
export const POOL_SIZE = 30;
/** Share of pool candidates drawn from a topic the user likes (the rest: from all videos). */
export const POOL_TOPICAL = 0.85;
/**
 * The legacy recommender knows the user's language: a pool candidate in another language
 * scores this much lower (in affinity units; the click logit's language term over its
 * affinity weight), so most of a user's legacy impressions are in their language.
 */
export const POOL_LANGUAGE_MISMATCH = CLICK.languageMismatch / CLICK.affinity;

/**
 * Pushes (v, s, a) onto the min-heap on `scores` of `n` entries held in `ids` / `scores` /
 * `aff`.
 */
function heapPush(
  ids: Int32Array,
  scores: Float64Array,
  aff: Float64Array,
  n: number,
  v: number,
  s: number,
  a: number,
): void {
  let i = n;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (scores[parent] <= s) break;
    ids[i] = ids[parent];
    scores[i] = scores[parent];
    aff[i] = aff[parent];
    i = parent;
  }
  ids[i] = v;
  scores[i] = s;
  aff[i] = a;
}

/** Replaces the root (the minimum) of a full min-heap of `n` entries with (v, s, a). */
function heapReplaceRoot(
  ids: Int32Array,
  scores: Float64Array,
  aff: Float64Array,
  n: number,
  v: number,
  s: number,
  a: number,
): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const c = l + 1 < n && scores[l + 1] < scores[l] ? l + 1 : l;
    if (scores[c] >= s) break;
    ids[i] = ids[c];
    scores[i] = scores[c];
    aff[i] = aff[c];
    i = c;
  }
  ids[i] = v;
  scores[i] = s;
  aff[i] = a;
}

/**
 * One user's pool: the POOL_SIZE best by true affinity of POOL_CANDIDATES distinct uploaded
 * candidates, kept as a min-heap on score while it fills (slots, scores and affinities
 * [POOL_SIZE], the first `size` valid; `ids` the same videos as ids).
 */
export class LegacyPool {
  size = 0;
  /** The pool's videos as ids, in the order of the refresh (the session loop moves `slots`). */
  readonly ids = new Int32Array(POOL_SIZE);
  /** The pool's videos as slots of the session context (session-context.ts). */
  readonly slots = new Int32Array(POOL_SIZE);
  /** Each entry's score (its affinity, less POOL_LANGUAGE_MISMATCH in another language). */
  readonly scores = new Float64Array(POOL_SIZE);
  /**
   * Each entry's true affinity (oracle.ts `affinityAt`, the same number to the bit), so the
   * session loop does not compute it again when it shows the video.
   */
  readonly affinity = new Float64Array(POOL_SIZE);
  /** Candidates drawn in the current refresh have word STAMP_POOL of their slot's stamps = epoch. */
  private epoch = 0;
  /** The candidates of a refresh, −1 for a draw from an empty topic. */
  private readonly drawn = new Int32Array(POOL_CANDIDATES);
  /** The topic guide of the cdf when the caller passes none. */
  private guide: Int32Array | null = null;
  /** A sum of what the prefetching pass read, kept so that the pass is not optimised away. */
  touched = 0;
  /**
   * @param stamps the session loop's per-slot stamps, [STAMP_STRIDE · videos], words
   *   STAMP_POOL of each −1 at the start
   */
  constructor(
    private readonly ctx: SessionContext,
    private readonly stamps: Int32Array,
  ) {}

  /**
   * Refills the pool of user u at time t (days) from `rng`, topics drawn from `cdf` (`guide`:
   * its `topicGuide`, built here when not given).
   */
  refresh(u: number, t: number, rng: SimRng, cdf: Float64Array, guide?: Int32Array): void {
    if (!guide) {
      guide = this.guide ??= new Int32Array(1 << TOPIC_GUIDE_BITS);
      topicGuide(cdf, guide);
    }
    const ctx = this.ctx;
    const world = ctx.world;
    const d = world.config.latentDim | 0; // int32 index arithmetic (oracle.ts affinityAt)
    const userLatent = world.users.latent;
    const { record, recordInt, legacy, topical, topicalByLanguage } = ctx;
    const videoLatent = ctx.latent;
    const language = world.users.language[u] | 0;
    const L = ctx.languages | 0; // int32, so the sampler's key stays an integer
    const { stamps, epoch, slots, scores, affinity } = this;
    const candidates = POOL_CANDIDATES; // a local: a module constant is loaded at every use
    // Draw every candidate first: which videos are drawn does not depend on the checks below
    // (they consume no random numbers), so the draws are the same as one candidate at a time.
    // The draws are drawTopic, drawTopicalSlot and sampleSlot written out (session-context.ts),
    // the same numbers in the same order.
    const drawn = this.drawn;
    const last = cdf.length - 1;
    const total = cdf[last];
    const topical85 = POOL_TOPICAL;
    // The stream's state stepped in a local (SimRng.next / nextU32 written out: the same steps),
    // so the loop keeps it in a register instead of loading and storing the object's field.
    let st = rng.state;
    for (let c = 0; c < candidates; c++) {
      let s: VideoSampler;
      let key: number;
      st = (Math.imul(0x19660d, st) + 0x3c6ef35f) | 0;
      if (2.3283064365386963e-10 * (st >>> 0) < topical85) {
        st = (Math.imul(0x19660d, st) + 0x3c6ef35f) | 0;
        const word = st >>> 0;
        const x = 2.3283064365386963e-10 * word * total; // LCG_EPS · word · total
        let topic = guide[word >>> 25]; // 32 − TOPIC_GUIDE_BITS
        while (topic < last && cdf[topic] <= x) topic++;
        key = topic * L + language;
        s = topicalByLanguage;
        if (s.offsets[key + 1] === s.offsets[key]) {
          key = topic;
          s = topical;
        }
      } else {
        key = 0;
        s = legacy;
      }
      const o = s.offsets[key];
      const n = s.offsets[key + 1] - o;
      if (n === 0) {
        drawn[c] = -1;
        continue;
      }
      const table = s.table;
      st = (Math.imul(0x19660d, st) + 0x3c6ef35f) | 0;
      const e = 3 * (o + Math.min(n - 1, (2.3283064365386963e-10 * (st >>> 0) * n) | 0));
      st = (Math.imul(0x19660d, st) + 0x3c6ef35f) | 0;
      drawn[c] = st >>> 0 < table[e] >>> 0 ? table[e + 1] : table[e + 2];
    }
    rng.state = st;
    // Then read each candidate's record, stamps and latent row once without branching, so the
    // memory system fetches them side by side instead of one cache miss after another.
    // REC_STRIDE, STAMP_STRIDE, STAMP_POOL, REC_UPLOAD = 0 and REC_LANGUAGE = 6 as literals
    // (session-page.ts, LAYOUT_LITERALS, checks them).
    const RS = 16;
    const SS = 4;
    const mismatch = POOL_LANGUAGE_MISMATCH;
    let touch = 0;
    for (let c = 0; c < candidates; c++) {
      const v = drawn[c] < 0 ? 0 : drawn[c];
      touch += record[RS * v] + stamps[SS * v] + videoLatent[v * d];
    }
    this.touched = touch;
    let size = 0;
    const pu = (u * d) | 0;
    // At latentDim 16 (the default) the user's row is read once into locals and the affinity
    // written out below: half the typed-array reads, each of which V8 checks (map, bounds).
    const P = d === 16 ? userLatent : ZERO_ROW;
    const q = d === 16 ? pu : 0;
    const p0 = P[q];
    const p1 = P[q + 1];
    const p2 = P[q + 2];
    const p3 = P[q + 3];
    const p4 = P[q + 4];
    const p5 = P[q + 5];
    const p6 = P[q + 6];
    const p7 = P[q + 7];
    const p8 = P[q + 8];
    const p9 = P[q + 9];
    const p10 = P[q + 10];
    const p11 = P[q + 11];
    const p12 = P[q + 12];
    const p13 = P[q + 13];
    const p14 = P[q + 14];
    const p15 = P[q + 15];
    for (let c = 0; c < candidates; c++) {
      const v = drawn[c];
      if (v < 0) continue;
      const r = RS * v;
      const m = SS * v + 2;
      if (!(record[r] <= t) || stamps[m] === epoch) continue;
      stamps[m] = epoch;
      let a: number;
      if (d === 16) {
        // affinityAt at d = 16 written out on the user's row in locals: its four partial sums
        // in its order (s_k over elements k, k + 4, k + 8, k + 12), the same number to the bit.
        const z = videoLatent;
        const b = (v * 16) | 0;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        s0 += p0 * z[b];
        s1 += p1 * z[(b + 1) | 0];
        s2 += p2 * z[(b + 2) | 0];
        s3 += p3 * z[(b + 3) | 0];
        s0 += p4 * z[(b + 4) | 0];
        s1 += p5 * z[(b + 5) | 0];
        s2 += p6 * z[(b + 6) | 0];
        s3 += p7 * z[(b + 7) | 0];
        s0 += p8 * z[(b + 8) | 0];
        s1 += p9 * z[(b + 9) | 0];
        s2 += p10 * z[(b + 10) | 0];
        s3 += p11 * z[(b + 11) | 0];
        s0 += p12 * z[(b + 12) | 0];
        s1 += p13 * z[(b + 13) | 0];
        s2 += p14 * z[(b + 14) | 0];
        s3 += p15 * z[(b + 15) | 0];
        a = (s0 + s1 + s2 + s3) / 4; // AFFINITY_SCALE
      } else a = affinityAt(userLatent, pu, videoLatent, v * d, d);
      const s = a + (recordInt[r + 6] !== language ? mismatch : 0);
      // Keep the POOL_SIZE best in a min-heap on score: the root is the worst kept.
      if (size < POOL_SIZE) heapPush(slots, scores, affinity, size++, v, s, a);
      else if (s > scores[0]) heapReplaceRoot(slots, scores, affinity, POOL_SIZE, v, s, a);
    }
    this.size = size;
    for (let i = 0; i < size; i++) this.ids[i] = ctx.ids[slots[i]];
    this.epoch++;
  }

  /**
   * Puts the pool's entries on `page` in random order until it is full (a partial Fisher–Yates
   * over `slots`, one `rng.int` per entry looked at), skipping videos user u watched (word 1 of
   * their stamps, STAMP_WATCHED), each with its affinity. (The scores are not read after the
   * refresh: they stay with the old order.)
   */
  fill(page: Page, rng: SimRng, u: number): void {
    const { slots, affinity, stamps, size } = this;
    // rng.int written out on a local copy of the stream's state (SimRng.next: the same steps),
    // stored back at the end: most entries looked at were watched already (a pool goes stale
    // between refreshes), so the loop is mostly draws and swaps.
    let st = rng.state;
    for (let i = 0; i < size && page.n < page.ips; i++) {
      st = (Math.imul(0x19660d, st) + 0x3c6ef35f) | 0;
      const j = i + ((2.3283064365386963e-10 * (st >>> 0) * (size - i)) | 0);
      const v = slots[j];
      slots[j] = slots[i];
      slots[i] = v;
      const a = affinity[j];
      affinity[j] = affinity[i];
      affinity[i] = a;
      if (stamps[4 * v + 1] !== u) page.add(v, ImpressionSource.Legacy, a); // STAMP_STRIDE
    }
    rng.state = st;
  }
}
