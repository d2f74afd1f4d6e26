import { randomLcg } from 'd3-random';
import { describe, expect, it } from 'vitest';
import {
  auc,
  averagePrecision,
  calibration,
  meanAveragePrecision,
  ndcgAtK,
  ndcgOfList,
  rankOfLabel,
  ranksOfLabels,
  recallAtK,
  recallCurve,
  recallFromRanks,
  topKWatchTime,
  weightedPerUserLoss,
} from './metrics.ts';

describe('retrieval ranks and recall', () => {
  it('rankOfLabel counts items scoring higher, ties against the label', () => {
    const s = [0.1, 0.5, 0.3, 0.5];
    expect(rankOfLabel(s, 2)).toBe(2); // 0.5, 0.5 above
    expect(rankOfLabel(s, 1)).toBe(1); // the other 0.5 ties → counted against
    expect(rankOfLabel(s, 0)).toBe(3);
    expect(rankOfLabel([1, 1, 1], 0)).toBe(2); // constant scorer ranks the label last
    expect(rankOfLabel([0.2, NaN, 0.9], 1)).toBe(2);
    expect(rankOfLabel([0.2, NaN, 0.9], 0)).toBe(1); // a NaN never outranks
    expect(() => rankOfLabel(s, 4)).toThrow(RangeError);
  });

  it('ranksOfLabels ranks each row of a [B × N] matrix', () => {
    const scores = Float32Array.of(0.9, 0.1, 0.5, 0.2, 0.3, 0.1);
    expect(Array.from(ranksOfLabels(scores, [2, 0]))).toEqual([1, 1]);
    expect(() => ranksOfLabels(scores, [0, 1, 2, 3])).toThrow(RangeError);
  });

  it('recallFromRanks, recallCurve and recallAtK', () => {
    const ranks = Int32Array.of(0, 3, 10, 1);
    expect(recallFromRanks(ranks, 0)).toBe(0);
    expect(recallFromRanks(ranks, 2)).toBe(0.5);
    expect(recallFromRanks(ranks, 4)).toBe(0.75);
    expect(recallFromRanks(ranks, 11)).toBe(1);
    expect(recallFromRanks(new Int32Array(0), 5)).toBeNaN();
    expect(recallCurve(ranks, [1, 4, 100])).toEqual({ 1: 0.25, 4: 0.75, 100: 1 });
    const ranked = [
      [5, 3, 1],
      [2, 4, 6],
      [7, 8, 9],
    ];
    expect(recallAtK(ranked, [3, 6, 1], 2)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(ranked, [3, 6, 1], 3)).toBeCloseTo(2 / 3, 12);
  });
});

describe('MAP and NDCG', () => {
  it('meanAveragePrecision with one relevant item = mean reciprocal rank', () => {
    const ranks = [0, 1, 3, 9];
    expect(meanAveragePrecision(ranks)).toBeCloseTo((1 + 1 / 2 + 1 / 4 + 1 / 10) / 4, 12); // 0.4625
    expect(meanAveragePrecision(ranks, 5)).toBeCloseTo((1 + 1 / 2 + 1 / 4) / 4, 12); // 0.4375
  });

  it('averagePrecision of lists with several relevant items', () => {
    // hits at positions 1, 3, 6 → precisions 1, 2/3, 3/6
    expect(averagePrecision([1, 0, 1, 0, 0, 1])).toBeCloseTo((1 + 2 / 3 + 1 / 2) / 3, 12);
    expect(averagePrecision([true, false, true, false, false, true], 4)).toBeCloseTo(
      (1 + 2 / 3 + 1 / 2) / 4,
      12,
    );
    expect(averagePrecision(Uint8Array.of(0, 1))).toBe(0.5); // = 1 / (rank + 1) at rank 1
    expect(averagePrecision([0, 0])).toBe(0);
    expect(() => averagePrecision([1, 1], 1)).toThrow(RangeError);
  });

  it('ndcgAtK for one relevant item and ndcgOfList for graded gains', () => {
    expect(ndcgAtK([0, 1, 3], 3)).toBeCloseTo((1 + 1 / Math.log2(3)) / 3, 12); // 0.5436…
    // DCG [0,1,1] = 1/log2 3 + 1/2; ideal [1,1,0] = 1 + 1/log2 3
    expect(ndcgOfList([0, 1, 1], 3)).toBeCloseTo(
      (1 / Math.log2(3) + 0.5) / (1 + 1 / Math.log2(3)),
      12,
    );
    expect(ndcgOfList([0, 1, 1], 2)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 12);
    expect(ndcgOfList([1, 0], 2, [1, 1])).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12);
    expect(ndcgOfList([0, 0], 2)).toBe(0);
  });
});

