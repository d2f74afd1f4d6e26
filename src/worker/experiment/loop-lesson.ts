/**
 * A closed-loop lesson's experiment (docs/lessons.md#the-feedback-loop): the experiment runner
 * hands a spec with `base.loop` here. One world is built for the lesson; each repeat r runs the
 * whole loop (src/worker/loop/runner.ts `runLoop`) on it with the variants' policies, the
 * training seed and the draws of `repeatSeed(seed, r)`: within a repeat every policy serves the
 * same users at the same times and the model policies start from the same trained state
 * (paired); between repeats the initial weights, the batches, the visits and the clicks change.
 * Each policy's rounds become a `RunRecord`: its curve has one point per round (step = round),
 * its final values are the means over the later half of the rounds (`lateRounds`), so the
 * page's table, the verdicts and `npm run lesson` work as for every other lesson.
 */
import * as tf from '@tensorflow/tfjs';
import {
  POLICY_IDS,
  checkLoopSettings,
  type LoopSettings,
  type PolicyId,
} from '../../protocol/loop/settings';
import type { RoundMetrics } from '../../protocol/loop/result';
import {
  lateRounds,
  repeatSeed,
  roundField,
  type LessonSpec,
  type MetricId,
} from '../../protocol/lessons/spec';
import type {
  CurvePoint,
  ExperimentResult,
  MetricValues,
  RunRecord,
} from '../../protocol/lessons/summary';
import { generateWorld } from '../../sim/world';
import { loopWorldSettings, runLoop } from '../loop/runner';
import type { RunOptions } from './options';

/** One round's values of the lesson's metrics. */
export function roundValues(metrics: readonly MetricId[], m: RoundMetrics): MetricValues {
  const out: MetricValues = {};
  for (const id of metrics) {
    const field = roundField(id);
    const x = field ? m[field] : null;
    if (typeof x === 'number' && Number.isFinite(x)) out[id] = x;
  }
  return out;
}

/**
 * A run's value of each metric: the mean over the curve's points of rounds
 * `lateRounds(rounds)` (points without the metric, e.g. homogenisation with fewer than two
 * watching users, are left out; absent when none has it).
 */
export function lateMeans(
  metrics: readonly MetricId[],
  curve: readonly CurvePoint[],
  rounds: number,
): MetricValues {
  const { from, to } = lateRounds(rounds);
  const out: MetricValues = {};
  for (const id of metrics) {
    const xs = curve
      .filter((p) => p.step >= from && p.step <= to)
      .map((p) => p.values[id])
      .filter((x): x is number => x !== undefined);
    if (xs.length) out[id] = xs.reduce((s, x) => s + x, 0) / xs.length;
  }
  return out;
}

/** The loop settings of a loop lesson for a seed, its rounds and the variants run. */
export function loopLessonSettings(
  spec: LessonSpec,
  seed: number,
  rounds: number,
  variants: readonly { policy?: PolicyId }[],
): LoopSettings {
  const loop = spec.base.loop;
  if (!loop) throw new Error(`lesson ${spec.id} is not a loop lesson`);
  const on = new Set(variants.map((v) => v.policy));
  const policies = Object.fromEntries(POLICY_IDS.map((p) => [p, on.has(p)])) as Record<
    PolicyId,
    boolean
  >;
  return checkLoopSettings({ ...loop, seed, rounds, policies });
}

/** Runs a loop lesson (see the module comment); the spec was checked by the caller. */
export async function runLoopExperiment(
  spec: LessonSpec,
  opts: RunOptions = {},
): Promise<ExperimentResult> {
  const now = opts.now ?? (() => performance.now());
  const seed = opts.seed ?? 7;
  const rounds = opts.steps ?? spec.base.steps;
  const repeats = opts.repeats ?? spec.repeats;
  const variants = spec.variants.filter((v) =>
    opts.variants ? opts.variants.includes(v.id) : !v.optional,
  );
  const settings = loopLessonSettings(spec, seed, rounds, variants);
  const t0 = now();
  const world =
    opts.world ?? generateWorld(loopWorldSettings(seed, settings.videos, settings.users));
  const worldSeconds = (now() - t0) / 1000;
  const runs: RunRecord[] = [];
  const total = repeats * variants.length;
  let interestHomogenisation = NaN;
  let historyWatches = 0;
  for (let r = 0; r < repeats; r++) {
    const trainSeed = repeatSeed(seed, r);
    const curves = new Map<string, CurvePoint[]>(variants.map((v) => [v.id, []]));
    const seconds = new Map<string, number>(variants.map((v) => [v.id, 0]));
    const runsDone = runs.length;
    const result = await runLoop(settings, {
      world,
      trainSeed,
      drawSeed: trainSeed,
      recall: false,
      signal: opts.signal,
      between: opts.between,
      now,
      onRound(policy, m) {
        const v = variants.find((x) => x.policy === policy);
        if (!v) return;
        const point: CurvePoint = { step: m.round, values: roundValues(spec.metrics, m) };
        curves.get(v.id)!.push(point);
        seconds.set(v.id, seconds.get(v.id)! + m.seconds);
        opts.onProgress?.({
          variant: v.id,
          repeat: r,
          step: m.round,
          steps: rounds,
          runsDone,
          runs: total,
          point,
        });
      },
    });
    interestHomogenisation = result.world.interestHomogenisation;
    historyWatches = result.world.historyWatches;
    variants.forEach((v, i) => {
      const curve = curves.get(v.id)!;
      const rec: RunRecord = {
        variant: v.id,
        repeat: r,
        trainSeed,
        seconds: seconds.get(v.id)!,
        curve,
        final: lateMeans(spec.metrics, curve, rounds),
      };
      runs.push(rec);
      opts.onProgress?.({
        variant: v.id,
        repeat: r,
        step: rounds,
        steps: rounds,
        runsDone: runsDone + i,
        runs: total,
        finished: rec,
      });
    });
  }
  return {
    lesson: spec.id,
    seed,
    backend: tf.getBackend(),
    world: { videos: world.videos.count, users: world.users.count, watches: historyWatches },
    steps: rounds,
    repeats,
    evalExamples: 0,
    rankPages: 0,
    worldSeconds,
    seconds: (now() - t0) / 1000,
    runs,
    interestHomogenisation,
  };
}
