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
 * command line attaches them once candidate training has finished, before the ranker is built.
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
 * whose watch bag is the page's and whose searches are those before the session. Returns the
 * queries and, per example, its query row.
 */
export function pageQueries(
  model: CandidateModel,
  ex: RankingExamples,
): { queries: CandidateExamples; queryOf: Int32Array } {
  const { userSearchOffsets, searchTime } = model.world.logs;
  const queryOf = new Int32Array(ex.count);
  const rows: number[] = [];
  for (let i = 0; i < ex.count; i++) {
    if (i === 0 || ex.page[i] !== ex.page[i - 1]) rows.push(i);
    queryOf[i] = rows.length - 1;
  }
  const n = rows.length;
  const user = Int32Array.from(rows, (i) => ex.user[i]);
  const time = Float32Array.from(rows, (i) => ex.time[i]);
  const searchEnd = Int32Array.from(rows, (i) => {
    const u = ex.user[i];
    return lowerBound(searchTime, userSearchOffsets[u], userSearchOffsets[u + 1], ex.time[i]);
  });
  const queries: CandidateExamples = {
    count: n,
    options: { ...defaultCandidateOptions, maxWatches: Math.max(1, ex.options.maxWatches) },
    user,
    label: Int32Array.from(rows, (i) => ex.video[i]),
    labelWatch: new Int32Array(n).fill(-1),
    time,
    exampleAge: new Float32Array(n),
    bagStart: Int32Array.from(rows, (i) => ex.bagStart[i]),
    bagEnd: Int32Array.from(rows, (i) => ex.bagEnd[i]),
    bagSkip: new Int32Array(n).fill(-1),
    searchEnd,
  };
  return { queries, queryOf };
}

/**
 * Fills `ex.sourceScore` and `ex.sourceRank` (module comment) from `model` as it is now.
 * Examples must be grouped by page (as buildRankingExamples makes them). Cost: one user-tower
 * pass per page and O(pages × (SOURCE_SAMPLE + impressions per page) × d).
 */
export async function attachCandidateSources(
  model: CandidateModel,
  ex: RankingExamples,
  seed = 1,
  chunk = 512,
): Promise<void> {
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
    const rows = new Float32Array(R * d);
    for (let i = 0; i < R; i++) rows.set(out.subarray(sample[i] * d, sample[i] * d + d), i * d);
    return tf.transpose(tf.tensor2d(rows, [R, d]));
  });
  const sampleBias = tf.tensor1d(Float32Array.from(sample, (v) => bias[v]));
  const { queries, queryOf } = pageQueries(model, ex);
  const score = new Float32Array(ex.count);
  const rank = new Float32Array(ex.count);
  // Live videos by time: sorted upload times, to count the videos uploaded by a page's start.
  const uploads = Float32Array.from(upload).sort();
  try {
    let e = 0;
    for (let s = 0; s < queries.count; s += chunk) {
      const part = Int32Array.from({ length: Math.min(chunk, queries.count - s) }, (_, k) => s + k);
      const uT = model.userVectors(model.inputs(queries, part, true));
      const sT = tf.tidy(() => tf.add(tf.matMul(uT, sampleT), sampleBias));
      const [u, sc] = (await Promise.all([uT.data(), sT.data()])) as Float32Array[];
      tf.dispose([uT, sT]);
      for (; e < ex.count && queryOf[e] < s + part.length; e++) {
        const q = queryOf[e] - s;
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
        score[e] = z;
        rank[e] = Math.log(1 + (live > 0 ? (liveVideos * above) / live : 0));
      }
    }
  } finally {
    tf.dispose([sampleT, sampleBias]);
  }
  ex.sourceScore = score;
  ex.sourceRank = rank;
}
