/**
 * Headless diagnostics of the ranker (docs/model.md#diagnostics), printed by `npm run train`
 * under `diagnostics`:
 *
 * - `zeroCountCtr`: the click-through rate of impressions whose observed-popularity feature is
 *   0 (no earlier watch of the video), in the train and the test split. A feature computed
 *   without leaking the label gives about the same CTR in both.
 * - `freshShareTop3`: the share of fresh videos (uploaded less than FRESH_AGE_DAYS before the
 *   impression) among each held-out page's top 3, ranked by the model's logit and by the
 *   oracle's E[T].
 * - `calibration`: e^z against the oracle's E[T] per impression, for the run's odds weighting.
 * - `freshByUpload`, `inSample`: where the fresh videos' over-prediction lives — fresh videos
 *   uploaded before the split day (ids with training impressions) against those uploaded in the
 *   test week (ids the ranker never saw), and the same fresh figures on training pages.
 *
 * Pure TypeScript over arrays; the caller supplies the model's logits.
 */
import type { RankingExamples } from '../sim/ranking-examples';
import { calibration } from './metrics-calibration';
import { topKWatchTime } from './metrics-ranking';

/** A video is "fresh" at an impression when its age (days) is below this: the test week. */
export const FRESH_AGE_DAYS = 7;

/** CTR of the impressions whose video had no earlier watch (logPopularity = 0). */
export interface ZeroCountCtr {
  /** Clicks / impressions among zero-count impressions (NaN when there are none). */
  ctr: number;
  /** Number of zero-count impressions. */
  impressions: number;
  /** Their share of all impressions of the examples, in [0, 1]. */
  share: number;
}

/**
 * {@link ZeroCountCtr} of ranking examples whose session starts at or after `fromDay` (default:
 * all): O(count). `share` is relative to all the examples.
 */
export function zeroCountCtr(examples: RankingExamples, fromDay = -Infinity): ZeroCountCtr {
  let n = 0;
  let clicks = 0;
  for (let i = 0; i < examples.count; i++) {
    if (examples.logPopularity[i] === 0 && examples.time[i] >= fromDay) {
      n++;
      clicks += examples.clicked[i];
    }
  }
  return {
    ctr: n ? clicks / n : NaN,
    impressions: n,
    share: examples.count ? n / examples.count : NaN,
  };
}

/**
 * Share of fresh videos (videoAge < `freshDays`) among each page's top `k` impressions by
 * `score` [rows.length] (rows of `examples`, whole pages), averaged over all chosen
 * impressions; ties at the cut-off are resolved in expectation (metrics-ranking.ts
 * `topKWatchTime`). In [0, 1].
 */
export function freshShareTopK(
  examples: RankingExamples,
  rows: ArrayLike<number>,
  score: ArrayLike<number>,
  k = 3,
  freshDays = FRESH_AGE_DAYS,
): number {
  const page = Int32Array.from(rows, (r) => examples.page[r]);
  const fresh = Float64Array.from(rows, (r) => (examples.videoAge[r] < freshDays ? 1 : 0));
  return topKWatchTime({ page, score, oracleWatchTime: fresh }, k).model;
}

/** The ranker's calibration of e^z against the oracle's E[T] (minutes per impression). */
export interface OddsCalibrationDiagnostic {
  /** Least-squares E[T] ≈ intercept + slope·e^z (1 and 0 when calibrated). */
  slope: number;
  intercept: number;
  /** Σ e^z / Σ E[T]: the mean over-prediction factor (1 when calibrated on average). */
  ratioOfMeans: number;
}

/** {@link OddsCalibrationDiagnostic} of logits `z` [rows.length] of `rows` of `examples`. */
export function oddsCalibrationDiagnostic(
  examples: RankingExamples,
  rows: ArrayLike<number>,
  z: ArrayLike<number>,
): OddsCalibrationDiagnostic {
  const odds = Float64Array.from(z, (x) => Math.exp(x));
  const truth = Float64Array.from(rows, (r) => examples.oracleWatch[r]);
  const fit = calibration(odds, truth, 1);
  let so = 0;
  let st = 0;
  for (let i = 0; i < odds.length; i++) {
    so += odds[i];
    st += truth[i];
  }
  return { slope: fit.slope, intercept: fit.intercept, ratioOfMeans: so / st };
}

