/**
 * The ranking model (paper §4): a ReLU tower over [impression video embedding, averaged watch
 * bag, dense features] ending in one logit z per impression, trained by weighted logistic
 * regression:
 *
 *   loss = Σ_i w_i · BCE(z_i, y_i) / Σ_i w_i,   BCE(z, y) = softplus(z) − y·z,
 *
 * with y = clicked and w = watch minutes for a click, 1 for a non-click (`weighted`), or w = 1
 * for every impression (plain CTR). At serving the odds e^z are the prediction: for the
 * weighted model, the paper's estimate of expected watch time per impression (§4.2; exactly,
 * the fitted odds are E[T] / (1 − P(click)) ≈ E[T]·(1 + P) ≈ E[T] — see evaluate.ts).
 * Implemented in the equivalent form Σ (a_i·softplus(−z_i) + b_i·softplus(z_i)) / Σ (a_i + b_i)
 * with positive and negative weights (a, b) = (y·w, (1 − y)·w) (config.ts `lossWeights`), which
 * also admits `exactOdds`: b = 1 for clicks too, so that e^z estimates E[T] itself.
 *
 * The video-id embedding table is a JS-side {@link SparseEmbedding} shared by the impression
 * video and the watch bag; a batch's input rows go through tfjs as one leaf variable, and the
 * two gradients of a row are merged per id before one lazy-Adam step (batch.ts). The
 * tower's weights are tf variables trained with Adam (ε = 1e-7, docs/tfjs-notes.md#adam-epsilon).
 */
import * as tf from '@tensorflow/tfjs';
import type { RankingExamples } from '../../sim/ranking-examples';
import type { World } from '../../sim/types';
import { LANGUAGES } from '../../sim/vocab-names';
import { defaultAdam, SparseEmbedding, type AdamSettings } from '../embedding';
import { vocabularies } from '../vocabulary';
import { leafVariable } from '../leaf';
import { DenseTower } from '../tower';
import { RankingBatch } from './batch';
import { UniformStream } from '../stream';
import {
  exportModelState,
  exportModelWeights,
  importModelState,
  importModelWeights,
  type ModelState,
  type NamedWeights,
} from '../weights';
import {
  lossWeights,
  validateRankingConfig,
  type RankingConfig,
  type LossWeighting,
} from './config';
import {
  denseWidth,
  fitFeatureQuantiles,
  rankingInputs,
  type FeatureQuantiles,
  type RankingInputs,
} from './features';

/** Figures of one training step. */
export interface RankingStepResult {
  /** The batch's weighted logistic loss (nats per unit weight, see weightedLogisticLoss). */
  loss: number;
  /** Σ (a + b) of the batch (paper weighting: clicks' minutes + non-clicks; CTR: batch size). */
  weightSum: number;
}

/**
 * Weighted logistic loss of logits `z` [B] with positive weights `a` [B] and negative weights
 * `b` [B] (all ≥ 0, Σ (a + b) > 0): Σ (a·softplus(−z) + b·softplus(z)) / Σ (a + b). With
 * a = y·w and b = (1 − y)·w for labels y ∈ {0, 1} this is Σ w·BCE(z, y) / Σ w. Its minimum
 * over a constant z is at odds e^z = Σ a / Σ b. softplus is computed stably by the backends, so
 * large |z| neither overflows nor loses the gradient.
 */
export function weightedLogisticLoss(z: tf.Tensor1D, a: tf.Tensor1D, b: tf.Tensor1D): tf.Scalar {
  return tf.tidy(
    () =>
      tf.div(
        tf.sum(tf.add(tf.mul(a, tf.softplus(tf.neg(z))), tf.mul(b, tf.softplus(z)))),
        tf.add(tf.sum(a), tf.sum(b)),
      ) as tf.Scalar,
  );
}

/** Loss weights [a, b] of example i of `ex` under `weighting` (config.ts `lossWeights`). */
export function exampleLossWeights(
  ex: RankingExamples,
  i: number,
  weighting: LossWeighting,
): [number, number] {
  return lossWeights(ex.clicked[i] === 1, ex.watchMinutes[i], weighting);
}

/**
 * The log-odds of the whole training set, log(Σ a / Σ b): the best constant logit, used as the
 * output bias at initialisation so training starts from the base rate (paper weighting: log of
 * watch minutes per non-click; exactOdds: log of mean watch minutes per impression; CTR: the
 * click log-odds).
 */
