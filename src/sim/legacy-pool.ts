/**
 * The legacy recommender's pool of one user (docs/model.md#sessions): every POOL_REFRESH_SESSIONS
 * sessions, POOL_CANDIDATES videos drawn ∝ popularity^0.4 (POOL_TOPICAL of them within a topic
 * drawn from the user's interests, in the user's language when the topic has videos in it) are
 * scored by true affinity (less POOL_LANGUAGE_MISMATCH for another language) and the best
 * POOL_SIZE kept.
 */
import { affinity, CLICK } from './oracle';
import type { SimRng } from './rng';
import { drawTopic, drawTopicalInLanguage, type SessionContext } from './session-context';

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

/**
 * One user's pool: the POOL_SIZE best by true affinity of POOL_CANDIDATES distinct uploaded
 * candidates, kept as a min-heap on score while it fills (ids and scores [POOL_SIZE], the first
 * `size` valid).
 */
export class LegacyPool {
  size = 0;
  readonly ids = new Int32Array(POOL_SIZE);
  readonly scores = new Float64Array(POOL_SIZE);
  /** Candidates seen in the current refresh are stamped with `epoch`, [videos]. */
  private readonly mark: Int32Array;
  private epoch = 0;
  constructor(private readonly ctx: SessionContext) {
    this.mark = new Int32Array(ctx.world.videos.count).fill(-1);
  }

  /** Refills the pool of user u at time t (days) from `rng`, topics drawn from `cdf`. */
  refresh(u: number, t: number, rng: SimRng, cdf: Float64Array): void {
    const ctx = this.ctx;
    const world = ctx.world;
    const uploadTime = world.videos.uploadTime;
    const videoLanguage = world.videos.language;
    const language = world.users.language[u];
    const legacyAlias = ctx.legacyAlias;
    const { mark, epoch, ids, scores } = this;
    let size = 0;
    for (let c = 0; c < POOL_CANDIDATES; c++) {
      const v =
        rng.next() < POOL_TOPICAL
          ? drawTopicalInLanguage(ctx, drawTopic(cdf, rng), language, rng)
          : legacyAlias.sample(rng);
      if (v < 0 || !(uploadTime[v] <= t) || mark[v] === epoch) continue;
      mark[v] = epoch;
      const s =
        affinity(world, u, v) + (videoLanguage[v] !== language ? POOL_LANGUAGE_MISMATCH : 0);
      // Keep the POOL_SIZE best in a min-heap on score: the root is the worst kept.
      if (size < POOL_SIZE) heapPush(ids, scores, size++, v, s);
      else if (s > scores[0]) heapReplaceRoot(ids, scores, POOL_SIZE, v, s);
    }
    this.size = size;
    this.epoch++;
  }
}
