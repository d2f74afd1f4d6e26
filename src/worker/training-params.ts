/**
 * The training hyperparameters as data: one row per {@link TrainingParams} key with its
 * default, allowed values, a parser that names the key and its range on a bad value, and
 * whether it is a live knob (applies from the next step) or a structural one (needs a reset).
 * The page's URL table and form, and the worker's own check of what it receives, all read
 * this one table. Pure TypeScript: no tfjs, no DOM (the models' config modules it takes its
 * defaults from hold plain data only).
 */
import { defaultCandidateConfig as cand } from '../model/candidate/config';
import { defaultRankingConfig as rank } from '../model/ranking/config';
import {
  BACKEND_REQUESTS,
  type BackendRequest,
  type FeatureChoice,
  type SamplerChoice,
  type TrainingParams,
  type Weighting,
} from '../protocol/training';

/** Every sampler choice (the model's samplers plus the full softmax). */
export const SAMPLER_CHOICES: readonly SamplerChoice[] = [
  'uniform',
  'popularity',
  'log-uniform',
  'in-batch',
  'full',
];

/** Every ranking weighting. */
export const WEIGHTINGS: readonly Weighting[] = ['weighted', 'unweighted'];

/** The feature groups of the candidate tower, in URL order. */
export const FEATURE_NAMES: readonly (keyof FeatureChoice)[] = [
  'searches',
  'demographics',
  'exampleAge',
];

/** How a parameter is edited: a number box, a menu, a checkbox, or the feature checkboxes. */
export type ParamKind = 'int' | 'number' | 'enum' | 'bool' | 'features';

/** One hyperparameter. */
export interface TrainingParamSpec<V> {
  kind: ParamKind;
  default: V;
  /** Applies mid-training (true) or needs a reset to rebuild the models (false). */
  live: boolean;
  /** Short label for the form. */
  label: string;
  /** One line for tooltips. */
  help: string;
  /** The allowed values in words, e.g. "an integer from 1 to 4096". */
  range: string;
  /** Inclusive bounds of a numeric parameter. */
  min?: number;
  max?: number;
  /** Choices of a menu. */
  options?: readonly string[];
  /** Reads text (the URL, a form field); throws an Error naming the key and range. */
  parse(raw: string): V;
  /** Text for the URL; `parse(format(v))` gives `v` back. */
  format(value: V): string;
}

/** The table's type: one spec per key of {@link TrainingParams}. */
export type TrainingParamTable = {
  readonly [K in keyof TrainingParams]: TrainingParamSpec<TrainingParams[K]>;
};

const got = (raw: string) => ` (got ${JSON.stringify(raw)})`;

function numeric(
  key: string,
  o: {
    min: number;
    max: number;
    integer: boolean;
    default: number;
    live: boolean;
    label: string;
    help: string;
  },
): TrainingParamSpec<number> {
  const range = `${o.integer ? 'an integer' : 'a number'} from ${o.min} to ${o.max}`;
  return {
    kind: o.integer ? 'int' : 'number',
    default: o.default,
    live: o.live,
    label: o.label,
    help: o.help,
    range,
    min: o.min,
    max: o.max,
    parse(raw) {
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(n) || n < o.min || n > o.max || (o.integer && !Number.isInteger(n))) {
        throw new Error(`${key} must be ${range}${got(raw)}`);
      }
      return n;
    },
    format: (v) => String(v),
  };
}

function choice<V extends string>(
  key: string,
  options: readonly V[],
  o: { default: V; live: boolean; label: string; help: string },
): TrainingParamSpec<V> {
  const range = `one of ${options.join(', ')}`;
  return {
    kind: 'enum',
    ...o,
    range,
    options,
    parse(raw) {
      if (!(options as readonly string[]).includes(raw))
        throw new Error(`${key} must be ${range}${got(raw)}`);
      return raw as V;
    },
    format: (v) => v,
  };
}

function flag(
  key: string,
  o: { default: boolean; live: boolean; label: string; help: string },
): TrainingParamSpec<boolean> {
  const range = 'on or off';
  return {
    kind: 'bool',
    ...o,
    range,
    parse(raw) {
      const t = raw.trim().toLowerCase();
      if (t === 'on' || t === 'true' || t === '1') return true;
      if (t === 'off' || t === 'false' || t === '0') return false;
      throw new Error(`${key} must be ${range}${got(raw)}`);
    },
    format: (v) => (v ? 'on' : 'off'),
  };
}

/** Feature groups as a comma list (`searches,exampleAge`), or `none`. */
const features: TrainingParamSpec<FeatureChoice> = {
  kind: 'features',
  default: { ...cand.features },
  live: false,
  label: 'Features',
  help: 'user features beside the watch bag (paper Figure 6)',
  range: `a comma list of ${FEATURE_NAMES.join(', ')}, or none`,
  parse(raw) {
    const parts = raw
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const out: FeatureChoice = { searches: false, demographics: false, exampleAge: false };
    if (parts.length === 1 && parts[0] === 'none') return out;
    if (parts.length === 0) throw new Error(`features must be ${features.range}${got(raw)}`);
    for (const p of parts) {
      if (!(FEATURE_NAMES as readonly string[]).includes(p)) {
        throw new Error(`features must be ${features.range}${got(raw)}`);
      }
      out[p as keyof FeatureChoice] = true;
    }
    return out;
  },
  format: (v) => FEATURE_NAMES.filter((f) => v[f]).join(',') || 'none',
};

