import { describe, expect, it } from 'vitest';
import type { RankingExamples } from '../sim/ranking-examples';
import {
  freshOdds,
  freshOddsByUpload,
  freshShareTopK,
  oddsCalibrationDiagnostic,
  rankingDiagnostics,
  retrievalDiagnostics,
  zeroCountCtr,
} from './diagnostics';

/** Two pages of four impressions; only the columns the diagnostics read. */
function examples(): RankingExamples {
  const n = 8;
  return {
    count: n,
    page: Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]),
    time: Float32Array.from([1, 1, 1, 1, 9, 9, 9, 9]),
    clicked: Uint8Array.from([1, 0, 0, 1, 0, 1, 0, 0]),
    logPopularity: Float32Array.from([0, 0, 2, 3, 0, 0, 1, 1]),
    videoAge: Float32Array.from([1, 30, 2, 100, 0.5, 8, 40, 6.9]),
    oracleWatch: Float64Array.from([4, 1, 2, 8, 3, 1, 0.5, 2]) as unknown as Float32Array,
  } as unknown as RankingExamples;
}

describe('ranking diagnostics', () => {
  it('zeroCountCtr: CTR and share of impressions with logPopularity 0, optionally from a day', () => {
    const ex = examples();
    expect(zeroCountCtr(ex)).toEqual({ ctr: 2 / 4, impressions: 4, share: 4 / 8 });
    expect(zeroCountCtr(ex, 5)).toEqual({ ctr: 1 / 2, impressions: 2, share: 2 / 8 });
    expect(Number.isNaN(zeroCountCtr(ex, 100).ctr)).toBe(true);
  });

  it('freshShareTopK: share of videos younger than 7 days in each page’s top k, ties in expectation', () => {
    const ex = examples();
    const rows = Int32Array.from({ length: 8 }, (_, i) => i);
    // Page 0 top 2 by score: rows 0 (fresh) and 3 (not); page 1: rows 4 (fresh) and 7 (fresh).
    const score = [9, 1, 2, 8, 9, 1, 2, 8];
    expect(freshShareTopK(ex, rows, score, 2)).toBeCloseTo(3 / 4, 12);
    // A constant score picks each page's top 2 at random: each page has 2 of 4 fresh.
    expect(freshShareTopK(ex, rows, new Float64Array(8), 2)).toBeCloseTo(1 / 2, 12);
  });

  it('oddsCalibrationDiagnostic: slope 1 and ratio 1 when e^z = E[T]; ratio 2 when doubled', () => {
    const ex = examples();
    const rows = Int32Array.from({ length: 8 }, (_, i) => i);
    const exact = Array.from(rows, (r) => Math.log(ex.oracleWatch[r]));
    const c = oddsCalibrationDiagnostic(ex, rows, exact);
    expect(c.slope).toBeCloseTo(1, 9);
    expect(c.intercept).toBeCloseTo(0, 9);
    expect(c.ratioOfMeans).toBeCloseTo(1, 9);
    const doubled = oddsCalibrationDiagnostic(
      ex,
      rows,
      exact.map((z) => z + Math.log(2)),
    );
    expect(doubled.slope).toBeCloseTo(0.5, 9);
    expect(doubled.ratioOfMeans).toBeCloseTo(2, 9);
  });

  it('freshOdds: mean e^z and mean E[T] of fresh impressions and of the others', () => {
    const ex = examples();
    const rows = Int32Array.from({ length: 8 }, (_, i) => i);
    const z = Array.from(rows, () => Math.log(2));
    const g = freshOdds(ex, rows, z);
    // Fresh (age < 7): rows 0, 2, 4, 7 with E[T] 4, 2, 3, 2; others: rows 1, 3, 5, 6.
    expect(g.fresh).toEqual({ impressions: 4, meanOdds: expect.closeTo(2, 9), meanTruth: 11 / 4 });
    expect(g.other.impressions).toBe(4);
    expect(g.other.meanTruth).toBeCloseTo((1 + 8 + 1 + 0.5) / 4, 9);
  });

  it('freshOddsByUpload: fresh impressions split by upload before or after the split day', () => {
    const ex = examples();
    const rows = Int32Array.from({ length: 8 }, (_, i) => i);
    const z = Array.from(rows, (r) => Math.log(r + 1));
    // Fresh rows 0, 2, 7 were uploaded at days 0, −1, 2.1 (before day 5); row 4 at day 8.5.
    const g = freshOddsByUpload(ex, rows, z, 5);
    expect(g.beforeSplit).toEqual({
      impressions: 3,
      meanOdds: expect.closeTo((1 + 3 + 8) / 3, 9),
      meanTruth: (4 + 2 + 2) / 3,
    });
    expect(g.afterSplit).toEqual({ impressions: 1, meanOdds: expect.closeTo(5, 9), meanTruth: 3 });
  });

  it('rankingDiagnostics puts them together; the oracle ranks by E[T]', () => {
    const ex = examples();
    const rows = Int32Array.from({ length: 8 }, (_, i) => i);
    const d = rankingDiagnostics(ex, ex, rows, new Float64Array(8), 'paper');
    expect(d.zeroCountCtr.train).toBe(0.5);
    expect(d.zeroCountCtr.trainAfterWeek1).toBe(0.5);
    expect(d.calibration.odds).toBe('paper');
    // Oracle top 3 by E[T]: page 0 rows 3, 0, 2 (fresh: 0, 2); page 1 rows 4, 7, 5 (fresh: 4, 7).
    expect(d.freshShareTop3.oracle).toBeCloseTo(4 / 6, 12);
    expect(d.inSample).toBeUndefined();
    const z = Array.from(rows, (r) => Math.log(ex.oracleWatch[r]));
    const e = rankingDiagnostics(ex, ex, rows, z, 'exact', {
      splitDay: 5,
      trainRows: rows,
      trainZ: z,
    });
    expect(e.freshByUpload!.afterSplit.impressions).toBe(1);
    expect(e.inSample!.freshShareTop3.model).toBeCloseTo(4 / 6, 12);
    expect(e.inSample!.freshOdds.fresh.meanOdds).toBeCloseTo(11 / 4, 9);
  });
});

describe('retrievalDiagnostics', () => {
  it('regret is oracle − model recall at every k; NaN without an oracle', () => {
    const model = { recallAt: { 10: 0.1, 100: 0.2 } };
    const r = retrievalDiagnostics(model, { recallAt: { 10: 0.3, 100: 0.6 } }, null);
    expect(r.oracleRegret.recallAt[10]).toBeCloseTo(0.2, 12);
    expect(r.oracleRegret.recallAt[100]).toBeCloseTo(0.4, 12);
    expect(r.oracleRegret.modelRecallAt).toEqual(model.recallAt);
    expect(r.clickLogitOracle).toBeNull();
    expect(Number.isNaN(retrievalDiagnostics(model, null, null).oracleRegret.recallAt[10])).toBe(
      true,
    );
  });
});
