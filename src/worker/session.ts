/**
 * One training run in the worker: the candidate model, the matrix-factorisation baseline and
 * the ranker, trained side by side (each loop step is one step of each, on its own batch), and
 * evaluated together every few steps on fixed held-out samples. Knows nothing of messages:
 * `training-host.ts` drives it.
 *
 * The factorisation baseline is the candidate model with `userInput: 'id'`: a free user
 * embedding as u, no tower and no side features (DESIGN §5), same sampler, negatives, learning
 * rate and seed, trained interleaved so that both curves share one step axis.
 */
import * as tf from '@tensorflow/tfjs';
import { buildCandidateExamples, type CandidateExamples } from '../sim/examples';
import { buildRankingExamples, type RankingExamples } from '../sim/ranking-examples';
import type { World } from '../sim/types';
import { defaultCandidateConfig, type CandidateConfig } from '../model/candidate/config';
import {
  evaluationRows,
  modelRanks,
  popularRanks,
  retrievalMetrics,
  type RetrievalMetrics,
} from '../model/candidate/evaluate';
import { CandidateModel, labelCounts } from '../model/candidate/model';
import type { SparseEmbedding } from '../model/embedding';
import { DenseTower } from '../model/tower';
import { defaultRankingConfig, type RankingConfig } from '../model/ranking/config';
import { pageRows, rankingMetrics, type RankingMetrics } from '../model/ranking/evaluate';
import { pca } from '../model/pca';
import { exactTopN } from '../serve/exact';
import { RankingModel } from '../model/ranking/model';
import { makeSampler, type NegativeSampler } from '../model/samplers';
import { heldOutLoss } from './heldout-loss';
import {
  EVAL_EXAMPLES,
  RECALL_KS,
  type EvalPoint,
  NEIGHBOURS,
  RANKING_EVAL_PAGES,
  type ModelWeights,
  type RankerSide,
  type TrainingParams,
  type VideoMetaMessage,
  type WeightSnapshot,
} from '../protocol/training';

export { RANKING_EVAL_PAGES } from '../protocol/training';

/** The examples of one world, built once and shared by every run on it. */
export interface TrainingData {
  world: World;
  /** Candidate examples: next watches of the training days, and of the held-out days (one per user). */
  train: CandidateExamples;
  test: CandidateExamples;
  /** How often each video is a training label (the samplers' popularity). */
  counts: Float32Array;
  /** Ranking examples (impressions) of both splits. */
  rankTrain: RankingExamples;
  rankTest: RankingExamples;
  /** The fixed evaluation sample of `test` (evenly spaced, ≤ EVAL_EXAMPLES). */
  evalRows: Int32Array;
  /** Whole held-out pages of `rankTest` for the ranker's evaluation. */
  rankRows: Int32Array;
  /** recall@k of most-popular on `evalRows`, aligned with RECALL_KS. */
  popularRecall: number[];
}

/** Builds the examples of `world` (a second or two on the default world). */
export function buildTrainingData(world: World): TrainingData {
  const train = buildCandidateExamples(world, { split: 'train' });
  const test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
  const rankTrain = buildRankingExamples(world, { split: 'train' });
  const rankTest = buildRankingExamples(world, { split: 'test' });
  const evalRows = evaluationRows(test, EVAL_EXAMPLES);
  return {
    world,
    train,
    test,
    counts: labelCounts(world, train),
    rankTrain,
    rankTest,
    evalRows,
    rankRows: pageRows(rankTest, RANKING_EVAL_PAGES),
    popularRecall: recallList(retrievalMetrics(popularRanks(world, test, evalRows))),
  };
}

/** recall@k of `m` aligned with RECALL_KS. */
function recallList(m: RetrievalMetrics): number[] {
  return RECALL_KS.map((k) => m.recallAt[k]);
}

/** The candidate model's settings for `p` (`id`: the factorisation baseline). */
export function candidateConfig(p: TrainingParams, userInput: 'features' | 'id'): CandidateConfig {
  return {
    ...defaultCandidateConfig,
    depth: p.depth,
    widthFactor: p.width,
    negatives: p.negatives,
    sampler: p.sampler,
    alpha: p.alpha,
    logQ: p.logQ,
    removeAccidentalHits: p.accidentalHits,
    features: { ...p.features },
    userInput,
    learningRate: p.lr,
    batchSize: p.batch,
    seed: p.trainSeed,
  };
}

/**
 * The ranker's settings for `p`; `twin`: the contrast ranker of the Watch-time view, trained
 * beside it with the opposite weighting (same seed, so the same initial tower and batches).
 */
