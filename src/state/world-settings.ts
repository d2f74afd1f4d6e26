/**
 * The world's settings as the page holds them: the URL-hash table built from the world rows of
 * the parameter table (so the URL, the form and the command line share one set of ranges and
 * messages), the cross-field rule, and the validation of the form. Pure: no DOM, no store.
 */
import { ConfigError, WORLD_PARAMS, validateWorldConfig } from '../sim/config';
import type { WorldConfig } from '../sim/types';
import { ALWAYS_SET, WORLD_KEYS, WORLD_ROWS } from '../protocol/params';
import type { HashProblem, HashProp, HashTable } from './url-hash';

/** Every world setting's default, range and help line (re-exported for the form). */
export { WORLD_PARAMS, rangeMessage } from '../sim/config';
export { ALWAYS_SET, WORLD_KEYS };

/**
 * World settings as chosen by the user: seed and sizes always set; every other setting only
 * when chosen (else the generator's default, which for `splitDay` depends on `days`).
 */
export type WorldSettings = Partial<WorldConfig> & Pick<WorldConfig, (typeof ALWAYS_SET)[number]>;

/** One hash row for a world setting, validated by its row of the parameter table. */
function worldProp(key: keyof WorldConfig): HashProp<number> {
  const always = (ALWAYS_SET as readonly string[]).includes(key);
  return {
    always,
    // splitDay's default follows days (days − 7), so it has no fixed fallback.
    default: key === 'splitDay' ? undefined : WORLD_PARAMS[key].default,
    parse: WORLD_ROWS[key].parse,
    format: WORLD_ROWS[key].format,
  };
}

/** The URL-hash table of the world settings: `#seed=7&videos=20000&users=5000[&days=…]`. */
export const WORLD_HASH_TABLE: HashTable<WorldConfig> = Object.fromEntries(
  WORLD_KEYS.map((k) => [k, worldProp(k)]),
) as unknown as HashTable<WorldConfig>;

/** The default settings: seed 7, 20 000 videos, 5 000 users, the rest unset. */
export const DEFAULT_WORLD_SETTINGS: WorldSettings = {
  seed: WORLD_PARAMS.seed.default,
  videos: WORLD_PARAMS.videos.default,
  users: WORLD_PARAMS.users.default,
};

/**
 * Applies the cross-field rules of `validateWorldConfig` (splitDay < days): drops a field
 * they reject and reports it, until the settings pass. `where` ends the message (" in the URL").
 */
export function crossCheckWorld(
  settings: WorldSettings,
  where: string,
  fallback: boolean,
): { settings: WorldSettings; problems: HashProblem[] } {
  const out: WorldSettings = { ...settings };
  const problems: HashProblem[] = [];
  for (let i = 0; i < WORLD_KEYS.length; i++) {
    try {
      validateWorldConfig(out);
      break;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const key = e.field as keyof WorldConfig;
      problems.push({
        key,
        message: `${e.message}${where}${fallback ? '; using the default' : ''}`,
      });
      if ((ALWAYS_SET as readonly string[]).includes(key)) {
        (out as Record<string, number>)[key] = WORLD_PARAMS[key].default;
      } else delete out[key];
    }
  }
  return { settings: out, problems };
}

/** The form's text for every world setting ('' = unset, i.e. the default). */
export type WorldDraft = Record<keyof WorldConfig, string>;

/** The form's text for `settings`. */
export function draftFrom(settings: WorldSettings): WorldDraft {
  return Object.fromEntries(
    WORLD_KEYS.map((k) => [k, settings[k] === undefined ? '' : String(settings[k])]),
  ) as WorldDraft;
}

/**
 * Validates the form. A blank optional field means "default"; a blank seed or size is an
 * error. Returns the settings, or every problem found (each naming its field and range).
 */
export function validateWorldDraft(
  draft: Partial<WorldDraft>,
): { ok: true; settings: WorldSettings } | { ok: false; problems: HashProblem[] } {
  const values: Partial<WorldConfig> = {};
  const problems: HashProblem[] = [];
  for (const key of WORLD_KEYS) {
    const text = (draft[key] ?? '').trim();
    const always = (ALWAYS_SET as readonly string[]).includes(key);
    if (text === '' && !always) continue;
    try {
      values[key] = WORLD_ROWS[key].parse(text);
    } catch (e) {
      problems.push({ key, message: e instanceof Error ? e.message : String(e) });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const checked = crossCheckWorld(values as WorldSettings, '', false);
  if (checked.problems.length > 0) return { ok: false, problems: checked.problems };
  return { ok: true, settings: values as WorldSettings };
}
