/**
 * The closed loop (docs/loop.md), headless: no DOM and no messages, so `npm run loop` calls it
 * in Node and the loop worker (src/worker/loop-worker.ts) in the page; the A/B test, on the same
 * machinery, is in ./ab.ts.
 *
 * {@link runLoop}: one seeded world of `LOOP_WORLD_DAYS` days; the legacy logs before
 * `LOOP_START_DAY` are every policy's history. The model policies' candidate model and ranker
 * train on it (`steps` steps; the model, explore and age-off policies share what they can:
 * one ranker, and one candidate model for model and explore). Then, for each round r (day
 * LOOP_START_DAY + r), every policy serves the same users at the same times (common random
 * numbers), the users answer through the choice model, the answers are appended to that
 * policy's logs, the round is measured, and the policy's models retrain warm on the latest
 * `window` days (`roundSteps` steps).

 */
import * as tf from '@tensorflow/tfjs';
import { evaluationRows, modelRanks } from '../../model/candidate/evaluate';
import { CandidateModel, labelCounts } from '../../model/candidate/model';
import { recallFromRanks } from '../../model/metrics';
import { fitFeatureQuantiles, type FeatureQuantiles } from '../../model/ranking/features';
import { RankingModel } from '../../model/ranking/model';
import type { ModelState } from '../../model/weights';
import {
  candidateConfig,
  defaultTrainingParams,
  rankingConfig,
  type TrainingParams,
} from '../../protocol/params';
import {
  coverage,
  gini,
  liveValues,
  meanEffectiveCount,
  meanPairwiseCosine,
  topShare,
} from '../../protocol/loop/metrics';
import type { LoopProgress, LoopResult, PolicyRun, RoundMetrics } from '../../protocol/loop/result';
import {
  checkLoopSettings,
  LOOP_START_DAY,
  LOOP_WORLD_DAYS,
  POLICY_LABELS,
  policiesOn,
  type LoopSettings,
  type PolicyId,
} from '../../protocol/loop/settings';
import { liveMask } from '../../serve/funnel';
import { ChoiceModel } from '../../sim/choice';
import { buildCandidateExamples, type CandidateExamples } from '../../sim/examples';
import { logsBefore } from '../../sim/loop-logs';
import type { World } from '../../sim/types';
import { generateWorld } from '../../sim/world';
import { LoopWorld, serveRound, type Policy, type RoundStats, type Streams } from './engine';
import { LegacyPolicy, ModelPolicy, OraclePolicy } from './policies';
import { trainingData, trainModels } from './training-data';

/** The loop's streams (engine.ts `Streams`). */
export const LOOP_STREAMS: Streams = { sessions: 0x100a, choice: 0x100b, policy: 0x100c };

/** The k of the loop's offline recall. */
export const RECALL_K = 100;

/** Options of {@link runLoop} and of the A/B test's `runAb` (./ab.ts). */
export interface LoopRunOptions {
  signal?: AbortSignal;
  onProgress?(p: LoopProgress): void;
  /** A policy's round, as soon as it is measured. */
  onRound?(policy: PolicyId, m: RoundMetrics): void;
  /** Called between training steps and rounds (e.g. yield so a worker hears a cancel). */
  between?(): Promise<void>;
  /** A world already built with the run's settings (tests, and a lesson's repeats). */
  world?: World;
  now?(): number;
  /**
   * The models' training seed (initial weights, batches, negatives); default the parameter
   * table's `trainSeed`. A loop lesson's repeat r uses `repeatSeed(seed, r)`.
   */
  trainSeed?: number;
  /**
   * The seed of the rounds' visits, clicks and the policies' own draws (`SimRng(drawSeed, …)`);
   * default the world's seed. Every policy of one run shares it (common random numbers).
   */
  drawSeed?: number;
  /**
   * Score the candidate models' recall@100 (held-out and own logs) every round; default true.
   * Off, `recallNext`, `recallHeldout` and `initialRecallHeldout` are null (a lesson that does
   * not report them saves the time).
   */
  recall?: boolean;
}

/** Throws the signal's reason when it was aborted. */
export const cancelled = (signal: AbortSignal | undefined) => {
  if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
};

/** The world settings of a loop (or an A/B test with `users` users). */
export function loopWorldSettings(seed: number, videos: number, users: number) {
  return { seed, videos, users, days: LOOP_WORLD_DAYS, splitDay: LOOP_START_DAY };
}

/** The legacy world's held-out next watches (one per user, from LOOP_START_DAY on). */
export function heldOut(world: World, max: number): { ex: CandidateExamples; rows: Int32Array } {
  const ex = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
  return { ex, rows: evaluationRows(ex, max) };
}

