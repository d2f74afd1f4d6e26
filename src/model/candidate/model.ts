/**
 * The candidate-generation model (paper §3): a user tower over averaged watch and search
 * bags, demographics and example age produces u ∈ ℝ^d; each video has an output vector v_i
 * and bias b_i; P(watch i | user) = softmax(u·v_i + b_i). Trained as extreme classification
 * with sampled softmax (the `sampled-softmax` unit: negatives of every softmax choice, logQ
 * correction, accidental hits, logits and loss), which training steps and the held-out loss
 * share.
 *
 * Embedding tables live in JS ({@link SparseEmbedding}) and only the rows a batch touches go
 * through tfjs as leaf tensors; the tower's weights are tf variables trained with Adam.
 */
import * as tf from '@tensorflow/tfjs';
import type { CandidateExamples } from '../../sim/examples';
import { createRng } from '../../sim/rng';
import type { World } from '../../sim/types';
import { COUNTRIES, DEVICES } from '../../sim/vocab-names';
import { searchTokenSpace } from '../../sim/examples';
import { leafVariable } from '../leaf';
import { DenseTower } from '../tower';
import { LocalIndex, SparseEmbedding, type AdamSettings, defaultAdam } from '../embedding';
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
  embeddingDim,
  inputWidths,
  OOV_BIAS,
  towerWidths,
  type CandidateConfig,
  type InputWidths,
} from './config';
import { vocabularies } from '../vocabulary';
import { pretrainedEmbeddings } from '../pretrain';
import {
  drawSoftmaxBatch,
  drawsNegatives,
  logSumExpRows,
  makeProposal,
  sampledSoftmaxLogits,
  sampledSoftmaxLoss,
  type NegativeSampler,
  type SoftmaxBatch,
  type UniformSource,
} from './sampled-softmax';
import {
  bagGradients,
  DENSE_INPUTS,
  userInputs,
  type InputTables,
  type UserInputs,
} from './inputs';
import { buildStepTrace, type StepTrace } from './step-trace';

/** The parts of one step before its gradient (see `CandidateModel.prepareStep`). */
interface PreparedStep {
  B: number;
  labels: Int32Array;
  inputs: UserInputs;
  batch: SoftmaxBatch;
  input: { x: Float32Array; width: number };
  leaves: tf.Variable[];
}

/** Figures of one training step. */
export interface StepResult {
  /** Mean sampled-softmax cross-entropy of the batch (nats), before the step's update. */
  loss: number;
  /** Accidental hits removed in this step. */
  accidentalHits: number;
}

/** Stream of the held-out loss's negatives: `createRng(seed, HELD_OUT_STREAM)`. */
export const HELD_OUT_STREAM = 0x4e6;

/** The config fields that fix the model's shape and initial weights (not changeable live). */
const STRUCTURAL = [
  'depth',
  'widthFactor',
  'userInput',
  'seed',
  'videoVocab',
  'tokenVocab',
  'embeddingWidths',
  'embeddings',
  'label',
  'perUserCap',
] as const;

/**
 * The candidate generator: user tower, input tables and output tables v_i, b_i, trained by
 * sampled softmax. Create after `useBackend()` (the optimizer must see the final backend).
 * Seeded: the same config, world and label counts give the same weights, batches and negatives.
 */
export class CandidateModel {
  /** Embedding size d of u and of the output vectors v_i (config.ts `embeddingDim`). */
  readonly d: number;
  /** The input embedding tables (watch and search bags, region, device; user ids for factorisation). */
  readonly tables: InputTables;
  /** Output video vectors v_i [videos × d]. */
  readonly videoOut: SparseEmbedding;
  /** Output video biases b_i [videos × 1]. */
  readonly videoBias: SparseEmbedding;
  /**
   * Out-of-vocabulary videos (1 = outside the top-`videoVocab` by training watches), or null
   * when every video is in (docs/model.md#vocabulary). Their rows of every video table are
   * frozen: zero vectors, and the output bias {@link OOV_BIAS}.
   */
  readonly outOfVocab: Uint8Array | null;
  /** Widths of the input tables (config.ts `inputWidths`). */
  readonly widths: InputWidths;
  /** Milliseconds spent pretraining the input embeddings (0 for joint learning or a cache hit). */
  readonly pretrainMs: number = 0;
  /** The settings in effect: a copy of the constructor's, live fields changed by {@link applyConfig}. */
  private readonly cfg: CandidateConfig;
  /** The proposal of sampled softmax for `cfg.sampler`; null for the full softmax. */
  private proposal: NegativeSampler | null;
  private readonly net: DenseTower | null = null;
  private readonly optimizer: tf.Optimizer;
  /** Draws the batches (and the candidate model's negatives); its position is saved with the state. */
  private readonly rng: UniformStream;
  private labelCounts: Float32Array;
  private adam: AdamSettings;
  /** The training rows whose label is in the vocabulary, for the last examples seen. */
  private inVocab: { examples: CandidateExamples; rows: Int32Array } | null = null;
  /** Steps taken. */
  steps = 0;
  /** Distinct output rows of a step (reused: its hash table stays allocated). */
  private readonly outputIndex = new LocalIndex();

