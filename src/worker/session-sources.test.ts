/**
 * Issue 11 item 6 in the page: with the ranker's `sources` group the training session fills
 * each impression's candidate score u·v + b and log rank from the candidate model as it is at
 * that step, and those values are what the ranker's dense inputs hold
 * (docs/model.md#candidate-sources).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import { continuousFeatures } from '../model/ranking/features';
import { candidateSources } from '../model/ranking/sources';
import { fitQuantiles } from '../model/quantiles';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import type { TrainingParams } from '../protocol/training';
import { generateWorld } from '../sim/world';
import { buildTrainingData, TrainingSession, type TrainingData } from './session';

const PARAMS: TrainingParams = {
  ...DEFAULT_TRAINING_PARAMS,
  batch: 48,
  negatives: 40,
  rankingFeatures: { language: true, sources: true },
};

let data: TrainingData;
beforeAll(async () => {
  await useBackend('cpu');
  data = buildTrainingData(generateWorld({ seed: 4, videos: 300, users: 120, days: 16 }));
}, 60_000);

const session = (p: Partial<TrainingParams> = {}) =>
  new TrainingSession(data, { ...PARAMS, ...p }, 1);

describe('candidate sources in the page', () => {
  it('without the group the session reads the world’s examples and fills nothing', async () => {
    const s = session({ rankingFeatures: { language: true, sources: false } });
    expect(s.sources).toBeUndefined();
    expect(s.rankTrain).toBe(data.rankTrain);
    await s.trainStep();
    expect(data.rankTrain.sourceScore).toBeUndefined();
    s.dispose();
  });

  it('the candidate score and rank of each impression reach the ranker’s inputs', async () => {
    const s = session();
    for (let i = 0; i < 3; i++) await s.trainStep();
    expect(s.candidate.steps).toBe(3);
    // Training batches and the quantile sample were filled; the world's examples were not.
    expect(s.rankTrain.sourceScore!.some((x) => x !== 0)).toBe(true);
    expect(data.rankTrain.sourceScore).toBeUndefined();
    expect(data.rankTest.sourceScore).toBeUndefined();

    const rows = Int32Array.from({ length: 40 }, (_, i) => i);
    await s.ranker.predictLogits(s.rankTest, rows);
    const want = await candidateSources(s.candidate, s.rankTest, rows);
    expect(Array.from(rows, (r) => s.rankTest.sourceScore![r])).toEqual(Array.from(want.score));
    expect(Array.from(rows, (r) => s.rankTest.sourceRank![r])).toEqual(Array.from(want.rank));
    expect(new Set(want.score).size).toBeGreaterThan(10);

    // The quantiles are refitted on the training sample scored by the same model.
    const sample = await candidateSources(s.candidate, s.rankTrain, s.sources!.sampleRows);
    expect(Array.from(s.ranker.quantiles.sourceScore.knots)).toEqual(
      Array.from(fitQuantiles(sample.score).knots),
    );
    expect(s.twin.quantiles).toBe(s.ranker.quantiles);

    // Dense layout: x̃, x̃², √x̃ per continuous feature, the source features after the others.
    const features = continuousFeatures(s.ranker.config.features);
    const at = features.indexOf('sourceScore') * 3;
    const rankAt = features.indexOf('sourceRank') * 3;
    const width = features.length * 3 + 1;
    const dense = s.ranker.inputs(s.rankTest, rows).dense;
    const q = s.ranker.quantiles;
    let worst = 0;
    for (let b = 0; b < rows.length; b++) {
      worst = Math.max(
        worst,
        Math.abs(dense[b * width + at] - q.sourceScore.transform(want.score[b])),
        Math.abs(dense[b * width + rankAt] - q.sourceRank.transform(want.rank[b])),
      );
    }
    expect(worst).toBeLessThan(1e-6); // the dense inputs are float32
    // Not a constant: the ranker sees the scores spread over [0, 1).
    const xs = Array.from(rows, (_, b) => dense[b * width + at]);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(0.3);

    const e = await s.evaluate(() => 0);
    expect(Number.isFinite(e.ranking!.auc)).toBe(true);
    s.dispose();
  });

  it('a run with sources resumes from its snapshot step for step', async () => {
    const a = session();
    await a.trainStep();
    await a.trainStep();
    const snap = await a.snapshot();
    const b = session();
    b.load(snap);
    expect(await b.trainStep()).toEqual(await a.trainStep());
    const rows = Int32Array.from({ length: 30 }, (_, i) => i);
    expect(await b.ranker.predictLogits(b.rankTest, rows)).toEqual(
      await a.ranker.predictLogits(a.rankTest, rows),
    );
    a.dispose();
    b.dispose();
  });
});
