/**
 * Offline metrics for both stages (docs/model.md#metrics), in plain TypeScript so they run the same
 * in the worker, in Node tests and in `npm run train`. No tfjs: the model reads scores back once
 * (`await tensor.data()`) and hands the typed arrays to these functions.
 *
 * Conventions. A *rank* is 0-based (the best item has rank 0). A *score* is higher-is-better.
 * Parallel arrays have equal length. Means over an empty set are NaN, never 0, so "no data"
 * can't pass for "bad model". Ties never favour the model: retrieval ranks count ties against
 * the label; AUC, the weighted per-user loss and the top-k helper count a tie as half, i.e.
 * the expectation under a random tie-break.
 *
 * The code: retrieval in `metrics-retrieval.ts`, ranking in `metrics-ranking.ts`, calibration in
 * `metrics-calibration.ts`, shared checks in `metrics-common.ts`; this module re-exports them.
 */
export type { BinaryLabels } from './metrics-common';
export {
  averagePrecision,
  meanAveragePrecision,
  ndcgAtK,
  ndcgOfList,
  rankOfLabel,
  ranksOfLabels,
  recallAtK,
  recallCurve,
  recallFromRanks,
} from './metrics-retrieval';
export {
  auc,
  topKWatchTime,
  weightedPerUserLoss,
  type PageImpressions,
  type TopKWatchTime,
} from './metrics-ranking';
export { calibration, type CalibrationBin } from './metrics-calibration';
