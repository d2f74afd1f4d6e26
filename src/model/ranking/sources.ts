/**
 * The candidate source's features of ranking examples (docs/model.md#candidate-sources): the
 * paper feeds the ranker "which sources nominated a candidate and their scores". Our one
 * source is the candidate model, so each impression gets
 *
 * - `sourceScore` = u·v + b of the impression video, where u is the candidate model's user
 *   vector at serving (example age 0) from the user's history strictly before the session's
 *   start — the watch bag of the example (watches before the session), the searches before it
 *   (the session's own search is at its start time and not counted) and the demographics —
 *   and v, b the video's output vector and bias;
 * - `sourceRank` = log(rank), the rank among the videos uploaded by the session's start,
 *   1 = the model's top video, estimated from a fixed uniform sample of SOURCE_SAMPLE videos:
 *   rank ≈ 1 + live videos × (share of the live sample scoring higher).
 *
 * Nothing of the session itself (its clicks, watches or search) reaches u, so the label does
 * not leak. The scores are those of the model passed in, at the moment of the call: the
 * command line attaches them once candidate training has finished, before the ranker is built;
 * the page computes them as the ranker asks for them, from the model as it is at that step
 * (`live-sources.ts`).
 */
import * as tf from '@tensorflow/tfjs';
import type { RankingExamples } from '../../sim/ranking-examples';
import { defaultCandidateOptions, lowerBound, type CandidateExamples } from '../../sim/examples';
import { createRng } from '../../sim/rng';
import type { CandidateModel } from '../candidate/model';

/** Size of the fixed video sample the rank is estimated from. */
export const SOURCE_SAMPLE = 1024;

/** Number of values ≤ t among the first n of ascending `a`. */
function upperBound(a: Float32Array, n: number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One serving query per page of `ex` (its user at the session's start): candidate examples
 * whose watch bag is the page's and whose searches are those before the session. `rows`
 * (default: every example) are the examples to query; consecutive rows of one page share a
 * query. Returns the queries and, per position of `rows`, its query row.
 */
export function pageQueries(
  model: CandidateModel,
  ex: RankingExamples,
  rows?: ArrayLike<number>,
): { queries: CandidateExamples; queryOf: Int32Array } {
  const { userSearchOffsets, searchTime } = model.world.logs;
  const all = rows ?? Int32Array.from({ length: ex.count }, (_, i) => i);
  const queryOf = new Int32Array(all.length);
  const firsts: number[] = [];
  for (let p = 0; p < all.length; p++) {
    if (p === 0 || ex.page[all[p]] !== ex.page[all[p - 1]]) firsts.push(all[p]);
    queryOf[p] = firsts.length - 1;
  }
  const n = firsts.length;
  const user = Int32Array.from(firsts, (i) => ex.user[i]);
  const time = Float32Array.from(firsts, (i) => ex.time[i]);
  const searchEnd = Int32Array.from(firsts, (i) => {
    const u = ex.user[i];
    return lowerBound(searchTime, userSearchOffsets[u], userSearchOffsets[u + 1], ex.time[i]);
  });
  const queries: CandidateExamples = {
    count: n,
    options: { ...defaultCandidateOptions, maxWatches: Math.max(1, ex.options.maxWatches) },
    user,
    label: Int32Array.from(firsts, (i) => ex.video[i]),
    labelWatch: new Int32Array(n).fill(-1),
    time,
    exampleAge: new Float32Array(n),
    bagStart: Int32Array.from(firsts, (i) => ex.bagStart[i]),
    bagEnd: Int32Array.from(firsts, (i) => ex.bagEnd[i]),
    bagSkip: new Int32Array(n).fill(-1),
    searchEnd,
  };
  return { queries, queryOf };
}

/**
 * The source features (module comment) of examples `rows` of `ex` from `model` as it is now:
 * `score[p]`, `rank[p]` belong to example `rows[p]`. Rows of one page should be consecutive
 * (they then share one user-tower pass). Cost: one user-tower pass per page and
 * O(pages × SOURCE_SAMPLE × d + rows × (SOURCE_SAMPLE + d)).
 */
export async function candidateSources(
  model: CandidateModel,
  ex: RankingExamples,
  rows: ArrayLike<number>,
  seed = 1,
  chunk = 512,
): Promise<{ score: Float32Array; rank: Float32Array }> {
  const world = model.world;
  const N = world.videos.count;
  const upload = world.videos.uploadTime;
  const d = model.d;
  const out = model.videoOut.weights;
  const bias = model.videoBias.weights;
  const rng = createRng(seed, 0x50c);
  const R = Math.min(SOURCE_SAMPLE, N);
  const sample = new Int32Array(R);
  for (let i = 0; i < R; i++) sample[i] = rng.int(N);
  const sampleT = tf.tidy(() => {
    const vectors = new Float32Array(R * d);
    for (let i = 0; i < R; i++) vectors.set(out.subarray(sample[i] * d, sample[i] * d + d), i * d);
    return tf.transpose(tf.tensor2d(vectors, [R, d]));
  });
  const sampleBias = tf.tensor1d(Float32Array.from(sample, (v) => bias[v]));
  const { queries, queryOf } = pageQueries(model, ex, rows);
  const score = new Float32Array(rows.length);
  const rank = new Float32Array(rows.length);
  // Live videos by time: sorted upload times, to count the videos uploaded by a page's start.
  const uploads = Float32Array.from(upload).sort();
  try {
    let p = 0;
    for (let s = 0; s < queries.count; s += chunk) {
      const part = Int32Array.from({ length: Math.min(chunk, queries.count - s) }, (_, k) => s + k);
      const uT = model.userVectors(model.inputs(queries, part, true));
      const sT = tf.tidy(() => tf.add(tf.matMul(uT, sampleT), sampleBias));
      const [u, sc] = (await Promise.all([uT.data(), sT.data()])) as Float32Array[];
      tf.dispose([uT, sT]);
      for (; p < rows.length && queryOf[p] < s + part.length; p++) {
        const e = rows[p];
        const q = queryOf[p] - s;
        const t = ex.time[e];
        const v = ex.video[e];
        let z = bias[v];
        for (let k = 0; k < d; k++) z += u[q * d + k] * out[v * d + k];
        let live = 0;
        let above = 0;
        for (let i = 0; i < R; i++) {
          if (!(upload[sample[i]] <= t)) continue;
          live++;
          if (sc[q * R + i] > z) above++;
        }
        const liveVideos = upperBound(uploads, N, t);
        score[p] = z;
        rank[p] = Math.log(1 + (live > 0 ? (liveVideos * above) / live : 0));
      }
    }
  } finally {
    tf.dispose([sampleT, sampleBias]);
  }
  return { score, rank };
}

/**
 * Fills `ex.sourceScore` and `ex.sourceRank` (module comment) of every example from `model` as
 * it is now. Examples must be grouped by page (as buildRankingExamples makes them).
 */
export async function attachCandidateSources(
  model: CandidateModel,
  ex: RankingExamples,
  seed = 1,
  chunk = 512,
): Promise<void> {
  const all = Int32Array.from({ length: ex.count }, (_, i) => i);
  const { score, rank } = await candidateSources(model, ex, all, seed, chunk);
  ex.sourceScore = score;
  ex.sourceRank = rank;
}
