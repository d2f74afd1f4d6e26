/**
 * Settings in the URL hash, driven by one declarative table (the idea of TensorFlow
 * Playground's `state.ts`): each row says how to read and write one property, and the same
 * table both parses `#seed=7&videos=20000&users=5000` and writes it back. Pure functions of
 * strings, so they run in Node tests.
 *
 * A bad value never throws out of here: it becomes a {@link HashProblem} (a message naming
 * the property and its allowed range) and the property falls back to its default.
 */

/** How one property is read from and written to the hash. */
export interface HashProp<V> {
  /**
   * Written even when the settings leave it unset (then as `default`), so that a shared link
   * always shows it; the seed and the sizes are. Requires `default`.
   */
  always: boolean;
  /** Value used when the property is absent or invalid; undefined = "leave it unset". */
  default?: V;
  /** Parses the raw (already URL-decoded) text; throws an Error naming the key and range. */
  parse(raw: string): V;
  /** Text written to the hash. `parse(format(v))` gives `v` back. */
  format(value: V): string;
}

/** The table: one row per property, keyed by the property's name in the settings and the hash. */
export type HashTable<S> = { readonly [K in keyof S]-?: HashProp<NonNullable<S[K]>> };

/** One rejected hash entry: which key, and why (naming the allowed range and the fallback). */
export interface HashProblem {
  key: string;
  message: string;
}

/** What {@link parseHash} found: the valid values (keys in table order) and the problems. */
export interface ParsedHash<S> {
  values: Partial<S>;
  problems: HashProblem[];
}

/**
 * Several tables share one hash (world settings, training settings, the view): each reader
 * names the keys that belong to the others, so that only truly unknown keys are reported —
 * by one reader; the others pass `ignoreUnknown`.
 */
export interface HashReadOptions {
  /** Keys read by another table: neither read nor reported here. */
  otherKeys?: readonly string[];
  /** Report no unknown key at all (another reader does). */
  ignoreUnknown?: boolean;
}

/** Keys that would reach an object's prototype: never read, always refused. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Longest key a message quotes; a longer one is cut. */
const MAX_KEY = 40;

/** `key` cut to {@link MAX_KEY} characters. */
export function cut(key: string): string {
  return key.length > MAX_KEY ? `${key.slice(0, MAX_KEY)}… (${key.length} characters)` : key;
}

/** Strips a leading '#' and splits into URL-decoded key/value pairs (last one wins). */
function entries(hash: string): Map<string, string> {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const out = new Map<string, string>();
  for (const [k, v] of params) out.set(k, v);
  return out;
}

/**
 * Reads `hash` (with or without its leading '#') through `table`. Every key of the table
 * that is present and valid lands in `values`; an `always` key that is absent or invalid gets
 * its default; an invalid one is reported in `problems` with the fallback named; keys the
 * table does not know are reported and ignored.
 */
export function parseHash<S>(
  hash: string,
  table: HashTable<S>,
  options: HashReadOptions = {},
): ParsedHash<S> {
  const raw = entries(hash);
  const values: Partial<S> = {};
  const problems: HashProblem[] = [];
  for (const key of Object.keys(table) as (keyof S & string)[]) {
    const prop = table[key] as HashProp<unknown>;
    const text = raw.get(key);
    if (FORBIDDEN_KEYS.includes(key)) continue;
    let value: unknown = undefined;
    if (text !== undefined) {
      try {
        value = prop.parse(text);
      } catch (e) {
        const fallback =
          prop.default === undefined
            ? 'using the default'
            : `using the default ${prop.format(prop.default)}`;
        problems.push({ key, message: `${errorText(e)} in the URL; ${fallback}` });
      }
    }
    if (value === undefined && prop.always) value = prop.default;
    if (value !== undefined) values[key] = value as S[typeof key];
  }
  if (options.ignoreUnknown) return { values, problems };
  const others = options.otherKeys ?? [];
  for (const key of raw.keys()) {
    if (Object.hasOwn(table, key) || others.includes(key)) continue;
    problems.push({
      key: cut(key),
      message: FORBIDDEN_KEYS.includes(key)
        ? `the URL key "${key}" is refused`
        : `unknown setting "${cut(key)}" in the URL, ignored`,
    });
  }
  return { values, problems };
}

/**
 * Writes `values` as a hash string without the leading '#': every `always` key (its default
 * when unset) and every other key that is set, in table order. Keys not in the table are
 * left out.
 */
export function serializeHash<S>(values: Partial<S>, table: HashTable<S>): string {
  const parts: string[] = [];
  for (const key of Object.keys(table) as (keyof S & string)[]) {
    const prop = table[key] as HashProp<unknown>;
    const value = values[key] ?? (prop.always ? prop.default : undefined);
    if (value === undefined) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(prop.format(value))}`);
  }
  return parts.join('&');
}

/** The message of a thrown value. */
function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
