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

/** Every choice of {@link CandidateConfig.embeddingWidths}. */
export const EMBEDDING_WIDTHS = ['fixed', 'log'] as const;

/**
 * How the input tables' widths are chosen: `fixed` (video d, search tokens 16, region and
 * device 4), or `log`: roughly proportional to the log of the table's vocabulary size
 * ({@link LOG_WIDTH_PER_NAT} · ln(ids), docs/model.md#vocabulary).
 */
export type EmbeddingWidths = (typeof EMBEDDING_WIDTHS)[number];

/** Every choice of {@link CandidateConfig.embeddings}. */
export const EMBEDDING_MODES = ['joint', 'pretrained-frozen', 'pretrained-finetune'] as const;

/**
 * How the watch-bag video and search-token embeddings are learned: jointly with the tower (the
 * paper), or pretrained first by CBOW (src/model/pretrain/) and then kept frozen or fine-tuned.
 */
export type EmbeddingMode = (typeof EMBEDDING_MODES)[number];

/** Every choice of {@link CandidateConfig.label}. */
export const LABEL_CHOICES = ['next', 'heldout'] as const;

/** The label of a training example: the next watch (the paper) or a random held-out watch. */
export type LabelChoice = (typeof LABEL_CHOICES)[number];

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
  /**
   * Video vocabulary V: the top-V videos by training watches (0 = every video). The others are
   * out of vocabulary: a zero watch-bag embedding, a zero output vector with a fixed bias of
   * {@link OOV_BIAS} (out of the softmax), never updated (docs/model.md#vocabulary).
   */
  videoVocab: number;
  /** Search-token vocabulary: the top tokens by training searches (0 = every token). */
  tokenVocab: number;
  /** How the input tables' widths are chosen (output vectors are always d wide). */
  embeddingWidths: EmbeddingWidths;
  /** Watch-bag and search-token embeddings learned jointly, or pretrained (frozen / fine-tuned). */
  embeddings: EmbeddingMode;
  /**
   * Training examples' label (read by whoever builds the examples, `src/sim/examples.ts`; the
   * model itself never reads it).
   */
  label: LabelChoice;
  /** At most this many training examples per user (0 = no cap; read with `label`). */
  perUserCap: number;
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
  videoVocab: 0,
  tokenVocab: 0,
  embeddingWidths: 'fixed',
  embeddings: 'joint',
  label: 'next',
  perUserCap: 50,
};

/**
 * The fixed output bias of an out-of-vocabulary video: e^−10⁴ is 0 in float32, so such a video
 * takes no part in the softmax (which is over the vocabulary) and ranks last at serving.
 */
export const OOV_BIAS = -1e4;

/** Width per nat of vocabulary size with `embeddingWidths: 'log'` (20 000 videos → 32). */
export const LOG_WIDTH_PER_NAT = 3.25;

/** Widths of the input tables: watch-bag videos, search tokens, region, device. */
export interface InputWidths {
  video: number;
  search: number;
  region: number;
  device: number;
}

/**
 * The input tables' widths for a config and the tables' numbers of ids (`ids`: in-vocabulary
 * ids of each table). `fixed`: video d, search 16, region and device 4; `log`: each
 * max(2, round({@link LOG_WIDTH_PER_NAT} · ln(ids + 1))).
 */
export function inputWidths(
  cfg: CandidateConfig,
  ids: { video: number; search: number; region: number; device: number },
): InputWidths {
  if (cfg.embeddingWidths === 'fixed')
    return { video: embeddingDim(cfg), search: 16, region: 4, device: 4 };
  const w = (n: number) => Math.max(2, Math.round(LOG_WIDTH_PER_NAT * Math.log(n + 1)));
  return {
    video: w(ids.video),
    search: w(ids.search),
    region: w(ids.region),
    device: w(ids.device),
  };
}

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
