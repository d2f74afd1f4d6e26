/**
 * Every enumeration and limit of the knobs, declared once: the parameter rows, the page's menus,
 * the worker's checks and the command line all read them from here.
 */
import { BACKEND_NAMES, type BackendName } from '../../model/backend-names';
import {
  EMBEDDING_MODES,
  EMBEDDING_WIDTHS,
  LABEL_CHOICES,
  type EmbeddingMode,
  type EmbeddingWidths,
  type FeatureSet,
  type LabelChoice,
} from '../../model/candidate/config';
import {
  SOFTMAX_CHOICES,
  drawsNegatives,
  hasProposal,
  samplerForStudy,
  type ProposalChoice,
  type SoftmaxChoice,
} from '../../model/candidate/sampled-softmax/choices';

export {
  EMBEDDING_MODES,
  EMBEDDING_WIDTHS,
  LABEL_CHOICES,
  type EmbeddingMode,
  type EmbeddingWidths,
  type LabelChoice,
  BACKEND_NAMES,
  SOFTMAX_CHOICES,
  drawsNegatives,
  hasProposal,
  samplerForStudy,
  type BackendName,
};

/** Which backend the user asked for: `auto` = the fastest that is not a software fallback. */
export type BackendRequest = 'auto' | BackendName;

/** Every choice of the backend knob. */
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', ...BACKEND_NAMES];

/**
 * How candidate generation's softmax is trained: a negative sampler of sampled softmax, or the
 * full softmax (the choices and what each means: `src/model/candidate/sampled-softmax/choices.ts`).
 */
export type SamplerChoice = SoftmaxChoice;

/**
 * The samplers the Sampled-softmax view can study: every choice with a proposal q (full
 * softmax has no sampling bias to show).
 */
export const STUDY_SAMPLERS: readonly ProposalChoice[] = SOFTMAX_CHOICES.filter(hasProposal);

/** One of {@link STUDY_SAMPLERS}. */
export type StudySampler = ProposalChoice;

/** The ranker's objective: weighted logistic regression (watch time) or plain CTR. */
export const WEIGHTINGS = ['weighted', 'unweighted'] as const;

/** One of {@link WEIGHTINGS}. */
export type Weighting = (typeof WEIGHTINGS)[number];

/**
 * What the weighted ranker's odds e^z estimate: `exact` counts clicks also as weight-1
 * negatives, so e^z ≈ E[T]; `paper` is the paper's weighting, e^z ≈ E[T]/(1 − P)
 * (docs/model.md#weighted-logistic-regression).
 */
export const ODDS = ['exact', 'paper'] as const;

/** One of {@link ODDS}. */
export type Odds = (typeof ODDS)[number];

/** The candidate tower's feature groups beside the watch bag, in URL order. */
export const FEATURE_NAMES = [
  'searches',
  'demographics',
  'exampleAge',
] as const satisfies readonly (keyof FeatureSet)[];

/**
 * The ranker's switchable feature groups, in URL order: `language` (language match and the
 * user-language and video-language embeddings) and `sources` (the candidate model's score and
 * rank of the impression video), docs/model.md#ranking-features.
 */
export const RANKING_FEATURE_NAMES = ['language', 'sources'] as const satisfies readonly (
  'language' | 'sources'
)[];

/** Which user features feed the candidate tower (the watch bag is always on). */
export type FeatureChoice = FeatureSet;

/** The page's views (tabs), in tab order. */
export const VIEWS = [
  'world',
  'training',
  'projection',
  'softmax',
  'step',
  'funnel',
  'watchtime',
  'data',
  'lessons',
  'loop',
] as const;

/** One of {@link VIEWS}. */
export type View = (typeof VIEWS)[number];

/** What the Embedding view colours the videos by. */
export const COLOR_BYS = ['topic', 'popularity', 'age', 'clickbait'] as const;

/** One of {@link COLOR_BYS}. */
export type ColorBy = (typeof COLOR_BYS)[number];

/** Which 2-D layout the Embedding view draws. */
export const LAYOUTS = ['pca', 'umap'] as const;

/** One of {@link LAYOUTS}. */
export type Layout = (typeof LAYOUTS)[number];

/** The N of the funnel sweep (log axis); the funnel slider moves over these. */
export const FUNNEL_NS: readonly number[] = [10, 20, 50, 100, 200, 500, 1000, 2000];

/** Largest k the funnel shows. */
export const FUNNEL_K_MAX = 50;

/** Most negatives a step samples (the K of sampled softmax). */
export const MAX_NEGATIVES = 8192;

/** Most examples in one step. */
export const MAX_BATCH = 4096;

/** Deepest candidate tower (the paper's Figure 6 goes to 4 ReLU layers). */
export const MAX_DEPTH = 4;

/** Most IVF lists a funnel query opens. */
export const MAX_NPROBE = 64;

/** Largest vocabulary size (videos or search tokens) the knobs accept; 0 means every id. */
export const MAX_VOCAB = 10_000_000;

/** Largest per-user cap of training examples; 0 means no cap. */
export const MAX_PER_USER_CAP = 100_000;

/** Largest 32-bit unsigned seed. */
export const MAX_SEED = 4294967295;