describe('auc', () => {
  it('matches hand-counted pairs, ties as 1/2', () => {
    // positives 0.35 (beats 0.1, loses to 0.4) and 0.8 (beats both): 3 of 4 pairs
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    // positive 0.5 ties both negatives (1/2 + 1/2), positive 0.9 beats both: 3 of 4
    expect(auc([0.5, 0.5, 0.5, 0.9], [true, false, false, true])).toBe(0.75);
    expect(auc([2, 2, 2], [1, 0, 1])).toBe(0.5);
    expect(auc([0.3, 0.2], [1, 1])).toBeNaN();
    expect(() => auc([NaN, 1], [0, 1])).toThrow(RangeError);
  });

  it('agrees with the O(n²) pair count on random data with ties', () => {
    const u = randomLcg(0.123);
    const n = 300;
    const s = Float32Array.from({ length: n }, () => Math.floor(u() * 20));
    const y = Uint8Array.from({ length: n }, () => (u() < 0.3 ? 1 : 0));
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (!y[i] || y[j]) continue;
        pairs++;
        wins += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
      }
    }
    expect(auc(s, y)).toBeCloseTo(wins / pairs, 12);
  });
});

describe('weightedPerUserLoss', () => {
  // page 7: pos 0.9 (T 10), pos 0.2 (T 4), neg 0.5, neg 0.1
  // page 3: pos 0.3 (T 6), neg 0.3, neg 0.8, neg 0.0
  // page 5: a click only; page 9: no click → no pairs. Rows interleaved on purpose.
  const imps = {
    page: [7, 3, 5, 7, 3, 9, 7, 3, 7, 3, 9],
    score: [0.9, 0.3, 0.1, 0.2, 0.3, 0.4, 0.5, 0.8, 0.1, 0.0, 0.6],
    clicked: [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
    watchTime: [10, 6, 100, 4, 0, 0, 0, 0, 0, 0, 0],
  };

  it('pairs normalisation: mispredicted pair watch time / pair watch time', () => {
    // mispredicted: 10·0 + 4·1 + 6·(1 + ½) = 13; pairs: 10·2 + 4·2 + 6·3 = 46
    expect(weightedPerUserLoss(imps)).toBeCloseTo(13 / 46, 12);
  });

  it('positives normalisation: watch-time-weighted share of negatives above', () => {
    // 10·0/2 + 4·1/2 + 6·1.5/3 = 5 over 10 + 4 + 6 = 20
    expect(weightedPerUserLoss(imps, 'positives')).toBeCloseTo(5 / 20, 12);
  });

  it('is 0 for a perfect ranker, 1 for a reversed one, NaN without pairs', () => {
    const base = { page: [1, 1, 1, 2, 2], clicked: [1, 0, 0, 1, 0], watchTime: [3, 0, 0, 5, 0] };
    expect(weightedPerUserLoss({ ...base, score: [9, 1, 2, 9, 1] })).toBe(0);
    expect(weightedPerUserLoss({ ...base, score: [0, 1, 2, 0, 1] })).toBe(1);
    expect(weightedPerUserLoss({ ...base, score: [1, 1, 1, 1, 1] })).toBe(0.5);
    expect(weightedPerUserLoss({ page: [1], score: [1], clicked: [1], watchTime: [3] })).toBeNaN();
  });

  it('agrees with a brute-force pair loop on random pages', () => {
    const u = randomLcg(0.77);
    const n = 400;
    const page = Int32Array.from({ length: n }, () => Math.floor(u() * 40));
    const score = Float32Array.from({ length: n }, () => Math.floor(u() * 8));
    const clicked = Uint8Array.from({ length: n }, () => (u() < 0.25 ? 1 : 0));
    const watchTime = Float32Array.from(clicked, (c) => c * (1 + 10 * u()));
    let wrong = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (page[i] !== page[j] || !clicked[i] || clicked[j]) continue;
        total += watchTime[i];
        wrong += watchTime[i] * (score[j] > score[i] ? 1 : score[j] === score[i] ? 0.5 : 0);
      }
    }
    expect(weightedPerUserLoss({ page, score, clicked, watchTime })).toBeCloseTo(wrong / total, 9);
  });
});