  /**
   * @param labelCounts how often each video is a training label [videos]: the popularity and
   *   in-batch samplers' q, and the order of the log-uniform sampler (kept for
   *   {@link applyConfig}).
   */
  constructor(
    readonly world: World,
    config: CandidateConfig,
    labelCounts: Float32Array,
  ) {
    this.cfg = { ...config, features: { ...config.features } };
    this.labelCounts = labelCounts;
    const N = world.videos.count;
    const d = (this.d = embeddingDim(config));
    this.rng = new UniformStream(config.seed, 0xca9d);
    const u = this.rng.uniform;
    const T = searchTokenSpace(world);
    const vocab = vocabularies(world, config.videoVocab, config.tokenVocab);
    const inVocab = (mask: Uint8Array | null, n: number) =>
      mask ? mask.reduce((a, x) => a + (x ? 0 : 1), 0) : n;
    const w = (this.widths = inputWidths(config, {
      video: inVocab(vocab.video, N),
      search: inVocab(vocab.token, T),
      region: COUNTRIES.length,
      device: DEVICES.length,
    }));
    this.tables = {
      videoIn: new SparseEmbedding(N, w.video, u),
      search: new SparseEmbedding(T, w.search, u),
      region: new SparseEmbedding(COUNTRIES.length, w.region, u),
      device: new SparseEmbedding(DEVICES.length, w.device, u),
      user: config.userInput === 'id' ? new SparseEmbedding(world.users.count, d, u) : undefined,
    };
    this.videoOut = new SparseEmbedding(N, d, u);
    this.videoBias = new SparseEmbedding(N, 1, u, 0);
    this.outOfVocab = vocab.video;
    if (config.embeddings !== 'joint' && config.userInput === 'features') {
      // Drawn after every table, so the other weights are those of joint learning.
      const pre = pretrainedEmbeddings(world, {
        videoWidth: w.video,
        tokenWidth: w.search,
        seed: config.seed,
        video: vocab.video,
        token: vocab.token,
      });
      this.tables.videoIn.weights.set(pre.video);
      this.tables.search.weights.set(pre.token);
      this.pretrainMs = pre.ms;
    }
    if (vocab.video) {
      this.tables.videoIn.freezeRows(vocab.video);
      this.videoOut.freezeRows(vocab.video);
      this.videoBias.freezeRows(vocab.video, OOV_BIAS);
    }
    if (vocab.token) this.tables.search.freezeRows(vocab.token);
    this.proposal = makeProposal(config.sampler, N, labelCounts, config.alpha);
    this.adam = { ...defaultAdam, learningRate: config.learningRate };
    if (config.userInput === 'features') {
      // Depth k: k ReLU layers of the paper's widths, then a linear projection to u ∈ ℝ^d (a
      // ReLU on u itself would keep u ≥ 0 and halve what u·v can express).
      const fanIn = w.video + w.search + w.region + w.device + DENSE_INPUTS;
      this.net = new DenseTower(fanIn, [...towerWidths(config), d], u, { outputInit: 'he' });
    }
    this.optimizer = tf.train.adam(config.learningRate, 0.9, 0.999, 1e-7);
  }

  /** The settings in effect (change the live ones with {@link applyConfig}). */
  get config(): Readonly<CandidateConfig> {
    return this.cfg;
  }

