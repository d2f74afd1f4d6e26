/**
 * The session's evaluation point carries what the Training and Watch-time tabs show beside
 * recall: MAP of the held-out next watch for each retrieval model (issue 11, item 8), and the
 * odds the weighted ranker was trained with, with its calibration against both odds' targets
 * (item 2).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import { modelRanks, retrievalMetrics } from '../model/candidate/evaluate';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import type { TrainingParams } from '../protocol/training';
import { generateWorld } from '../sim/world';
import { buildTrainingData, TrainingSession, type TrainingData } from './session';

const PARAMS: TrainingParams = {
  ...DEFAULT_TRAINING_PARAMS,
  batch: 48,
  negatives: 40,
  sampler: 'popularity',
};

let data: TrainingData;
beforeAll(async () => {
  await useBackend('wasm');
  data = buildTrainingData(generateWorld({ seed: 4, videos: 300, users: 120, days: 16 }));
}, 60_000);

describe('TrainingSession.evaluate', () => {
  it('fills MAP for the model, the factorisation baseline and most-popular', async () => {
    const s = new TrainingSession(data, PARAMS, 1);
    try {
      for (let i = 0; i < 5; i++) await s.trainStep();
      const e = await s.evaluate(() => 0);
      for (const v of [e.map, e.mfMap, e.popularMap]) {
        expect(v).toBeGreaterThan(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      // The same ranks as recall: MAP is the mean of 1/(rank + 1) of those ranks.
      const ranks = await modelRanks(s.candidate, data.test, data.evalRows);
      expect(e.map).toBeCloseTo(retrievalMetrics(ranks).map, 12);
      let sum = 0;
      for (const r of ranks) sum += 1 / (r + 1);
      expect(e.map).toBeCloseTo(sum / ranks.length, 12);
      expect(e.popularMap).toBe(data.popularMap);
    } finally {
      s.dispose();
    }
  }, 60_000);

  it("states the weighted ranker's odds and bins its e^z against both odds' targets", async () => {
    for (const odds of ['exact', 'paper'] as const) {
      const s = new TrainingSession(data, { ...PARAMS, odds }, 2);
      try {
        await s.trainStep();
        const w = (await s.evaluate(() => 0)).watchTime!;
        expect(w.odds).toBe(odds);
        const { calibration, oddsCalibration } = w.weighted;
        expect(oddsCalibration).toHaveLength(calibration.length);
        expect(calibration.length).toBeGreaterThan(1);
        // Same bins of e^z; the paper's target Σ E[T] / Σ (1 − P) is at least E[T]'s mean.
        oddsCalibration!.forEach((b, i) => {
          expect(b.predicted).toBeCloseTo(calibration[i].predicted, 9);
          expect(b.actual).toBeGreaterThanOrEqual(calibration[i].actual - 1e-9);
        });
      } finally {
        s.dispose();
      }
    }
  }, 60_000);
});
