/**
 * Label ranks of held-out next watches under a candidate model, computed the fast way for the
 * live loop: the backend does only the matrix product (scores u·v_i + b_i of a chunk of users
 * against every video), the scores are read back with `await data()`, and the rank — the
 * number of videos already uploaded at the label's time that score strictly higher than the
 * label — is counted in plain TypeScript.
 *
 * Why not `modelRanks` (src/model/candidate/evaluate.ts)? It gives the same ranks (tested),
 * but builds a one-hot [chunk × videos] matrix and four more of that size on the backend for
 * each chunk, and multiplies by the table with `transposeB` (about 6× slower than a
 * pre-transposed table under WASM): 2 s for 500 examples on the default 20 000-video world,
 * against about 0.2 s here — and the live loop evaluates every 50 steps.
 */
import * as tf from '@tensorflow/tfjs';
import type { CandidateExamples } from '../sim/examples';
import type { CandidateModel } from '../model/candidate/model';

/** 0-based rank of each example's label among live videos (ties do not count against it). */
export async function liveRanks(
  model: CandidateModel,
  examples: CandidateExamples,
  rows: Int32Array,
  chunk = 128,
): Promise<Int32Array> {
  const world = model.world;
  const N = world.videos.count;
  const upload = world.videos.uploadTime;
  const ranks = new Int32Array(rows.length);
  // The table transposed once to [d × N]: WASM's matMul with transposeB is ~6× slower here.
  const table = tf.tidy(() => tf.transpose(tf.tensor2d(model.videoOut.weights, [N, model.d])));
  const bias = tf.tensor1d(model.videoBias.weights);
  try {
    for (let s = 0; s < rows.length; s += chunk) {
      const part = rows.subarray(s, Math.min(rows.length, s + chunk));
      const u = model.userVectors(model.inputs(examples, part, true));
      const scoresT = tf.tidy(() => tf.add(tf.matMul(u, table), bias));
      u.dispose();
      const scores = (await scoresT.data()) as Float32Array;
      scoresT.dispose();
      for (let b = 0; b < part.length; b++) {
        const r = part[b];
        const t = examples.time[r];
        const base = b * N;
        const target = scores[base + examples.label[r]];
        let rank = 0;
        for (let v = 0; v < N; v++) if (upload[v] <= t && scores[base + v] > target) rank++;
        ranks[s + b] = rank;
      }
    }
  } finally {
    tf.dispose([table, bias]);
  }
  return ranks;
}
