/**
 * Retrieval evaluation on held-out next watches (docs/model.md#retrieval-metrics): for each
 * evaluation example, the rank of its label among every video already uploaded at the label's time,
 * scored by the model (u·v_i + b_i at serving, example age 0), by most-popular, or by the oracle.
 * From the ranks: recall@k, MAP and NDCG (src/model/metrics.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { CandidateExamples } from '../../sim/examples';
import { nextWatchProbabilities, watchStateBefore } from '../../sim/next-watch';
import { affinity, clickLogitFromAffinity, sigmoid } from '../../sim/oracle';
import type { World } from '../../sim/types';
import { meanAveragePrecision, ndcgAtK, recallFromRanks } from '../metrics';
import type { CandidateModel } from './model';

/** The k of recall@k reported everywhere. */
export const RECALL_KS = [10, 50, 100, 500] as const;

/**
 * The rank given to a label outside the video vocabulary (docs/model.md#vocabulary): beyond
 * every k, and 1/(rank + 1) ≈ 0 in MAP, so such an example counts as a miss.
 */
export const MISS_RANK = 2 ** 31 - 1;

/** Held-out labels outside the video vocabulary: each counts as a miss. */
export interface OutOfVocab {
  /** Number of evaluation examples whose label is out of vocabulary. */
  count: number;
  /** Their share of the evaluation examples, in [0, 1] (0 when there are none). */
  share: number;
}

/** {@link OutOfVocab} of examples `rows` for the mask `oov` (1 = out), or null = none out. */
export function outOfVocabLabels(
  oov: Uint8Array | null,
  examples: CandidateExamples,
  rows: Int32Array,
): OutOfVocab {
  let count = 0;
  if (oov) for (const r of rows) count += oov[examples.label[r]];
  return { count, share: rows.length ? count / rows.length : 0 };
}

/** Retrieval quality from label ranks. */
export interface RetrievalMetrics {
  /** recall@k for k in RECALL_KS (fraction of examples whose label ranks < k). */
  recallAt: Record<number, number>;
  /** Mean average precision (one relevant item: mean reciprocal rank). */
  map: number;
  /** NDCG@100. */
  ndcg: number;
  /** Number of evaluation examples. */
  examples: number;
  /** Labels outside the model's video vocabulary (counted as misses); absent for baselines. */
  outOfVocab?: OutOfVocab;
}

/** Metrics from 0-based label ranks. */
export function retrievalMetrics(ranks: Int32Array): RetrievalMetrics {
  const recallAt: Record<number, number> = {};
  for (const k of RECALL_KS) recallAt[k] = recallFromRanks(ranks, k);
  return {
    recallAt,
    map: meanAveragePrecision(ranks),
    ndcg: ndcgAtK(ranks, 100),
    examples: ranks.length,
  };
}

/** Example indices to evaluate: all, or an evenly spaced sample of at most `max`. */
export function evaluationRows(examples: CandidateExamples, max = Infinity): Int32Array {
  const n = Math.min(examples.count, max);
  return Int32Array.from({ length: n }, (_, i) => Math.floor((i * examples.count) / n));
}

/**
 * Label ranks under the model: the backend does only the matrix product (scores u·v_i + b_i
 * of a chunk of examples against every video, the table transposed once: WASM's matMul with
 * transposeB is about 6× slower here), the scores are read back with `await data()`, and the
 * rank — the number of other videos already uploaded at the example's time that score at
 * least as high as the label (ties count against the label, as in metrics.ts) — is counted in
 * plain TypeScript. A label outside the model's video vocabulary gets {@link MISS_RANK}.
 */
export async function modelRanks(
  model: CandidateModel,
  examples: CandidateExamples,
  rows: Int32Array,
  chunk = 128,
): Promise<Int32Array> {
  const world = model.world;
  const N = world.videos.count;
  const upload = world.videos.uploadTime;
  const ranks = new Int32Array(rows.length);
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
        const label = examples.label[r];
        if (model.outOfVocab?.[label]) {
          ranks[s + b] = MISS_RANK;
          continue;
        }
        const target = scores[base + label];
        let rank = 0;
        for (let v = 0; v < N; v++)
          if (upload[v] <= t && scores[base + v] >= target && v !== label) rank++;
        ranks[s + b] = rank;
      }
    }
  } finally {
    tf.dispose([table, bias]);
  }
  return ranks;
}

/**
 * Ranks of labels among live videos for a per-example score function (plain TypeScript):
 * `score(row, out)` fills `out` [videos]; the rank is the number of other videos uploaded by
 * the example's time that score at least as high as the label (ties count against the label,
 * as in metrics.ts).
 */