export function rankingConfig(p: TrainingParams, twin = false): RankingConfig {
  return {
    ...defaultRankingConfig,
    hidden: [...defaultRankingConfig.hidden],
    weighted: (p.weighting === 'weighted') !== twin,
    learningRate: p.rankingLr,
    seed: p.trainSeed,
  };
}

/** Losses of one loop step. */
export interface StepLosses {
  loss: number;
  mfLoss: number;
  rankingLoss: number;
}

/** A model's dense layers, input side first. */
type Layers = DenseTower['layers'];

/**
 * The dense-tower layers of a model (the candidate model's user tower, absent for
 * factorisation; the ranker's tower). Neither model class exposes its {@link DenseTower}, and a
 * snapshot needs its variables: this finds the private field holding it (`net` or `tower`).
 * A public getter on the models would make this unnecessary.
 */
function layersOf(model: CandidateModel | RankingModel): Layers {
  const m = model as unknown as Record<string, unknown>;
  for (const key of ['net', 'tower'])
    if (m[key] instanceof DenseTower) return (m[key] as DenseTower).layers;
  if (model instanceof CandidateModel && model.config.userInput === 'id') return [];
  throw new Error('cannot find the tower of the model to snapshot it');
}

/** The named embedding tables of a candidate model (output tables last). */
function candidateTables(m: CandidateModel): [string, SparseEmbedding][] {
  const t = m.tables;
  const out: [string, SparseEmbedding | undefined][] = [
    ['videoIn', t.videoIn],
    ['search', t.search],
    ['region', t.region],
    ['device', t.device],
    ['user', t.user],
    ['videoOut', m.videoOut],
    ['videoBias', m.videoBias],
  ];
  return out.filter((e): e is [string, SparseEmbedding] => e[1] !== undefined);
}

/** One run: three models on one world. */
export class TrainingSession {
  readonly candidate: CandidateModel;
  readonly mf: CandidateModel;
  readonly ranker: RankingModel;
  /**
   * The contrast ranker: the opposite weighting of `ranker` (unweighted CTR beside the paper's
   * weighted logistic regression), one step per loop step on the same batches.
   */
  readonly twin: RankingModel;
  /** The last projection's components (the start and sign reference of the next one). */
  private components: Float64Array | undefined;
  /** Steps taken (the step axis of every chart). */
  step = 0;
  /** The parameters in effect (live knobs follow {@link applyLive}). */
  params: TrainingParams;

  constructor(
    readonly data: TrainingData,
    params: TrainingParams,
    readonly runId: number,
  ) {
    this.params = { ...params, features: { ...params.features } };
    const { world, counts, rankTrain } = data;
    this.candidate = new CandidateModel(world, candidateConfig(params, 'features'), counts);
    this.mf = new CandidateModel(world, candidateConfig(params, 'id'), counts);
    this.ranker = new RankingModel(world, rankingConfig(params), rankTrain);
    this.twin = new RankingModel(
      world,
      rankingConfig(params, true),
      rankTrain,
      this.ranker.quantiles,
    );
  }

  /**
   * One step of each model, inside one tfjs tensor scope: every tensor a step creates and does
   * not keep is freed when it ends. The models' own steps leave a few small tensors behind (the
   * initial values their leaf variables are made from: about 15 per loop step, measured with
   * `tf.memory()`), which would otherwise grow without bound in a long live run. Variables
   * (weights, optimizer slots) are never freed by a scope. Safe because the loop runs nothing
   * else on tfjs while a step is in flight.
   */
  async trainStep(): Promise<StepLosses> {
    const engine = tf.engine();
    engine.startScope('trainStep');
    try {
      const { loss } = await this.candidate.trainStep(this.data.train);
      const mfLoss = (await this.mf.trainStep(this.data.train)).loss;
      const rankingLoss = (await this.ranker.trainStep(this.data.rankTrain)).loss;
      await this.twin.trainStep(this.data.rankTrain);
      this.step++;
      return { loss, mfLoss, rankingLoss };
    } finally {
      engine.endScope();
    }
  }

