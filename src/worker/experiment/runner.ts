/**
 * The experiment runner (docs/lessons.md#the-runner): trains every variant of a lesson spec on
 * ONE shared world, repeat by repeat, and returns what it measured. No DOM and no messages: the
 * CLI (`npm run lesson`) calls it in Node and a worker can call it in the page.
 *
 * Pairing (docs/lessons.md#the-runner): per repeat r every variant gets the training seed `repeatSeed(seed, r)`
 * (so the same initial weights where shapes allow) and the candidate model's batches come
 * from one stream of that seed, drawn here and handed to `CandidateModel.trainBatch`, so every
 * variant of a repeat sees the same batch rows in the same order whatever its shapes, sampler
 * or K. The ranker draws its own batch rows, from the stream its initial weights came from; the
 * runner moves that stream to a per-repeat start (`alignRankerBatches`), so every ranker of a
 * repeat draws the same rows too. Evaluation uses the same held-out examples and pages for
 * every run.
 *
 * It trains only the models the spec names, through the models' own classes (not
 * `TrainingSession`, which always trains all four of the Training tab). A closed-loop lesson
 * (`base.loop`) runs whole loops instead (./loop-lesson.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { buildCandidateExamples, type CandidateExamples } from '../../sim/examples';
import { buildRankingExamples, type RankingExamples } from '../../sim/ranking-examples';
import { generateWorld } from '../../sim/world';
import type { World } from '../../sim/types';
import { evaluationRows, modelRanks } from '../../model/candidate/evaluate';
import { CandidateModel, labelCounts } from '../../model/candidate/model';
import { fitFeatureQuantiles, type FeatureQuantiles } from '../../model/ranking/features';
import { pageRows, rankingMetrics } from '../../model/ranking/evaluate';
import { RankingModel } from '../../model/ranking/model';
import { UniformStream } from '../../model/stream';
import { candidateConfig, defaultTrainingParams, rankingConfig } from '../../protocol/params';
import {
  METRICS,
  checkSpec,
  repeatSeed,
  variantParams,
  type DataKnobs,
  type LessonSpec,
  type MetricId,
  type Variant,
} from '../../protocol/lessons/spec';
import type {
  CurvePoint,
  ExperimentResult,
  MetricValues,
  RunRecord,
} from '../../protocol/lessons/summary';
import { meanAveragePrecision, recallFromRanks } from '../../model/metrics';
import { funnelSweep } from '../../serve/funnel';
import { sessionStartRows } from '../../sim/candidate-features';
import { freshShare, labelAgeShare, modelAgeMass } from '../../model/candidate/age-mass';
import { runLoopExperiment } from './loop-lesson';
import type { ExperimentProgress, RunOptions } from './options';

export type { ExperimentProgress, RunOptions } from './options';

/** Stream of the candidate model's batch rows: `UniformStream(trainSeed, BATCH_STREAM)`. */
export const BATCH_STREAM = 0xba7c;

/** Where the ranker's batch stream is set to start: `UniformStream(trainSeed, RANK_BATCH_STREAM)`. */
export const RANK_BATCH_STREAM = 0xba7d;

/**
 * Moves the ranker's batch stream to the start of `UniformStream(trainSeed, RANK_BATCH_STREAM)`,
 * through its public state (`exportState`/`importState`, which also restore the weights just
 * exported): its initial weights were drawn from the same stream, so without this, towers of
 * different shapes would draw different batches. After it, every ranker of a repeat draws the
 * same batch rows whatever its shape.
 */
async function alignRankerBatches(ranker: RankingModel, trainSeed: number): Promise<void> {
  const state = await ranker.exportState();
  const rng = new UniformStream(trainSeed, RANK_BATCH_STREAM).state;
  ranker.importState({ ...state, counters: { ...state.counters, rng } });
}

/** The shared world of an experiment and the examples every variant trains and is evaluated on. */
export class ExperimentData {
  readonly test: CandidateExamples;
  readonly evalRows: Int32Array;
  readonly rankTrain: RankingExamples | null;
  readonly rankTest: RankingExamples | null;
  readonly rankRows: Int32Array;
  /** Quantiles of the ranker's continuous features, fitted once. */
  readonly quantiles: FeatureQuantiles | null;
  /** Held-out session starts served by the funnel metrics (evenly spaced; empty without). */
  readonly funnelRows: Int32Array;
  private age: Float64Array | null = null;
  private readonly trains = new Map<string, { train: CandidateExamples; counts: Float32Array }>();

