/**
 * One training run in the worker: the candidate model, the matrix-factorisation baseline and
 * the ranker, trained side by side (each loop step is one step of each, on its own batch), and
 * evaluated together every few steps on fixed held-out samples. Knows nothing of messages:
 * `training-host.ts` drives it.
 *
 * The factorisation baseline is the candidate model with `userInput: 'id'`: a free user
 * embedding as u, no tower and no side features (docs/model.md#baselines), same sampler, negatives,
 * learning rate and seed, trained interleaved so that both curves share one step axis.
 */
import * as tf from '@tensorflow/tfjs';
import { buildCandidateExamples, type CandidateExamples } from '../sim/examples';
import { buildRankingExamples, type RankingExamples } from '../sim/ranking-examples';
import type { World } from '../sim/types';
import {
  evaluationRows,
  modelRanks,
  popularRanks,
  retrievalMetrics,
  type RetrievalMetrics,
} from '../model/candidate/evaluate';
import { CandidateModel, labelCounts } from '../model/candidate/model';
import { outOfVocabLabels } from '../model/candidate/evaluate';
import { pageRows, rankingMetrics, type RankingMetrics } from '../model/ranking/evaluate';
import { RankingModel } from '../model/ranking/model';
import { LiveSources, withSourceColumns } from '../model/ranking/live-sources';
import { LIVE_KEYS, candidateConfig, clonePlain, rankingConfig } from '../protocol/params';
import { fnv1a } from '../protocol/run-file/hash';
import {
  EVAL_EXAMPLES,
  RECALL_KS,
  type EvalPoint,
  RANKING_EVAL_PAGES,
  type BackendName,
  type ModelWeights,
  type RankerSide,
  type TrainingParams,
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
  /** MAP of most-popular on `evalRows` (mean of 1/(rank + 1)). */
  popularMap: number;
  /** The world's fingerprint (`worldFingerprint`): a snapshot names the world it was trained on. */
  fingerprint: string;
}

/** Builds the examples of `world` (a second or two on the default world). */
export function buildTrainingData(world: World): TrainingData {
  const train = buildCandidateExamples(world, { split: 'train' });
  const test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
  const rankTrain = buildRankingExamples(world, { split: 'train' });
  const rankTest = buildRankingExamples(world, { split: 'test' });
  const evalRows = evaluationRows(test, EVAL_EXAMPLES);
  const popular = retrievalMetrics(popularRanks(world, test, evalRows));
  return {
    world,
    train,
    test,
    counts: labelCounts(world, train),
    rankTrain,
    rankTest,
    evalRows,
    rankRows: pageRows(rankTest, RANKING_EVAL_PAGES),
    popularRecall: recallList(popular),
    popularMap: popular.map,
    fingerprint: worldFingerprint(world, train.count, rankTrain.count),
  };
}

/**
 * A short hash of what the models' shapes and batches depend on: the world's settings and
 * sizes, its videos' popularity and topics, and the numbers of training examples. Two builds of
 * the same settings by the same generator give the same string; a changed generator does not.
 */
export function worldFingerprint(
  world: World,
  candidateExamples: number,
  rankingExamples: number,
): string {
  const { videos, users, logs, config } = world;
  return fnv1a([
    JSON.stringify(config),
    [videos.count, users.count, logs.watches, candidateExamples, rankingExamples],
    videos.popularity,
    videos.topic,
  ]);
}

const trainingCache = new WeakMap<
  TrainingData,
  Map<string, { train: CandidateExamples; counts: Float32Array }>
>();

/**
 * The candidate training examples and label counts for the `label` and `perUserCap` knobs:
 * `data.train` when they are its own, else built once per data and kept.
 */
function candidateTraining(
  data: TrainingData,
  p: TrainingParams,
): { train: CandidateExamples; counts: Float32Array } {
  const o = data.train.options;
  if (p.label === o.label && p.perUserCap === o.perUserCap)
    return { train: data.train, counts: data.counts };
  let byKey = trainingCache.get(data);
  if (!byKey) trainingCache.set(data, (byKey = new Map()));
  const key = `${p.label}/${p.perUserCap}`;
  let t = byKey.get(key);
  if (!t) {
    const train = buildCandidateExamples(data.world, {
      split: 'train',
      label: p.label,
      perUserCap: p.perUserCap,
    });
    t = { train, counts: labelCounts(data.world, train) };
    byKey.set(key, t);
  }
  return t;
}

