/**
 * The training knobs: one row per knob of candidate generation, the user tower, the ranker and
 * the run, each naming the config field it sets. The page's URL and form, the worker's check
 * of what it receives, the live update and `npm run train`'s flags all read these rows.
 * Defaults are the models' own (`defaultCandidateConfig`, `defaultRankingConfig`), so the page
 * trains what `npm run train` trains.
 */
import { defaultCandidateConfig as cand } from '../../model/candidate/config';
import { defaultRankingConfig as rank } from '../../model/ranking/config';
import {
  BACKEND_REQUESTS,
  EMBEDDING_MODES,
  EMBEDDING_WIDTHS,
  FEATURE_NAMES,
  LABEL_CHOICES,
  MAX_BATCH,
  MAX_DEPTH,
  MAX_NEGATIVES,
  MAX_PER_USER_CAP,
  MAX_SEED,
  MAX_VOCAB,
  ODDS,
  RANKING_FEATURE_NAMES,
  SOFTMAX_CHOICES,
  WEIGHTINGS,
  type BackendRequest,
  type EmbeddingMode,
  type EmbeddingWidths,
  type LabelChoice,
  type Odds,
  type SamplerChoice,
  type Weighting,
} from './enums';
import {
  checkValue,
  choice,
  clonePlain,
  flag,
  intList,
  numeric,
  shownValue,
  switches,
  type Param,
  type ValuesOf,
} from './spec';

/** Where a training knob sits in the form. */
export type TrainingGroup = 'candidate' | 'tower' | 'ranking' | 'run';

/** A training row and its place in the form. */
type Row<V> = Param<V> & { group: TrainingGroup };

const at =
  (group: TrainingGroup) =>
  <V>(p: Param<V>): Row<V> => ({ ...p, group });
const candidate = at('candidate');
const tower = at('tower');
const ranking = at('ranking');
const run = at('run');

