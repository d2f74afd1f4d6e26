/**
 * Settings of the candidate-generation model (paper §3, docs/model.md#candidate-generation): the
 * user tower, its inputs, and how sampled softmax is trained.
 */
import type { SoftmaxChoice } from './sampled-softmax/choices';

/** Which user inputs feed the tower (paper §3.5 / Figure 6 series). The watch bag is always on. */
export interface FeatureSet {
  /** Averaged search-token embeddings (unigrams and bigrams). */
  searches: boolean;
  /** Region and device embeddings; age bucket, gender and logged-in as reals in [0, 1]. */
  demographics: boolean;
  /** Example age (paper §3.3), normalised by the window and also squared; 0 at serving. */
  exampleAge: boolean;
}

/** Candidate-generation settings. */
export interface CandidateConfig {
  /**
   * Tower depth 0–4: 0 = linear (factorisation); k = the paper's k halving ReLU layers, then a
   * linear projection to u ∈ ℝ^d.
   */
  depth: number;
  /**
   * Scales the paper's widths (256 / 512-256 / 1024-512-256 / 2048-1024-512-256); the last
   * width is the embedding size d = 256 · widthFactor (32 at the default 1/8).
   */
  widthFactor: number;
  /** Number of sampled negatives K per step (shared across the batch). */
  negatives: number;
  /**
   * Negative sampler of sampled softmax, or 'full' for the exact softmax over the corpus (small
   * corpora only); see sampled-softmax/choices.ts.
   */
  sampler: SoftmaxChoice;
  /** Exponent α of the popularity sampler (q ∝ count^α). */
  alpha: number;
  /** Subtract log q from every logit (importance / logQ correction). */
  logQ: boolean;
  /** Push the logit of a negative equal to the row's label to −∞. */
  removeAccidentalHits: boolean;
  features: FeatureSet;
  /**
   * 'features': the tower over watch bag and side features (the paper's model).
   * 'id': a free user-id embedding as u, no tower and no side features (matrix factorisation).
   */
  userInput: 'features' | 'id';
  /** Adam learning rate of the tower and every embedding. */
  learningRate: number;
  /** Examples per step. */
  batchSize: number;
  /** Seed of initial weights, batches and negatives. */
  seed: number;
}

/** The defaults: depth 0 (linear: learns fastest in a short in-browser run), d = 32, 256 negatives ∝ popularity^0.75 with logQ correction. */
export const defaultCandidateConfig: CandidateConfig = {
  depth: 0,
  widthFactor: 1 / 8,
  negatives: 256,
  sampler: 'popularity',
  alpha: 0.75,
  logQ: true,
  removeAccidentalHits: true,
  features: { searches: true, demographics: true, exampleAge: true },
  userInput: 'features',
  learningRate: 0.02,
  batchSize: 256,
  seed: 1,
};

/** The paper's tower widths for each depth (Figure 6), before scaling. */
export const PAPER_WIDTHS: readonly (readonly number[])[] = [
  [],
  [256],
  [512, 256],
  [1024, 512, 256],
  [2048, 1024, 512, 256],
];

/** Embedding size d of u and of the video vectors. */
export function embeddingDim(cfg: CandidateConfig): number {
  return Math.max(4, Math.round(256 * cfg.widthFactor));
}

/** Hidden widths of the tower for the config (empty for depth 0). */
export function towerWidths(cfg: CandidateConfig): number[] {
  const d = embeddingDim(cfg);
  return (PAPER_WIDTHS[cfg.depth] ?? []).map((w) => Math.max(d, Math.round(w * cfg.widthFactor)));
}
