/**
 * The simulated A/B test's types (docs/loop.md#the-ab-test): its settings, its arm references
 * and a run of the user's as an arm. A leaf of src/protocol (it imports only a type of the
 * parameter table), so the loop's result (result.ts), the lesson specs (../lessons/spec.ts,
 * which read the loop's `RoundMetrics`) and the A/B's settings (ab-settings.ts, which reads the
 * lessons) import no circle. Pure types: no tfjs, no DOM.
 */
import type { TrainingParams } from '../params/training';

/**
 * An arm as the A/B choice names it: a lesson variant (`lesson` and `variant` ids of `LESSONS`)
 * or a run of the user's (`run`: the name of one of the settings' `runs`).
 */
export type AbArmRef = { lesson: string; variant: string } | { run: string };

/**
 * A training run of the user's as an arm (docs/loop.md#a-run-as-an-arm): the knobs of a run
 * file (saved, or kept in the browser) or of the Training tab's run. The arm is these knobs
 * retrained in the A/B test's world for the A/B's `steps`, exactly as a lesson variant's arm is;
 * the run's own weights are not served (they were trained on another world and split day).
 */
export interface AbRunArm {
  /** The name the A/B choice calls it by (`run:<name>`): a file's name, `current`, … No comma. */
  name: string;
  /** Every training knob of the run (checked against the parameter table). */
  params: TrainingParams;
  /** The world settings the run was trained on (seed, videos, users, …), shown beside the arm. */
  world: Record<string, number>;
  /** Steps the run had taken (shown; the arm trains the A/B's `steps`). */
  step: number;
}

/** One arm: its label and every training knob of its models. */
export interface AbArmSpec {
  label: string;
  params: TrainingParams;
  /** `<lesson>:<variant>` or `run:<name>` when the arm is a lesson variant or a run. */
  ref?: string;
  /** A run arm's origin in words: the world it was trained on and its step; retrained here. */
  note?: string;
}

/** Settings of the A/B test (the shared ones are the loop's: seed, videos, steps, …). */
export interface AbSettings {
  seed: number;
  /** A preset or two arms, as {@link parseAb} returns it. */
  ab: string;
  abDays: number;
  abUsers: number;
  videos: number;
  steps: number;
  positionBias: number;
  retrieve: number;
  evalExamples: number;
  /** The user's runs that `run:<name>` arms name (absent or empty when no arm is a run). */
  runs?: AbRunArm[];
}
