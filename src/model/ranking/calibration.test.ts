import { beforeAll, describe, expect, it } from 'vitest';
import { buildRankingExamples } from '../../sim/ranking-examples';
import { generateWorld } from '../../sim/world';
import { useBackend } from '../backend';
import { defaultRankingConfig } from './config';
import { evaluateRanking, type RankingMetrics } from './evaluate';
import { RankingModel } from './model';

// The same small world as evaluate.test.ts (a file of its own so the two train in parallel).
const world = generateWorld({ seed: 7, videos: 3000, users: 1500 });
const train = buildRankingExamples(world, { split: 'train' });
const test = buildRankingExamples(world, { split: 'test' });

let exact: RankingMetrics;
let msPerStep: number;

beforeAll(async () => {
  expect(await useBackend()).toBe('wasm');
  const model = new RankingModel(world, { ...defaultRankingConfig, exactOdds: true }, train);
  const t0 = performance.now();
  for (let s = 0; s < 300; s++) await model.trainStep(train);
  model.setLearningRate(model.config.learningRate / 6);
  for (let s = 0; s < 100; s++) await model.trainStep(train);
  msPerStep = (performance.now() - t0) / model.steps;
  exact = await evaluateRanking(model, test, { maxPages: 6000 });
  if (process.env.RANKING_FIGURES) console.log(JSON.stringify({ msPerStep, exact }));
  model.dispose();
}, 120_000);

describe('weighted logistic regression with exact odds', () => {
  it("serves e^z calibrated to the oracle's expected watch time per impression", () => {
    // Counting clicks as unit negatives too makes the fitted odds Σ T / N = E[T]. Measured on
    // held-out impressions: slope ≈ 0.9 (the paper's weighting: ≈ 0.34), mean e^z ≈ 1.1 min
    // against E[T] ≈ 1.0. A least-squares slope of truth on prediction is 1 for a calibrated
    // conditional mean; noise in the prediction pulls it below 1, so ±0.25 is allowed.
    const c = exact.calibration;
    expect(c.slope).toBeGreaterThan(0.75);
    expect(c.slope).toBeLessThan(1.25);
    expect(exact.meanOdds / exact.meanOracleWatch).toBeGreaterThan(0.8);
    expect(exact.meanOdds / exact.meanOracleWatch).toBeLessThan(1.25);
    // Bin by bin within 35 % (the first, tiny bin aside) and rising throughout.
    for (const bin of c.bins.slice(1)) {
      expect(bin.meanPredicted / bin.meanActual).toBeGreaterThan(0.75);
      expect(bin.meanPredicted / bin.meanActual).toBeLessThan(1.35);
    }
    c.bins
      .slice(1)
      .forEach((bin, i) => expect(bin.meanActual).toBeGreaterThan(c.bins[i].meanActual));
  });

  it('still ranks for watch time', () => {
    expect(exact.topK.watchPerImpression).toBeGreaterThan(2 * exact.topK.randomWatchPerImpression);
    expect(exact.topK.clickbaitShare).toBeLessThan(exact.topK.randomClickbaitShare);
    expect(msPerStep).toBeGreaterThan(0);
  });
});
