/**
 * The closed loop and the simulated A/B test (docs/loop.md), headless: no DOM and no messages,
 * so `npm run loop` calls them in Node and the loop worker (src/worker/loop-worker.ts) in the
 * page.
 *
 * {@link runLoop}: one seeded world of `LOOP_WORLD_DAYS` days; the legacy logs before
 * `LOOP_START_DAY` are every policy's history. The model policies' candidate model and ranker
 * train on it (`steps` steps; the model, explore and age-off policies share what they can:
 * one ranker, and one candidate model for model and explore). Then, for each round r (day
 * LOOP_START_DAY + r), every policy serves the same users at the same times (common random
 * numbers), the users answer through the choice model, the answers are appended to that
 * policy's logs, the round is measured, and the policy's models retrain warm on the latest
 * `window` days (`roundSteps` steps).
 *
 * {@link runAb}: two models (a preset with a known offline gap) trained on the same history,
 * scored offline on the legacy world's held-out data, then serving randomised halves of the
 * users for `abDays` days (no retraining); per-user online metrics with 95% intervals and the
 * users needed to detect the difference (src/protocol/loop/ab-stats.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { evaluationRows, modelRanks } from '../../model/candidate/evaluate';
import { CandidateModel, labelCounts } from '../../model/candidate/model';
import { meanAveragePrecision, recallFromRanks } from '../../model/metrics';
import { fitFeatureQuantiles, type FeatureQuantiles } from '../../model/ranking/features';
import { pageRows, rankingMetrics } from '../../model/ranking/evaluate';
import { RankingModel } from '../../model/ranking/model';
import type { ModelState } from '../../model/weights';
import {
  candidateConfig,
  defaultTrainingParams,
  rankingConfig,
  type TrainingParams,
} from '../../protocol/params';
import { abMean, abRatio } from '../../protocol/loop/ab-stats';
import {
  coverage,
  gini,
  liveValues,
  meanEffectiveCount,
  meanPairwiseCosine,
  topShare,
} from '../../protocol/loop/metrics';
import type {
  AbArm,
  AbResult,
  LoopProgress,
  LoopResult,
  PolicyRun,
  RoundMetrics,
} from '../../protocol/loop/result';
import {
  checkAbSettings,
  checkLoopSettings,
  LOOP_START_DAY,
  LOOP_WORLD_DAYS,
  POLICY_LABELS,
  policiesOn,
  type AbPreset,
  type AbSettings,
  type LoopSettings,
  type PolicyId,
} from '../../protocol/loop/settings';
import { liveMask } from '../../serve/funnel';
import { ChoiceModel } from '../../sim/choice';
import { buildCandidateExamples, type CandidateExamples } from '../../sim/examples';
import { logsBefore } from '../../sim/loop-logs';
import { buildRankingExamples } from '../../sim/ranking-examples';
import { SimRng } from '../../sim/rng';
import type { World } from '../../sim/types';
import { generateWorld } from '../../sim/world';
import {
  LegacyPolicy,
  LoopWorld,
  ModelPolicy,
  OraclePolicy,
  serveRound,
  trainingData,
  trainModels,
  type Policy,
  type RoundStats,
  type Streams,
} from './engine';

/** The loop's streams (engine.ts `Streams`). */
export const LOOP_STREAMS: Streams = { sessions: 0x100a, choice: 0x100b, policy: 0x100c };
/** The A/B test's streams: fresh visits, not the loop's. */
export const AB_STREAMS: Streams = { sessions: 0x1a0a, choice: 0x1a0b, policy: 0x1a0c };
/** Stream of the A/B test's randomisation of users into arms. */
export const AB_ARMS_STREAM = 0x1a0d;

/** The k of the loop's offline recall. */
const RECALL_K = 100;

/** Options of {@link runLoop} and {@link runAb}. */
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

const cancelled = (signal: AbortSignal | undefined) => {
  if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
};

/** The world settings of a loop (or an A/B test with `users` users). */
export function loopWorldSettings(seed: number, videos: number, users: number) {
  return { seed, videos, users, days: LOOP_WORLD_DAYS, splitDay: LOOP_START_DAY };
}

