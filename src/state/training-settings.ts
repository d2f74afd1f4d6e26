/**
 * The training hyperparameters as the page holds them: the URL-hash table built from the
 * worker's parameter table (`TRAINING_PARAMS`: one set of defaults, ranges and messages for
 * the URL, the form and the worker), the view in the URL, and the whole hash of the app
 * (world settings, then training settings, then the view). Pure: no DOM, no store.
 *
 * Only the training settings that were *set* (in the URL or by a control) are written, so a
 * default run's URL is just the world's `seed=7&videos=20000&users=5000`.
 */
import {
  DEFAULT_TRAINING_PARAMS,
  FEATURE_NAMES,
  LIVE_KEYS,
  STRUCTURAL_KEYS,
  TRAINING_KEYS,
  TRAINING_PARAMS,
  changedKeys,
  type TrainingParamSpec,
} from '../worker/training-params';
import type { TrainingParams } from '../protocol';
import { parseHash, serializeHash, type HashProblem, type HashTable } from './url-hash';
import { worldHash, type WorldSettings } from './world-settings';
import { FUNNEL_KEYS, funnelHash, type FunnelSettings } from './funnel-settings';

export {
  DEFAULT_TRAINING_PARAMS,
  FEATURE_NAMES,
  LIVE_KEYS,
  STRUCTURAL_KEYS,
  TRAINING_KEYS,
  TRAINING_PARAMS,
  changedKeys,
  type TrainingParamSpec,
};

/** Training settings as chosen: only the keys that were set. */
export type TrainingSettings = Partial<TrainingParams>;

/** The URL-hash table of the training settings (never written unless set). */
export const TRAINING_HASH_TABLE: HashTable<TrainingParams> = Object.fromEntries(
  TRAINING_KEYS.map((k) => {
    const spec = TRAINING_PARAMS[k] as TrainingParamSpec<unknown>;
    return [k, { always: false, default: spec.default, parse: spec.parse, format: spec.format }];
  }),
) as unknown as HashTable<TrainingParams>;

/** Which view is shown. */
export type View = 'world' | 'training' | 'projection' | 'softmax' | 'funnel' | 'watchtime';

/** The views, in tab order. */
export const VIEWS: readonly View[] = [
  'world',
  'training',
  'projection',
  'softmax',
  'funnel',
  'watchtime',
];

interface ViewState {
  view: View;
}

/** The URL-hash table of the view (`view=training`; the World view is the default and unwritten). */
export const VIEW_HASH_TABLE: HashTable<ViewState> = {
  view: {
    always: false,
    default: 'world',
    parse(raw) {
      if (!(VIEWS as readonly string[]).includes(raw)) {
        throw new Error(`view must be one of ${VIEWS.join(', ')} (got ${JSON.stringify(raw)})`);
      }
      return raw as View;
    },
    format: (v) => v,
  },
};

/** Every hash key that is not a world setting (so the world reader does not call them unknown). */
export const NON_WORLD_KEYS: readonly string[] = [...TRAINING_KEYS, 'view', ...FUNNEL_KEYS];

/** The effective parameters: the defaults overlaid with what was set. */
export function effectiveParams(set: TrainingSettings): TrainingParams {
  return {
    ...DEFAULT_TRAINING_PARAMS,
    ...set,
    features: { ...(set.features ?? DEFAULT_TRAINING_PARAMS.features) },
  };
}

/**
 * Reads the training settings and the view from a URL hash. Never throws: a bad value is
 * reported (naming the key and its range) and its default used; unknown keys are left to the
 * world reader.
 */
export function readTrainingHash(hash: string): {
  settings: TrainingSettings;
  view: View;
  problems: HashProblem[];
} {
  const training = parseHash(hash, TRAINING_HASH_TABLE, { ignoreUnknown: true });
  const view = parseHash(hash, VIEW_HASH_TABLE, { ignoreUnknown: true });
  return {
    settings: training.values,
    view: view.values.view ?? 'world',
    problems: [...training.problems, ...view.problems],
  };
}

/** The training part of the hash (without '#'): only the keys that were set. */
export function trainingHash(settings: TrainingSettings): string {
  return serializeHash(settings, TRAINING_HASH_TABLE);
}

/**
 * The whole hash of the app: world settings, set training settings, the view if not World,
 * then the set funnel settings.
 */
export function appHash(
  world: WorldSettings,
  training: TrainingSettings,
  view: View,
  funnel: Partial<FunnelSettings> = {},
): string {
  return [
    worldHash(world),
    trainingHash(training),
    view === 'world' ? '' : serializeHash({ view }, VIEW_HASH_TABLE),
    funnelHash(funnel),
  ]
    .filter(Boolean)
    .join('&');
}

/**
 * Validates the text of one control (a number box). Returns the value, or the message naming
 * the key and its range.
 */
export function parseTrainingField<K extends keyof TrainingParams>(
  key: K,
  text: string,
): { ok: true; value: TrainingParams[K] } | { ok: false; message: string } {
  try {
    return {
      ok: true,
      value: (TRAINING_PARAMS[key] as TrainingParamSpec<TrainingParams[K]>).parse(text.trim()),
    };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/** The text a control shows for a value. */
export function formatTrainingValue<K extends keyof TrainingParams>(
  key: K,
  value: TrainingParams[K],
): string {
  return (TRAINING_PARAMS[key] as TrainingParamSpec<TrainingParams[K]>).format(value);
}