/** Mean served e^z and mean oracle E[T] (minutes per impression) of a group of impressions. */
export interface GroupOdds {
  impressions: number;
  meanOdds: number;
  meanTruth: number;
}

/**
 * {@link GroupOdds} of two groups of `rows` (logits `z` [rows.length]): `groupOf(row)` gives 0 or
 * 1, or -1 to leave the row out.
 */
function twoGroups(
  examples: RankingExamples,
  rows: ArrayLike<number>,
  z: ArrayLike<number>,
  groupOf: (row: number) => -1 | 0 | 1,
): [GroupOdds, GroupOdds] {
  const acc = [
    [0, 0, 0],
    [0, 0, 0],
  ];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const g = groupOf(r);
    if (g < 0) continue;
    const a = acc[g];
    a[0]++;
    a[1] += Math.exp(z[i]);
    a[2] += examples.oracleWatch[r];
  }
  const group = ([n, o, t]: number[]): GroupOdds => ({
    impressions: n,
    meanOdds: n ? o / n : NaN,
    meanTruth: n ? t / n : NaN,
  });
  return [group(acc[0]), group(acc[1])];
}

/**
 * {@link GroupOdds} of the fresh impressions (videoAge < `freshDays`) and of the others among
 * `rows`, for logits `z` [rows.length]: does the ranker over- or under-predict fresh videos?
 */
export function freshOdds(
  examples: RankingExamples,
  rows: ArrayLike<number>,
  z: ArrayLike<number>,
  freshDays = FRESH_AGE_DAYS,
): { fresh: GroupOdds; other: GroupOdds } {
  const [fresh, other] = twoGroups(examples, rows, z, (r) =>
    examples.videoAge[r] < freshDays ? 0 : 1,
  );
  return { fresh, other };
}

/**
 * {@link GroupOdds} of the fresh impressions (videoAge < `freshDays`) among `rows`, split by the
 * video's upload: before `splitDay` (its id had training impressions) or at/after it (an id the
 * ranker never saw in training). `z` [rows.length] are the logits of `rows`.
 */
export function freshOddsByUpload(
  examples: RankingExamples,
  rows: ArrayLike<number>,
  z: ArrayLike<number>,
  splitDay: number,
  freshDays = FRESH_AGE_DAYS,
): { beforeSplit: GroupOdds; afterSplit: GroupOdds } {
  const [beforeSplit, afterSplit] = twoGroups(examples, rows, z, (r) =>
    !(examples.videoAge[r] < freshDays)
      ? -1
      : examples.time[r] - examples.videoAge[r] < splitDay
        ? 0
        : 1,
  );
  return { beforeSplit, afterSplit };
}

/** Optional inputs of {@link rankingDiagnostics}: the split day and logits of training pages. */
export interface FreshEvidence {
  /** The world's first test day. */
  splitDay: number;
  /** Whole training pages (rows of the train examples) and the model's logits of them. */
  trainRows: ArrayLike<number>;
  trainZ: ArrayLike<number>;
}