export function priorLogit(ex: RankingExamples, weighting: LossWeighting): number {
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < ex.count; i++) {
    const [a, b] = exampleLossWeights(ex, i, weighting);
    pos += a;
    neg += b;
  }
  return pos > 0 && neg > 0 ? Math.log(pos / neg) : 0;
}

/**
 * Fills the source features (`sourceScore`, `sourceRank`) of examples `rows` of `ex` before the
 * ranker reads them: the page's live candidate sources (`live-sources.ts`). The command line
 * attaches them once instead (`attachCandidateSources`) and sets none.
 */
export type SourceFiller = (ex: RankingExamples, rows: ArrayLike<number>) => Promise<void>;

/** The config fields that fix the ranker's shape and initial weights (not changeable live). */
const STRUCTURAL = ['powers', 'embeddingDim', 'languageDim', 'seed', 'videoVocab'] as const;

/** The ranker. Create after `useBackend()` (the optimizer must see the final backend). */
export class RankingModel {
  /** The shared video-id embedding table [videos × embeddingDim]. */
  readonly table: SparseEmbedding;
  /**
   * With the language group: the language table [LANGUAGES.length × languageDim], read by the
   * user's language and the video's (one table for the pair, as the video id's).
   */
  readonly languageTable: SparseEmbedding | undefined;
  /** Training quantiles of the continuous features (reused on the test split). */
  readonly quantiles: FeatureQuantiles;
  /**
   * Width of the tower's input: 2·embeddingDim (+ 2·languageDim with the language group)
   * + denseWidth(powers, features).
   */
  readonly inputWidth: number;
  private readonly tower: DenseTower;
  private readonly optimizer: tf.Optimizer;
  /** The training step's input rows and table gradients, buffers kept between steps. */
  private readonly batch: RankingBatch;
  /**
   * {@link predictLogits}'s input rows, buffers kept between calls (a request of the Funnel
   * view ranks about 80 000 rows in about 100 calls: no fresh 20 MB of rows each time). Apart
   * from the training batch's, so a prediction between steps leaves its rows alone.
   */
  private readonly serving: RankingBatch;
  /** Draws the batches (and the candidate model's negatives); its position is saved with the state. */
  private readonly rng: UniformStream;
  private adam: AdamSettings;
  /** Steps taken. */
  steps = 0;
  /**
   * With the `sources` feature group: called before every batch's and every prediction's
   * inputs are built ({@link SourceFiller}); unused without the group.
   */
  sourceFiller: SourceFiller | undefined;

  /**
   * @param train training-split examples: the quantiles are fitted on them (unless given) and
   *   the output bias starts at their {@link priorLogit}.
   * @param quantiles already fitted quantiles (e.g. shared by several models of one experiment).
   */
  /** The settings in effect: a copy of the constructor's, live fields changed by {@link applyConfig}. */
  private readonly cfg: RankingConfig;

  constructor(
    readonly world: World,
    config: RankingConfig,
    train: RankingExamples,
    quantiles?: FeatureQuantiles,
  ) {
    validateRankingConfig(config);
    this.cfg = { ...config, hidden: [...config.hidden], features: { ...config.features } };
    this.quantiles = quantiles ?? fitFeatureQuantiles(train);
    this.rng = new UniformStream(config.seed, 0x4a4b);
    const u = this.rng.uniform;
    const d = config.embeddingDim;
    this.table = new SparseEmbedding(world.videos.count, d, u);
    const oov = vocabularies(world, config.videoVocab, 0).video;
    if (oov) this.table.freezeRows(oov); // out of vocabulary: a zero row, never updated
    this.languageTable = config.features.language
      ? new SparseEmbedding(LANGUAGES.length, config.languageDim, u)
      : undefined;
    this.adam = { ...defaultAdam, learningRate: config.learningRate };
    const fanIn = (this.inputWidth =
      2 * d + this.languageWidth + denseWidth(config.powers, config.features));
    const prior = priorLogit(train, config);
    // He-uniform hidden layers (ReLU); a Glorot-uniform output layer with the prior as bias.
    this.tower = new DenseTower(fanIn, [...config.hidden, 1], u, {
      outputInit: 'glorot',
      outputBias: prior,
    });
    this.optimizer = tf.train.adam(config.learningRate, 0.9, 0.999, 1e-7);
    this.batch = new RankingBatch(world, this.table, this.languageTable);
    this.serving = new RankingBatch(world, this.table, this.languageTable);
  }

  /** Width of the two language fields in the tower's input (0 without the language group). */
  get languageWidth(): number {
    return this.cfg.features.language ? 2 * this.cfg.languageDim : 0;
  }