/** Every training knob, in form and URL order. */
export const TRAINING_PARAMS = {
  lr: candidate(
    numeric('lr', {
      min: 0.00001,
      max: 1,
      integer: false,
      default: cand.learningRate,
      live: true,
      label: 'Learning rate',
      help: 'Adam learning rate of the candidate model and the factorisation baseline',
      sets: { candidate: 'learningRate' },
    }),
  ),
  batch: candidate(
    numeric('batch', {
      min: 8,
      max: MAX_BATCH,
      integer: true,
      default: cand.batchSize,
      live: true,
      label: 'Batch size',
      help: 'next watches per training step',
      sets: { candidate: 'batchSize' },
    }),
  ),
  negatives: candidate(
    numeric('negatives', {
      min: 1,
      max: MAX_NEGATIVES,
      integer: true,
      default: cand.negatives,
      live: true,
      label: 'Negatives',
      help: 'sampled negatives per step, shared across the batch (ignored by in-batch and full)',
      sets: { candidate: 'negatives' },
    }),
  ),
  sampler: candidate(
    choice<SamplerChoice>('sampler', SOFTMAX_CHOICES, {
      default: cand.sampler,
      live: true,
      label: 'Sampler',
      help: 'how negatives are drawn; full = exact softmax over every video',
      sets: { candidate: 'sampler' },
    }),
  ),
  alpha: candidate(
    numeric('alpha', {
      min: 0,
      max: 2,
      integer: false,
      default: cand.alpha,
      live: true,
      label: 'Popularity α',
      help: 'exponent of the popularity sampler, q ∝ (count + 1)^α',
      sets: { candidate: 'alpha' },
    }),
  ),
  logQ: candidate(
    flag('logQ', {
      default: cand.logQ,
      live: true,
      label: 'logQ correction',
      help: 'subtract log q from each logit (importance correction of sampled softmax)',
      flag: 'logq',
      sets: { candidate: 'logQ' },
    }),
  ),
  accidentalHits: candidate(
    flag('accidentalHits', {
      default: cand.removeAccidentalHits,
      live: true,
      label: 'Remove accidental hits',
      help: 'mask a sampled negative that is the row’s own label',
      sets: { candidate: 'removeAccidentalHits' },
    }),
  ),
  label: candidate(
    choice<LabelChoice>('label', LABEL_CHOICES, {
      default: cand.label,
      live: false,
      label: 'Label',
      help: 'next watch, context before it (the paper); heldout = a random watch with the future as context (the leak)',
      sets: { candidate: 'label' },
    }),
  ),
  perUserCap: candidate(
    numeric('perUserCap', {
      min: 0,
      max: MAX_PER_USER_CAP,
      integer: true,
      default: cand.perUserCap,
      live: false,
      label: 'Examples per user',
      help: 'at most this many training examples per user, so power users do not dominate (0 = no cap)',
      sets: { candidate: 'perUserCap' },
    }),
  ),
  depth: tower(
    numeric('depth', {
      min: 0,
      max: MAX_DEPTH,
      integer: true,
      default: cand.depth,
      live: false,
      label: 'Tower depth',
      help: 'ReLU layers of the candidate tower: 0 linear … 4 (2048→1024→512→256, scaled)',
      sets: { candidate: 'depth' },
    }),
  ),
  width: tower(
    numeric('width', {
      min: 0.015625,
      max: 1,
      integer: false,
      default: cand.widthFactor,
      live: false,
      label: 'Width factor',
      help: 'scales the paper’s widths; embedding size = 256 × width',
      sets: { candidate: 'widthFactor' },
    }),
  ),
  features: tower(
    switches('features', FEATURE_NAMES, {
      default: { ...cand.features },
      live: false,
      label: 'Features',
      help: 'user features beside the watch bag (paper Figure 6)',
      sets: { candidate: 'features', as: (v) => ({ ...v }) },
    }),
  ),
  videoVocab: tower(
    numeric('videoVocab', {
      min: 0,
      max: MAX_VOCAB,
      integer: true,
      default: cand.videoVocab,
      live: false,
      label: 'Video vocabulary',
      help: 'top-V videos by training watches; others get a zero embedding and are out of the softmax (0 = every video)',
      sets: { candidate: 'videoVocab', ranking: 'videoVocab' },
    }),
  ),
  tokenVocab: tower(
    numeric('tokenVocab', {
      min: 0,
      max: MAX_VOCAB,
      integer: true,
      default: cand.tokenVocab,
      live: false,
      label: 'Token vocabulary',
      help: 'top search tokens (unigrams and bigrams) by training searches; others get a zero embedding (0 = every token)',
      sets: { candidate: 'tokenVocab' },
    }),
  ),
  embeddingWidths: tower(
    choice<EmbeddingWidths>('embeddingWidths', EMBEDDING_WIDTHS, {
      default: cand.embeddingWidths,
      live: false,
      label: 'Embedding widths',
      help: 'fixed: watch bag d, tokens 16, region and device 4; log: ≈ 3.25 · ln(vocabulary size) each',
      sets: { candidate: 'embeddingWidths' },
    }),
  ),
  embeddings: tower(
    choice<EmbeddingMode>('embeddings', EMBEDDING_MODES, {
      default: cand.embeddings,
      live: false,
      label: 'Embeddings',
      help: 'watch-bag and token embeddings learned jointly with the tower, or pretrained by CBOW first, then frozen or fine-tuned',
      sets: { candidate: 'embeddings' },
    }),
  ),
  weighting: ranking(
    choice<Weighting>('weighting', WEIGHTINGS, {
      default: rank.weighted ? 'weighted' : 'unweighted',
      live: true,
      label: 'Ranking loss',
      help: 'weighted logistic regression (positives weighted by watch time) or plain CTR',
      sets: { ranking: 'weighted', as: (v) => v === 'weighted' },
    }),
  ),
  odds: ranking(
    choice<Odds>('odds', ODDS, {
      default: rank.exactOdds ? 'exact' : 'paper',
      live: true,
      label: 'Weighted odds',
      help: 'exact: clicks also count as weight-1 negatives, e^z ≈ E[T]; paper: e^z ≈ E[T]/(1 − P)',
      sets: { ranking: 'exactOdds', as: (v) => v === 'exact' },
    }),
  ),
  rankingLr: ranking(
    numeric('rankingLr', {
      min: 0.00001,
      max: 1,
      integer: false,
      default: rank.learningRate,
      live: true,
      label: 'Ranking learning rate',
      help: 'Adam learning rate of the ranking model',
      sets: { ranking: 'learningRate' },
    }),
  ),
  rankingHidden: ranking(
    intList('rankingHidden', {
      min: 1,
      max: 2048,
      maxLength: 4,
      default: [...rank.hidden],
      live: false,
      label: 'Ranking tower',
      help: 'hidden ReLU widths of the ranker, input side first (paper Table 1 scaled by 1/8)',
      sets: { ranking: 'hidden', as: (v) => [...v] },
    }),
  ),
  powers: ranking(
    flag('powers', {
      default: rank.powers,
      live: false,
      label: 'x̃² and √x̃',
      help: 'also feed the square and the square root of each normalised continuous feature',
      sets: { ranking: 'powers' },
    }),
  ),
  rankingFeatures: ranking(
    switches('rankingFeatures', RANKING_FEATURE_NAMES, {
      default: { ...rank.features },
      live: false,
      label: 'Ranking features',
      help: 'ranker feature groups: language (match, user and video language embeddings), sources (candidate model score and rank; from the trained model in npm run train)',
      sets: { ranking: 'features', as: (v) => ({ ...v }) },
    }),
  ),
  trainSeed: run(
    numeric('trainSeed', {
      min: 0,
      max: MAX_SEED,
      integer: true,
      default: cand.seed,
      live: false,
      label: 'Training seed',
      help: 'seed of initial weights, batches and negatives',
      sets: { candidate: 'seed', ranking: 'seed' },
    }),
  ),
  backend: run(
    choice<BackendRequest>('backend', BACKEND_REQUESTS, {
      default: 'auto',
      live: false,
      label: 'Backend',
      help: 'auto = the fastest that is not a software fallback',
    }),
  ),
};