/** The legacy world's held-out next watches (one per user, from LOOP_START_DAY on). */
function heldOut(world: World, max: number): { ex: CandidateExamples; rows: Int32Array } {
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
async function heldOutRanks(
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

/** The two arms' knobs of an A/B preset, over the defaults, and their labels. */
export function abArms(
  preset: AbPreset,
  videos: number,
): [{ label: string; params: TrainingParams }, { label: string; params: TrainingParams }] {
  const base = defaultTrainingParams();
  if (preset === 'negatives') {
    const big = Math.min(512, Math.floor(videos / 2));
    return [
      { label: 'K = 8 negatives', params: { ...base, negatives: 8 } },
      { label: `K = ${big} negatives`, params: { ...base, negatives: big } },
    ];
  }
  return [
    { label: 'CTR ranker (unweighted)', params: { ...base, weighting: 'unweighted' } },
    { label: 'watch-time ranker (weighted)', params: { ...base, weighting: 'weighted' } },
  ];
}

/** Runs the simulated A/B test (see the module comment). */
export async function runAb(input: AbSettings, opts: LoopRunOptions = {}): Promise<AbResult> {
  const s = checkAbSettings(input);
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const progress = (fraction: number, message: string) =>
    opts.onProgress?.({ phase: 'ab', fraction, message });
  progress(0, 'building the world');
  const world = opts.world ?? generateWorld(loopWorldSettings(s.seed, s.videos, s.abUsers));
  cancelled(opts.signal);
  const U = world.users.count;
  const history = logsBefore(world.logs, U, LOOP_START_DAY);
  const lw = new LoopWorld(world, history, LOOP_START_DAY);
  const choice = new ChoiceModel(world, s.positionBias);
  const arms = abArms(s.ab, world.videos.count);
  const data = trainingData(lw.world, LOOP_START_DAY, LOOP_START_DAY);
  const quantiles = fitFeatureQuantiles(data.rankTrain);
  const counts = labelCounts(lw.world, data.train);

  // One model per distinct config: the arms share the model their knobs do not change.
  const candidates: CandidateModel[] = [];
  const rankers: RankingModel[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const made: (CandidateModel | RankingModel)[] = [];
  try {
    for (const arm of arms) {
      const cc = candidateConfig(arm.params, 'features');
      const rc = rankingConfig(arm.params);
      const c0 = candidates[0];
      const r0 = rankers[0];
      const c = c0 && same(c0.config, cc) ? c0 : new CandidateModel(lw.world, cc, counts);
      const r =
        r0 && same(r0.config, rc) ? r0 : new RankingModel(lw.world, rc, data.rankTrain, quantiles);
      if (!made.includes(c)) made.push(c);
      if (!made.includes(r)) made.push(r);
      candidates.push(c);
      rankers.push(r);
    }
    for (let i = 0; i < made.length; i++) {
      const m = made[i];
      await trainModels(
        m instanceof CandidateModel ? m : null,
        m instanceof RankingModel ? m : null,
        data.train,
        data.rankTrain,
        s.steps,
        async (step) => {
          cancelled(opts.signal);
          if (step % 25 === 0) {
            progress(
              0.05 + (0.45 * (i + step / s.steps)) / made.length,
              `training model ${i + 1}/${made.length}: step ${step}/${s.steps}`,
            );
            await opts.between?.();
          }
        },
      );
    }

    // Offline, on the legacy world's held-out data (from LOOP_START_DAY on).
    progress(0.5, 'scoring both models offline');
    const held = heldOut(world, s.evalExamples);
    const rankTest = buildRankingExamples(world, { split: 'test' });
    const pages = pageRows(rankTest, 2000);
    const offline: AbArm['offline'][] = [];
    for (let a = 0; a < 2; a++) {
      const ranks = await heldOutRanks(lw, world, candidates[a], held);
      const ranker = rankers[a];
      const z = await lw.with(world.logs, LOOP_START_DAY, () =>
        ranker.predictLogits(rankTest, pages),
      );
      const rm = rankingMetrics(world, rankTest, pages, z, {
        weighting: { weighted: ranker.config.weighted, exactOdds: ranker.config.exactOdds },
      });
      offline.push({
        recall100: recallFromRanks(ranks, RECALL_K),
        map: meanAveragePrecision(ranks),
        auc: rm.auc,
        clickbaitTop3: rm.topK.clickbaitShare,
      });
    }

    // Randomise the users into two halves.
    const order = Int32Array.from({ length: U }, (_, i) => i);
    const rng = new SimRng(s.seed, AB_ARMS_STREAM);
    for (let i = U - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const arm = new Uint8Array(U);
    for (let i = Math.floor(U / 2); i < U; i++) arm[order[i]] = 1;
    const policies = [0, 1].map(
      (a) => new ModelPolicy(lw, candidates[a], rankers[a], { retrieve: s.retrieve, epsilon: 0 }),
    );
    const sessions = new Int32Array(U);
    const minutes = new Float64Array(U);
    const welfare = new Float64Array(U);
    const clicks = new Float64Array(U);
    const clickbait = new Float64Array(U);
    for (let d = 0; d < s.abDays; d++) {
      cancelled(opts.signal);
      const day = LOOP_START_DAY + d;
      progress(0.55 + (0.45 * d) / s.abDays, `serving day ${d + 1}/${s.abDays} to both arms`);
      const st = await serveRound(lw, choice, s.seed, AB_STREAMS, d, day, (u) => policies[arm[u]]);
      for (let u = 0; u < U; u++) {
        sessions[u] += st.userSessions[u];
        minutes[u] += st.userMinutes[u];
        welfare[u] += st.userExpected[u];
        clicks[u] += st.userClicks[u];
        clickbait[u] += st.userClickbait[u];
      }
      await opts.between?.();
    }
    // Per-user values of the users with at least one session, by arm.
    const pick = (x: Float64Array, a: number) =>
      Float64Array.from(
        Array.from({ length: U }, (_, u) => u).filter((u) => arm[u] === a && sessions[u] > 0),
        (u) => x[u],
      );
    const result: AbResult = {
      settings: s,
      preset: s.ab,
      backend: tf.getBackend(),
      world: { videos: world.videos.count, users: U, startDay: LOOP_START_DAY, days: s.abDays },
      arms: [0, 1].map((a): AbArm => ({
        id: a === 0 ? 'A' : 'B',
        label: arms[a].label,
        users: arm.reduce((n, x) => n + (x === a ? 1 : 0), 0),
        activeUsers: pick(minutes, a).length,
        offline: offline[a],
      })) as [AbArm, AbArm],
      metrics: {
        minutes: abMean(pick(minutes, 0), pick(minutes, 1)),
        welfare: abMean(pick(welfare, 0), pick(welfare, 1)),
        clicks: abMean(pick(clicks, 0), pick(clicks, 1)),
        clickbaitShare: abRatio(
          pick(clickbait, 0),
          pick(clicks, 0),
          pick(clickbait, 1),
          pick(clicks, 1),
        ),
      },
      seconds: (now() - t0) / 1000,
    };
    progress(1, 'done');
    return result;
  } finally {
    for (const m of made) m.dispose();
  }
}