export function ranksByScore(
  world: World,
  examples: CandidateExamples,
  rows: Int32Array,
  score: (row: number, out: Float64Array) => void,
): Int32Array {
  const N = world.videos.count;
  const upload = world.videos.uploadTime;
  const s = new Float64Array(N);
  return Int32Array.from(rows, (r) => {
    score(r, s);
    const t = examples.time[r];
    const label = examples.label[r];
    const target = s[label];
    let rank = 0;
    for (let v = 0; v < N; v++) if (upload[v] <= t && s[v] >= target && v !== label) rank++;
    return rank;
  });
}

/**
 * Most-popular baseline: videos ranked by their watches in the last `windowDays` of training
 * (ties: by all-time training watches). The same for every user.
 */
export function popularRanks(
  world: World,
  examples: CandidateExamples,
  rows: Int32Array,
  windowDays = 7,
): Int32Array {
  const { watchTime, watchVideo } = world.logs;
  const split = world.config.splitDay;
  const recent = new Float64Array(world.videos.count);
  for (let j = 0; j < watchTime.length; j++) {
    const t = watchTime[j];
    if (t < split) recent[watchVideo[j]] += (t >= split - windowDays ? 1 : 0) + 1e-6;
  }
  return ranksByScore(world, examples, rows, (_, out) => out.set(recent));
}

/**
 * The retrieval oracle (docs/model.md#oracle-ceiling): every video ranked by the world's own
 * probability that it is the user's next watch at the label's time, exposure included
 * (src/sim/next-watch.ts, Monte Carlo over `samples` pages per example). Videos that no
 * sampled page showed (probability estimate 0) come after every sampled one, ordered among
 * themselves by a proxy of their chance, P(click) · (2·popularity + 1/videos). The ceiling a
 * model of the logs can at best approach. O(samples · page) + O(videos) per example.
 */
export function oracleRanks(
  world: World,
  examples: CandidateExamples,
  rows: Int32Array,
  samples = 512,
): Int32Array {
  const N = world.videos.count;
  const pop = world.videos.popularity;
  return ranksByScore(world, examples, rows, (r, out) => {
    const u = examples.user[r];
    const t = examples.time[r];
    const p = nextWatchProbabilities(world, u, t, { samples });
    const state = watchStateBefore(world, u, t);
    for (let v = 0; v < N; v++) {
      if (p[v] > 0) out[v] = 1 + p[v];
      else {
        const click = sigmoid(
          clickLogitFromAffinity(world, u, v, t, affinity(world, u, v), {
            watched: state.watched.has(v),
          }),
        );
        out[v] = click * (2 * pop[v] + 1 / N) * 0.5;
      }
    }
  });
}

/**
 * The former oracle, kept for comparison: the true click logit of the user for every video at
 * the label's time (affinity, popularity, freshness, clickbait, language), blind to exposure.
 */
export function clickLogitOracleRanks(
  world: World,
  examples: CandidateExamples,
  rows: Int32Array,
): Int32Array {
  const N = world.videos.count;
  return ranksByScore(world, examples, rows, (r, out) => {
    const u = examples.user[r];
    const t = examples.time[r];
    for (let v = 0; v < N; v++)
      out[v] = clickLogitFromAffinity(world, u, v, t, affinity(world, u, v));
  });
}

/**
 * Mean softmax probability mass the model gives, at serving, to the videos in `group`
 * (a 0/1 mask over videos), among videos live at each example's time: the quantity of the
 * paper's Figure 4 for a group of fresh uploads.
 */
export async function groupMass(
  model: CandidateModel,
  examples: CandidateExamples,
  rows: Int32Array,
  group: Uint8Array,
  chunk = 256,
): Promise<number> {
  const world = model.world;
  const N = world.videos.count;
  // [d × N], transposed once: tfjs-wasm multiplies fast only untransposed operands (matmul.ts).
  const table = tf.tidy(() => tf.transpose(tf.tensor2d(model.videoOut.weights, [N, model.d])));
  const bias = tf.tensor1d(model.videoBias.weights);
  const upload = tf.tensor2d(world.videos.uploadTime, [1, N]);
  const member = tf.tensor2d(Float32Array.from(group), [1, N]);
  let total = 0;
  for (let s = 0; s < rows.length; s += chunk) {
    const part = rows.subarray(s, Math.min(rows.length, s + chunk));
    const u = model.userVectors(model.inputs(examples, part, true));
    const times = tf.tensor2d(
      Float32Array.from(part, (r) => examples.time[r]),
      [part.length, 1],
    );
    const mass = tf.tidy(() => {
      const scores = tf.add(tf.matMul(u, table), bias);
      const live = tf.where(tf.lessEqual(upload, times), scores, tf.fill(scores.shape, -1e9));
      const p = tf.softmax(live);
      return tf.sum(tf.mul(p, member));
    });
    total += (await mass.data())[0];
    tf.dispose([u, times, mass]);
  }
  tf.dispose([table, bias, upload, member]);
  return total / rows.length;
}
