/**
 * The candidate-generation model (paper §3): a user tower over averaged watch and search
 * bags, demographics and example age produces u ∈ ℝ^d; each video has an output vector v_i
 * and bias b_i; P(watch i | user) = softmax(u·v_i + b_i). Trained as extreme classification
 * with sampled softmax: the label against K negatives shared across the batch, optionally
 * logQ-corrected (logit − log q) and with accidental hits removed; 'in-batch' uses the other
 * labels of the batch as negatives; 'full' is the exact softmax over the corpus.
 *
 * Embedding tables live in JS ({@link SparseEmbedding}) and only the rows a batch touches go
 * through tfjs as leaf tensors; the tower's weights are tf variables trained with Adam.
 */
import * as tf from '@tensorflow/tfjs';
import type { CandidateExamples } from '../../sim/examples';
import { createRng, type Rng } from '../../sim/rng';
import type { World } from '../../sim/types';
import { COUNTRIES, DEVICES } from '../../sim/vocab-names';
import { searchTokenSpace } from '../../sim/examples';
import { leafVariable } from '../leaf';
import { DenseTower } from '../tower';
import { SparseEmbedding, type AdamSettings, defaultAdam } from '../embedding';
import { makeSampler, type NegativeSampler } from '../samplers';
import { embeddingDim, towerWidths, type CandidateConfig } from './config';
import { candidateLogits, labelLogits, MASKED_LOGIT } from './logits';
import {
  bagGradients,
  DENSE_INPUTS,
  userInputs,
  type InputTables,
  type UserInputs,
} from './inputs';

/** Figures of one training step. */
export interface StepResult {
  /** Mean sampled-softmax cross-entropy of the batch (nats). */
  loss: number;
  /** Accidental hits removed in this step. */
  accidentalHits: number;
}

export class CandidateModel {
  readonly d: number;
  readonly tables: InputTables;
  /** Output video vectors v_i [videos × d]. */
  readonly videoOut: SparseEmbedding;
  /** Output video biases b_i [videos × 1]. */
  readonly videoBias: SparseEmbedding;
  readonly sampler: NegativeSampler | null;
  private readonly net: DenseTower | null = null;
  private readonly optimizer: tf.Optimizer;
  private readonly rng: Rng;
  private adam: AdamSettings;
  /** Steps taken. */
  steps = 0;

  /**
   * @param labelCounts how often each video is a training label: the popularity and in-batch
   *   samplers' q, and the order of the log-uniform sampler.
   */
  constructor(
    readonly world: World,
    readonly config: CandidateConfig,
    labelCounts: Float32Array,
  ) {
    const N = world.videos.count;
    const d = (this.d = embeddingDim(config));
    this.rng = createRng(config.seed, 0xca9d);
    const u = this.rng.uniform;
    this.tables = {
      videoIn: new SparseEmbedding(N, d, u),
      search: new SparseEmbedding(searchTokenSpace(world), 16, u),
      region: new SparseEmbedding(COUNTRIES.length, 4, u),
      device: new SparseEmbedding(DEVICES.length, 4, u),
      user: config.userInput === 'id' ? new SparseEmbedding(world.users.count, d, u) : undefined,
    };
    this.videoOut = new SparseEmbedding(N, d, u);
    this.videoBias = new SparseEmbedding(N, 1, u, 0);
    this.sampler =
      config.sampler === 'full'
        ? null
        : makeSampler(config.sampler, { numItems: N, counts: labelCounts, alpha: config.alpha });
    this.adam = { ...defaultAdam, learningRate: config.learningRate };
    if (config.userInput === 'features') {
      // Depth k: k ReLU layers of the paper's widths, then a linear projection to u ∈ ℝ^d (a
      // ReLU on u itself would keep u ≥ 0 and halve what u·v can express).
      const fanIn = d + 16 + 4 + 4 + DENSE_INPUTS;
      this.net = new DenseTower(fanIn, [...towerWidths(config), d], u, { outputInit: 'he' });
    }
    this.optimizer = tf.train.adam(config.learningRate, 0.9, 0.999, 1e-7);
  }