/** One policy's measurements of a served round. */
export function roundMetrics(stats: RoundStats, round: number, day: number): RoundMetrics {
  const world = stats.world;
  const U = world.users.count;
  const T = world.config.topics;
  const live = liveMask(world, day + 1);
  let active = 0;
  let sessions = 0;
  let clicks = 0;
  let clickbait = 0;
  let minutes = 0;
  let expected = 0;
  for (let u = 0; u < U; u++) {
    if (stats.userSessions[u] > 0) active++;
    sessions += stats.userSessions[u];
    clicks += stats.userClicks[u];
    clickbait += stats.userClickbait[u];
    minutes += stats.userMinutes[u];
    expected += stats.userExpected[u];
  }
  let impressions = 0;
  for (const n of stats.impressions) impressions += n;
  const shown = liveValues(stats.impressions, live);
  const per = (x: number) => (active > 0 ? x / active : 0);
  return {
    round,
    day,
    activeUsers: active,
    sessions,
    impressions,
    clicks,
    welfare: per(expected),
    minutes: per(minutes),
    clicksPerUser: per(clicks),
    ctr: impressions > 0 ? clicks / impressions : 0,
    coverage: coverage(stats.impressions, live),
    gini: gini(shown),
    top1Share: topShare(shown, 0.01),
    homogenisation: meanPairwiseCosine(stats.topicMinutes, U, T).value,
    shownHomogenisation: meanPairwiseCosine(stats.topicShown, U, T).value,
    topicsPerUser: meanEffectiveCount(stats.topicMinutes, U, T),
    clickbaitShare: clicks > 0 ? clickbait / clicks : 0,
    recallNext: null,
    recallHeldout: null,
    seconds: 0,
  };
}

/** recall@100 of `candidate` on the next watches of the round that started at `day`. */
async function recallOnRound(lw: LoopWorld, candidate: CandidateModel, day: number, max: number) {
  const now = lw.world.config.splitDay;
  lw.world.config.splitDay = day;
  try {
    const test = buildCandidateExamples(lw.world, { split: 'test', perUserCap: 1 });
    if (test.count === 0) return null;
    const ranks = await modelRanks(candidate, test, evaluationRows(test, max));
    return recallFromRanks(ranks, RECALL_K);
  } finally {
    lw.world.config.splitDay = now;
  }
}

/** Ranks of the held-out examples under `candidate`, scored against the legacy world's logs. */
export async function heldOutRanks(
  lw: LoopWorld,
  legacy: World,
  candidate: CandidateModel,
  held: { ex: CandidateExamples; rows: Int32Array },
) {
  return lw.with(legacy.logs, LOOP_START_DAY, () => modelRanks(candidate, held.ex, held.rows));
}

/** A model policy's parts. */
interface ModelRun {
  candidate: CandidateModel;
  ranker: RankingModel;
  policy: ModelPolicy;
}

