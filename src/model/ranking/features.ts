/**
 * The ranker's inputs (paper §4.1), built in plain TypeScript from {@link RankingExamples}:
 *
 * - continuous features — time since the user last watched the video's channel and topic,
 *   previous impressions of the video to the user, video age, observed popularity and the
 *   watch bag's size — each mapped to x̃ ∈ [0, 1) by its *training* quantiles (fitted on the
 *   train split once, reused unchanged for the test split and at serving), plus x̃² and √x̃
 *   when `powers` is on;
 * - with the `sources` group, the candidate model's score and log rank of the impression video
 *   ({@link SOURCE_FEATURES}), quantile-normalised like the others;
 * - with the `language` group, language match as 0/1 and two sparse fields read from ONE
 *   language table: the user's language and the video's (a bag of one each);
 * - two sparse fields read from ONE video-id embedding table (the paper shares a video id's
 *   embedding wherever that id appears): the impression video (a bag of one) and the user's
 *   watch bag (averaged, paper §3.2).
 *
 * Dense layout of one example (width {@link denseWidth}): for each continuous feature of
 * {@link continuousFeatures} in order, x̃ (and then x̃², √x̃ with powers); languageMatch last
 * (with the language group).
 */
import type { RankingExamples } from '../../sim/ranking-examples';
import { defaultRankingConfig, type RankingFeatureSet } from './config';
import type { World } from '../../sim/types';
import { LocalIndex, type SparseEmbedding } from '../embedding';
import { bagGradients, csrField, rangeField, type BagField } from '../candidate/inputs';
import { fitQuantiles, type QuantileNormalizer } from '../quantiles';

/** The continuous features every ranker sees, in input order. `bagSize` is the watch bag's length. */
export const CONTINUOUS_FEATURES = [
  'sinceChannel',
  'sinceTopic',
  'previousImpressions',
  'videoAge',
  'logPopularity',
  'bagSize',
] as const;

/** The candidate source's features (the `sources` group): score u·v and log rank. */
export const SOURCE_FEATURES = ['sourceScore', 'sourceRank'] as const;

/** Every continuous feature, always-on ones first. */
export const ALL_CONTINUOUS = [...CONTINUOUS_FEATURES, ...SOURCE_FEATURES] as const;
export type ContinuousFeature = (typeof ALL_CONTINUOUS)[number];

/** The default feature groups (the ranker's default), used by the helpers below when none is given. */
const DEFAULT_FEATURES: Readonly<RankingFeatureSet> = defaultRankingConfig.features;

/** The continuous features a ranker with feature groups `features` sees, in input order. */
export function continuousFeatures(features: RankingFeatureSet): readonly ContinuousFeature[] {
  return features.sources ? ALL_CONTINUOUS : CONTINUOUS_FEATURES;
}

/** One fitted quantile normaliser per continuous feature (training split only). */
export type FeatureQuantiles = { readonly [K in ContinuousFeature]: QuantileNormalizer };

/**
 * Raw value of continuous feature `f` of example i (days, counts, log counts; the source
 * features are 0 when no candidate model's sources were attached).
 */
export function rawFeature(ex: RankingExamples, f: ContinuousFeature, i: number): number {
  if (f === 'bagSize') return ex.bagEnd[i] - ex.bagStart[i];
  if (f === 'sourceScore' || f === 'sourceRank') return ex[f]?.[i] ?? 0;
  return ex[f][i];
}

/**
 * Fits the quantiles of every continuous feature on the training examples (paper §4.1: "in a
 * single pass over the data before training"). Refuses test-split examples, whose quantiles
 * would leak the evaluation days into the inputs. O(n log n) per feature.
 */
export function fitFeatureQuantiles(train: RankingExamples, buckets = 100): FeatureQuantiles {
  if (train.options.split !== 'train') {
    throw new RangeError(
      'feature quantiles must be fitted on the train split, not on held-out examples',
    );
  }
  const out = {} as Record<ContinuousFeature, QuantileNormalizer>;
  const values = new Float32Array(train.count);
  for (const f of ALL_CONTINUOUS) {
    for (let i = 0; i < train.count; i++) values[i] = rawFeature(train, f, i);
    out[f] = fitQuantiles(values, buckets);
  }
  return out;
}

/**
 * Number of dense inputs: 1 or 3 per continuous feature of the groups, plus language match
 * with the language group.
 */
export function denseWidth(
  powers: boolean,
  features: RankingFeatureSet = DEFAULT_FEATURES,
): number {
  return continuousFeatures(features).length * (powers ? 3 : 1) + (features.language ? 1 : 0);
}

/**
 * Dense inputs of examples `rows` [rows.length × denseWidth(powers, features)], row-major, every
 * value in [0, 1) except languageMatch ∈ {0, 1}.
 */
export function denseFeatures(
  ex: RankingExamples,
  rows: ArrayLike<number>,
  quantiles: FeatureQuantiles,
  powers: boolean,
  features: RankingFeatureSet = DEFAULT_FEATURES,
): Float32Array {
  const width = denseWidth(powers, features);
  const out = new Float32Array(rows.length * width);
  denseInto(ex, rows, quantiles, powers, features, out, width, 0);
  return out;
}

/** Raw values of one column (reused by {@link denseInto}: one step's rows at a time). */
let rawScratch = new Float64Array(0);

/**
 * {@link rawFeature} of `f` for each of `rows`, into out[0 … rows.length): one loop per kind of
 * column (a stored column, the bag size, a missing source column: 0), no call per value.
 */
