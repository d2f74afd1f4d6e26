/**
 * Trains a candidate-generation model for a number of steps and evaluates it beside the
 * most-popular baseline and the oracle: the loop `npm run train`, the tests and the worker
 * share.
 */
import type { CandidateExamples } from '../../sim/examples';
import type { World } from '../../sim/types';
import { defaultCandidateConfig, type CandidateConfig } from './config';
import {
  clickLogitOracleRanks,
  evaluationRows,
  modelRanks,
  oracleRanks,
  outOfVocabLabels,
  popularRanks,
  retrievalMetrics,
  type RetrievalMetrics,
} from './evaluate';
import { CandidateModel, labelCounts } from './model';

/** Result of {@link trainCandidate}. */
export interface CandidateRun {
  model: CandidateModel;
  metrics: RetrievalMetrics;
  /** Mean loss over the last 10% of steps. */
  finalLoss: number;
  /** Milliseconds per training step (wall clock, mean). */
  msPerStep: number;
  /** Training examples per second. */
  examplesPerSec: number;
  /** Milliseconds spent pretraining the input embeddings (0 for joint learning). */
  pretrainMs: number;
}

/** Trains `steps` steps on `train` and evaluates on (up to `evalExamples` of) `test`. */
export async function trainCandidate(
  world: World,
  train: CandidateExamples,
  test: CandidateExamples,
  config: Partial<CandidateConfig>,
  steps: number,
  evalExamples = 2000,
  onProgress?: (step: number, loss: number) => void,
  /** Called after every step with its loss (the command line's divergence check). */
  onStep?: (step: number, loss: number) => void,
): Promise<CandidateRun> {
  const cfg = {
    ...defaultCandidateConfig,
    ...config,
    features: { ...defaultCandidateConfig.features, ...config.features },
  };
  const model = new CandidateModel(world, cfg, labelCounts(world, train));
  const tail: number[] = [];
  const t0 = performance.now();
  for (let s = 1; s <= steps; s++) {
    const { loss } = await model.trainStep(train);
    onStep?.(s, loss);
    if (s > steps * 0.9) tail.push(loss);
    if (onProgress && (s % 100 === 0 || s === steps)) onProgress(s, loss);
  }
  const ms = (performance.now() - t0) / Math.max(1, steps);
  const metrics = await modelRetrieval(model, test, evalExamples);
  return {
    model,
    metrics,
    finalLoss: tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length),
    msPerStep: ms,
    examplesPerSec: (cfg.batchSize / ms) * 1000,
    pretrainMs: model.pretrainMs,
  };
}

/**
 * The model's retrieval on (up to `evalExamples` of) `test`, e.g. on the oracle's rows, with the
 * labels outside its vocabulary (misses) counted.
 */
export async function modelRetrieval(
  model: CandidateModel,
  test: CandidateExamples,
  evalExamples = 2000,
): Promise<RetrievalMetrics> {
  const rows = evaluationRows(test, evalExamples);
  return {
    ...retrievalMetrics(await modelRanks(model, test, rows)),
    outOfVocab: outOfVocabLabels(model.outOfVocab, test, rows),
  };
}

/** Most-popular baseline on the same evaluation rows. */
export function popularBaseline(
  world: World,
  test: CandidateExamples,
  evalExamples = 2000,
): RetrievalMetrics {
  return retrievalMetrics(popularRanks(world, test, evaluationRows(test, evalExamples)));
}

/**
 * The oracle's retrieval: the world's next-watch probability, exposure included (slow: a Monte
 * Carlo of pages and O(videos) per example; use a few hundred examples).
 */
export function oracleRetrieval(
  world: World,
  test: CandidateExamples,
  evalExamples = 500,
): RetrievalMetrics {
  return retrievalMetrics(oracleRanks(world, test, evaluationRows(test, evalExamples)));
}

/** The former, exposure-blind oracle (true click logit) on the same rows, for comparison. */
export function clickLogitOracleRetrieval(
  world: World,
  test: CandidateExamples,
  evalExamples = 500,
): RetrievalMetrics {
  return retrievalMetrics(clickLogitOracleRanks(world, test, evaluationRows(test, evalExamples)));
}
