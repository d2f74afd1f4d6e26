/**
 * Ranking evaluation on held-out (test-split) impressions (docs/model.md#ranking-metrics, paper
 * §4.2–4.3):
 *
 * - AUC of the logit z against clicks;
 * - the paper's weighted, per-user loss over (clicked, unclicked) pairs of one page, with the
 *   observed watch minutes as the positives' weights (metrics.ts; both normalisations);
 * - calibration of the served odds e^z against the oracle's expected watch minutes per
 *   impression E[T] = P(click)·E[watch | click];
 * - end to end: oracle E[T] per impression of each page's top k by model score, against the
 *   oracle's own top k and a random order, and the clickbait share of those top k.
 *
 * What e^z estimates. Weighted logistic regression with weight T for a click and 1 for a
 * non-click is fitted, in each cell of the inputs, at odds = Σ_pos T / Σ_neg 1 =
 * E[T] / (1 − P), where E[T] is the expected watch time per impression and P the click
 * probability. The paper writes this as E[T]·(1 + P) ≈ E[T] (P small). With this world's click
 * rates (median P ≈ 0.08, but P > 0.5 on a tenth of the impressions: next episodes, fresh
 * and clickbait videos) e^z over-predicts E[T] by 1/(1 − P) exactly where it is large, so the
 * least-squares slope of E[T] on e^z falls well below 1 (measured ≈ 0.34 on a 3 000-video
 * world, where the top decile of e^z has mean P ≈ 0.4). `oddsCalibration` compares e^z, bin by
 * bin, with Σ E[T] / Σ (1 − P), the odds such a model is fitted to (measured slope ≈ 0.75).
 * The `exactOdds` weighting (config.ts) counts clicks as unit negatives too, so its odds are
 * Σ T / N = E[T] and its plain calibration slope is near 1 (measured ≈ 0.84–0.95).
 *
 * For the unweighted (CTR) model e^z is the odds of a click, P/(1 − P), in other units
 * altogether: its calibration figures are computed but mean nothing as watch time.
 */
import type { RankingExamples } from '../../sim/ranking-examples';
import type { World } from '../../sim/types';
import {
  auc,
  calibration,
  topKWatchTime,
  weightedPerUserLoss,
  type CalibrationBin,
} from '../metrics';
import type { LossWeighting } from './config';
import { exampleLossWeights, oddsOf, type RankingModel } from './model';

/** Least-squares calibration of a prediction against a truth (metrics.ts `calibration`). */
export interface Calibration {
  /** Fit truth ≈ intercept + slope · prediction; 1 and 0 when calibrated. */
  slope: number;
  intercept: number;
  /** Quantile bins of the prediction for a reliability plot. */
  bins: CalibrationBin[];
}

/** Everything the ranking views show about one model on held-out impressions. */
export interface RankingMetrics {
  /** Impressions and pages evaluated. */
  impressions: number;
  pages: number;
  /** ROC AUC of z against clicked (1/2 = chance). */
  auc: number;
  /**
   * The paper's weighted, per-user loss (Table 1): mispredicted watch time over all
   * (clicked, unclicked) pairs of a page / total watch time of those pairs; 0 perfect,
   * about 1/2 random ('pairs' normalisation, metrics.ts).
   */
  weightedPerUserLoss: number;
  /** The same with each click weighing its watch time once ('positives' normalisation). */
  weightedPerUserLossPerPositive: number;
  /** Held-out weighted logistic loss under `weighting` (nats per unit weight; model.ts). */
  logLoss: number;
  /** Mean e^z (weighted model: predicted minutes per impression). */
  meanOdds: number;
  /** Mean oracle E[T] (minutes per impression) of the impressions evaluated. */
  meanOracleWatch: number;
  /** e^z against the oracle's E[T] (minutes per impression). */
  calibration: Calibration;
  /**
   * e^z against what weighted logistic regression's odds estimate for a group of impressions,
   * Σ E[T] / Σ (1 − P) (P the oracle's P(click)): in each of `bins` quantile bins of e^z,
   * meanPredicted = mean e^z and meanActual = Σ E[T] / Σ (1 − P) over the bin; slope and
   * intercept are the least-squares line through the bins (equal counts, so unweighted). A
   * diagnostic of the paper's "(1 + P)" factor: P is truth, unknown at serving. It is done per
   * bin, not per impression, because E[T]/(1 − P) of one impression explodes as P → 1.
   */
  oddsCalibration: Calibration;
  /** End to end, each page's top k (k = 3 by default; docs/design-notes.md#calibration). */
  topK: {
    k: number;
    /** Oracle E[T] per impression of the model's top k (minutes). */
    watchPerImpression: number;
    /** The same for the oracle's own top k: the most any ranker can get. */
    oracleWatchPerImpression: number;
    /** The same for a random order (every impression of a page equally likely). */
    randomWatchPerImpression: number;
    /** oracle − model (minutes per impression), ≥ 0. */
    regret: number;
    /** Share of clickbait videos among the model's top k, in [0, 1]. */
    clickbaitShare: number;
    /** Among the oracle's top k (by E[T]). */
    oracleClickbaitShare: number;
    /** Under a random order: the pages' clickbait share. */
    randomClickbaitShare: number;
  };
}

