/**
 * The one owner of the URL hash: reads and writes every table of knobs in it — the world, the
 * training knobs, serving (the Funnel view), the Sampled-softmax view's study, and the page's own
 * choices (the open tab, the user the views follow, the Embedding view's colour and layout) —
 * so a shared link rebuilds all of them. Pure functions of strings (no DOM, no store): they run
 * in Node tests.
 *
 * Reading never throws. A bad value is a problem naming the key and its range, and the key takes
 * its default; keys no table knows are ignored and listed in a quiet note; keys that would reach
 * an object's prototype (`__proto__`, `constructor`) are refused; values and keys quoted in a
 * message are cut to a few dozen characters.
 */
import {
  PAGE_PARAMS,
  SERVING_PARAMS,
  STUDY_PARAMS,
  TRAINING_KEYS,
  TRAINING_PARAMS,
  type PageSettings,
  type Param,
  type ServingSettings,
  type StudySettings,
  type TrainingParams,
} from '../protocol/params';
import {
  FORBIDDEN_KEYS,
  cut,
  parseHash,
  serializeHash,
  type HashProblem,
  type HashTable,
} from './url-hash';
import { WORLD_HASH_TABLE, crossCheckWorld, type WorldSettings } from './world-settings';

/** Everything the URL holds: the world's settings, and the knobs of the other tables that were set. */
export interface UrlState {
  world: WorldSettings;
  training: Partial<TrainingParams>;
  serving: Partial<ServingSettings>;
  study: Partial<StudySettings>;
  page: Partial<PageSettings>;
}

/** Which table a problem of the URL belongs to (where the page shows it). */
export type UrlTable = keyof UrlState;

/** A bad value of the URL, with the table it belongs to. */
export interface UrlProblem extends HashProblem {
  table: UrlTable;
}

/** What {@link readUrl} found. */
export interface ReadUrl {
  state: UrlState;
  /** Bad values (each named with its range and the default used), and refused keys. */
  problems: UrlProblem[];
  /** Keys no table knows, ignored (for a quiet note); cut to a few dozen characters each. */
  unknown: string[];
}

/** A hash table of rows written only when set. */
function optional<T>(rows: { readonly [K in keyof T]: Param<T[K]> }): HashTable<T> {
  return Object.fromEntries(
    Object.entries(rows).map(([k, row]) => {
      const r = row as Param<unknown>;
      return [k, { always: false, default: r.default, parse: r.parse, format: r.format }];
    }),
  ) as unknown as HashTable<T>;
}

/** The hash tables after the world's, in writing order. */
const TABLES = {
  training: optional<TrainingParams>(TRAINING_PARAMS),
  serving: optional<ServingSettings>(SERVING_PARAMS),
  study: optional<StudySettings>(STUDY_PARAMS),
  page: optional<PageSettings>(PAGE_PARAMS),
};

/** Every key of every table. */
export const URL_KEYS: readonly string[] = [
  ...Object.keys(WORLD_HASH_TABLE),
  ...TRAINING_KEYS,
  ...Object.keys(SERVING_PARAMS),
  ...Object.keys(STUDY_PARAMS),
  ...Object.keys(PAGE_PARAMS),
];

/** Reads the whole hash (with or without its leading '#'). Never throws. */
export function readUrl(hash: string): ReadUrl {
  const problems: UrlProblem[] = [];
  const unknown: string[] = [];
  const world = parseHash(hash, WORLD_HASH_TABLE, { otherKeys: URL_KEYS });
  for (const p of world.problems) {
    if (Object.hasOwn(WORLD_HASH_TABLE, p.key)) problems.push({ ...p, table: 'world' });
    else if (FORBIDDEN_KEYS.includes(p.key)) problems.push({ ...p, table: 'page' });
    else unknown.push(p.key);
  }
  const checked = crossCheckWorld(world.values as WorldSettings, ' in the URL', true);
  problems.push(...checked.problems.map((p) => ({ ...p, table: 'world' as const })));
  const read = <T>(table: UrlTable, t: HashTable<T>): Partial<T> => {
    const r = parseHash(hash, t, { ignoreUnknown: true });
    problems.push(...r.problems.map((p) => ({ ...p, table })));
    return r.values;
  };
  return {
    state: {
      world: checked.settings,
      training: read('training', TABLES.training),
      serving: read('serving', TABLES.serving),
      study: read('study', TABLES.study),
      page: read('page', TABLES.page),
    },
    problems,
    unknown,
  };
}

/**
 * The hash (without '#') that reproduces `state`: the world's seed and sizes always, then
 * every other knob that was set, table by table in table order. The World tab is the default
 * view and is not written.
 */
export function writeUrl(state: UrlState): string {
  const page = { ...state.page };
  if (page.view === 'world') delete page.view;
  return [
    serializeHash(state.world, WORLD_HASH_TABLE),
    serializeHash(state.training, TABLES.training),
    serializeHash(state.serving, TABLES.serving),
    serializeHash(state.study, TABLES.study),
    serializeHash(page, TABLES.page),
  ]
    .filter(Boolean)
    .join('&');
}

/** The quiet note for ignored keys ("" when there are none). */
export function unknownNote(unknown: readonly string[]): string {
  if (unknown.length === 0) return '';
  const shown = unknown.slice(0, 5).map((k) => `"${cut(k)}"`);
  const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : '';
  return `Ignored ${unknown.length === 1 ? 'a setting' : 'settings'} of the URL that this page does not know: ${shown.join(', ')}${more}.`;
}

export { FORBIDDEN_KEYS };
