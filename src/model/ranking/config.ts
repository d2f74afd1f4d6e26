/**
 * Settings of the ranking model (paper §4, docs/model.md#ranker): a ReLU tower over the
 * impression video's embedding, the user's watch bag and the quantile-normalised continuous
 * features, ending in one logit z, trained as weighted logistic regression (positives weighted
 * by watch minutes, negatives by 1) or as plain click-through-rate logistic regression.
 */

/**
 * The ranker's switchable feature groups (docs/model.md#ranking-features):
 * - `language`: language match (0/1) and the user-language and video-language embeddings, both
 *   read from one language table (the paper's example of a categorical feature pair);
 * - `sources`: the candidate model's score u·v of the impression video and its rank among the
 *   catalogue (the paper's "which sources nominated a candidate and their scores"), attached
 *   to the examples by `attachCandidateSources` (sources.ts); zeros when none were attached.
 */
export interface RankingFeatureSet {
  language: boolean;
  sources: boolean;
}

/** Ranking settings. */
export interface RankingConfig {
  /** Which feature groups the ranker sees beside the video embeddings and the six continuous ones. */
  features: RankingFeatureSet;
  /** Width of the language table (user and video language share it). */
  languageDim: number;
  /**
   * Hidden ReLU layer widths, input side first; [] = no hidden layer, i.e. logistic regression
   * straight on the features (the paper's Table 1 row "None").
   */
  hidden: number[];
  /**
   * true: weighted logistic regression (weight = watch minutes for a click, 1 for a non-click),
   * so the odds e^z estimate expected watch time per impression (paper §4.2). false: every
   * impression weighs 1 (plain CTR), so e^z estimates the odds of a click.
   */
  weighted: boolean;
  /**
   * Only with `weighted`: also count every *clicked* impression as a negative of weight 1 (each
   * impression is then one unit of negative weight, and a click adds its watch minutes as
   * positive weight). The fitted odds become Σ T / N = E[T] exactly, instead of the paper's
   * E[T] / (1 − P) ≈ E[T]·(1 + P), which over-predicts where clicks are likely. Off = the paper.
   * On by default: this world's clicks are far likelier than YouTube's (CTR ≈ 0.23 on the
   * default world), where the paper's P ≪ 1 does not hold and e^z would over-predict.
   */
  exactOdds: boolean;
  /** Also feed x̃² and √x̃ of every continuous feature (paper §4.1), not only x̃. */
  powers: boolean;
  /** Width of the shared video-id embedding (impression video and watch bag). */
  embeddingDim: number;
  /** Adam learning rate of the tower and (lazy Adam) of the embedding table. */
  learningRate: number;
  /** Impressions per step. */
  batchSize: number;
  /** Seed of the initial weights and of the batches. */
  seed: number;
  /**
   * Video vocabulary V (0 = every video): the top-V videos by training watches; the others
   * share a zero, never-updated embedding (docs/model.md#vocabulary). Set by the same knob as
   * the candidate model's.
   */
  videoVocab: number;
}

/** The defaults: the 1/8-scaled 1024→512→256 tower of Table 1's best row, weighted, with powers. */
export const defaultRankingConfig: RankingConfig = {
  features: { language: true, sources: false },
  languageDim: 4,
  hidden: [128, 64, 32],
  weighted: true,
  exactOdds: true,
  powers: true,
  embeddingDim: 16,
  learningRate: 0.003,
  batchSize: 512,
  seed: 1,
  videoVocab: 0,
};

/** One row of the paper's Table 1 with our 1/8-scaled widths. */
export interface TowerRow {
  /** The paper's label ("None", "256", "512 → 256", …). */
  paperLabel: string;
  /** The paper's hidden widths. */
  paperHidden: readonly number[];
  /** Our widths: the paper's divided by 8. */
  hidden: readonly number[];
  /** The paper's weighted, per-user loss on next-day held-out data, in percent. */
  paperLossPercent: number;
}

/**
 * Paper Table 1 (§4.3): hidden-layer configurations of the ranker and their weighted per-user
 * loss, with our widths scaled down by 1/8 so the tower trains live in a browser.
 */
export const TABLE1_TOWERS: readonly TowerRow[] = [
  { paperLabel: 'None', paperHidden: [], hidden: [], paperLossPercent: 41.6 },
  { paperLabel: '256 ReLU', paperHidden: [256], hidden: [32], paperLossPercent: 36.9 },
  { paperLabel: '512 ReLU', paperHidden: [512], hidden: [64], paperLossPercent: 36.7 },
  { paperLabel: '1024 ReLU', paperHidden: [1024], hidden: [128], paperLossPercent: 35.8 },
  {
    paperLabel: '512 ReLU → 256 ReLU',
    paperHidden: [512, 256],
    hidden: [64, 32],
    paperLossPercent: 35.2,
  },
  {
    paperLabel: '1024 ReLU → 512 ReLU',
    paperHidden: [1024, 512],
    hidden: [128, 64],
    paperLossPercent: 34.7,
  },
  {
    paperLabel: '1024 ReLU → 512 ReLU → 256 ReLU',
    paperHidden: [1024, 512, 256],
    hidden: [128, 64, 32],
    paperLossPercent: 34.6,
  },
];

/**
 * The paper's other Table 1 findings, on the best tower (percentage points of weighted
 * per-user loss): dropping x̃² and √x̃ costs +0.2; weighting positives and negatives equally
 * (plain CTR) costs +4.1.
 */
export const TABLE1_ABLATIONS = { withoutPowers: 0.2, unweighted: 4.1 } as const;

/** The part of the config that sets the loss weights (see {@link lossWeights}). */
export type LossWeighting = Pick<RankingConfig, 'weighted' | 'exactOdds'>;

/**
 * Positive and negative loss weights [a, b] of one impression: its loss is
 * a·softplus(−z) + b·softplus(z) (for a click BCE's "y = 1" part weighs a, the "y = 0" part b).
 *
 * | weighting              | click with T minutes | non-click |
 * |------------------------|----------------------|-----------|
 * | CTR (weighted = false) | [1, 0]               | [0, 1]    |
 * | paper (weighted)       | [T, 0]               | [0, 1]    |
 * | exactOdds              | [T, 1]               | [0, 1]    |
 */
export function lossWeights(
  clicked: boolean,
  watchMinutes: number,
  w: LossWeighting,
): [number, number] {
  if (!w.weighted) return clicked ? [1, 0] : [0, 1];
  if (!clicked) return [0, 1];
  return [watchMinutes, w.exactOdds ? 1 : 0];
}

/** Throws a RangeError naming the field when a setting is out of range. */
export function validateRankingConfig(cfg: RankingConfig): void {
  const posInt = (name: string, x: number): void => {
    if (!Number.isInteger(x) || x < 1)
      throw new RangeError(`${name} must be an integer ≥ 1 (got ${x})`);
  };
  cfg.hidden.forEach((w, i) => posInt(`hidden[${i}]`, w));
  posInt('embeddingDim', cfg.embeddingDim);
  posInt('languageDim', cfg.languageDim);
  posInt('batchSize', cfg.batchSize);
  // (0, 1], as the rankingLr row of the parameter table allows.
  if (!(cfg.learningRate > 0 && cfg.learningRate <= 1)) {
    throw new RangeError(`learningRate must be in (0, 1] (got ${cfg.learningRate})`);
  }
}