/** Options of {@link rankingMetrics} and {@link evaluateRanking}. */
export interface RankingEvalOptions {
  /** Weighting of `logLoss` (default: the paper's; evaluateRanking: the model's own). */
  weighting: LossWeighting;
  /** Top k per page for the end-to-end figures (default 3). */
  k: number;
  /** Evaluate at most this many pages, evenly spaced (default: all). */
  maxPages: number;
  /** Bins of the calibration plots (default 10). */
  bins: number;
}

const defaults: RankingEvalOptions = {
  k: 3,
  weighting: { weighted: true, exactOdds: false },
  maxPages: Infinity,
  bins: 10,
};

/**
 * Rows of `examples` belonging to at most `maxPages` pages, evenly spaced over the distinct
 * pages in order of first appearance; whole pages only, since every page metric compares
 * impressions within a page. All rows when maxPages ≥ the number of pages.
 */
export function pageRows(examples: RankingExamples, maxPages = Infinity): Int32Array {
  const firstRow = new Map<number, number>();
  for (let i = 0; i < examples.count; i++)
    if (!firstRow.has(examples.page[i])) firstRow.set(examples.page[i], firstRow.size);
  const P = firstRow.size;
  if (maxPages >= P) return Int32Array.from({ length: examples.count }, (_, i) => i);
  const keep = new Uint8Array(P);
  for (let j = 0; j < maxPages; j++) keep[Math.floor((j * P) / maxPages)] = 1;
  const rows: number[] = [];
  for (let i = 0; i < examples.count; i++) if (keep[firstRow.get(examples.page[i])!]) rows.push(i);
  return Int32Array.from(rows);
}

/**
 * Metrics of logits `z` [rows.length] of examples `rows` (pure; the oracle's columns are
 * truth, never model inputs). Also scores baselines: pass e.g. log(oracleWatch) as z.
 */