  /** Evaluates every model on the fixed held-out samples. */
  async evaluate(now: () => number): Promise<EvalPoint> {
    const t0 = now();
    const { test, evalRows, rankTest, rankRows, world } = this.data;
    const recall = recallList(retrievalMetrics(await modelRanks(this.candidate, test, evalRows)));
    const mfRecall = recallList(retrievalMetrics(await modelRanks(this.mf, test, evalRows)));
    const heldOut = await heldOutLoss(this.candidate, test, evalRows, this.params.trainSeed);
    let ranking: EvalPoint['ranking'] = null;
    let watchTime: EvalPoint['watchTime'] = null;
    if (rankRows.length > 0) {
      const score = async (model: RankingModel): Promise<RankingMetrics> => {
        const z = await model.predictLogits(rankTest, rankRows);
        const { weighted, exactOdds } = model.config;
        return rankingMetrics(world, rankTest, rankRows, z, { weighting: { weighted, exactOdds } });
      };
      const m = await score(this.ranker);
      const t = await score(this.twin);
      ranking = { auc: m.auc, weightedPerUserLoss: m.weightedPerUserLoss, loss: m.logLoss };
      const [w, u] = this.ranker.config.weighted ? [m, t] : [t, m];
      watchTime = { weighted: rankerSide(w), unweighted: rankerSide(u) };
    }
    return {
      step: this.step,
      recall,
      mfRecall,
      popularRecall: [...this.data.popularRecall],
      heldOutLoss: heldOut,
      ranking,
      watchTime,
      ms: now() - t0,
    };
  }

  /**
   * Applies the live knobs of `p` from the next step on: learning rates, negatives, sampler
   * and α (a new sampler over the same label counts), logQ, accidental hits, batch size and
   * the ranker's weighting. Structural knobs are recorded nowhere: they need a new session.
   */
  applyLive(p: TrainingParams): void {
    const old = this.params;
    for (const m of [this.candidate, this.mf]) {
      const c = m.config;
      if (p.lr !== old.lr) m.setLearningRate(p.lr);
      c.negatives = p.negatives;
      c.logQ = p.logQ;
      c.removeAccidentalHits = p.accidentalHits;
      c.batchSize = p.batch;
      if (p.sampler !== c.sampler || p.alpha !== c.alpha) {
        c.sampler = p.sampler;
        c.alpha = p.alpha;
        // The model reads `sampler` every step; it is declared readonly, so replace it here.
        (m as unknown as { sampler: NegativeSampler | null }).sampler =
          p.sampler === 'full'
            ? null
            : makeSampler(p.sampler, {
                numItems: this.data.world.videos.count,
                counts: this.data.counts,
                alpha: p.alpha,
              });
      }
    }
    if (p.rankingLr !== old.rankingLr) this.ranker.setLearningRate(p.rankingLr);
    this.ranker.config.weighted = p.weighting === 'weighted';
    this.twin.config.weighted = p.weighting !== 'weighted';
    if (p.rankingLr !== old.rankingLr) this.twin.setLearningRate(p.rankingLr);
    this.params = {
      ...old,
      lr: p.lr,
      negatives: p.negatives,
      sampler: p.sampler,
      alpha: p.alpha,
      logQ: p.logQ,
      accidentalHits: p.accidentalHits,
      batch: p.batch,
      weighting: p.weighting,
      rankingLr: p.rankingLr,
    };
  }

  /** A copy of every model's weights (tower variables read back with `await data()`). */
  async snapshot(): Promise<WeightSnapshot> {
    const weights: ModelWeights[] = [];
    const models: [string, CandidateModel | RankingModel][] = [
      ['candidate', this.candidate],
      ['mf', this.mf],
      ['ranker', this.ranker],
      ['twin', this.twin],
    ];
    for (const [prefix, model] of models) {
      const tables: [string, SparseEmbedding][] =
        model instanceof CandidateModel ? candidateTables(model) : [['video', model.table]];
      for (const [name, t] of tables)
        weights.push({ name: `${prefix}.${name}`, data: t.weights.slice() });
      const tower = layersOf(model);
      for (let i = 0; i < tower.length; i++) {
        weights.push({
          name: `${prefix}.layer${i}.w`,
          data: (await tower[i].w.data()) as Float32Array,
        });
        weights.push({
          name: `${prefix}.layer${i}.b`,
          data: (await tower[i].b.data()) as Float32Array,
        });
      }
    }
    return { runId: this.runId, step: this.step, params: { ...this.params }, weights };
  }

  /**
   * Loads `snapshot`'s weights (taken from a session of the same parameters on the same
   * world) and continues its step count. Adam's moments start afresh. Throws when a weight is
   * missing or has the wrong size.
   */
  load(snapshot: WeightSnapshot): void {
    const assign = (v: tf.Variable, data: Float32Array) =>
      tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
    const byName = new Map(snapshot.weights.map((w) => [w.name, w.data]));
    const take = (name: string, size: number): Float32Array => {
      const data = byName.get(name);
      if (!data) throw new Error(`the snapshot has no weights "${name}"`);
      if (data.length !== size) {
        throw new Error(`the snapshot's "${name}" has ${data.length} values, the model ${size}`);
      }
      return data;
    };
    const models: [string, CandidateModel | RankingModel][] = [
      ['candidate', this.candidate],
      ['mf', this.mf],
      ['ranker', this.ranker],
      ['twin', this.twin],
    ];
    for (const [prefix, model] of models) {
      const tables: [string, SparseEmbedding][] =
        model instanceof CandidateModel ? candidateTables(model) : [['video', model.table]];
      for (const [name, t] of tables) t.weights.set(take(`${prefix}.${name}`, t.weights.length));
      layersOf(model).forEach(({ w, b }, i) => {
        assign(w, take(`${prefix}.layer${i}.w`, w.size));
        assign(b, take(`${prefix}.layer${i}.b`, b.size));
      });
      model.steps = snapshot.step;
    }
    this.step = snapshot.step;
  }