/** Everything `npm run train` prints under `diagnostics` about the ranker. */
export interface RankingDiagnostics {
  /**
   * CTR of zero-count impressions: train and test split, and train from day FRESH_AGE_DAYS on
   * (`trainAfterWeek1`: in the log's first week zero count also means "not watched yet" for
   * catalogue videos, which the test week does not see); shares of all impressions.
   */
  zeroCountCtr: {
    train: number;
    test: number;
    trainAfterWeek1: number;
    trainShare: number;
    testShare: number;
  };
  freshShareTop3: { model: number; oracle: number };
  /** Mean e^z against mean E[T] for fresh impressions and the others. */
  freshOdds: { fresh: GroupOdds; other: GroupOdds };
  calibration: OddsCalibrationDiagnostic & { odds: 'exact' | 'paper' | 'ctr' };
  /** With {@link FreshEvidence}: test fresh impressions by upload ({@link freshOddsByUpload}). */
  freshByUpload?: { beforeSplit: GroupOdds; afterSplit: GroupOdds };
  /** With {@link FreshEvidence}: the fresh figures on training pages (in sample). */
  inSample?: {
    freshShareTop3: { model: number; oracle: number };
    freshOdds: { fresh: GroupOdds; other: GroupOdds };
  };
}

/**
 * All ranking diagnostics: `z` [rows.length] are the model's logits of `rows` (whole pages)
 * of the test examples; `odds` names the run's weighting.
 */
export function rankingDiagnostics(
  train: RankingExamples,
  test: RankingExamples,
  rows: ArrayLike<number>,
  z: ArrayLike<number>,
  odds: 'exact' | 'paper' | 'ctr',
  evidence?: FreshEvidence,
): RankingDiagnostics {
  const tr = zeroCountCtr(train);
  const te = zeroCountCtr(test);
  const oracle = Float64Array.from(rows, (r) => test.oracleWatch[r]);
  const more: Partial<RankingDiagnostics> = {};
  if (evidence) {
    const { splitDay, trainRows, trainZ } = evidence;
    const trainOracle = Float64Array.from(trainRows, (r) => train.oracleWatch[r]);
    more.freshByUpload = freshOddsByUpload(test, rows, z, splitDay);
    more.inSample = {
      freshShareTop3: {
        model: freshShareTopK(train, trainRows, trainZ, 3),
        oracle: freshShareTopK(train, trainRows, trainOracle, 3),
      },
      freshOdds: freshOdds(train, trainRows, trainZ),
    };
  }
  return {
    zeroCountCtr: {
      train: tr.ctr,
      test: te.ctr,
      trainAfterWeek1: zeroCountCtr(train, FRESH_AGE_DAYS).ctr,
      trainShare: tr.share,
      testShare: te.share,
    },
    freshShareTop3: {
      model: freshShareTopK(test, rows, z, 3),
      oracle: freshShareTopK(test, rows, oracle, 3),
    },
    freshOdds: freshOdds(test, rows, z),
    calibration: { odds, ...oddsCalibrationDiagnostic(test, rows, z) },
    ...more,
  };
}

/** Retrieval against its ceilings: recall@k as in candidate/evaluate.ts (RECALL_KS). */
export interface RetrievalDiagnostics {
  /**
   * Regret of the model against the next-watch oracle on the oracle's own examples: oracle −
   * model recall@k, with the model's recall on those examples beside it (NaN: no oracle).
   */
  oracleRegret: { recallAt: Record<number, number>; modelRecallAt: Record<number, number> };
  /** The former, exposure-blind oracle (true click logit), on the oracle's rows; null if skipped. */
  clickLogitOracle: { recallAt: Record<number, number> } | null;
}

/**
 * {@link RetrievalDiagnostics} from the model's recall on the oracle's examples, the oracle's
 * and the click-logit oracle's recall (all on the same examples).
 */
export function retrievalDiagnostics(
  model: { recallAt: Record<number, number> },
  oracle: { recallAt: Record<number, number> } | null,
  clickLogitOracle: { recallAt: Record<number, number> } | null,
): RetrievalDiagnostics {
  const regret: Record<number, number> = {};
  for (const k of Object.keys(model.recallAt).map(Number))
    regret[k] = oracle ? oracle.recallAt[k] - model.recallAt[k] : NaN;
  return {
    oracleRegret: { recallAt: regret, modelRecallAt: model.recallAt },
    clickLogitOracle: clickLogitOracle ? { recallAt: clickLogitOracle.recallAt } : null,
  };
}
