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
 *
 * This file holds the model's state and its public methods; a step's pieces live beside it:
 * `forward.ts` (tower input, leaves, loss and gradients), `sparse-updates.ts` (the tables'
 * lazy-Adam updates), `trace-batch.ts` (the step in slow motion), `live-config.ts` (which
 * settings may change while training), `tables.ts` (the embedding tables, built in seeded
 * order), `training-rows.ts` (which examples a step draws), `label-counts.ts` (the samplers'
 * popularity).
 */
import * as tf from '@tensorflow/tfjs';
import type { CandidateExamples } from '../../sim/examples';
import { createRng } from '../../sim/rng';
import type { World } from '../../sim/types';
import { DenseTower } from '../tower';
import { defaultAdam, type AdamSettings, type SparseEmbedding } from '../embedding';
import { SortedSlots } from '../sorted-slots';
import { UniformStream } from '../stream';
import {
  exportModelState,
  exportModelWeights,
  importModelState,
  importModelWeights,
  type ModelState,
  type NamedWeights,
} from '../weights';
import { embeddingDim, towerWidths, type CandidateConfig, type InputWidths } from './config';
import {
  drawSoftmaxBatch,
  drawsNegatives,
  makeProposal,
  type NegativeSampler,
  type SoftmaxBatch,
  type UniformSource,
} from './sampled-softmax';
import { DENSE_INPUTS, userInputs, type InputTables, type UserInputs } from './inputs';
import {
  batchLoss,
  prepareStep,
  stepGradients,
  towerInput,
  towerOf,
  type ForwardParts,
} from './forward';
import { applyInputGradients, applyOutputGradients } from './sparse-updates';
import { traceOf } from './trace-batch';
import { checkLiveChange, copyLiveFields } from './live-config';
import { buildTables } from './tables';
import { drawRows, rowsInVocab } from './training-rows';
import type { StepTrace } from './step-trace';

export { labelCounts } from './label-counts';

/** Figures of one training step. */
export interface StepResult {
  /** Mean sampled-softmax cross-entropy of the batch (nats), before the step's update. */
  loss: number;
  /** Accidental hits removed in this step. */
  accidentalHits: number;
}

/** Stream of the held-out loss's negatives: `createRng(seed, HELD_OUT_STREAM)`. */
export const HELD_OUT_STREAM = 0x4e6;

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
   * frozen: zero vectors, and the output bias `OOV_BIAS` (config.ts).
   */
  readonly outOfVocab: Uint8Array | null;
  /** Widths of the input tables (config.ts `inputWidths`). */
  readonly widths: InputWidths;
  /** Milliseconds spent pretraining the input embeddings (0 for joint learning or a cache hit). */
  readonly pretrainMs: number;
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
  /**
   * A step's sorted slots (sorted-slots.ts), reused: one per input field, then the output rows'.
   * Taken by a step while it runs (null meanwhile), so a second step started before the first
   * ends gets fresh ones instead of overwriting them.
   */
  private slots: SortedSlots[] | null = null;

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
    const built = buildTables(world, config, d, u);
    this.tables = built.tables;
    this.videoOut = built.videoOut;
    this.videoBias = built.videoBias;
    this.outOfVocab = built.outOfVocab;
    const w = (this.widths = built.widths);
    this.pretrainMs = built.pretrainMs;
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
    checkLiveChange(cur, next);
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
    copyLiveFields(cur, next);
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

  /** The parts a batch is scored with (forward.ts), the model's own objects. */
  private forwardParts(): ForwardParts {
    return {
      world: this.world,
      d: this.d,
      tables: this.tables,
      videoOut: this.videoOut,
      videoBias: this.videoBias,
      net: this.net,
      proposal: this.proposal,
    };
  }

  /** u for a batch of inputs (no gradient). The caller disposes the tensor. */
  userVectors(inputs: UserInputs): tf.Tensor2D {
    const { x, width } = towerInput(inputs, this.net !== null);
    return tf.tidy(() => towerOf(this.net, tf.tensor2d(x, [inputs.batch, width])));
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
    return drawRows(this.trainingRows(examples), examples.count, size, stream);
  }

  /**
   * The rows of `examples` a step may draw: those whose label is in the vocabulary (the
   * softmax is over the vocabulary), or null for all of them (no vocabulary). Cached per examples.
   */
  private trainingRows(examples: CandidateExamples): Int32Array | null {
    if (!this.outOfVocab) return null;
    if (this.inVocab?.examples !== examples)
      this.inVocab = { examples, rows: this.inVocabRows(examples) };
    return this.inVocab.rows;
  }

  /** Rows of `examples` (default: all) whose label is in the video vocabulary (a fresh array). */
  inVocabRows(examples: CandidateExamples, rows?: ArrayLike<number>): Int32Array {
    return rowsInVocab(examples, this.outOfVocab, rows);
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
    const slots = this.slots ?? Array.from({ length: 5 }, () => new SortedSlots());
    this.slots = null;
    const prepared = prepareStep(this.forwardParts(), examples, rows, uniform, this.cfg, slots);
    const { labels, inputs, batch, input, leaves } = prepared;
    const towerVars = this.net?.variables ?? [];
    const { value, grads } = stepGradients(this.net, prepared);

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

    const frozen =
      this.cfg.embeddings === 'pretrained-frozen' ? [this.tables.videoIn, this.tables.search] : [];
    applyInputGradients(inputs, leafGrads[0], input.width, this.adam, frozen);
    applyOutputGradients(
      this.videoOut,
      this.videoBias,
      labels,
      batch.columns,
      leafGrads.slice(1),
      this.adam,
      slots[4],
    );
    this.slots = slots;
    this.steps++;
    return { loss, accidentalHits: batch.accidentalHits };
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
   * come from the training step's own arithmetic (forward.ts `stepGradients`), unapplied; the
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
    const prepared = prepareStep(this.forwardParts(), examples, rows, uniform, {
      ...this.cfg,
      negatives,
    });
    return traceOf(this.net, prepared, {
      step: this.steps,
      sampler: this.cfg.sampler,
      logQ: this.cfg.logQ,
      removeAccidentalHits: this.cfg.removeAccidentalHits,
      d: this.d,
      rows,
      users: Int32Array.from(rows, (r) => examples.user[r]),
      proposal: this.proposal!,
    });
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
    const u = this.userVectors(this.inputs(examples, rows));
    const value = await batchLoss(this, u, labels, batch);
    u.dispose();
    return value;
  }

  /** Frees the tower's tf variables and optimizer state. */
  dispose(): void {
    this.net?.dispose();
    this.optimizer.dispose();
  }
}