  constructor(
    readonly world: World,
    spec: LessonSpec,
  ) {
    this.test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
    this.evalRows = evaluationRows(this.test, spec.base.evalExamples);
    const ranker = spec.base.models.includes('ranker');
    this.rankTrain = ranker ? buildRankingExamples(world, { split: 'train' }) : null;
    this.rankTest = ranker ? buildRankingExamples(world, { split: 'test' }) : null;
    this.rankRows = this.rankTest
      ? pageRows(this.rankTest, spec.base.rankPages)
      : new Int32Array(0);
    this.quantiles = this.rankTrain ? fitFeatureQuantiles(this.rankTrain) : null;
    const f = spec.base.funnel;
    if (f) {
      const starts = sessionStartRows(world, this.test);
      const n = Math.min(f.queries, starts.length);
      this.funnelRows = Int32Array.from(
        { length: n },
        (_, i) => starts[Math.floor((i * starts.length) / n)],
      );
    } else this.funnelRows = new Int32Array(0);
  }

  /** What users watched: the evaluation labels' share per age bucket (built once). */
  ageShare(): Float64Array {
    this.age ??= labelAgeShare(this.world, this.test, this.evalRows);
    return this.age;
  }

  /**
   * Candidate training examples and label counts for a label choice and per-user cap (the
   * `label` and `perUserCap` knobs; built once each).
   */
  candidateTrain(label: NonNullable<DataKnobs['label']>, perUserCap: number) {
    const key = `${label}/${perUserCap}`;
    let t = this.trains.get(key);
    if (!t) {
      const train = buildCandidateExamples(this.world, { split: 'train', label, perUserCap });
      t = { train, counts: labelCounts(this.world, train) };
      this.trains.set(key, t);
    }
    return t;
  }
}

const cancelled = (signal: AbortSignal | undefined) => {
  if (signal?.aborted) throw signal.reason ?? new Error('the experiment was cancelled');
};

/** The world settings of a spec for a seed. */
export function worldSettings(spec: LessonSpec, seed: number) {
  return { ...spec.base.world, seed };
}

/**
 * Builds the shared world (unless given) and runs every repeat of every variant, repeat by
 * repeat. Throws an Error listing the spec's problems before training anything, and the
 * signal's reason when cancelled (between two steps).
 */
export async function runExperiment(
  spec: LessonSpec,
  opts: RunOptions = {},
): Promise<ExperimentResult> {
  const problems = checkSpec(spec);
  if (problems.length) throw new Error(`lesson ${spec.id}: ${problems.join('; ')}`);
  if (spec.base.loop) return runLoopExperiment(spec, opts);
  const now = opts.now ?? (() => performance.now());
  const seed = opts.seed ?? 7;
  const t0 = now();
  const world = opts.world ?? generateWorld(worldSettings(spec, seed));
  const data = new ExperimentData(world, spec);
  const worldSeconds = (now() - t0) / 1000;
  const steps = opts.steps ?? spec.base.steps;
  const repeats = opts.repeats ?? spec.repeats;
  const variants = spec.variants.filter((v) =>
    opts.variants ? opts.variants.includes(v.id) : !v.optional,
  );
  const runs: RunRecord[] = [];
  const total = repeats * variants.length;
  const ages = spec.metrics.some((m) => AGE_METRICS.has(m));
  for (let r = 0; r < repeats; r++) {
    for (const v of variants) {
      cancelled(opts.signal);
      runs.push(
        await runVariant(data, spec, v, r, seed, steps, {
          ...opts,
          now,
          runsDone: runs.length,
          runs: total,
        }),
      );
    }
  }
  return {
    lesson: spec.id,
    seed,
    backend: tf.getBackend(),
    world: { videos: world.videos.count, users: world.users.count, watches: world.logs.watches },
    steps,
    repeats,
    evalExamples: data.evalRows.length,
    rankPages: spec.base.models.includes('ranker') ? pageCount(data) : 0,
    worldSeconds,
    seconds: (now() - t0) / 1000,
    runs,
    ...(ages ? { ageShare: Array.from(data.ageShare()) } : {}),
  };
}

/** Metrics that need the model's mass per age bucket (docs/lessons.md#example-age). */
const AGE_METRICS = new Set<MetricId>(['freshShare', 'freshGap']);

function pageCount(data: ExperimentData): number {
  const pages = new Set<number>();
  for (const r of data.rankRows) pages.add(data.rankTest!.page[r]);
  return pages.size;
}