/** A session's snapshot does not fit it (another world). */
export class SnapshotMismatch extends Error {
  override name = 'SnapshotMismatch';
}

/** recall@k of `m` aligned with RECALL_KS. */
function recallList(m: RetrievalMetrics): number[] {
  return RECALL_KS.map((k) => m.recallAt[k]);
}

/** Losses of one loop step: one per model (the twin's is checked for divergence, not drawn). */
export interface StepLosses {
  loss: number;
  mfLoss: number;
  rankingLoss: number;
  /** The twin ranker's (the other weighting). */
  twinLoss: number;
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
  /**
   * The last projection's components (the start and sign reference of the next one; see
   * `embedding-views.ts`).
   */
  projectionBasis: Float64Array | undefined;
  /** Steps taken (the step axis of every chart). */
  step = 0;
  /** The parameters in effect (live knobs follow {@link applyLive}). */
  params: TrainingParams;
  /** The candidate training examples of this run's label and per-user cap. */
  readonly train: CandidateExamples;
  /**
   * The ranking examples of this run: the world's, or with the ranker's `sources` group a copy
   * with this run's own source columns, filled by {@link sources}.
   */
  readonly rankTrain: RankingExamples;
  readonly rankTest: RankingExamples;
  /**
   * With the `sources` group: the candidate model's score and rank of each impression as the
   * rankers read it, from the candidate model at that step (docs/model.md#candidate-sources).
   */
  readonly sources: LiveSources | undefined;

