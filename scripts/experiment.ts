/**
 * The experiment behind `npm run train`: settings (read from the flags by `train-flags.ts`) →
 * world → examples → candidate model, factorisation and most-popular baselines, oracle →
 * ranker → one result object.
 */
import { buildCandidateExamples } from '../src/sim/examples';
import { generateWorld } from '../src/sim/world';
import type { BackendName } from '../src/model/backend';
import {
  clickLogitOracleRetrieval,
  modelRetrieval,
  oracleRetrieval,
  popularBaseline,
  trainCandidate,
} from '../src/model/candidate/train';
import { retrievalDiagnostics } from '../src/model/diagnostics';
import { checkLoss } from '../src/worker/divergence';
import type { ExperimentSettings } from './train-flags';
import { runRanking } from './ranking-run';

export {
  EXPERIMENT_ROWS,
  MAX_FULL_SOFTMAX_LOGITS,
  NODE_BACKENDS,
  OTHER_FLAGS,
  TRAIN_SECTIONS,
  experimentFromFlags,
  type ExperimentSettings,
} from './train-flags';

const round = (x: number): number => Math.round(x * 10000) / 10000;
const roundAll = (r: Record<number, number>): Record<number, number> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]));

const roundDeep = (o: object): object =>
  JSON.parse(
    JSON.stringify(o, (_, v: unknown) => (typeof v === 'number' ? round(v) : v)),
  ) as object;

/** Runs the whole experiment and returns the JSON-able result. */
export async function runExperiment(
  s: ExperimentSettings,
  backend: BackendName,
  log: (line: string) => void,
): Promise<object> {
  let t = performance.now();
  const world = generateWorld(s.world);
  log(
    `world: ${world.videos.count} videos, ${world.users.count} users, ${world.logs.watches} watches (${(performance.now() - t).toFixed(0)} ms)`,
  );
  const train = buildCandidateExamples(world, {
    split: 'train',
    label: s.label,
    perUserCap: s.candidate.perUserCap,
  });
  const test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
  log(`candidate examples: ${train.count} train (${s.label}), ${test.count} test next watches`);

  t = performance.now();
  const cand = await trainCandidate(
    world,
    train,
    test,
    s.candidate,
    s.steps,
    s.evalExamples,
    (step, loss) => log(`candidate step ${step}/${s.steps}: loss ${loss.toFixed(3)}`),
    (step, loss) => checkLoss('candidate generation', step, loss),
  );
  log(
    `candidate: recall@100 ${cand.metrics.recallAt[100].toFixed(3)} (${((performance.now() - t) / 1000).toFixed(0)} s)`,
  );
  const mf = await trainCandidate(
    world,
    train,
    test,
    { ...s.candidate, userInput: 'id' },
    s.mfSteps,
    s.evalExamples,
    (step, loss) => log(`factorisation step ${step}/${s.mfSteps}: loss ${loss.toFixed(3)}`),
    (step, loss) => checkLoss('the factorisation baseline', step, loss),
  );
  const popular = popularBaseline(world, test, s.evalExamples);
  const oracle = s.oracleExamples > 0 ? oracleRetrieval(world, test, s.oracleExamples) : null;
  const clickOracle =
    s.oracleExamples > 0 ? clickLogitOracleRetrieval(world, test, s.oracleExamples) : null;
  const modelOnOracleRows = oracle
    ? await modelRetrieval(cand.model, test, s.oracleExamples)
    : null;
  log(
    `baselines: popular ${popular.recallAt[100].toFixed(3)}, factorisation ${mf.metrics.recallAt[100].toFixed(3)}, oracle ${oracle?.recallAt[100].toFixed(3) ?? '—'}`,
  );

  const ranking = await runRanking(world, s.ranking, log, cand.model);
  cand.model.dispose();
  mf.model.dispose();
  return {
    seed: world.config.seed,
    backend,
    world: {
      videos: world.videos.count,
      users: world.users.count,
      watches: world.logs.watches,
      watchesPerVideo: round(world.logs.watches / world.videos.count),
    },
    config: { ...s.candidate, label: s.label, steps: s.steps },
    retrieval: {
      recallAt: roundAll(cand.metrics.recallAt),
      map: round(cand.metrics.map),
      ndcg: round(cand.metrics.ndcg),
      loss: round(cand.finalLoss),
      examples: cand.metrics.examples,
      outOfVocab: cand.metrics.outOfVocab && {
        count: cand.metrics.outOfVocab.count,
        share: round(cand.metrics.outOfVocab.share),
      },
      pretrainMs: Math.round(cand.pretrainMs),
    },
    baselines: {
      popular: { recallAt: roundAll(popular.recallAt), map: round(popular.map) },
      mf: { recallAt: roundAll(mf.metrics.recallAt), map: round(mf.metrics.map) },
      oracle: oracle
        ? { recallAt: roundAll(oracle.recallAt), map: round(oracle.map), examples: oracle.examples }
        : null,
    },
    ranking: ranking.ranking,
    endToEnd: ranking.endToEnd,
    diagnostics: roundDeep({
      ...ranking.diagnostics,
      ...retrievalDiagnostics(modelOnOracleRows ?? cand.metrics, oracle, clickOracle),
    }),
    throughput: {
      examplesPerSec: Math.round(cand.examplesPerSec),
      msPerStep: round(cand.msPerStep),
    },
  };
}
