/**
 * Calibration of a prediction against the truth: a least-squares slope and intercept and the
 * quantile bins of a reliability plot. Conventions in `metrics.ts`.
 */
import { checkNoNaN, checkSameLength, meanOf } from './metrics-common';

/** One bin of a reliability plot. */
export interface CalibrationBin {
  meanPredicted: number;
  meanActual: number;
  count: number;
}

/**
 * Calibration of a prediction (e.g. the ranker's odds e^z) against the truth (the oracle's
 * E[watch time]), both [n] in the same units. `slope` and `intercept` are the least-squares fit
 * actual ≈ intercept + slope · predicted (perfect calibration: 1 and 0; NaN when `predicted` is
 * constant or n < 2). `bins` are up to `numBins` quantile bins of `predicted` (equal counts
 * ±1, in increasing order of prediction; empty bins left out) for a reliability plot.
 */
export function calibration(
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
  numBins = 10,
): { slope: number; intercept: number; bins: CalibrationBin[] } {
  const n = predicted.length;
  checkSameLength(n, actual.length, 'predicted', 'actual');
  checkNoNaN(predicted, 'predicted');
  const meanP = meanOf(predicted, (x) => x);
  const meanA = meanOf(actual, (x) => x);
  let cov = 0;
  let varP = 0;
  for (let i = 0; i < n; i++) {
    cov += (predicted[i] - meanP) * (actual[i] - meanA);
    varP += (predicted[i] - meanP) ** 2;
  }
  const slope = n >= 2 && varP > 0 ? cov / varP : NaN;
  const intercept = Number.isNaN(slope) ? NaN : meanA - slope * meanP;
  const order = new Int32Array(n).map((_, i) => i).sort((a, b) => predicted[a] - predicted[b]);
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < numBins; b++) {
    const lo = Math.floor((b * n) / numBins);
    const hi = Math.floor(((b + 1) * n) / numBins);
    if (hi === lo) continue;
    let sp = 0;
    let sa = 0;
    for (let i = lo; i < hi; i++) {
      sp += predicted[order[i]];
      sa += actual[order[i]];
    }
    bins.push({ meanPredicted: sp / (hi - lo), meanActual: sa / (hi - lo), count: hi - lo });
  }
  return { slope, intercept, bins };
}
