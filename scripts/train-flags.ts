/**
 * The flags of `npm run train`: its sections for `--help` (world, the page's training knobs,
 * run length and evaluation), their reading and every check across them (a backend Node has, a
 * world this machine can hold, fewer negatives than videos, a full softmax that fits). Light on
 * purpose — no tfjs — so that a mistake is answered in about a second, before the models'
 * modules load (`scripts/train.ts` imports the experiment only once the flags are valid).
 */
import type { CandidateConfig } from '../src/model/candidate/config';
import {
  TRAINING_PARAMS,
  WORLD_ROWS,
  candidateConfig,
  defaultTrainingParams,
  drawsNegatives,
  flagOf,
  got,
  numeric,
  rankingConfig,
  type BackendRequest,
  type Param,
  type TrainingParams,
} from '../src/protocol/params';
import { ConfigError, validateWorldConfig } from '../src/sim/config';
import { checkWorldSize } from '../src/sim/size-estimate';
import type { WorldConfig } from '../src/sim/types';
import { checkKnown, machineLimits, readFlags, type FlagSection } from './flags';
import type { RankingSettings } from './ranking-run';

/** Everything one run needs. */
export interface ExperimentSettings {
  world: Partial<WorldConfig>;
  /** Every training knob (the page's), defaults where no flag was given. */
  params: TrainingParams;
  candidate: CandidateConfig;
  label: 'next' | 'heldout';
  steps: number;
  mfSteps: number;
  evalExamples: number;
  oracleExamples: number;
  ranking: RankingSettings;
}

const count = (key: string, o: { default: number; min: number; max: number; help: string }) =>
  numeric(key, { ...o, integer: true, live: false, label: key });

/** The knobs of `npm run train` that the page does not have: lengths and evaluation sizes. */
export const EXPERIMENT_ROWS = {
  steps: count('steps', { default: 1500, min: 1, max: 1e6, help: 'candidate-generation steps' }),
  mfSteps: count('mfSteps', {
    default: 1500,
    min: 1,
    max: 1e6,
    help: 'matrix-factorisation baseline steps',
  }),
  rankingSteps: count('rankingSteps', { default: 1500, min: 1, max: 1e6, help: 'ranker steps' }),
  evalExamples: count('evalExamples', {
    default: 2000,
    min: 10,
    max: 1e6,
    help: 'held-out next watches for recall',
  }),
  oracleExamples: count('oracleExamples', {
    default: 300,
    min: 0,
    max: 1e5,
    help: 'held-out next watches ranked by the oracle (0: skip)',
  }),
};

const rows = (o: object) => Object.values(o) as Param<unknown>[];

/** The flags of `npm run train`, by section (`--help` prints them in this order). */
export const TRAIN_SECTIONS: FlagSection[] = [
  { title: 'World', rows: rows(WORLD_ROWS) },
  { title: 'Training (the page’s knobs)', rows: rows(TRAINING_PARAMS) },
  { title: 'Run length and evaluation', rows: rows(EXPERIMENT_ROWS) },
];

/** Flags that are not knobs. */
export const OTHER_FLAGS = ['json', 'help', 'load', 'save', 'data', 'format', 'held-out'];

/** The backends Node can start (`src/model/backend.ts`); WebGPU and WebGL are the browser's. */
export const NODE_BACKENDS: readonly BackendRequest[] = ['auto', 'wasm', 'cpu'];

/** Most logits of one full-softmax step (batch × videos, 512 MB of float32). */
export const MAX_FULL_SOFTMAX_LOGITS = 2 ** 27;

/**
 * The checks across flags, before anything is built: a backend Node has, a world this machine
 * can hold (`checkWorldSize`), fewer negatives than videos (when `--negatives` is given), a full
 * softmax that fits. `given`: the flags on the command line. Throws a
 * ConfigError naming the flag and the allowed values.
 */
function checkRunFits(
  world: Partial<WorldConfig>,
  params: TrainingParams,
  given: ReadonlySet<string>,
): void {
  if (!NODE_BACKENDS.includes(params.backend))
    throw new ConfigError(
      'backend',
      `--backend must be one of ${NODE_BACKENDS.join(', ')} in Node (${params.backend} runs only in the browser)${got(params.backend)}`,
    );
  let config: WorldConfig;
  try {
    config = validateWorldConfig(world);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new ConfigError(
      e.field,
      `--${flagOf(WORLD_ROWS[e.field as keyof WorldConfig] as Param<unknown>)}: ${e.message}`,
    );
  }
  checkWorldSize(config, machineLimits());
  // Only a K asked for: the default (256) stays usable on the smallest worlds, as before.
  if (given.has('negatives') && drawsNegatives(params.sampler) && params.negatives >= config.videos)
    throw new ConfigError(
      'negatives',
      `--negatives must be fewer than the world's ${config.videos} videos with sampler ${params.sampler}: an integer from 1 to ${config.videos - 1}${got(String(params.negatives))}`,
    );
  if (params.sampler === 'full' && params.batch * config.videos > MAX_FULL_SOFTMAX_LOGITS)
    throw new ConfigError(
      'batch',
      `--batch × --videos must be at most ${MAX_FULL_SOFTMAX_LOGITS} logits (512 MB) with sampler full: a batch from 8 to ${Math.floor(MAX_FULL_SOFTMAX_LOGITS / config.videos)} for ${config.videos} videos${got(String(params.batch))}`,
    );
}

/** Reads and validates the flags; unknown flags are an error naming them. */
export function experimentFromFlags(flags: Record<string, string | boolean>): ExperimentSettings {
  checkKnown(flags, TRAIN_SECTIONS, OTHER_FLAGS);
  const world = readFlags(flags, rows(WORLD_ROWS)) as Partial<WorldConfig>;
  const params = { ...defaultTrainingParams(), ...readFlags(flags, rows(TRAINING_PARAMS)) };
  const run = {
    ...Object.fromEntries(Object.entries(EXPERIMENT_ROWS).map(([k, r]) => [k, r.default])),
    ...readFlags(flags, rows(EXPERIMENT_ROWS)),
  } as { [K in keyof typeof EXPERIMENT_ROWS]: (typeof EXPERIMENT_ROWS)[K]['default'] };
  checkRunFits(world, params, new Set(Object.keys(flags)));
  const ranking = rankingConfig(params);
  return {
    world,
    params,
    candidate: candidateConfig(params),
    label: params.label,
    steps: run.steps,
    mfSteps: run.mfSteps,
    evalExamples: run.evalExamples,
    oracleExamples: run.oracleExamples,
    ranking: { config: ranking, steps: run.rankingSteps },
  };
}