  /** The settings in effect (change the live ones with {@link applyConfig}). */
  get config(): Readonly<RankingConfig> {
    return this.cfg;
  }

  /** Changes the learning rate of the tower and the embedding table from the next step on. */
  setLearningRate(lr: number): void {
    this.adam = { ...this.adam, learningRate: lr };
    (this.optimizer as unknown as { learningRate: number }).learningRate = lr;
  }

  /**
   * Applies `next` from the next step on: the weighting (`weighted`, `exactOdds`: the loss
   * weights of every later batch), the learning rate (table's lazy Adam and the tower's Adam;
   * their moments are kept) and the batch size. The structural fields (hidden, powers,
   * embeddingDim, seed) must equal the model's: throws an Error naming the first that differs,
   * changing nothing. (The output bias keeps the prior of the constructor's weighting.)
   */
  applyConfig(next: RankingConfig): void {
    validateRankingConfig(next);
    const cur = this.cfg;
    for (const key of STRUCTURAL)
      if (next[key] !== cur[key])
        throw new Error(`${key} cannot change during training (${cur[key]} → ${next[key]})`);
    for (const g of ['language', 'sources'] as const)
      if (next.features[g] !== cur.features[g])
        throw new Error(
          `rankingFeatures cannot change during training (${g}: ${cur.features[g]} → ${next.features[g]})`,
        );
    if (next.hidden.join() !== cur.hidden.join())
      throw new Error(`hidden cannot change during training ([${cur.hidden}] → [${next.hidden}])`);
    if (next.learningRate !== cur.learningRate) this.setLearningRate(next.learningRate);
    cur.weighted = next.weighted;
    cur.exactOdds = next.exactOdds;
    cur.learningRate = next.learningRate;
    cur.batchSize = next.batchSize;
  }

  /**
   * Every weight of the ranker, fresh copies in a fixed order: the table 'video'
   * [videos × embeddingDim], then the tower's 'layer{i}.w' [fanIn × width] and 'layer{i}.b'
   * [width], input side first (the last layer is the output, width 1).
   */
  exportWeights(): Promise<NamedWeights[]> {
    return exportModelWeights(this.namedTables(), this.tower);
  }

  /**
   * Loads weights of {@link exportWeights}'s names and sizes (Adam's moments are kept). Throws
   * an Error naming a missing weight or one of the wrong size, before changing anything.
   */
  importWeights(list: readonly NamedWeights[]): void {
    importModelWeights(list, this.namedTables(), this.tower);
  }

  /**
   * The whole training state, fresh copies: weights, the optimisers' moments and counters
   * (lazy Adam of the tables, the tower's Adam), the batch stream's position ('rng') and the
   * step count ('steps'). {@link importState} on a model of the same config and world
   * continues bit for bit (docs/run-files.md#exact-resume).
   */
  exportState(): Promise<ModelState> {
    return exportModelState(this.namedTables(), this.tower, this.optimizer, {
      rng: this.rng.state,
      steps: this.steps,
    });
  }

  /**
   * Loads a state of {@link exportState}. Throws an Error naming the first missing or
   * mis-sized part before changing anything.
   */
  importState(state: ModelState): void {
    const { rng, steps } = state.counters;
    if (!(typeof rng === 'number' && rng >= 0 && rng < 1))
      throw new Error('no counter "rng" in [0, 1)');
    if (!(Number.isInteger(steps) && steps >= 0))
      throw new Error('no counter "steps" (a whole number ≥ 0)');
    importModelState(state, this.namedTables(), this.tower, this.optimizer);
    this.rng.restore(rng);
    this.steps = steps;
  }

  /** The embedding tables by weight name: 'video', then 'language' with the language group. */
  private namedTables(): [string, SparseEmbedding][] {
    const out: [string, SparseEmbedding][] = [['video', this.table]];
    if (this.languageTable) out.push(['language', this.languageTable]);
    return out;
  }

  /** Runs the {@link sourceFiller} on `rows` when the sources group is on. */
  private async fillSources(examples: RankingExamples, rows: ArrayLike<number>): Promise<void> {
    if (this.sourceFiller && this.cfg.features.sources) await this.sourceFiller(examples, rows);
  }

  /** Inputs of examples `rows` (features only; no labels). */
  inputs(examples: RankingExamples, rows: ArrayLike<number>): RankingInputs {
    return rankingInputs(
      this.world,
      examples,
      rows,
      this.table,
      this.quantiles,
      this.config.powers,
      this.config.features,
      this.languageTable,
    );
  }