  /**
   * The proposal q of sampled softmax for `config.sampler`: it draws the negatives and gives
   * log q for the logQ correction (for in-batch, q of the batch's labels). Null for the full
   * softmax. Rebuilt by {@link applyConfig} when the sampler or α changes.
   */
  get sampler(): NegativeSampler | null {
    return this.proposal;
  }

  /** Changes the learning rate of the embeddings and the tower from the next step on. */
  setLearningRate(lr: number): void {
    this.adam = { ...this.adam, learningRate: lr };
    (this.optimizer as unknown as { learningRate: number }).learningRate = lr;
  }

  /**
   * Applies `next` from the next step on: the learning rate (embeddings' lazy Adam and the
   * tower's Adam; their moments are kept), the sampler and α (a new proposal over the label
   * counts given to the constructor), the number of negatives K, logQ correction, accidental
   * hits and batch size. The structural fields (depth, widthFactor, userInput, seed, features)
   * must equal the model's: throws an Error naming the first that differs, changing nothing.
   */
  applyConfig(next: CandidateConfig): void {
    const cur = this.cfg;
    for (const key of STRUCTURAL)
      if (next[key] !== cur[key])
        throw new Error(`${key} cannot change during training (${cur[key]} → ${next[key]})`);
    for (const key of ['searches', 'demographics', 'exampleAge'] as const)
      if (next.features[key] !== cur.features[key])
        throw new Error(`features.${key} cannot change during training`);
    if (next.sampler !== cur.sampler || next.alpha !== cur.alpha) {
      const sampler = makeProposal(
        next.sampler,
        this.world.videos.count,
        this.labelCounts,
        next.alpha,
      );
      this.proposal = sampler;
    }
    if (next.learningRate !== cur.learningRate) this.setLearningRate(next.learningRate);
    cur.sampler = next.sampler;
    cur.alpha = next.alpha;
    cur.negatives = next.negatives;
    cur.logQ = next.logQ;
    cur.removeAccidentalHits = next.removeAccidentalHits;
    cur.learningRate = next.learningRate;
    cur.batchSize = next.batchSize;
  }

  /**
   * Replaces the label counts given to the constructor (the popularity and in-batch samplers'
   * q, the log-uniform sampler's order) and rebuilds the proposal, from the next step on: the
   * closed loop's models retrain on each round's new examples (docs/loop.md#retraining).
   * Weights, optimiser moments and the batch stream are kept.
   */
  setLabelCounts(counts: Float32Array): void {
    const N = this.world.videos.count;
    if (counts.length !== N)
      throw new RangeError(`label counts need one entry per video (${N}, got ${counts.length})`);
    this.labelCounts = counts;
    this.proposal = makeProposal(this.cfg.sampler, N, counts, this.cfg.alpha);
  }

  /**
   * Every weight of the model, fresh copies in a fixed order: the tables 'videoIn', 'search',
   * 'region', 'device', 'user' (factorisation only), 'videoOut' [videos × d], 'videoBias'
   * [videos], then the user tower's 'layer{i}.w' [fanIn × width] and 'layer{i}.b' [width]
   * (none for factorisation).
   */
  exportWeights(): Promise<NamedWeights[]> {
    return exportModelWeights(this.namedTables(), this.net);
  }

  /**
   * Loads weights of {@link exportWeights}'s names and sizes (Adam's moments are kept). Throws
   * an Error naming a missing weight or one of the wrong size, before changing anything.
   */
  importWeights(list: readonly NamedWeights[]): void {
    importModelWeights(list, this.namedTables(), this.net);
  }