  /** Changes the learning rate of the embeddings and the tower from the next step on. */
  setLearningRate(lr: number): void {
    this.adam = { ...this.adam, learningRate: lr };
    (this.optimizer as unknown as { learningRate: number }).learningRate = lr;
  }

  /** The user tower: u [batch × d] from the averaged fields and dense inputs (leaf tensors). */
  private tower(fieldMeans: tf.Tensor2D[], dense: tf.Tensor2D): tf.Tensor2D {
    if (this.config.userInput === 'id') return fieldMeans[0];
    return this.net!.apply(tf.concat([...fieldMeans, dense], 1) as tf.Tensor2D);
  }

  /** u for a batch of inputs (no gradient). The caller disposes the tensor. */
  userVectors(inputs: UserInputs): tf.Tensor2D {
    return tf.tidy(() =>
      this.tower(
        inputs.fields.map((f) => tf.tensor2d(f.mean, [inputs.batch, f.table.dim])),
        tf.tensor2d(inputs.dense, [inputs.batch, DENSE_INPUTS]),
      ),
    );
  }

  /** Inputs of examples `rows` (serving: example age 0). */
  inputs(examples: CandidateExamples, rows: ArrayLike<number>, serving = false): UserInputs {
    return userInputs(this.world, examples, rows, this.tables, this.config.features, serving);
  }

  /**
   * One step of sampled softmax on a random batch of `examples`. Reads gradients back with
   * `await data()` (never dataSync: TFJS-NOTES 2) and updates the touched embedding rows.
   */
  async trainStep(examples: CandidateExamples): Promise<StepResult> {
    const cfg = this.config;
    const B = Math.min(cfg.batchSize, examples.count);
    const rows = new Int32Array(B);
    for (let b = 0; b < B; b++) rows[b] = this.rng.int(examples.count);
    const labels = Int32Array.from(rows, (r) => examples.label[r]);
    const inputs = this.inputs(examples, rows);

    // Candidates: the labels (rows of the loss) and the negatives (columns).
    let negatives: Int32Array;
    if (cfg.sampler === 'full')
      negatives = Int32Array.from({ length: this.world.videos.count }, (_, i) => i);
    else if (cfg.sampler === 'in-batch') negatives = labels;
    else
      negatives = this.sampler!.sample(
        cfg.negatives,
        this.rng.uniform,
        new Int32Array(cfg.negatives),
      );
    const K = negatives.length;
    const d = this.d;
    const full = cfg.sampler === 'full';
    const inBatch = cfg.sampler === 'in-batch';

    // Accidental hits: a negative that is the row's own label (in-batch: off the diagonal).
    const mask = new Float32Array(B * K);
    let hits = 0;
    if (cfg.removeAccidentalHits && !full) {
      for (let b = 0; b < B; b++)
        for (let k = 0; k < K; k++)
          if (negatives[k] === labels[b] && !(inBatch && k === b)) {
            mask[b * K + k] = MASKED_LOGIT;
            hits++;
          }
    }
    const logQNeg = new Float32Array(K);
    const logQPos = new Float32Array(B);
    if (cfg.logQ && this.sampler) {
      this.sampler.logQInto(negatives, logQNeg);
      this.sampler.logQInto(labels, logQPos);
    }
    // Full softmax: the label is column `label` of all videos; otherwise column 0 is the label.
    const labelCol = full ? labels : null;

    const leaves = [
      ...inputs.fields.map((f) => leafVariable(f.mean, [B, f.table.dim])),
      leafVariable(this.videoOut.gather(labels), [B, d]),
      leafVariable(this.videoOut.gather(negatives), [K, d]),
      leafVariable(this.videoBias.gather(labels), [B]),
      leafVariable(this.videoBias.gather(negatives), [K]),
    ];
    const nf = inputs.fields.length;
    const dense = tf.tensor2d(inputs.dense, [B, DENSE_INPUTS]);
    const maskT = tf.tensor2d(mask, [B, K]);
    const qNeg = tf.tensor1d(logQNeg);
    const qPos = tf.tensor1d(logQPos);
    const labelColT = labelCol ? tf.tensor1d(labelCol, 'int32') : null;
    const towerVars = this.net?.variables ?? [];

    const { value, grads } = tf.variableGrads(() => {
      const uVec = this.tower(leaves.slice(0, nf) as tf.Variable<tf.Rank.R2>[], dense);
      const [wPos, wNeg, bPos, bNeg] = leaves.slice(nf) as [
        tf.Variable,
        tf.Variable,
        tf.Variable,
        tf.Variable,
      ];
      const correct = cfg.logQ && this.sampler;
      const neg = candidateLogits(
        uVec,
        wNeg as tf.Tensor2D,
        bNeg as tf.Tensor1D,
        correct ? qNeg : null,
        maskT,
      );
      let logits: tf.Tensor2D;
      let labelLogit: tf.Tensor1D;
      if (full) {
        logits = neg;
        labelLogit = tf.sum(tf.mul(logits, tf.oneHot(labelColT!, K)), 1);
      } else if (inBatch) {
        logits = neg;
        labelLogit = tf.sum(tf.mul(logits, tf.eye(B)), 1);
      } else {
        labelLogit = labelLogits(
          uVec,
          wPos as tf.Tensor2D,
          bPos as tf.Tensor1D,
          correct ? qPos : null,
        );
        logits = tf.concat([tf.expandDims(labelLogit, 1), neg], 1) as tf.Tensor2D;
      }
      return tf.mean(tf.sub(tf.logSumExp(logits, 1), labelLogit)) as tf.Scalar;
    }, [
      ...towerVars,
      ...leaves.filter((_, i) => !(full || inBatch) || i < nf || i === nf + 1 || i === nf + 3),
    ]);

    const towerGrads: tf.NamedTensorMap = {};
    for (const v of towerVars) towerGrads[v.name] = grads[v.name];
    if (towerVars.length) this.optimizer.applyGradients(towerGrads);
    // Label rows are unused by full and in-batch softmax (the labels are among the columns).
    const leafGrads = await Promise.all(
      leaves.map((l) =>
        grads[l.name] ? (grads[l.name].data() as Promise<Float32Array>) : new Float32Array(l.size),
      ),
    );
    const loss = (await value.data())[0];
    tf.dispose([value, dense, maskT, qNeg, qPos, ...leaves, ...Object.values(grads)]);
    labelColT?.dispose();

    inputs.fields.forEach((f, i) => {
      const g = bagGradients(f, leafGrads[i]);
      if (g.ids.length) f.table.applyGradients(g.ids, g.grads, this.adam);
    });
    this.applyOutputGradients(labels, negatives, leafGrads.slice(nf));
    this.steps++;
    return { loss, accidentalHits: hits };
  }

