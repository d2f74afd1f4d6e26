/**
 * The ranking half of `npm run train`: ranking examples, the ranker (weighted or CTR), its
 * held-out metrics and the end-to-end top-3 watch time against the oracle's own top 3.
 */
import { buildRankingExamples } from '../src/sim/ranking-examples';
import type { World } from '../src/sim/types';
import type { RankingConfig } from '../src/model/ranking/config';
import { evaluateRanking, pageRows } from '../src/model/ranking/evaluate';
import { rankingDiagnostics } from '../src/model/diagnostics';
import { RankingModel } from '../src/model/ranking/model';
import { attachCandidateSources } from '../src/model/ranking/sources';
import type { CandidateModel } from '../src/model/candidate/model';
import { RANKER_NAMES, checkLoss } from '../src/worker/divergence';

/** The ranker of a run: its config (from the parameter table) and how many steps it trains. */
export interface RankingSettings {
  config: RankingConfig;
  steps: number;
}

const round = (x: number): number => Math.round(x * 10000) / 10000;

/**
 * Trains and evaluates the ranker; returns the `ranking` and `endToEnd` parts of the result.
 * With the `sources` feature group, `candidate` (the trained candidate model) scores every
 * impression first (docs/model.md#candidate-sources).
 */
export async function runRanking(
  world: World,
  s: RankingSettings,
  log: (line: string) => void,
  candidate?: CandidateModel,
) {
  const train = buildRankingExamples(world, { split: 'train' });
  const test = buildRankingExamples(world, { split: 'test', pagesPerUser: 5 });
  log(`ranking examples: ${train.count} train impressions, ${test.count} test impressions`);
  if (s.config.features.sources) {
    if (!candidate) throw new Error('the sources ranking features need a candidate model');
    const t = performance.now();
    await attachCandidateSources(candidate, train);
    await attachCandidateSources(candidate, test);
    log(`candidate sources attached (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  // The odds setting only means something for the weighted loss.
  const config: RankingConfig = { ...s.config, exactOdds: s.config.weighted && s.config.exactOdds };
  const model = new RankingModel(world, config, train);
  const t0 = performance.now();
  // The last quarter of the steps at a sixth of the learning rate, to settle.
  const decayAt = Math.floor(s.steps * 0.75);
  let loss = NaN;
  for (let step = 1; step <= s.steps; step++) {
    if (step === decayAt + 1) model.setLearningRate(config.learningRate / 6);
    loss = (await model.trainStep(train)).loss;
    checkLoss(config.weighted ? RANKER_NAMES.weighted : RANKER_NAMES.unweighted, step, loss);
    if (step % 250 === 0 || step === s.steps)
      log(`ranking step ${step}/${s.steps}: loss ${loss.toFixed(4)}`);
  }
  const msPerStep = (performance.now() - t0) / Math.max(1, s.steps);
  const m = await evaluateRanking(model, test);
  const rows = pageRows(test);
  const odds = !config.weighted ? 'ctr' : config.exactOdds ? 'exact' : 'paper';
  // Training pages for the in-sample fresh figures: as many pages as the test split's.
  const trainRows = pageRows(train, new Set(test.page).size);
  const diagnostics = rankingDiagnostics(
    train,
    test,
    rows,
    await model.predictLogits(test, rows),
    odds,
    {
      splitDay: world.config.splitDay,
      trainRows,
      trainZ: await model.predictLogits(train, trainRows),
    },
  );
  model.dispose();
  log(
    `ranking: AUC ${m.auc.toFixed(3)}, weighted per-user loss ${m.weightedPerUserLoss.toFixed(3)}, top-3 watch ${m.topK.watchPerImpression.toFixed(2)} min (oracle ${m.topK.oracleWatchPerImpression.toFixed(2)})`,
  );
  return {
    diagnostics,
    ranking: {
      weighted: config.weighted,
      exactOdds: config.exactOdds,
      powers: config.powers,
      features: { ...config.features },
      hidden: config.hidden,
      steps: s.steps,
      msPerStep: round(msPerStep),
      trainLoss: round(loss),
      auc: round(m.auc),
      weightedPerUserLoss: round(m.weightedPerUserLoss),
      logLoss: round(m.logLoss),
      calibration: { slope: round(m.calibration.slope), intercept: round(m.calibration.intercept) },
      meanPredictedWatch: round(m.meanOdds),
      meanOracleWatch: round(m.meanOracleWatch),
      impressions: m.impressions,
      pages: m.pages,
    },
    endToEnd: {
      k: m.topK.k,
      watchTimePerImpression: round(m.topK.watchPerImpression),
      oracleWatchTimePerImpression: round(m.topK.oracleWatchPerImpression),
      randomWatchTimePerImpression: round(m.topK.randomWatchPerImpression),
      regret: round(m.topK.regret),
      clickbaitShare: round(m.topK.clickbaitShare),
      oracleClickbaitShare: round(m.topK.oracleClickbaitShare),
    },
  };
}