/** Runs the closed loop (see the module comment). Throws the signal's reason when cancelled. */
export async function runLoop(input: LoopSettings, opts: LoopRunOptions = {}): Promise<LoopResult> {
  const s = checkLoopSettings(input);
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const ids = policiesOn(s);
  const models = ids.filter((id) => id !== 'legacy' && id !== 'oracle');
  const progress = (phase: LoopProgress['phase'], fraction: number, message: string) =>
    opts.onProgress?.({ phase, fraction, message });
  // Work units: training steps of the initial models, then one per policy per round.
  const initialRuns = (models.some((m) => m !== 'ageOff') ? 1 : 0) + (s.policies.ageOff ? 1 : 0);
  const roundWork = s.rounds * ids.length;
  const totalWork = initialRuns + roundWork;
  progress('world', 0, 'building the world');
  const world = opts.world ?? generateWorld(loopWorldSettings(s.seed, s.videos, s.users));
  cancelled(opts.signal);
  const U = world.users.count;
  const history = logsBefore(world.logs, U, LOOP_START_DAY);
  const recall = opts.recall ?? true;
  const held = recall ? heldOut(world, s.evalExamples) : null;
  const choice = new ChoiceModel(world, s.positionBias);
  const drawSeed = opts.drawSeed ?? s.seed;
  const base = {
    ...defaultTrainingParams(),
    ...(opts.trainSeed !== undefined ? { trainSeed: opts.trainSeed } : {}),
  };
  const paramsOf = (id: PolicyId): TrainingParams =>
    id === 'ageOff' ? { ...base, features: { ...base.features, exampleAge: false } } : base;

  // Every policy's world starts from the same history; the initial examples are shared.
  const runs: { id: PolicyId; lw: LoopWorld; policy: Policy; model: ModelRun | null }[] = [];
  let initial: ReturnType<typeof trainingData> | null = null;
  let quantiles: FeatureQuantiles | null = null;
  const candidateStates = new Map<string, ModelState>();
  let rankerState: ModelState | null = null;
  let trained = 0;
  try {
    for (const id of ids) {
      const lw = new LoopWorld(world, history, LOOP_START_DAY);
      if (id === 'legacy' || id === 'oracle') {
        const policy =
          id === 'legacy'
            ? new LegacyPolicy(lw)
            : new OraclePolicy(lw, { retrieve: s.retrieve, epsilon: 0 });
        runs.push({ id, lw, policy, model: null });
        continue;
      }
      initial ??= trainingData(lw.world, LOOP_START_DAY, LOOP_START_DAY);
      quantiles ??= fitFeatureQuantiles(initial.rankTrain);
      const p = paramsOf(id);
      const candidate = new CandidateModel(
        lw.world,
        candidateConfig(p, 'features'),
        labelCounts(lw.world, initial.train),
      );
      const ranker = new RankingModel(lw.world, rankingConfig(p), initial.rankTrain, quantiles);
      const key = id === 'ageOff' ? 'ageOff' : 'model';
      const candState = candidateStates.get(key);
      if (candState) candidate.importState(candState);
      if (rankerState) ranker.importState(rankerState);
      if (!candState || !rankerState) {
        const label = POLICY_LABELS[id];
        await trainModels(
          candState ? null : candidate,
          rankerState ? null : ranker,
          initial.train,
          initial.rankTrain,
          s.steps,
          async (step) => {
            cancelled(opts.signal);
            if (step % 25 === 0) {
              progress(
                'train',
                (trained + step / s.steps) / totalWork,
                `training on the history (${label}): step ${step}/${s.steps}`,
              );
              await opts.between?.();
            }
          },
        );
        trained++;
        if (!candState) candidateStates.set(key, await candidate.exportState());
        rankerState ??= await ranker.exportState();
      }
      const policy = new ModelPolicy(lw, candidate, ranker, {
        retrieve: s.retrieve,
        epsilon: id === 'explore' ? s.epsilon : 0,
      });
      runs.push({ id, lw, policy, model: { candidate, ranker, policy } });
    }

    const out: PolicyRun[] = [];
    for (const r of runs)
      out.push({
        id: r.id,
        label: POLICY_LABELS[r.id],
        initialRecallHeldout:
          r.model && held
            ? recallFromRanks(await heldOutRanks(r.lw, world, r.model.candidate, held), RECALL_K)
            : null,
        rounds: [],
      });

    for (let round = 0; round < s.rounds; round++) {
      const day = LOOP_START_DAY + round;
      for (let i = 0; i < runs.length; i++) {
        cancelled(opts.signal);
        const r = runs[i];
        const done = initialRuns + round * runs.length + i;
        progress(
          'round',
          done / totalWork,
          `round ${round + 1}/${s.rounds}: ${POLICY_LABELS[r.id]} serves day ${day}`,
        );
        const ts = now();
        const stats = await serveRound(
          r.lw,
          choice,
          drawSeed,
          LOOP_STREAMS,
          round,
          day,
          () => r.policy,
        );
        const m = roundMetrics(stats, round + 1, day);
        if (r.model) {
          const { candidate, policy } = r.model;
          if (held) m.recallNext = await recallOnRound(r.lw, candidate, day, s.evalExamples);
          if (r.id !== 'frozen')
            await policy.learn(day + 1, s.window, s.roundSteps, async (step) => {
              cancelled(opts.signal);
              if (step % 25 === 0) await opts.between?.();
            });
          if (held)
            m.recallHeldout = recallFromRanks(
              await heldOutRanks(r.lw, world, candidate, held),
              RECALL_K,
            );
        }
        m.seconds = (now() - ts) / 1000;
        out[i].rounds.push(m);
        opts.onRound?.(r.id, m);
        await opts.between?.();
      }
    }
    progress('round', 1, 'done');
    return {
      settings: s,
      backend: tf.getBackend(),
      world: {
        videos: world.videos.count,
        users: U,
        startDay: LOOP_START_DAY,
        historyWatches: history.watches,
        interestHomogenisation: meanPairwiseCosine(world.users.interests, U, world.config.topics)
          .value,
      },
      policies: out,
      seconds: (now() - t0) / 1000,
    };
  } finally {
    for (const r of runs) {
      r.model?.candidate.dispose();
      r.model?.ranker.dispose();
    }
  }
}
