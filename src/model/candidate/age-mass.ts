/**
 * The quantity of the paper's Figure 4, for a whole catalogue (docs/lessons.md#example-age):
 * how the probability of the next watch spreads over videos by days since upload, what users
 * watched against what the candidate model predicts at serving (example age 0).
 *
 * Days since upload are counted at the end of the training window (`splitDay`), the moment
 * example age 0 stands for, and only videos uploaded before it take part: a video uploaded
 * later has no training watch, so neither model could have learned it. Bucket d (0 ≤ d <
 * `AGE_DAYS`) holds the videos uploaded in [splitDay − d − 1, splitDay − d); the last bucket
 * holds every older one.
 */
import * as tf from '@tensorflow/tfjs';
import type { CandidateExamples } from '../../sim/examples';
import type { World } from '../../sim/types';
import type { CandidateModel } from './model';

/** Day buckets drawn one by one (0 … AGE_DAYS − 1 days before the split); one more holds the rest. */
export const AGE_DAYS = 21;

/** "Fresh": uploaded in the last this many days of training (buckets 0 … FRESH_DAYS − 1). */
export const FRESH_DAYS = 7;

/**
 * The age bucket of every video: −1 for videos uploaded at or after the split (left out),
 * else min(AGE_DAYS, floor(splitDay − uploadTime)) ∈ [0, AGE_DAYS]. Length: videos.
 */
export function ageBuckets(world: World): Int8Array {
  const split = world.config.splitDay;
  return Int8Array.from(world.videos.uploadTime, (t) =>
    t >= split ? -1 : Math.min(AGE_DAYS, Math.floor(split - t)),
  );
}

/**
 * What users watched: the share of the held-out labels of `rows` in each age bucket, among
 * labels uploaded before the split. Length AGE_DAYS + 1, sums to 1 (all 0 when no label counts).
 */
export function labelAgeShare(
  world: World,
  examples: CandidateExamples,
  rows: Int32Array,
): Float64Array {
  const bucket = ageBuckets(world);
  const share = new Float64Array(AGE_DAYS + 1);
  let n = 0;
  for (const r of rows) {
    const b = bucket[examples.label[r]];
    if (b < 0) continue;
    share[b]++;
    n++;
  }
  if (n > 0) for (let b = 0; b <= AGE_DAYS; b++) share[b] /= n;
  return share;
}

/**
 * What the model predicts: for each example of `rows`, the softmax of u·v_i + b_i at serving
 * (example age 0) over the videos uploaded before the split, summed per age bucket, and
 * averaged over the examples. Length AGE_DAYS + 1, sums to 1. The backend computes the
 * softmax; the bucket sums are plain TypeScript over the read-back probabilities.
 */
export async function modelAgeMass(
  model: CandidateModel,
  examples: CandidateExamples,
  rows: Int32Array,
  chunk = 128,
): Promise<Float64Array> {
  const world = model.world;
  const bucket = ageBuckets(world);
  const keep = Int32Array.from(
    bucket.reduce<number[]>((a, b, v) => (b >= 0 ? (a.push(v), a) : a), []),
  );
  const M = keep.length;
  const d = model.d;
  const out = model.videoOut.weights;
  const vt = new Float32Array(d * M);
  const bias = new Float32Array(M);
  for (let j = 0; j < M; j++) {
    const v = keep[j];
    for (let k = 0; k < d; k++) vt[k * M + j] = out[v * d + k];
    bias[j] = model.videoBias.weights[v];
  }
  const table = tf.tensor2d(vt, [d, M]);
  const b = tf.tensor1d(bias);
  const mass = new Float64Array(AGE_DAYS + 1);
  try {
    for (let s = 0; s < rows.length; s += chunk) {
      const part = rows.subarray(s, Math.min(rows.length, s + chunk));
      const u = model.userVectors(model.inputs(examples, part, true));
      const pT = tf.tidy(() => tf.softmax(tf.add(tf.matMul(u, table), b)));
      u.dispose();
      const p = (await pT.data()) as Float32Array;
      pT.dispose();
      for (let i = 0; i < part.length; i++) {
        const base = i * M;
        for (let j = 0; j < M; j++) mass[bucket[keep[j]]] += p[base + j];
      }
    }
  } finally {
    tf.dispose([table, b]);
  }
  if (rows.length > 0) for (let k = 0; k <= AGE_DAYS; k++) mass[k] /= rows.length;
  return mass;
}

/** The share of buckets 0 … FRESH_DAYS − 1 (videos uploaded in the last FRESH_DAYS days of training). */
export function freshShare(byBucket: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < FRESH_DAYS; k++) s += byBucket[k];
  return s;
}