  /** Frees the models' tf variables. */
  dispose(): void {
    this.candidate.dispose();
    this.mf.dispose();
    this.ranker.dispose();
    this.twin.dispose();
  }

  /**
   * 2-D PCA of the candidate model's output vectors v_i [videos × d], warm-started from the
   * previous projection so that the picture moves smoothly instead of flipping (model/pca.ts).
   */
  projection(): {
    coords: Float32Array;
    explained: [number, number];
    /**
     * Projects a user's u [d] on the two components, without subtracting the videos' mean: the
     * model ranks by u·v_i = u·m + u·(v_i − m), so the videos it ranks highest lie in the
     * direction of this point from the centre of the plot.
     */
    project: (x: ArrayLike<number>) => [number, number];
  } {
    const v = this.candidate.videoOut;
    const r = pca(v.weights, v.rows, v.dim, { k: 2, init: this.components });
    this.components = r.components;
    const d = v.dim;
    const project = (x: ArrayLike<number>): [number, number] => {
      const out: [number, number] = [0, 0];
      for (let c = 0; c < 2; c++)
        for (let j = 0; j < d; j++) out[c] += x[j] * r.components[c * d + j];
      return out;
    };
    return { coords: r.coords, explained: [r.explained[0], r.explained[1]], project };
  }

  /**
   * The {@link NEIGHBOURS} videos with the largest v_video · v_i (i ≠ video), exact, best first.
   * Throws a RangeError for a video id out of range.
   */
  neighbours(video: number): { ids: Int32Array; scores: Float32Array } {
    const v = this.candidate.videoOut;
    if (!(Number.isInteger(video) && video >= 0 && video < v.rows))
      throw new RangeError(`video must be an integer from 0 to ${v.rows - 1}, got ${video}`);
    const query = v.weights.slice(video * v.dim, (video + 1) * v.dim);
    const top = exactTopN({ vectors: v.weights, count: v.rows, dim: v.dim }, query, NEIGHBOURS + 1);
    const keep = Array.from(top.ids.keys())
      .filter((i) => top.ids[i] !== video)
      .slice(0, NEIGHBOURS);
    return {
      ids: Int32Array.from(keep, (i) => top.ids[i]),
      scores: Float32Array.from(keep, (i) => top.scores[i]),
    };
  }
}

/** The Watch-time view's figures of one ranker. */
function rankerSide(m: RankingMetrics): RankerSide {
  return {
    watchPerImpression: m.topK.watchPerImpression,
    clickbaitShare: m.topK.clickbaitShare,
    weightedPerUserLoss: m.weightedPerUserLoss,
    calibration: m.calibration.bins.map((b) => ({
      predicted: b.meanPredicted,
      actual: b.meanActual,
    })),
    oracleWatchPerImpression: m.topK.oracleWatchPerImpression,
    randomWatchPerImpression: m.topK.randomWatchPerImpression,
  };
}

/** Largest world whose titles go to the page with the video metadata (~30 bytes each). */
const MAX_TITLES = 200_000;

/** What the Embedding view colours and labels the videos by (sent once per session). */
export function videoMeta(world: World): Omit<VideoMetaMessage, 'type' | 'runId'> {
  const { videos } = world;
  const n = videos.count;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => videos.popularity[b] - videos.popularity[a] || a - b,
  );
  const popularityRank = new Int32Array(n);
  order.forEach((id, rank) => (popularityRank[id] = rank));
  const end = world.config.days;
  const titles: string[] = [];
  if (n <= MAX_TITLES)
    for (let i = 0; i < n; i++) {
      const words: string[] = [];
      for (let t = videos.titleOffsets[i]; t < videos.titleOffsets[i + 1]; t++)
        words.push(world.vocabulary[videos.titleTokens[t]]);
      titles.push(words.join(' '));
    }
  return {
    topic: videos.topic.slice(),
    topicNames: [...world.topicNames],
    popularityRank,
    ageDays: Float32Array.from(videos.uploadTime, (t) => end - t),
    clickbait: videos.clickbait.slice(),
    titles,
  };
}
