/**
 * The legacy recommender's pool of one user (docs/model.md#sessions): every POOL_REFRESH_SESSIONS
 * sessions, POOL_CANDIDATES videos drawn ∝ popularity^0.4 (POOL_TOPICAL of them within a topic
 * drawn from the user's interests, in the user's language when the topic has videos in it) are
 * scored by true affinity (less POOL_LANGUAGE_MISMATCH for another language) and the best
 * POOL_SIZE kept.
 */
import { affinityAt, CLICK } from './oracle';
import type { SimRng } from './rng';
import {
  drawTopic,
  drawTopicalInLanguage,
  REC_LANGUAGE,
  REC_STRIDE,
  REC_UPLOAD,
  sampleVideo,
  type SessionContext,
} from './session-context';

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

/** Pushes (v, s) onto the min-heap of `n` entries held in `ids` / `scores`. */
function heapPush(ids: Int32Array, scores: Float64Array, n: number, v: number, s: number): void {
  let i = n;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (scores[parent] <= s) break;
    ids[i] = ids[parent];
    scores[i] = scores[parent];
    i = parent;
  }
  ids[i] = v;
  scores[i] = s;
}

/** Replaces the root (the minimum) of a full min-heap of `n` entries with (v, s). */
function heapReplaceRoot(
  ids: Int32Array,
  scores: Float64Array,
  n: number,
  v: number,
  s: number,
): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const c = l + 1 < n && scores[l + 1] < scores[l] ? l + 1 : l;
    if (scores[c] >= s) break;
    ids[i] = ids[c];
    scores[i] = scores[c];
    i = c;
  }
  ids[i] = v;
  scores[i] = s;
}

/** Per-video scratch stamps of the session loop: STAMP_STRIDE words per video (sessions.ts). */
export const STAMP_STRIDE = 4;
/** Word of a video's stamps holding the refresh epoch that last drew it as a pool candidate. */
export const STAMP_POOL = 2;

/**
 * One user's pool: the POOL_SIZE best by true affinity of POOL_CANDIDATES distinct uploaded
 * candidates, kept as a min-heap on score while it fills (ids and scores [POOL_SIZE], the first
 * `size` valid).
 */
export class LegacyPool {
  size = 0;
  readonly ids = new Int32Array(POOL_SIZE);
  readonly scores = new Float64Array(POOL_SIZE);
  /** Candidates drawn in the current refresh have word STAMP_POOL of their stamps = epoch. */
  private epoch = 0;
  /** The candidates of a refresh, −1 for a draw from an empty topic. */
  private readonly drawn = new Int32Array(POOL_CANDIDATES);
  /** A sum of what the prefetching pass read, kept so that the pass is not optimised away. */
  touched = 0;
  /**
   * @param stamps the session loop's per-video stamps, [STAMP_STRIDE · videos], word
   *   STAMP_POOL of each −1 at the start
   */
  constructor(
    private readonly ctx: SessionContext,
    private readonly stamps: Int32Array,
  ) {}

  /** Refills the pool of user u at time t (days) from `rng`, topics drawn from `cdf`. */
  refresh(u: number, t: number, rng: SimRng, cdf: Float64Array): void {
    const ctx = this.ctx;
    const world = ctx.world;
    const d = world.config.latentDim;
    const userLatent = world.users.latent;
    const videoLatent = world.videos.latent;
    const { record, recordInt, legacy } = ctx;
    const language = world.users.language[u];
    const { stamps, epoch, ids, scores } = this;
    // Draw every candidate first: which videos are drawn does not depend on the checks below
    // (they consume no random numbers), so the draws are the same as one candidate at a time.
    const drawn = this.drawn;
    for (let c = 0; c < POOL_CANDIDATES; c++)
      drawn[c] =
        rng.next() < POOL_TOPICAL
          ? drawTopicalInLanguage(ctx, drawTopic(cdf, rng), language, rng)
          : sampleVideo(legacy, 0, rng);
    // Then read each candidate's record, stamps and latent row once without branching, so the
    // memory system fetches them side by side instead of one cache miss after another.
    let touch = 0;
    for (let c = 0; c < POOL_CANDIDATES; c++) {
      const v = drawn[c] < 0 ? 0 : drawn[c];
      touch += record[REC_STRIDE * v] + stamps[STAMP_STRIDE * v] + videoLatent[v * d];
    }
    this.touched = touch;
    let size = 0;
    for (let c = 0; c < POOL_CANDIDATES; c++) {
      const v = drawn[c];
      if (v < 0) continue;
      const r = REC_STRIDE * v;
      const m = STAMP_STRIDE * v + STAMP_POOL;
      if (!(record[r + REC_UPLOAD] <= t) || stamps[m] === epoch) continue;
      stamps[m] = epoch;
      const s =
        affinityAt(userLatent, u * d, videoLatent, v * d, d) +
        (recordInt[r + REC_LANGUAGE] !== language ? POOL_LANGUAGE_MISMATCH : 0);
      // Keep the POOL_SIZE best in a min-heap on score: the root is the worst kept.
      if (size < POOL_SIZE) heapPush(ids, scores, size++, v, s);
      else if (s > scores[0]) heapReplaceRoot(ids, scores, POOL_SIZE, v, s);
    }
    this.size = size;
    this.epoch++;
  }
}