  /** The tower: logits z [B] of input rows x [B × inputWidth] (RankingBatch's layout). */
  private logits(x: tf.Tensor2D): tf.Tensor1D {
    return tf.reshape(this.tower.apply(x), [-1]) as tf.Tensor1D;
  }

  /**
   * One Adam step on a random batch (drawn with replacement by the seeded rng) of `examples`.
   * Gradients are read back with `await data()` (never dataSync: docs/tfjs-notes.md#no-datasync).
   */
  async trainStep(examples: RankingExamples): Promise<RankingStepResult> {
    if (examples.count === 0) throw new RangeError('trainStep needs at least one example');
    const B = Math.min(this.config.batchSize, examples.count);
    const rows = new Int32Array(B);
    for (let b = 0; b < B; b++) rows[b] = this.rng.int(examples.count);
    await this.fillSources(examples, rows);
    const { powers, features } = this.cfg;
    const x = this.batch.write(examples, rows, this.quantiles, powers, features);
    const a = new Float32Array(B);
    const bw = new Float32Array(B);
    let weightSum = 0;
    for (let b = 0; b < B; b++) {
      [a[b], bw[b]] = exampleLossWeights(examples, rows[b], this.config);
      weightSum += a[b] + bw[b];
    }

    // The input rows are one leaf: its gradient, split by column slices, is the fields'.
    const leaf = leafVariable(x, [B, this.inputWidth]);
    const aT = tf.tensor1d(a);
    const bT = tf.tensor1d(bw);
    const towerVars = this.tower.variables;
    const { value, grads } = tf.variableGrads(
      () => weightedLogisticLoss(this.logits(leaf as tf.Tensor2D), aT, bT),
      [...towerVars, leaf],
    );
    const towerGrads: tf.NamedTensorMap = {};
    for (const v of towerVars) towerGrads[v.name] = grads[v.name];
    this.optimizer.applyGradients(towerGrads);
    const dx = (await grads[leaf.name].data()) as Float32Array;
    const loss = (await value.data())[0];
    tf.dispose([value, aT, bT, leaf, ...Object.values(grads)]);

    const g = this.batch.tableGradients(dx);
    if (g.video.ids.length) this.table.applyGradients(g.video.ids, g.video.grads, this.adam);
    if (this.languageTable && g.language?.ids.length)
      this.languageTable.applyGradients(g.language.ids, g.language.grads, this.adam);
    this.steps++;
    return { loss, weightSum };
  }

  /** Logits z of examples `rows` (default: all), in chunks; no gradient. */
  async predictLogits(
    examples: RankingExamples,
    rows?: ArrayLike<number>,
    chunk = 4096,
  ): Promise<Float32Array> {
    const all = rows ?? iota(examples.count);
    const out = new Float32Array(all.length);
    const { powers, features } = this.cfg;
    for (let s = 0; s < all.length; s += chunk) {
      const end = Math.min(all.length, s + chunk);
      const part: ArrayLike<number> = ArrayBuffer.isView(all)
        ? (all as Int32Array).subarray(s, end)
        : (Array.prototype.slice.call(all, s, end) as number[]);
      await this.fillSources(examples, part);
      // The concatenated fields written row by row: the numbers tf.concat of inputs() gives
      // (rankingInputRows's rows, in a buffer kept between calls; tensor2d copies them).
      const x = this.serving.write(examples, part, this.quantiles, powers, features);
      const z = tf.tidy(
        () =>
          tf.reshape(
            this.tower.apply(tf.tensor2d(x, [part.length, this.inputWidth])),
            [-1],
          ) as tf.Tensor1D,
      );
      out.set((await z.data()) as Float32Array, s);
      z.dispose();
    }
    return out;
  }

  /**
   * The served prediction e^z of examples `rows`: for the weighted model, expected watch
   * minutes per impression (paper §4.2); for the unweighted one, the odds of a click.
   */
  async predictOdds(examples: RankingExamples, rows?: ArrayLike<number>): Promise<Float32Array> {
    return oddsOf(await this.predictLogits(examples, rows));
  }

  /** Frees the tower's tf variables and optimizer state. */
  dispose(): void {
    this.tower.dispose();
    this.optimizer.dispose();
  }
}

/** 0, 1, …, n − 1. */
function iota(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** e^z of every logit (a new array). */
export function oddsOf(logits: ArrayLike<number>): Float32Array {
  return Float32Array.from(logits, (z) => Math.exp(z));
}
