/**
 * The simulated A/B test (docs/loop.md#the-ab-test), headless: `npm run loop -- --ab …` calls it
 * in Node and the loop worker in the page. Two arms — a preset, or any two lesson variants or
 * runs of the user's (their knobs; src/protocol/loop/ab-settings.ts) — train on the same history (one model per distinct
 * config and label choice; an arm whose candidate model or ranker is the other's gets a copy of
 * the trained one), are scored offline on the legacy world's held-out data, then serve
 * randomised halves of the users for `abDays` days (no retraining). Each arm serves in a world
 * of its own (the shared catalogue and history, its own logs), so a video's observed popularity
 * in arm A counts only arm A's watches: the arms do not interfere. Per-user online metrics with
 * 95% intervals and the users needed to detect the difference (src/protocol/loop/ab-stats.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { CandidateModel, labelCounts } from '../../model/candidate/model';
import { meanAveragePrecision, recallFromRanks } from '../../model/metrics';
import { fitFeatureQuantiles } from '../../model/ranking/features';
import { pageRows, rankingMetrics } from '../../model/ranking/evaluate';
import { RankingModel } from '../../model/ranking/model';
import { candidateConfig, rankingConfig } from '../../protocol/params';
import { abArms, checkAbSettings, type AbSettings } from '../../protocol/loop/ab-settings';
import { abMean, abRatio } from '../../protocol/loop/ab-stats';
import type { AbArm, AbResult } from '../../protocol/loop/result';
import { LOOP_START_DAY } from '../../protocol/loop/settings';
import { ChoiceModel } from '../../sim/choice';
import { logsBefore } from '../../sim/loop-logs';
import { buildRankingExamples } from '../../sim/ranking-examples';
import { SimRng } from '../../sim/rng';
import { generateWorld } from '../../sim/world';
import { LoopWorld, serveRound } from './engine';
import { ModelPolicy } from './policies';
import { trainingData, trainModels } from './training-data';
import {
  cancelled,
  heldOut,
  heldOutRanks,
  loopWorldSettings,
  RECALL_K,
  type LoopRunOptions,
} from './runner';
import type { Streams } from './engine';

/** The A/B test's streams: fresh visits, not the loop's. */
export const AB_STREAMS: Streams = { sessions: 0x1a0a, choice: 0x1a0b, policy: 0x1a0c };
/** Stream of the A/B test's randomisation of users into arms. */
export const AB_ARMS_STREAM = 0x1a0d;