  constructor(
    readonly data: TrainingData,
    params: TrainingParams,
    readonly runId: number,
  ) {
    this.params = clonePlain(params);
    const { world } = data;
    // The label and per-user-cap knobs choose the training examples.
    const { train, counts } = candidateTraining(data, params);
    this.train = train;
    this.candidate = new CandidateModel(world, candidateConfig(params, 'features'), counts);
    this.mf = new CandidateModel(world, candidateConfig(params, 'id'), counts);
    const withSources = rankingConfig(params).features.sources;
    this.rankTrain = withSources ? withSourceColumns(data.rankTrain) : data.rankTrain;
    this.rankTest = withSources ? withSourceColumns(data.rankTest) : data.rankTest;
    this.ranker = new RankingModel(world, rankingConfig(params), this.rankTrain);
    this.twin = new RankingModel(
      world,
      rankingConfig(params, true),
      this.rankTrain,
      this.ranker.quantiles,
    );
    if (withSources) {
      this.sources = new LiveSources(this.candidate, this.rankTrain, this.ranker.quantiles);
      this.ranker.sourceFiller = this.sources.filler;
      this.twin.sourceFiller = this.sources.filler;
    }
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
      const { loss } = await this.candidate.trainStep(this.train);
      const mfLoss = (await this.mf.trainStep(this.train)).loss;
      const rankingLoss = (await this.ranker.trainStep(this.rankTrain)).loss;
      const twinLoss = (await this.twin.trainStep(this.rankTrain)).loss;
      this.step++;
      return { loss, mfLoss, rankingLoss, twinLoss };
    } finally {
      engine.endScope();
    }
  }

  /** Evaluates every model on the fixed held-out samples. */
  async evaluate(now: () => number): Promise<EvalPoint> {
    const t0 = now();
    const { test, evalRows, rankRows, world } = this.data;
    const rankTest = this.rankTest;
    const model = retrievalMetrics(await modelRanks(this.candidate, test, evalRows));
    const mf = retrievalMetrics(await modelRanks(this.mf, test, evalRows));
    const heldOut = await this.candidate.heldOutLoss(test, evalRows, this.params.trainSeed);
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
      // Both rankers share the odds knob; it only matters to the weighted one.
      const odds = this.ranker.config.exactOdds ? 'exact' : 'paper';
      watchTime = { weighted: rankerSide(w), unweighted: rankerSide(u), odds };
    }
    return {
      step: this.step,
      recall: recallList(model),
      mfRecall: recallList(mf),
      popularRecall: [...this.data.popularRecall],
      map: model.map,
      mfMap: mf.map,
      popularMap: this.data.popularMap,
      outOfVocab: outOfVocabLabels(this.candidate.outOfVocab, test, evalRows).share,
      heldOutLoss: heldOut,
      ranking,
      watchTime,
      ms: now() - t0,
    };
  }

  /**
   * Applies the live knobs of `p` from the next step on: each model takes its new config (built
   * from the parameter table's rows) and applies what may change mid-training. Structural knobs
   * keep the values the models were built with: they need a new session.
   */
  applyLive(p: TrainingParams): void {
    const next: TrainingParams = clonePlain(this.params);
    for (const k of LIVE_KEYS) (next as Record<string, unknown>)[k] = clonePlain(p[k]);
    this.candidate.applyConfig(candidateConfig(next, 'features'));
    this.mf.applyConfig(candidateConfig(next, 'id'));
    this.ranker.applyConfig(rankingConfig(next));
    this.twin.applyConfig(rankingConfig(next, true));
    this.params = next;
  }

  /** The models by snapshot prefix. */
  private models(): [string, CandidateModel | RankingModel][] {
    return [
      ['candidate', this.candidate],
      ['mf', this.mf],
      ['ranker', this.ranker],
      ['twin', this.twin],
    ];
  }

  /**
   * A copy of every model's whole training state (weights, optimiser moments and counters,
   * batch streams): fresh arrays, which the caller may transfer. Never the models' own
   * arrays nor a backend's buffers (on the CPU backend `await tensor.data()` returns the
   * tensor's own storage, and transferring it would empty the weights).
   */
  async snapshot(backend: BackendName | null = null): Promise<WeightSnapshot> {
    const weights: ModelWeights[] = [];
    const slots: ModelWeights[] = [];
    const counters: Record<string, number> = {};
    for (const [prefix, model] of this.models()) {
      const state = await model.exportState();
      for (const w of state.weights) weights.push({ name: `${prefix}.${w.name}`, data: w.data });
      for (const w of state.slots) slots.push({ name: `${prefix}.${w.name}`, data: w.data });
      for (const [k, v] of Object.entries(state.counters)) counters[`${prefix}.${k}`] = v;
    }
    return {
      runId: this.runId,
      step: this.step,
      params: clonePlain(this.params),
      weights,
      slots,
      counters,
      backend,
      world: this.data.fingerprint,
    };
  }

  /**
   * Loads `snapshot`'s state (taken from a session of the same parameters on the same world)
   * and continues its step count: the next steps are those the snapshot's run would have
   * taken. Throws a {@link SnapshotMismatch} when the snapshot is of another world, or an
   * Error naming a missing or mis-sized part (the session may then be half loaded: discard it).
   */
  load(snapshot: WeightSnapshot): void {
    if (snapshot.world !== this.data.fingerprint)
      throw new SnapshotMismatch(
        `the run was trained on another world (fingerprint ${snapshot.world}, this world ${this.data.fingerprint})`,
      );
    const strip = (list: readonly ModelWeights[], prefix: string) =>
      list
        .filter((w) => w.name.startsWith(`${prefix}.`))
        .map((w) => ({ name: w.name.slice(prefix.length + 1), data: w.data }));
    for (const [prefix, model] of this.models()) {
      const counters: Record<string, number> = {};
      for (const [k, v] of Object.entries(snapshot.counters))
        if (k.startsWith(`${prefix}.`)) counters[k.slice(prefix.length + 1)] = v;
      try {
        model.importState({
          weights: strip(snapshot.weights, prefix),
          slots: strip(snapshot.slots, prefix),
          counters,
        });
      } catch (e) {
        throw new Error(`${prefix}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
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
    oddsCalibration: m.oddsCalibration.bins.map((b) => ({
      predicted: b.meanPredicted,
      actual: b.meanActual,
    })),
    oracleWatchPerImpression: m.topK.oracleWatchPerImpression,
    randomWatchPerImpression: m.topK.randomWatchPerImpression,
  };
}