/** Every hyperparameter of a training run, one value per row of {@link TRAINING_PARAMS}. */
export type TrainingParams = ValuesOf<typeof TRAINING_PARAMS>;

/** A training knob's key. */
export type TrainingKey = keyof TrainingParams;

/** The row of `key`, typed for generic code. */
export function trainingRow(key: TrainingKey): Row<unknown> {
  return TRAINING_PARAMS[key] as Row<unknown>;
}

/** Every key, in table order (the form's and the URL's order). */
export const TRAINING_KEYS = Object.keys(TRAINING_PARAMS) as TrainingKey[];

/** Keys that apply mid-training. */
export const LIVE_KEYS = TRAINING_KEYS.filter((k) => TRAINING_PARAMS[k].live);

/** Keys that need a reset (new models). */
export const STRUCTURAL_KEYS = TRAINING_KEYS.filter((k) => !TRAINING_PARAMS[k].live);

/** The defaults of every hyperparameter (fresh copies of list and record values). */
export function defaultTrainingParams(): TrainingParams {
  return Object.fromEntries(
    TRAINING_KEYS.map((k) => [k, clonePlain(TRAINING_PARAMS[k].default)]),
  ) as TrainingParams;
}

/** The defaults of every hyperparameter. */
export const DEFAULT_TRAINING_PARAMS: Readonly<TrainingParams> = defaultTrainingParams();

/** A deep copy of `p` (lists and records copied). */
export function copyParams(p: TrainingParams): TrainingParams {
  return clonePlain(p);
}

/** The keys whose values differ between `a` and `b`, in table order. */
export function changedKeys(a: TrainingParams, b: TrainingParams): TrainingKey[] {
  return TRAINING_KEYS.filter((k) => {
    const row = trainingRow(k);
    return row.format(a[k]) !== row.format(b[k]);
  });
}

/**
 * Validates a whole parameter object (what the worker receives, what a run file holds): every
 * key checked by {@link checkValue}, its type first, then its range. Returns the first
 * problem's message, naming the key, or null when all are valid.
 */
export function checkTrainingParams(p: TrainingParams): string | null {
  if (p === null || typeof p !== 'object' || Array.isArray(p))
    return `the training settings must be a record of ${TRAINING_KEYS.length} knobs (got ${shownValue(p)})`;
  for (const k of TRAINING_KEYS) {
    const problem = checkValue(trainingRow(k), Object.hasOwn(p, k) ? p[k] : undefined);
    if (problem) return problem;
  }
  return null;
}
