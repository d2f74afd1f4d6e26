/**
 * What the Feedback loop tab needs of the loop's settings and results (src/protocol/loop), for
 * the UI, which reaches the protocol only through src/state.
 */
export {
  AB_METRICS,
  ROUND_METRICS,
  type AbResult,
  type LoopResult,
  type RoundMetricKey,
  type RoundMetrics,
} from '../protocol/loop/result';
export {
  LOOP_PARAMS,
  LOOP_START_DAY,
  POLICY_HELP,
  POLICY_IDS,
  POLICY_LABELS,
  checkLoopSettings,
  defaultLoopSettings,
  type LoopSettings,
  type PolicyId,
} from '../protocol/loop/settings';
export {
  AB_PARAMS,
  AB_PRESETS,
  AB_PRESET_LABELS,
  RUN_PREFIX,
  abArmRefs,
  armLessons,
  armRefText,
  checkAbSettings,
  defaultAbSettings,
  type AbPreset,
  type AbRunArm,
  type AbSettings,
} from '../protocol/loop/ab-settings';
export { runArmFromFile } from '../protocol/loop/ab-run';
export { offlineVsOnline } from '../protocol/loop/ab-compare';
export type { Param } from '../protocol/params/spec';
export type { LoopWorkerToPage, PageToLoopWorker } from '../protocol/loop/messages';
