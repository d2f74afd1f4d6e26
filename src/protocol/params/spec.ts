/**
 * The shape of one row of the parameter table, and the builders every row is made with. A row
 * says everything the app needs to know of one knob: its key (the URL key, and the command-line
 * flag unless it names another), kind, range, default, help, whether it is live (applies from
 * the next step) and which config field it sets. The URL, the forms, the worker's validation,
 * the live update and the command-line flags are all generated from rows, so a knob is added
 * by adding a row (docs/architecture.md#add-a-knob).
 *
 * Pure TypeScript: no tfjs, no DOM. A bad value is a {@link ConfigError} naming the key and the
 * allowed range, so the command line, the URL, the forms and the worker reject it in the same
 * words ("negatives must be an integer from 1 to 8192 (got "0")").
 */
import { ConfigError } from '../../sim/config';
import type { CandidateConfig } from '../../model/candidate/config';
import type { RankingConfig } from '../../model/ranking/config';

export { ConfigError };

/** How a knob is edited: a number box, a menu, a checkbox, a set of checkboxes, a list. */
export type ParamKind = 'int' | 'number' | 'enum' | 'bool' | 'set' | 'ints';

/**
 * The config field a knob sets, in the candidate model's {@link CandidateConfig} and/or the
 * ranker's {@link RankingConfig}; `as` maps the knob's value to the field's (e.g. the
 * weighting `'weighted'` to `weighted: true`), identity when absent.
 */
export interface ParamTarget<V> {
  candidate?: keyof CandidateConfig;
  ranking?: keyof RankingConfig;
  as?(value: V): unknown;
}

/** One knob. `parse(format(v))` gives `v` back for every allowed `v`. */
export interface Param<V> {
  /** The key: in the URL hash, the settings objects and the messages. */
  key: string;
  kind: ParamKind;
  default: V;
  /** Applies from the next training step (true) or needs a reset that rebuilds the models. */
  live: boolean;
  /** Short label for the form. */
  label: string;
  /** One line for tooltips and `--help`. */
  help: string;
  /** The allowed values in words, e.g. "an integer from 1 to 8192". */
  range: string;
  /** Inclusive bounds of a numeric knob. */
  min?: number;
  max?: number;
  /** The choices of a menu or a set, in display order. */
  options?: readonly string[];
  /**
   * The command-line flag without its dashes (`logq` for `--logq` / `--no-logq`); absent: the
   * key in kebab case; `null`: not on the command line.
   */
  flag?: string | null;
  /** The config field(s) it sets (training knobs). */
  sets?: ParamTarget<V>;
  /** Reads text (the URL, a form field, a flag); throws a ConfigError naming the key and range. */
  parse(raw: string): V;
  /** Text for the URL, a form field or a flag. */
  format(value: V): string;
}

/** A table: one row per key, the row's `key` equal to its property name. */
export type ParamTable<T> = { readonly [K in keyof T]: Param<T[K]> };

/** The values of a table's knobs. */
export type ValuesOf<P> = { -readonly [K in keyof P]: P[K] extends Param<infer V> ? V : never };

/** What every builder takes besides the kind's own options. */
interface Common<V> {
  default: V;
  live: boolean;
  label: string;
  help: string;
  flag?: string | null;
  sets?: ParamTarget<V>;
}

/** Longest raw value a message quotes; the rest is cut (a URL value may be any length). */
export const MAX_QUOTED = 40;

/** ` (got "…")`, the raw value cut to {@link MAX_QUOTED} characters. */
export function got(raw: string): string {
  const cut =
    raw.length > MAX_QUOTED ? `${raw.slice(0, MAX_QUOTED)}… (${raw.length} characters)` : raw;
  return ` (got ${JSON.stringify(cut)})`;
}

/** A number knob, integer or not, with inclusive bounds. */
export function numeric(
  key: string,
  o: Common<number> & { min: number; max: number; integer: boolean },
): Param<number> {
  const range = `${o.integer ? 'an integer' : 'a number'} from ${o.min} to ${o.max}`;
  const { min, max, integer, ...common } = o;
  return {
    key,
    kind: integer ? 'int' : 'number',
    ...common,
    range,
    min,
    max,
    parse(raw) {
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
        throw new ConfigError(key, `${key} must be ${range}${got(raw)}`);
      return n;
    },
    format: (v) => String(v),
  };
}

/** A menu of strings. */
export function choice<V extends string>(
  key: string,
  options: readonly V[],
  o: Common<V>,
): Param<V> {
  const range = `one of ${options.join(', ')}`;
  return {
    key,
    kind: 'enum',
    ...o,
    range,
    options,
    parse(raw) {
      if (!(options as readonly string[]).includes(raw))
        throw new ConfigError(key, `${key} must be ${range}${got(raw)}`);
      return raw as V;
    },
    format: (v) => v,
  };
}

/** A menu of integers (e.g. the funnel's N): written and read as numbers. */
export function intChoice(
  key: string,
  options: readonly number[],
  o: Common<number>,
): Param<number> {
  const range = `one of ${options.join(', ')}`;
  return {
    key,
    kind: 'enum',
    ...o,
    range,
    options: options.map(String),
    parse(raw) {
      const n = Number(raw);
      if (raw.trim() === '' || !options.includes(n))
        throw new ConfigError(key, `${key} must be ${range}${got(raw)}`);
      return n;
    },
    format: (v) => String(v),
  };
}