describe('topKWatchTime', () => {
  it('averages oracle watch time of each page top k, ties in expectation', () => {
    const imps = {
      page: [1, 1, 1, 2, 2, 2, 2, 3],
      score: [0.9, 0.5, 0.1, 0.2, 0.2, 0.7, 0.1, 0.3],
      oracleWatchTime: [1, 5, 3, 2, 6, 1, 10, 7],
    };
    // page 1: model 1 + 5, oracle 5 + 3; page 2: model 1 + (2 + 6)/2, oracle 10 + 6;
    // page 3 (one impression): 7 and 7. Impressions 2 + 2 + 1.
    const r = topKWatchTime(imps, 2);
    expect(r.pages).toBe(3);
    expect(r.impressions).toBe(5);
    expect(r.model).toBeCloseTo(18 / 5, 12);
    expect(r.oracle).toBeCloseTo(31 / 5, 12);
    expect(r.regret).toBeCloseTo(13 / 5, 12);
  });

  it('gives a constant scorer the random-order value and the oracle zero regret', () => {
    const page = [0, 0, 0, 0];
    const oracleWatchTime = [4, 1, 2, 3];
    expect(topKWatchTime({ page, score: [1, 1, 1, 1], oracleWatchTime }, 2).model).toBe(2.5);
    expect(topKWatchTime({ page, score: oracleWatchTime, oracleWatchTime }, 2).regret).toBe(0);
  });
});

describe('calibration', () => {
  it('fits actual = 1 + 2·predicted and bins by quantile', () => {
    const c = calibration([1, 2, 3, 4], [3, 5, 7, 9], 2);
    expect(c.slope).toBeCloseTo(2, 12);
    expect(c.intercept).toBeCloseTo(1, 12);
    expect(c.bins).toEqual([
      { meanPredicted: 1.5, meanActual: 4, count: 2 },
      { meanPredicted: 3.5, meanActual: 8, count: 2 },
    ]);
  });

  it('bins unsorted input into near-equal counts, dropping empty bins', () => {
    const c = calibration([5, 1, 4, 2, 3], [50, 10, 40, 20, 30], 2);
    expect(c.bins.map((b) => b.count)).toEqual([2, 3]); // positions [0, 2) and [2, 5)
    expect(c.bins[0]).toEqual({ meanPredicted: 1.5, meanActual: 15, count: 2 });
    expect(c.bins[1].meanActual).toBeCloseTo(40, 12);
    expect(calibration([1, 2], [1, 2], 10).bins).toHaveLength(2);
  });

  it('has NaN slope for a constant prediction', () => {
    const c = calibration([2, 2, 2], [1, 2, 3]);
    expect(c.slope).toBeNaN();
    expect(c.intercept).toBeNaN();
  });
});