function rawColumn(
  ex: RankingExamples,
  f: ContinuousFeature,
  rows: ArrayLike<number>,
  out: Float64Array,
): void {
  const B = rows.length;
  if (f === 'bagSize') {
    const start = ex.bagStart;
    const end = ex.bagEnd;
    for (let b = 0; b < B; b++) out[b] = end[rows[b]] - start[rows[b]];
    return;
  }
  const col = ex[f];
  if (col === undefined) out.fill(0, 0, B);
  else for (let b = 0; b < B; b++) out[b] = col[rows[b]];
}

/**
 * {@link denseFeatures} of row b written to out[b · stride + at …] (the tower's input rows when
 * stride is their width), column by column.
 */
export function denseInto(
  ex: RankingExamples,
  rows: ArrayLike<number>,
  quantiles: FeatureQuantiles,
  powers: boolean,
  features: RankingFeatureSet,
  out: Float32Array,
  stride: number,
  at: number,
): void {
  const B = rows.length;
  if (rawScratch.length < B) rawScratch = new Float64Array(B);
  const raw = rawScratch;
  // Feature by feature (one column, one normaliser); a value equal to the row before's (the
  // bag size of one user's candidates, the many "never" gaps) reuses its transform.
  for (const f of continuousFeatures(features)) {
    rawColumn(ex, f, rows, raw);
    const q = quantiles[f];
    let last = NaN;
    let t = NaN;
    for (let b = 0, o = at; b < B; b++, o += stride) {
      const x = raw[b];
      if (x !== last) {
        t = q.transform(x);
        last = x;
      }
      out[o] = t;
      if (powers) {
        out[o + 1] = t * t;
        out[o + 2] = Math.sqrt(t);
      }
    }
    at += powers ? 3 : 1;
  }
  if (features.language) {
    const match = ex.languageMatch;
    for (let b = 0, o = at; b < B; b++, o += stride) out[o] = match[rows[b]];
  }
}

/** A batch's ranker inputs. */
export interface RankingInputs {
  batch: number;
  /** The impression video, a bag of one: its mean is the video's embedding [batch × dim]. */
  impression: BagField;
  /** The user's watch bag before the session (≤ maxWatches), averaged; zeros when empty. */
  watchBag: BagField;
  /** Dense inputs [batch × denseWidth]. */
  dense: Float32Array;
  /**
   * With the language group: the user's and the impression video's language, bags of one
   * read from one language table [batch × languageDim] each; absent without it.
   */
  languages?: { user: BagField; video: BagField };
}

/**
 * Inputs of examples `rows`. Both video fields read `videoTable`, the one shared video-id
 * embedding table; with `languageTable` (the language group) the user's and the video's
 * language read it.
 */
export function rankingInputs(
  world: World,
  ex: RankingExamples,
  rows: ArrayLike<number>,
  videoTable: SparseEmbedding,
  quantiles: FeatureQuantiles,
  powers: boolean,
  features: RankingFeatureSet = DEFAULT_FEATURES,
  languageTable?: SparseEmbedding,
): RankingInputs {
  const B = rows.length;
  const one = new Int32Array(B + 1);
  const videos = new Int32Array(B);
  const starts = new Int32Array(B);
  const ends = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const r = rows[b];
    one[b + 1] = b + 1;
    videos[b] = ex.video[r];
    starts[b] = ex.bagStart[r];
    ends[b] = ex.bagEnd[r];
  }
  const out: RankingInputs = {
    batch: B,
    impression: csrField(videoTable, videos, one),
    // Rows of one user at one time share their bag: it is averaged once (rangeField).
    watchBag: rangeField(videoTable, world.logs.watchVideo, starts, ends),
    dense: denseFeatures(ex, rows, quantiles, powers, features),
  };
  if (features.language && languageTable) {
    const ul = world.users.language;
    const vl = world.videos.language;
    const userLanguage = new Int32Array(B);
    const videoLanguage = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      userLanguage[b] = ul[ex.user[rows[b]]];
      videoLanguage[b] = vl[videos[b]];
    }
    out.languages = {
      user: csrField(languageTable, userLanguage, one),
      video: csrField(languageTable, videoLanguage, one),
    };
  }
  return out;
}

/**
 * Gradients of several fields that read the same table, summed per distinct id: the returned
 * ids are distinct and `grads` [ids.length × dim] holds, for each id, the sum of its gradients
 * through every field (the chain rule for a shared parameter).
 *
 * Why merge rather than call `applyGradients` once per field: lazy Adam advances its step
 * counter t (bias correction) per call, and a row used by both fields would get two Adam moves
 * from two partial gradients instead of one move from their sum. Merging makes the shared table
 * take exactly one optimizer step per training step, as a dense tfjs variable would.
 */
export function sharedTableGradients(
  fields: readonly BagField[],
  gMeans: readonly Float32Array[],
): { ids: number[]; grads: Float32Array } {
  if (fields.length === 0) return { ids: [], grads: new Float32Array(0) };
  const table = fields[0].table;
  const d = table.dim;
  const parts = fields.map((f, i) => {
    if (f.table !== table)
      throw new RangeError('sharedTableGradients: fields read different tables');
    return bagGradients(f, gMeans[i]);
  });
  const local = new LocalIndex();
  for (const p of parts) for (const id of p.ids) local.add(id);
  const grads = new Float32Array(local.size * d);
  for (const p of parts) {
    for (let i = 0; i < p.ids.length; i++) {
      const base = local.add(p.ids[i]) * d;
      for (let k = 0; k < d; k++) grads[base + k] += p.grads[i * d + k];
    }
  }
  return { ids: local.ids, grads };
}
