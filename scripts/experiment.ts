/**
 * The experiment behind `npm run train`: flags → settings, then world → examples → candidate
 * model, factorisation and most-popular baselines, oracle → ranker → one result object.
 */
import { ConfigError, WORLD_PARAMS } from '../src/sim/config';
import { buildCandidateExamples } from '../src/sim/examples';
import { generateWorld } from '../src/sim/world';
import type { WorldConfig } from '../src/sim/types';
import type { BackendName } from '../src/model/backend';
import { defaultCandidateConfig, type CandidateConfig } from '../src/model/candidate/config';
import { oracleRetrieval, popularBaseline, trainCandidate } from '../src/model/candidate/train';
import { SAMPLER_KINDS } from '../src/model/samplers';
import { runRanking, type RankingSettings } from './ranking-run';

/** Everything one run needs. */
export interface ExperimentSettings {
  world: Partial<WorldConfig>;
  candidate: Partial<CandidateConfig>;
  label: 'next' | 'heldout';
  steps: number;
  mfSteps: number;
  evalExamples: number;
  oracleExamples: number;
  ranking: RankingSettings;
}

/** Flags `npm run train` accepts (besides every world setting, e.g. --videos). */
export const EXPERIMENT_FLAGS = [
  '--steps N',
  '--mf-steps N',
  '--negatives K',
  `--sampler ${[...SAMPLER_KINDS, 'full'].join('|')}`,
  '--alpha A',
  '--no-logq',
  '--no-accidental-hits',
  '--depth 0-4',
  '--width-factor F',
  '--lr LR',
  '--batch B',
  '--no-searches',
  '--no-demographics',
  '--no-example-age',
  '--label next|heldout',
  '--unweighted',
  '--paper-odds',
  '--no-powers',
  '--ranking-hidden 64,32',
  '--ranking-steps N',
  '--eval N',
  '--oracle-eval N',
  '--backend wasm|cpu',
  '--json',
];

function num(flags: Record<string, string | boolean>, name: string, min: number, max: number, integer = true): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new ConfigError(name, `--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${JSON.stringify(v)})`);
  }
  return n;
}

/** Reads and validates the flags; unknown flags are an error naming them. */
export function experimentFromFlags(flags: Record<string, string | boolean>): ExperimentSettings {
  const known = new Set([
    ...EXPERIMENT_FLAGS.map((f) => f.split(' ')[0].replace(/^--(no-)?/, '')),
    ...Object.keys(WORLD_PARAMS),
    'help',
  ]);
  for (const k of Object.keys(flags)) if (!known.has(k)) throw new ConfigError(k, `unknown flag --${k}; see --help`);
  const world: Record<string, string> = {};
  for (const k of Object.keys(WORLD_PARAMS)) if (typeof flags[k] === 'string') world[k] = flags[k] as string;
  const sampler = flags.sampler;
  if (sampler !== undefined && !(typeof sampler === 'string' && [...SAMPLER_KINDS, 'full'].includes(sampler))) {
    throw new ConfigError('sampler', `--sampler must be one of ${[...SAMPLER_KINDS, 'full'].join(', ')} (got ${JSON.stringify(sampler)})`);
  }
  const label = flags.label ?? 'next';
  if (label !== 'next' && label !== 'heldout') throw new ConfigError('label', `--label must be next or heldout (got ${JSON.stringify(label)})`);
  const candidate: Partial<CandidateConfig> = {
    negatives: num(flags, 'negatives', 1, 100000),
    alpha: num(flags, 'alpha', 0, 2, false),
    depth: num(flags, 'depth', 0, 4),
    widthFactor: num(flags, 'width-factor', 1 / 64, 1, false),
    learningRate: num(flags, 'lr', 1e-5, 1, false),
    batchSize: num(flags, 'batch', 1, 8192),
    sampler: sampler as CandidateConfig['sampler'] | undefined,
    logQ: flags.logq === false ? false : undefined,
    removeAccidentalHits: flags['accidental-hits'] === false ? false : undefined,
    features: {
      searches: flags.searches !== false,
      demographics: flags.demographics !== false,
      exampleAge: flags['example-age'] !== false,
    },
  };
  for (const k of Object.keys(candidate) as (keyof CandidateConfig)[]) if (candidate[k] === undefined) delete candidate[k];
  const hidden = flags['ranking-hidden'];
  return {
    world,
    candidate,
    label,
    steps: num(flags, 'steps', 0, 1e6) ?? 1500,
    mfSteps: num(flags, 'mf-steps', 0, 1e6) ?? 1500,
    evalExamples: num(flags, 'eval', 10, 1e6) ?? 2000,
    oracleExamples: num(flags, 'oracle-eval', 0, 1e5) ?? 300,
    ranking: {
      weighted: flags.unweighted !== true,
      exactOdds: flags['paper-odds'] !== true,
      powers: flags.powers !== false,
      hidden: typeof hidden === 'string' ? hidden.split(',').filter(Boolean).map(Number) : undefined,
      steps: num(flags, 'ranking-steps', 0, 1e6) ?? 1500,
    },
  };
}