/** One variant in one repeat: trains its models for `steps` steps, evaluating as the spec asks. */
export async function runVariant(
  data: ExperimentData,
  spec: LessonSpec,
  v: Variant,
  repeat: number,
  seed: number,
  steps: number,
  opts: RunOptions & { now: () => number; runsDone?: number; runs?: number },
): Promise<RunRecord> {
  const { world } = data;
  const trainSeed = repeatSeed(seed, repeat);
  const params = { ...variantParams(defaultTrainingParams(), spec.base, v), trainSeed };
  // The label knob; a lesson's `data.label` (older specs) still wins.
  const label = v.data?.label ?? spec.base.data?.label ?? params.label;
  const models = spec.base.models;
  const { train, counts } = models.includes('candidate')
    ? data.candidateTrain(label, params.perUserCap)
    : { train: data.test, counts: new Float32Array(0) };
  const candidate = models.includes('candidate')
    ? new CandidateModel(world, candidateConfig(params, 'features'), counts)
    : null;
  const ranker = models.includes('ranker')
    ? new RankingModel(world, rankingConfig(params), data.rankTrain!, data.quantiles!)
    : null;
  if (ranker) await alignRankerBatches(ranker, trainSeed);
  const batches = new UniformStream(trainSeed, BATCH_STREAM);
  const want = new Set<MetricId>(spec.metrics);
  const curve: CurvePoint[] = [];
  let ranks: Int32Array | null = null;
  let ageMass: Float64Array | null = null;
  let trainMs = 0;
  const t0 = opts.now();
  const report = (step: number, extra: Partial<ExperimentProgress> = {}) =>
    opts.onProgress?.({
      variant: v.id,
      repeat,
      step,
      steps,
      runsDone: opts.runsDone ?? 0,
      runs: opts.runs ?? 1,
      ...extra,
    });

  const evaluate = async (step: number): Promise<CurvePoint> => {
    const values: MetricValues = {};
    if (candidate) {
      ranks = await modelRanks(candidate, data.test, data.evalRows);
      for (const id of want) {
        const m = METRICS[id];
        if ('k' in m) values[id] = recallFromRanks(ranks, m.k);
      }
      if (want.has('map')) values.map = meanAveragePrecision(ranks);
      if (want.has('freshShare') || want.has('freshGap')) {
        ageMass = await modelAgeMass(candidate, data.test, data.evalRows);
        const model = freshShare(ageMass);
        if (want.has('freshShare')) values.freshShare = model;
        if (want.has('freshGap')) values.freshGap = Math.abs(model - freshShare(data.ageShare()));
      }
    }
    if (ranker && data.rankTest) {
      const z = await ranker.predictLogits(data.rankTest, data.rankRows);
      const { weighted, exactOdds } = ranker.config;
      const m = rankingMetrics(world, data.rankTest, data.rankRows, z, {
        weighting: { weighted, exactOdds },
      });
      const all: MetricValues = {
        weightedPerUserLoss: m.weightedPerUserLoss,
        auc: m.auc,
        watchPerImpression: m.topK.watchPerImpression,
        clickbaitShare: m.topK.clickbaitShare,
      };
      for (const id of want) if (all[id] !== undefined) values[id] = all[id];
    }
    const f = spec.base.funnel;
    if (f && candidate && ranker && (want.has('funnelRecall') || want.has('funnelWatch'))) {
      const sweep = await funnelSweep({ world, candidate, ranker }, data.test, data.funnelRows, {
        ns: [f.n],
        k: f.k,
      });
      if (want.has('funnelRecall')) values.funnelRecall = sweep.exact[0].recall;
      if (want.has('funnelWatch')) values.funnelWatch = sweep.exact[0].watchPerImpression;
    }
    if (want.has('msPerStep')) values.msPerStep = trainMs / Math.max(1, step);
    return { step, values };
  };

  try {
    const engine = tf.engine();
    for (let s = 1; s <= steps; s++) {
      cancelled(opts.signal);
      const ts = opts.now();
      engine.startScope('experimentStep');
      try {
        if (candidate) {
          const B = Math.min(candidate.config.batchSize, train.count);
          const rows = new Int32Array(B);
          for (let b = 0; b < B; b++) rows[b] = batches.int(train.count);
          await candidate.trainBatch(train, rows);
        }
        if (ranker) await ranker.trainStep(data.rankTrain!);
      } finally {
        engine.endScope();
      }
      trainMs += opts.now() - ts;
      if (s === steps || (spec.base.evalEvery > 0 && s % spec.base.evalEvery === 0)) {
        const point = await evaluate(s);
        curve.push(point);
        report(s, { point });
      } else if (s % 10 === 0) report(s);
      if (opts.between) await opts.between();
    }
    if (curve.length === 0) curve.push(await evaluate(0));
    const rec: RunRecord = {
      variant: v.id,
      repeat,
      trainSeed,
      seconds: (opts.now() - t0) / 1000,
      curve,
      final: curve.length ? curve[curve.length - 1].values : {},
      ...(ranks ? { ranks: Array.from(ranks as Int32Array) } : {}),
      ...(ageMass ? { ageMass: Array.from(ageMass as Float64Array) } : {}),
    };
    report(steps, { finished: rec });
    return rec;
  } finally {
    candidate?.dispose();
    ranker?.dispose();
  }
}