export function rankingMetrics(
  world: World,
  examples: RankingExamples,
  rows: ArrayLike<number>,
  z: ArrayLike<number>,
  options: Partial<RankingEvalOptions> = {},
): RankingMetrics {
  const o = { ...defaults, ...options };
  const n = rows.length;
  if (z.length !== n) throw new RangeError(`z has length ${z.length} but rows has length ${n}`);
  const col = (c: ArrayLike<number>): Float64Array => Float64Array.from(rows, (r) => c[r]);
  const page = Int32Array.from(rows, (r) => examples.page[r]);
  const clicked = Uint8Array.from(rows, (r) => examples.clicked[r]);
  const watch = col(examples.watchMinutes);
  const oracleWatch = col(examples.oracleWatch);
  const clickbait = Float64Array.from(rows, (r) => world.videos.clickbait[examples.video[r]]);
  const odds = oddsOf(z);
  const score = Float64Array.from(z);

  let lossSum = 0;
  let weightSum = 0;
  for (let b = 0; b < n; b++) {
    const [a, neg] = exampleLossWeights(examples, rows[b], o.weighting);
    const zb = score[b];
    // a·softplus(−z) + neg·softplus(z); softplus(z) = max(z, 0) + log1p(e^−|z|) is stable, and
    // softplus(−z) = softplus(z) − z.
    const softplus = Math.max(zb, 0) + Math.log1p(Math.exp(-Math.abs(zb)));
    lossSum += a * (softplus - zb) + neg * softplus;
    weightSum += a + neg;
  }

  const top = topKWatchTime({ page, score, oracleWatchTime: oracleWatch }, o.k);
  const flat = new Float64Array(n);
  const random = topKWatchTime({ page, score: flat, oracleWatchTime: oracleWatch }, o.k);
  const cb = topKWatchTime({ page, score, oracleWatchTime: clickbait }, o.k);
  const cbOracle = topKWatchTime({ page, score: oracleWatch, oracleWatchTime: clickbait }, o.k);
  const cbRandom = topKWatchTime({ page, score: flat, oracleWatchTime: clickbait }, o.k);
  const mean = (a: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return a.length ? s / a.length : NaN;
  };
  return {
    impressions: n,
    pages: top.pages,
    auc: auc(score, clicked),
    weightedPerUserLoss: weightedPerUserLoss({ page, score, clicked, watchTime: watch }, 'pairs'),
    weightedPerUserLossPerPositive: weightedPerUserLoss(
      { page, score, clicked, watchTime: watch },
      'positives',
    ),
    logLoss: weightSum > 0 ? lossSum / weightSum : NaN,
    meanOdds: mean(odds),
    meanOracleWatch: mean(oracleWatch),
    calibration: calibration(odds, oracleWatch, o.bins),
    oddsCalibration: groupOddsCalibration(
      odds,
      oracleWatch,
      Float64Array.from(rows, (r) => 1 - examples.oracleClick[r]),
      o.bins,
    ),
    topK: {
      k: o.k,
      watchPerImpression: top.model,
      oracleWatchPerImpression: top.oracle,
      randomWatchPerImpression: random.model,
      regret: top.regret,
      clickbaitShare: cb.model,
      oracleClickbaitShare: cbOracle.model,
      randomClickbaitShare: cbRandom.model,
    },
  };
}

/**
 * Scores test-split `examples` (or a page subsample, `maxPages`) with the model and returns
 * {@link RankingMetrics}; the loss weighting defaults to the model's own.
 */
export async function evaluateRanking(
  model: RankingModel,
  examples: RankingExamples,
  options: Partial<RankingEvalOptions> = {},
): Promise<RankingMetrics> {
  const { weighted, exactOdds } = model.config;
  const o = { ...defaults, weighting: { weighted, exactOdds }, ...options };
  const rows = pageRows(examples, o.maxPages);
  const z = await model.predictLogits(examples, rows);
  return rankingMetrics(model.world, examples, rows, z, o);
}

/**
 * Bin-level calibration against a ratio of sums: quantile bins of `predicted` [n] (as in
 * metrics.ts `calibration`: equal counts ±1, increasing prediction, empty bins left out), each
 * with meanPredicted = mean prediction and meanActual = Σ num / Σ den over the bin; slope and
 * intercept of the least-squares line through the bin points (NaN with fewer than 2 bins or
 * equal bin predictions).
 */
export function groupOddsCalibration(
  predicted: ArrayLike<number>,
  num: ArrayLike<number>,
  den: ArrayLike<number>,
  numBins = 10,
): Calibration {
  const n = predicted.length;
  if (num.length !== n || den.length !== n)
    throw new RangeError('groupOddsCalibration: lengths differ');
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => predicted[a] - predicted[b],
  );
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < numBins; b++) {
    const lo = Math.floor((b * n) / numBins);
    const hi = Math.floor(((b + 1) * n) / numBins);
    if (hi === lo) continue;
    let sp = 0;
    let sn = 0;
    let sd = 0;
    for (let i = lo; i < hi; i++) {
      sp += predicted[order[i]];
      sn += num[order[i]];
      sd += den[order[i]];
    }
    bins.push({ meanPredicted: sp / (hi - lo), meanActual: sn / sd, count: hi - lo });
  }
  const fit = calibration(
    bins.map((b) => b.meanPredicted),
    bins.map((b) => b.meanActual),
    1,
  );
  return { slope: fit.slope, intercept: fit.intercept, bins };
}