const round = (x: number): number => Math.round(x * 10000) / 10000;
const roundAll = (r: Record<number, number>): Record<number, number> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]));

/** Runs the whole experiment and returns the JSON-able result. */
export async function runExperiment(s: ExperimentSettings, backend: BackendName, log: (line: string) => void): Promise<object> {
  let t = performance.now();
  const world = generateWorld(s.world);
  log(`world: ${world.videos.count} videos, ${world.users.count} users, ${world.logs.watches} watches (${(performance.now() - t).toFixed(0)} ms)`);
  const train = buildCandidateExamples(world, { split: 'train', label: s.label });
  const test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
  log(`candidate examples: ${train.count} train (${s.label}), ${test.count} test next watches`);

  t = performance.now();
  const cand = await trainCandidate(world, train, test, s.candidate, s.steps, s.evalExamples, (step, loss) =>
    log(`candidate step ${step}/${s.steps}: loss ${loss.toFixed(3)}`),
  );
  log(`candidate: recall@100 ${cand.metrics.recallAt[100].toFixed(3)} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
  const mf = await trainCandidate(world, train, test, { ...s.candidate, userInput: 'id' }, s.mfSteps, s.evalExamples, (step, loss) =>
    log(`factorisation step ${step}/${s.mfSteps}: loss ${loss.toFixed(3)}`),
  );
  const popular = popularBaseline(world, test, s.evalExamples);
  const oracle = s.oracleExamples > 0 ? oracleRetrieval(world, test, s.oracleExamples) : null;
  log(`baselines: popular ${popular.recallAt[100].toFixed(3)}, factorisation ${mf.metrics.recallAt[100].toFixed(3)}, oracle ${oracle?.recallAt[100].toFixed(3) ?? '—'}`);

  const ranking = await runRanking(world, s.ranking, log);
  cand.model.dispose();
  mf.model.dispose();
  return {
    seed: world.config.seed,
    backend,
    world: { videos: world.videos.count, users: world.users.count, watches: world.logs.watches, watchesPerVideo: round(world.logs.watches / world.videos.count) },
    config: { ...defaultCandidateConfig, ...s.candidate, label: s.label, steps: s.steps },
    retrieval: {
      recallAt: roundAll(cand.metrics.recallAt),
      map: round(cand.metrics.map),
      ndcg: round(cand.metrics.ndcg),
      loss: round(cand.finalLoss),
      examples: cand.metrics.examples,
    },
    baselines: {
      popular: { recallAt: roundAll(popular.recallAt), map: round(popular.map) },
      mf: { recallAt: roundAll(mf.metrics.recallAt), map: round(mf.metrics.map) },
      oracle: oracle ? { recallAt: roundAll(oracle.recallAt), map: round(oracle.map), examples: oracle.examples } : null,
    },
    ranking: ranking.ranking,
    endToEnd: ranking.endToEnd,
    throughput: { examplesPerSec: Math.round(cand.examplesPerSec), msPerStep: round(cand.msPerStep) },
  };
}