/**
 * Every training hyperparameter. Defaults are the models' own (`defaultCandidateConfig`,
 * `defaultRankingConfig`), so the page trains what `npm run train` trains.
 */
export const TRAINING_PARAMS: TrainingParamTable = {
  trainSeed: numeric('trainSeed', {
    min: 0,
    max: 4294967295,
    integer: true,
    default: cand.seed,
    live: false,
    label: 'Training seed',
    help: 'seed of initial weights, batches and negatives',
  }),
  lr: numeric('lr', {
    min: 0.00001,
    max: 1,
    integer: false,
    default: cand.learningRate,
    live: true,
    label: 'Learning rate',
    help: 'Adam learning rate of the candidate model and the factorisation baseline',
  }),
  batch: numeric('batch', {
    min: 8,
    max: 4096,
    integer: true,
    default: cand.batchSize,
    live: true,
    label: 'Batch size',
    help: 'next watches per training step',
  }),
  negatives: numeric('negatives', {
    min: 1,
    max: 8192,
    integer: true,
    default: cand.negatives,
    live: true,
    label: 'Negatives',
    help: 'sampled negatives per step, shared across the batch (ignored by in-batch and full)',
  }),
  sampler: choice('sampler', SAMPLER_CHOICES, {
    default: cand.sampler,
    live: true,
    label: 'Sampler',
    help: 'how negatives are drawn; full = exact softmax over every video',
  }),
  alpha: numeric('alpha', {
    min: 0,
    max: 2,
    integer: false,
    default: cand.alpha,
    live: true,
    label: 'Popularity α',
    help: 'exponent of the popularity sampler, q ∝ (count + 1)^α',
  }),
  logQ: flag('logQ', {
    default: cand.logQ,
    live: true,
    label: 'logQ correction',
    help: 'subtract log q from each logit (importance correction of sampled softmax)',
  }),
  accidentalHits: flag('accidentalHits', {
    default: cand.removeAccidentalHits,
    live: true,
    label: 'Remove accidental hits',
    help: 'mask a sampled negative that is the row’s own label',
  }),
  depth: numeric('depth', {
    min: 0,
    max: 4,
    integer: true,
    default: cand.depth,
    live: false,
    label: 'Tower depth',
    help: 'ReLU layers of the candidate tower: 0 linear … 4 (2048→1024→512→256, scaled)',
  }),
  width: numeric('width', {
    min: 0.015625,
    max: 1,
    integer: false,
    default: cand.widthFactor,
    live: false,
    label: 'Width factor',
    help: 'scales the paper’s widths; embedding size = 256 × width',
  }),
  features,
  weighting: choice('weighting', WEIGHTINGS, {
    default: rank.weighted ? 'weighted' : 'unweighted',
    live: true,
    label: 'Ranking loss',
    help: 'weighted logistic regression (positives weighted by watch time) or plain CTR',
  }),
  rankingLr: numeric('rankingLr', {
    min: 0.00001,
    max: 1,
    integer: false,
    default: rank.learningRate,
    live: true,
    label: 'Ranking learning rate',
    help: 'Adam learning rate of the ranking model',
  }),
  backend: choice<BackendRequest>('backend', BACKEND_REQUESTS, {
    default: 'auto',
    live: false,
    label: 'Backend',
    help: 'auto = the fastest that is not a software fallback',
  }),
};

/** Every key, in table order (the form's and the URL's order). */
export const TRAINING_KEYS = Object.keys(TRAINING_PARAMS) as (keyof TrainingParams)[];

/** Keys that apply mid-training. */
export const LIVE_KEYS = TRAINING_KEYS.filter((k) => TRAINING_PARAMS[k].live);

/** Keys that need a reset (new models). */
export const STRUCTURAL_KEYS = TRAINING_KEYS.filter((k) => !TRAINING_PARAMS[k].live);

/** The defaults of every hyperparameter. */
export const DEFAULT_TRAINING_PARAMS: TrainingParams = Object.fromEntries(
  TRAINING_KEYS.map((k) => [k, TRAINING_PARAMS[k].default]),
) as unknown as TrainingParams;

/** True when two values of a parameter are the same (features compared field by field). */
export function sameValue<K extends keyof TrainingParams>(
  key: K,
  a: TrainingParams[K],
  b: TrainingParams[K],
): boolean {
  return TRAINING_PARAMS[key].format(a as never) === TRAINING_PARAMS[key].format(b as never);
}

/** The keys whose values differ between `a` and `b`, in table order. */
export function changedKeys(a: TrainingParams, b: TrainingParams): (keyof TrainingParams)[] {
  return TRAINING_KEYS.filter((k) => !sameValue(k, a[k], b[k]));
}

/**
 * Validates a whole parameter object (what the worker receives): every key re-parsed from its
 * formatted text. Returns the first problem's message, or null when all are valid.
 */
export function checkTrainingParams(p: TrainingParams): string | null {
  for (const k of TRAINING_KEYS) {
    const spec = TRAINING_PARAMS[k] as TrainingParamSpec<unknown>;
    try {
      if (p[k] === undefined) throw new Error(`${k} is missing`);
      spec.parse(spec.format(p[k]));
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
  return null;
}
