/**
 * The training knobs as the page holds them: the settings that were *set* (in the URL or by a
 * control) over the defaults of the parameter table, and the checks of a control's text. Pure:
 * no DOM, no store. The URL is read and written by `url.ts`; only the knobs that were set are
 * written, so a default run's URL is just the world's `seed=7&videos=20000&users=5000`.
 */
import {
  DEFAULT_TRAINING_PARAMS,
  FEATURE_NAMES,
  LIVE_KEYS,
  STRUCTURAL_KEYS,
  TRAINING_KEYS,
  TRAINING_PARAMS,
  VIEWS,
  changedKeys,
  clonePlain,
  trainingRow,
  type Param,
  type TrainingGroup,
  type TrainingKey,
  type TrainingParams,
  type View,
} from '../protocol/params';

export {
  DEFAULT_TRAINING_PARAMS,
  FEATURE_NAMES,
  LIVE_KEYS,
  STRUCTURAL_KEYS,
  TRAINING_KEYS,
  TRAINING_PARAMS,
  VIEWS,
  changedKeys,
  trainingRow,
  type Param,
  type TrainingGroup,
  type TrainingKey,
  type View,
};

/** Training settings as chosen: only the keys that were set. */
export type TrainingSettings = Partial<TrainingParams>;

/** The effective parameters: the defaults overlaid with what was set (deep copies). */
export function effectiveParams(set: TrainingSettings): TrainingParams {
  return clonePlain({ ...DEFAULT_TRAINING_PARAMS, ...set });
}

/**
 * Validates the text of one control (a number box). Returns the value, or the message naming
 * the key and its range.
 */
export function parseTrainingField<K extends TrainingKey>(
  key: K,
  text: string,
): { ok: true; value: TrainingParams[K] } | { ok: false; message: string } {
  try {
    return { ok: true, value: trainingRow(key).parse(text.trim()) as TrainingParams[K] };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/** The text a control shows for a value. */
export function formatTrainingValue<K extends TrainingKey>(
  key: K,
  value: TrainingParams[K],
): string {
  return trainingRow(key).format(value);
}