/** Which arm (0 or 1) each of `U` users is in: a seeded shuffle, the second half in arm 1. */
export function randomiseArms(seed: number, U: number): Uint8Array {
  const order = Int32Array.from({ length: U }, (_, i) => i);
  const rng = new SimRng(seed, AB_ARMS_STREAM);
  for (let i = U - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const arm = new Uint8Array(U);
  for (let i = Math.floor(U / 2); i < U; i++) arm[order[i]] = 1;
  return arm;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

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
  // Each arm's own world: the same catalogue, users and history, its own logs from day 30 on.
  const lws = [0, 1].map(() => new LoopWorld(world, history, LOOP_START_DAY));
  const choice = new ChoiceModel(world, s.positionBias);
  const arms = abArms(s.ab, world.videos.count, s.runs);
  const labelOf = (a: number) => arms[a].params.label;
  const datas = [0, 1].map((a) =>
    trainingData(lws[a].world, LOOP_START_DAY, LOOP_START_DAY, labelOf(a)),
  );
  const quantiles = fitFeatureQuantiles(datas[0].rankTrain);

  const candidates: CandidateModel[] = [];
  const rankers: RankingModel[] = [];
  try {
    for (let a = 0; a < 2; a++) {
      const p = arms[a].params;
      const lw = lws[a];
      candidates.push(
        new CandidateModel(
          lw.world,
          candidateConfig(p, 'features'),
          labelCounts(lw.world, datas[a].train),
        ),
      );
      rankers.push(new RankingModel(lw.world, rankingConfig(p), datas[a].rankTrain, quantiles));
    }
    // Arm B's models are copies of arm A's where their knobs (and labels) agree.
    const shareCandidate =
      same(candidates[0].config, candidates[1].config) && labelOf(0) === labelOf(1);
    const shareRanker = same(rankers[0].config, rankers[1].config);
    const jobs: { a: number; candidate: boolean; ranker: boolean }[] = [
      { a: 0, candidate: true, ranker: true },
      { a: 1, candidate: !shareCandidate, ranker: !shareRanker },
    ].filter((j) => j.candidate || j.ranker);
    for (let i = 0; i < jobs.length; i++) {
      const { a, candidate, ranker } = jobs[i];
      await trainModels(
        candidate ? candidates[a] : null,
        ranker ? rankers[a] : null,
        datas[a].train,
        datas[a].rankTrain,
        s.steps,
        async (step) => {
          cancelled(opts.signal);
          if (step % 25 === 0) {
            progress(
              0.05 + (0.45 * (i + step / s.steps)) / jobs.length,
              `training arm ${a === 0 ? 'A' : 'B'}'s models: step ${step}/${s.steps}`,
            );
            await opts.between?.();
          }
        },
      );
    }
    if (shareCandidate) candidates[1].importState(await candidates[0].exportState());
    if (shareRanker) rankers[1].importState(await rankers[0].exportState());

    // Offline, on the legacy world's held-out data (from LOOP_START_DAY on).
    progress(0.5, 'scoring both models offline');
    const held = heldOut(world, s.evalExamples);
    const rankTest = buildRankingExamples(world, { split: 'test' });
    const pages = pageRows(rankTest, 2000);
    const offline: AbArm['offline'][] = [];
    for (let a = 0; a < 2; a++) {
      const ranks = await heldOutRanks(lws[a], world, candidates[a], held);
      const ranker = rankers[a];
      const z = await lws[a].with(world.logs, LOOP_START_DAY, () =>
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

    // Randomise the users into two halves; each half is served in its arm's world.
    const arm = randomiseArms(s.seed, U);
    const policies = [0, 1].map(
      (a) =>
        new ModelPolicy(lws[a], candidates[a], rankers[a], { retrieve: s.retrieve, epsilon: 0 }),
    );
    const sessions = new Int32Array(U);
    const minutes = new Float64Array(U);
    const welfare = new Float64Array(U);
    const clicks = new Float64Array(U);
    const clickbait = new Float64Array(U);
    for (let d = 0; d < s.abDays; d++) {
      const day = LOOP_START_DAY + d;
      for (let a = 0; a < 2; a++) {
        cancelled(opts.signal);
        progress(
          0.55 + (0.45 * (2 * d + a)) / (2 * s.abDays),
          `serving day ${d + 1}/${s.abDays} to arm ${a === 0 ? 'A' : 'B'}`,
        );
        const st = await serveRound(
          lws[a],
          choice,
          s.seed,
          AB_STREAMS,
          d,
          day,
          () => policies[a],
          (u) => arm[u] === a,
        );
        for (let u = 0; u < U; u++) {
          if (arm[u] !== a) continue;
          sessions[u] += st.userSessions[u];
          minutes[u] += st.userMinutes[u];
          welfare[u] += st.userExpected[u];
          clicks[u] += st.userClicks[u];
          clickbait[u] += st.userClickbait[u];
        }
        await opts.between?.();
      }
    }
    // Per-user values of the users with at least one session, by arm.
    const pick = (x: Float64Array, a: number) =>
      Float64Array.from(
        Array.from({ length: U }, (_, u) => u).filter((u) => arm[u] === a && sessions[u] > 0),
        (u) => x[u],
      );
    const result: AbResult = {
      settings: s,
      ab: s.ab,
      backend: tf.getBackend(),
      world: { videos: world.videos.count, users: U, startDay: LOOP_START_DAY, days: s.abDays },
      arms: [0, 1].map((a): AbArm => ({
        id: a === 0 ? 'A' : 'B',
        label: arms[a].label,
        ...(arms[a].note && { note: arms[a].note }),
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
    for (const m of [...candidates, ...rankers]) m.dispose();
  }
}