  /** Sums the label and negative rows' gradients per distinct video and updates them. */
  private applyOutputGradients(labels: Int32Array, negatives: Int32Array, g: Float32Array[]): void {
    const d = this.d;
    const [gPos, gNeg, gbPos, gbNeg] = g;
    const slot = new Map<number, number>();
    const ids: number[] = [];
    const add = (v: number): number => {
      let s = slot.get(v);
      if (s === undefined) {
        s = ids.length;
        ids.push(v);
        slot.set(v, s);
      }
      return s;
    };
    const pos = Array.from(labels, add);
    const neg = Array.from(negatives, add);
    const gv = new Float32Array(ids.length * d);
    const gb = new Float32Array(ids.length);
    pos.forEach((s, b) => {
      for (let k = 0; k < d; k++) gv[s * d + k] += gPos[b * d + k];
      gb[s] += gbPos[b];
    });
    neg.forEach((s, j) => {
      for (let k = 0; k < d; k++) gv[s * d + k] += gNeg[j * d + k];
      gb[s] += gbNeg[j];
    });
    this.videoOut.applyGradients(ids, gv, this.adam);
    this.videoBias.applyGradients(ids, gb, this.adam);
  }

  /** Frees the tower's tf variables and optimizer state. */
  dispose(): void {
    this.net?.dispose();
    this.optimizer.dispose();
  }
}

/** How often each video is a label in `examples` (the samplers' popularity). */
export function labelCounts(world: World, examples: CandidateExamples): Float32Array {
  const c = new Float32Array(world.videos.count);
  for (let i = 0; i < examples.count; i++) c[examples.label[i]]++;
  return c;
}