/** On or off (`on`/`off`, `true`/`false`, `1`/`0`). */
export function flag(key: string, o: Common<boolean>): Param<boolean> {
  const range = 'on or off';
  return {
    key,
    kind: 'bool',
    ...o,
    range,
    parse(raw) {
      const t = raw.trim().toLowerCase();
      if (t === 'on' || t === 'true' || t === '1') return true;
      if (t === 'off' || t === 'false' || t === '0') return false;
      throw new ConfigError(key, `${key} must be ${range}${got(raw)}`);
    },
    format: (v) => (v ? 'on' : 'off'),
  };
}

/**
 * A set of named switches written as a comma list (`searches,exampleAge`) or `none`; the value
 * is a record of booleans, one per option.
 */
export function switches<N extends string>(
  key: string,
  options: readonly N[],
  o: Common<Record<N, boolean>>,
): Param<Record<N, boolean>> {
  const range = `a comma list of ${options.join(', ')}, or none`;
  return {
    key,
    kind: 'set',
    ...o,
    range,
    options,
    parse(raw) {
      const parts = raw
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      const out = Object.fromEntries(options.map((n) => [n, false])) as Record<N, boolean>;
      if (parts.length === 1 && parts[0] === 'none') return out;
      if (parts.length === 0) throw new ConfigError(key, `${key} must be ${range}${got(raw)}`);
      for (const p of parts) {
        if (!(options as readonly string[]).includes(p))
          throw new ConfigError(key, `${key} must be ${range}${got(raw)}`);
        out[p as N] = true;
      }
      return out;
    },
    format: (v) => options.filter((n) => v[n]).join(',') || 'none',
  };
}

/** A comma list of integers in [min, max], at most `maxLength` of them (e.g. layer widths). */
export function intList(
  key: string,
  o: Common<number[]> & { min: number; max: number; maxLength: number },
): Param<number[]> {
  const { min, max, maxLength, ...common } = o;
  const range = `a comma list of up to ${maxLength} integers from ${min} to ${max}, or none`;
  return {
    key,
    kind: 'ints',
    ...common,
    range,
    min,
    max,
    parse(raw) {
      const t = raw.trim();
      if (t === 'none') return [];
      const parts = t.split(',').map((p) => p.trim());
      const out = parts.map(Number);
      if (
        t === '' ||
        out.length > maxLength ||
        parts.some((p) => p === '') ||
        out.some((n) => !Number.isInteger(n) || n < min || n > max)
      )
        throw new ConfigError(key, `${key} must be ${range}${got(raw)}`);
      return out;
    },
    format: (v) => (v.length ? v.join(',') : 'none'),
  };
}

/** The command-line flag of a row (without dashes), or null when it has none. */
export function flagOf(row: Param<unknown>): string | null {
  if (row.flag === null) return null;
  return row.flag ?? row.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** True when two values of a row are the same (compared by their text). */
export function sameValue<V>(row: Param<V>, a: V, b: V): boolean {
  return row.format(a) === row.format(b);
}

/**
 * A deep copy of a plain value (numbers, strings, booleans, arrays, plain records): knob values
 * and model configs. (`structuredClone` is not in the shared code's library.)
 */
export function clonePlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clonePlain(v)])) as T;
  return value;
}

/** A value that arrived as data, for a message: `"64"` for text, else its JSON (cut). */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') return `the text ${got(value).slice(6, -1)}`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

/**
 * True when `value` has the type of the row's values: a number for numeric rows and menus of
 * numbers, a string for menus of strings, a boolean for switches, a record of booleans over
 * exactly the row's options for sets, an array of numbers for lists.
 */
function hasRowType(row: Param<unknown>, value: unknown): boolean {
  switch (row.kind) {
    case 'int':
    case 'number':
      return typeof value === 'number';
    case 'enum':
      return typeof value === typeof row.default;
    case 'bool':
      return typeof value === 'boolean';
    case 'set': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
      const keys = Object.keys(value);
      const options = row.options ?? [];
      return (
        keys.length === options.length &&
        options.every(
          (o) =>
            Object.hasOwn(value, o) && typeof (value as Record<string, unknown>)[o] === 'boolean',
        )
      );
    }
    case 'ints':
      return Array.isArray(value) && value.every((n) => typeof n === 'number');
  }
}

/**
 * Checks a value that arrived as data (a worker message, a run file, a lesson) against its
 * row: null when allowed, else the message naming the key and the range. A value of the wrong
 * type is refused as such (`negatives: '64'`, `logQ: 'no'`, `features: null`: "negatives must
 * be an integer from 1 to 8192 (got the text "64")"); a value of the right type is re-read
 * from its own text, so the row's range applies.
 */
export function checkValue<V>(row: Param<V>, value: unknown): string | null {
  if (value === undefined) return `${row.key} is missing`;
  if (!hasRowType(row as Param<unknown>, value))
    return `${row.key} must be ${row.range} (got ${shownValue(value)})`;
  try {
    row.parse(row.format(value as V));
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