  /**
   * The whole training state, fresh copies: weights, the optimisers' moments and counters
   * (lazy Adam of the tables, the tower's Adam), the batch stream's position ('rng') and the
   * step count ('steps'). {@link importState} on a model of the same config and world
   * continues bit for bit (docs/run-files.md#exact-resume).
   */
  exportState(): Promise<ModelState> {
    return exportModelState(this.namedTables(), this.net, this.optimizer, {
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
    importModelState(state, this.namedTables(), this.net, this.optimizer);
    this.rng.restore(rng);
    this.steps = steps;
  }

  /** The embedding tables by weight name, output tables last. */
  private namedTables(): [string, SparseEmbedding][] {
    const t = this.tables;
    const out: [string, SparseEmbedding | undefined][] = [
      ['videoIn', t.videoIn],
      ['search', t.search],
      ['region', t.region],
      ['device', t.device],
      ['user', t.user],
      ['videoOut', this.videoOut],
      ['videoBias', this.videoBias],
    ];
    return out.filter((e): e is [string, SparseEmbedding] => e[1] !== undefined);
  }

  /**
   * The user tower: u [batch × d] from the tower input x of {@link towerInput} (for
   * factorisation, x is the user-id embedding and u = x).
   */
  private tower(x: tf.Tensor2D): tf.Tensor2D {
    return this.net ? this.net.apply(x) : x;
  }

  /**
   * The tower input of a batch, one row per example [batch × width]: the averaged fields side by
   * side, then the dense inputs (the paper's concatenated input layer); for factorisation just
   * the user-id embedding. Concatenated here rather than by `tf.concat`, so a training step has
   * one input leaf and no concat gradient (docs/performance.md#training): the same values.
   */
  private towerInput(inputs: UserInputs): { x: Float32Array; width: number } {
    if (!this.net) return { x: inputs.fields[0].mean, width: inputs.fields[0].table.dim };
    const B = inputs.batch;
    const width = inputs.fields.reduce((a, f) => a + f.table.dim, 0) + DENSE_INPUTS;
    const x = new Float32Array(B * width);
    let col = 0;
    for (const part of [...inputs.fields.map((f) => f.mean), inputs.dense]) {
      const w = part.length / B;
      for (let b = 0; b < B; b++) x.set(part.subarray(b * w, b * w + w), b * width + col);
      col += w;
    }
    return { x, width };
  }

  /** u for a batch of inputs (no gradient). The caller disposes the tensor. */
  userVectors(inputs: UserInputs): tf.Tensor2D {
    const { x, width } = this.towerInput(inputs);
    return tf.tidy(() => this.tower(tf.tensor2d(x, [inputs.batch, width])));
  }

  /** Inputs of examples `rows` (serving: example age 0). */
  inputs(examples: CandidateExamples, rows: ArrayLike<number>, serving = false): UserInputs {
    return userInputs(this.world, examples, rows, this.tables, this.config.features, serving);
  }

  /** The sampled-softmax columns of a batch with labels `labels` (negatives drawn with `uniform`). */
  private softmaxBatch(labels: Int32Array, uniform: UniformSource): SoftmaxBatch {
    return drawSoftmaxBatch(this.cfg, this.proposal, this.world.videos.count, labels, uniform);
  }

  /**
   * One step of sampled softmax on a random batch of `examples` (batchSize rows drawn with
   * replacement by the model's seeded generator, which then draws the negatives). With a video
   * vocabulary the rows are drawn among those whose label is in it (docs/model.md#vocabulary).
   */
  async trainStep(examples: CandidateExamples): Promise<StepResult> {
    return this.trainBatch(examples, this.drawRows(examples, this.config.batchSize, this.rng));
  }

  /** min(`size`, pool) rows of `examples` drawn with replacement by `stream` (see {@link trainStep}). */
  private drawRows(examples: CandidateExamples, size: number, stream: UniformStream): Int32Array {
    const pool = this.trainingRows(examples);
    const n = pool ? pool.length : examples.count;
    const B = Math.min(size, n);
    const rows = new Int32Array(B);
    for (let b = 0; b < B; b++) rows[b] = pool ? pool[stream.int(n)] : stream.int(n);
    return rows;
  }

  /**
   * The rows of `examples` a step may draw: those whose label is in the vocabulary (the
   * softmax is over the vocabulary), or null for all of them (no vocabulary).
   */
  private trainingRows(examples: CandidateExamples): Int32Array | null {
    const oov = this.outOfVocab;
    if (!oov) return null;
    if (this.inVocab?.examples !== examples)
      this.inVocab = { examples, rows: this.inVocabRows(examples) };
    return this.inVocab.rows;
  }

  /** Rows of `examples` (default: all) whose label is in the video vocabulary. */
  inVocabRows(examples: CandidateExamples, rows?: ArrayLike<number>): Int32Array {
    const all = rows ?? Int32Array.from({ length: examples.count }, (_, i) => i);
    const oov = this.outOfVocab;
    if (!oov) return Int32Array.from(all);
    return Int32Array.from(
      Array.prototype.filter.call(all, (r: number) => !oov[examples.label[r]]) as number[],
    );
  }

  /**
   * One step of sampled softmax on examples `rows` of `examples`, negatives drawn with
   * `uniform` (default: the model's seeded generator). Reads gradients back with
   * `await data()` (never dataSync: docs/tfjs-notes.md#no-datasync) and updates the touched
   * embedding rows.
   */
  async trainBatch(
    examples: CandidateExamples,
    rows: Int32Array,
    uniform: UniformSource = this.rng.uniform,
  ): Promise<StepResult> {
    const prepared = this.prepareStep(examples, rows, uniform, this.cfg);
    const { B, labels, inputs, batch, input, leaves } = prepared;
    const columns = batch.columns;
    const towerVars = this.net?.variables ?? [];
    const { value, grads } = this.stepGradients(prepared);

    const towerGrads: tf.NamedTensorMap = {};
    for (const v of towerVars) towerGrads[v.name] = grads[v.name];
    if (towerVars.length) this.optimizer.applyGradients(towerGrads);
    const leafGrads = await Promise.all(
      leaves.map((l) =>
        grads[l.name] ? (grads[l.name].data() as Promise<Float32Array>) : new Float32Array(l.size),
      ),
    );
    const loss = (await value.data())[0];
    tf.dispose([value, ...leaves, ...Object.values(grads)]);

    const frozen = this.cfg.embeddings === 'pretrained-frozen';
    let col = 0;
    for (const f of inputs.fields) {
      const gMean = columnsOf(leafGrads[0], B, input.width, col, f.table.dim);
      col += f.table.dim;
      if (frozen && (f.table === this.tables.videoIn || f.table === this.tables.search)) continue;
      const g = bagGradients(f, gMean);
      if (g.ids.length) f.table.applyGradients(g.ids, g.grads, this.adam);
    }
    this.applyOutputGradients(labels, columns, leafGrads.slice(1));
    this.steps++;
    return { loss, accidentalHits: batch.accidentalHits };
  }

  /**
   * What a step needs before its gradient: the labels y_b [B], the user inputs, the softmax
   * columns drawn with `uniform` under `settings` (the sampler must be the model's), the tower
   * input x [B × width] and the step's leaves (x, v_y [B × d], v_j [K × d], b_y [B], b_j [K]).
   * Shared by {@link trainBatch} and {@link traceBatch}, so both score the same batch the same
   * way. The caller disposes the leaves.
   */
  private prepareStep(
    examples: CandidateExamples,
    rows: Int32Array,
    uniform: UniformSource,
    settings: CandidateConfig,
  ): PreparedStep {
    const B = rows.length;
    const labels = Int32Array.from(rows, (r) => examples.label[r]);
    const inputs = this.inputs(examples, rows);
    const batch = drawSoftmaxBatch(
      settings,
      this.proposal,
      this.world.videos.count,
      labels,
      uniform,
    );
    const columns = batch.columns;
    const K = columns.length;
    const d = this.d;
    const input = this.towerInput(inputs);
    const leaves = [
      leafVariable(input.x, [B, input.width]),
      leafVariable(this.videoOut.gather(labels), [B, d]),
      leafVariable(this.videoOut.gather(columns), [K, d]),
      leafVariable(this.videoBias.gather(labels), [B]),
      leafVariable(this.videoBias.gather(columns), [K]),
    ];
    return { B, labels, inputs, batch, input, leaves };
  }

  /**
   * The step's arithmetic: the mean sampled-softmax loss of a prepared batch through the user
   * tower, and its gradients on the tower's variables and on the leaves (by leaf and variable
   * name). Nothing is applied; the caller disposes `value` and the gradients.
   */
  private stepGradients(prepared: PreparedStep): { value: tf.Scalar; grads: tf.NamedTensorMap } {
    const { batch, leaves } = prepared;
    const towerVars = this.net?.variables ?? [];
    const [x, wLabel, wColumns, bLabel, bColumns] = leaves;
    // Label rows are unused when the labels are among the columns (full and in-batch softmax).
    const outputVars = batch.needsLabelRows
      ? [wLabel, wColumns, bLabel, bColumns]
      : [wColumns, bColumns];
    return tf.variableGrads(
      () =>
        sampledSoftmaxLoss(this.tower(x as tf.Variable<tf.Rank.R2>), batch, {
          columnVectors: wColumns as tf.Tensor2D,
          columnBiases: bColumns as tf.Tensor1D,
          labelVectors: wLabel as tf.Tensor2D,
          labelBiases: bLabel as tf.Tensor1D,
        }),
      [...towerVars, x, ...outputVars],
    );
  }

  /**
   * The next step in slow motion: a trace of one step of sampled softmax on the first `batch`
   * rows the next {@link trainStep} would draw and `negatives` negatives drawn after them, from
   * a copy of the model's stream. Nothing changes: weights, optimisers, stream and step count
   * are as before, so the run continues as if no trace had been taken. Needs a softmax choice
   * that draws negatives (uniform, popularity, log-uniform); throws an Error otherwise.
   */
  async traceStep(
    examples: CandidateExamples,
    batch: number,
    negatives: number,
  ): Promise<StepTrace> {
    const stream = new UniformStream(0);
    stream.restore(this.rng.state);
    const rows = this.drawRows(examples, batch, stream);
    return this.traceBatch(examples, rows, stream.uniform, negatives);
  }

  /**
   * A trace of one step of sampled softmax on examples `rows` with `negatives` negatives drawn
   * with `uniform` (step-trace.ts {@link StepTrace}): the loss and the output rows' gradients
   * come from the training step's own arithmetic ({@link stepGradients}), unapplied; the
   * logits, softmax, per-example losses and ∂L/∂u from the same loss functions on the same
   * batch. With the model's K, the loss is bit for bit what {@link trainBatch} reports for
   * the same rows and `uniform`.
   */
  async traceBatch(
    examples: CandidateExamples,
    rows: Int32Array,
    uniform: UniformSource,
    negatives: number,
  ): Promise<StepTrace> {
    if (!drawsNegatives(this.cfg.sampler))
      throw new Error(
        `a step can be traced with drawn negatives (uniform, popularity, log-uniform); this run's softmax is '${this.cfg.sampler}'`,
      );
    const prepared = this.prepareStep(examples, rows, uniform, { ...this.cfg, negatives });
    const { value, grads } = this.stepGradients(prepared);
    const [x, wLabel, wColumns, bLabel, bColumns] = prepared.leaves;
    const { batch } = prepared;
    const outputRows = {
      columnVectors: wColumns as tf.Tensor2D,
      columnBiases: bColumns as tf.Tensor1D,
      labelVectors: wLabel as tf.Tensor2D,
      labelBiases: bLabel as tf.Tensor1D,
    };
    const plain: SoftmaxBatch = { ...batch, logQColumns: null, logQLabels: null, mask: null };
    const t = tf.tidy(() => {
      const u = this.tower(x as tf.Tensor2D);
      const scores = sampledSoftmaxLogits(u, plain, outputRows).logits;
      const { logits, labelLogit } = sampledSoftmaxLogits(u, batch, outputRows);
      const lse = logSumExpRows(logits);
      const softmax = tf.exp(tf.sub(logits, tf.expandDims(lse, 1)));
      const perExample = tf.sub(lse, labelLogit);
      const du = tf.grad((uu: tf.Tensor) =>
        sampledSoftmaxLoss(uu as tf.Tensor2D, batch, outputRows),
      )(u);
      return { u, scores, logits, softmax, perExample, du };
    });
    const read = (a: tf.Tensor) => a.data() as Promise<Float32Array>;
    const proposal = this.proposal!;
    const result = buildStepTrace({
      step: this.steps,
      sampler: this.cfg.sampler,
      logQ: this.cfg.logQ,
      removeAccidentalHits: this.cfg.removeAccidentalHits,
      d: this.d,
      rows,
      users: Int32Array.from(rows, (r) => examples.user[r]),
      labels: prepared.labels,
      columns: batch.columns,
      logQLabels: proposal.logQInto(prepared.labels, new Float32Array(prepared.B)),
      logQColumns: proposal.logQInto(batch.columns, new Float32Array(batch.columns.length)),
      mask: batch.mask,
      loss: (await value.data())[0],
      u: await read(t.u),
      scores: await read(t.scores),
      logits: await read(t.logits),
      softmax: await read(t.softmax),
      perExample: await read(t.perExample),
      gradU: await read(t.du),
      vLabel: await read(wLabel),
      vColumns: await read(wColumns),
      bLabel: await read(bLabel),
      bColumns: await read(bColumns),
      gradLabel: await read(grads[wLabel.name]),
      gradColumns: await read(grads[wColumns.name]),
      gradLabelBias: await read(grads[bLabel.name]),
      gradColumnBias: await read(grads[bColumns.name]),
    });
    tf.dispose([value, ...prepared.leaves, ...Object.values(grads), ...Object.values(t)]);
    return result;
  }

  /**
   * The held-out loss: the mean sampled-softmax cross-entropy (nats) that a training step
   * minimises, computed without a gradient on examples `rows` of `examples` (e.g. held-out next
   * watches), with the same softmax choice, negatives K, logQ correction and accidental-hit
   * masking, over the rows whose label is in the vocabulary. Negatives come from `createRng(seed, HELD_OUT_STREAM)`, so two calls on the same
   * weights give the same number. NaN for no rows.
   */
  async heldOutLoss(
    examples: CandidateExamples,
    allRows: Int32Array,
    seed: number,
  ): Promise<number> {
    const rows = this.outOfVocab ? this.inVocabRows(examples, allRows) : allRows;
    const B = rows.length;
    if (B === 0) return NaN;
    const labels = Int32Array.from(rows, (r) => examples.label[r]);
    const batch = this.softmaxBatch(labels, createRng(seed, HELD_OUT_STREAM).uniform);
    const { columns } = batch;
    const d = this.d;
    const u = this.userVectors(this.inputs(examples, rows));
    const loss = tf.tidy(() =>
      sampledSoftmaxLoss(u, batch, {
        columnVectors: tf.tensor2d(this.videoOut.gather(columns), [columns.length, d]),
        columnBiases: tf.tensor1d(this.videoBias.gather(columns)),
        ...(batch.needsLabelRows && {
          labelVectors: tf.tensor2d(this.videoOut.gather(labels), [B, d]),
          labelBiases: tf.tensor1d(this.videoBias.gather(labels)),
        }),
      }),
    );
    u.dispose();
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  }

  /** Sums the label and negative rows' gradients per distinct video and updates them. */
  private applyOutputGradients(labels: Int32Array, columns: Int32Array, g: Float32Array[]): void {
    const d = this.d;
    const [gPos, gNeg, gbPos, gbNeg] = g;
    const local = this.outputIndex;
    local.reset();
    const pos = new Int32Array(labels.length);
    const neg = new Int32Array(columns.length);
    for (let b = 0; b < labels.length; b++) pos[b] = local.add(labels[b]);
    for (let j = 0; j < columns.length; j++) neg[j] = local.add(columns[j]);
    const ids = local.ids;
    const gv = new Float32Array(ids.length * d);
    const gb = new Float32Array(ids.length);
    for (let b = 0; b < pos.length; b++) {
      const s = pos[b];
      for (let k = 0; k < d; k++) gv[s * d + k] += gPos[b * d + k];
      gb[s] += gbPos[b];
    }
    for (let j = 0; j < neg.length; j++) {
      const s = neg[j];
      for (let k = 0; k < d; k++) gv[s * d + k] += gNeg[j * d + k];
      gb[s] += gbNeg[j];
    }
    this.videoOut.applyGradients(ids, gv, this.adam);
    this.videoBias.applyGradients(ids, gb, this.adam);
  }

  /** Frees the tower's tf variables and optimizer state. */
  dispose(): void {
    this.net?.dispose();
    this.optimizer.dispose();
  }
}

/** Columns [col, col + n) of a row-major [rows × width] matrix, as a [rows × n] copy. */
function columnsOf(
  m: Float32Array,
  rows: number,
  width: number,
  col: number,
  n: number,
): Float32Array {
  if (col === 0 && n === width) return m;
  const out = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) out.set(m.subarray(r * width + col, r * width + col + n), r * n);
  return out;
}

/** How often each video is a label in `examples` (the samplers' popularity). */
export function labelCounts(world: World, examples: CandidateExamples): Float32Array {
  const c = new Float32Array(world.videos.count);
  for (let i = 0; i < examples.count; i++) c[examples.label[i]]++;
  return c;
}
