/**
 * Command-line flags generated from rows of the parameter table: each row with a flag is
 * `--<flag> <value>` (booleans also `--<flag>` and `--no-<flag>`), parsed and checked by the
 * row itself, so a bad value is refused in the same words as in the page ("negatives must be an
 * integer from 1 to 8192 (got "0")"). `--help` text comes from the rows' ranges and help lines.
 */
import { constants } from 'node:buffer';
import { totalmem } from 'node:os';
import { ConfigError, flagOf, got, type Param } from '../src/protocol/params';
import { formatBytes, type SizeLimits } from '../src/sim/size-estimate';

/** Exit code of a command-line mistake (a bad flag or value): nothing was run. */
export const USAGE_EXIT = 2;

/** A named list of rows (one section of `--help`). */
export interface FlagSection {
  title: string;
  rows: readonly Param<unknown>[];
}

/** Every flag name (without dashes) of the sections. */
export function flagNames(sections: readonly FlagSection[]): string[] {
  return sections.flatMap((s) => s.rows.map(flagOf).filter((f): f is string => f !== null));
}

/**
 * Reads the flags of one section's rows from `flags` (as `parseArgs` gives them). Returns the
 * values of the flags present, by row key. Throws a ConfigError naming the flag and its range.
 */
export function readFlags(
  flags: Record<string, string | boolean>,
  rows: readonly Param<unknown>[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const row of rows) {
    const name = flagOf(row);
    if (name === null || !Object.hasOwn(flags, name)) continue;
    const v = flags[name];
    if (typeof v === 'boolean') {
      if (row.kind !== 'bool') throw new ConfigError(name, `--${name} needs a value: ${row.range}`);
      out[row.key] = v;
      continue;
    }
    try {
      out[row.key] = row.parse(v);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new ConfigError(name, `--${name}: ${message}`);
    }
  }
  return out;
}

/** Refuses a flag that no section (nor `extra`) knows, naming it. */
export function checkKnown(
  flags: Record<string, string | boolean>,
  sections: readonly FlagSection[],
  extra: readonly string[] = [],
): void {
  const known = new Set([...flagNames(sections), ...extra]);
  for (const k of Object.keys(flags))
    if (!known.has(k)) throw new ConfigError(k, `unknown flag --${k}; see --help`);
}

/**
 * Reads a flag that takes no value (`--json`, `--bench`): true when given bare, false when
 * absent or `--no-<name>`. A value (`--bench 0`, `--json=yes`) is a ConfigError naming it:
 * the flag would otherwise be on whatever the value says.
 */
export function readSwitch(flags: Record<string, string | boolean>, name: string): boolean {
  if (!Object.hasOwn(flags, name)) return false;
  const v = flags[name];
  if (typeof v === 'boolean') return v;
  throw new ConfigError(
    name,
    `--${name} takes no value${got(v)}: give --${name} alone to turn it on, or leave it out`,
  );
}

/**
 * Runs a script's `main` and answers its mistakes: a {@link ConfigError} (a bad flag or value,
 * a world too large) prints one line, `error: <message>`, and exits {@link USAGE_EXIT};
 * anything else is a bug and is rethrown with its stack.
 */
export function runCli(main: () => void | Promise<void>): void {
  const fail = (e: unknown): void => {
    if (e instanceof ConfigError) {
      console.error(`error: ${e.message}`);
      process.exit(USAGE_EXIT);
    }
    throw e;
  };
  try {
    const done = main();
    if (done) done.catch(fail);
  } catch (e) {
    fail(e);
  }
}

/**
 * What this machine can hold, for `checkWorldSize`: its memory (`os.totalmem()`) at the
 * build's peak and Node's largest ArrayBuffer (`buffer.constants.MAX_LENGTH`).
 */
export function machineLimits(): SizeLimits {
  const mem = totalmem();
  return {
    maxBytes: mem,
    maxArrayBytes: constants.MAX_LENGTH,
    host: `this machine (${formatBytes(mem)} of memory)`,
  };
}

/** The `--help` text: one line per flag with its range, default and help. */
export function helpText(usage: string, sections: readonly FlagSection[]): string {
  const lines = [usage, ''];
  for (const s of sections) {
    lines.push(`${s.title}:`);
    for (const row of s.rows) {
      const name = flagOf(row);
      if (name === null) continue;
      const head = row.kind === 'bool' ? `--${name} / --no-${name}` : `--${name} <value>`;
      const dflt = row.format(row.default);
      lines.push(`  ${head.padEnd(34)} ${row.help}; ${row.range} (default ${dflt || 'none'})`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** An integer flag in [min, max], or a one-line error naming it and its range. */
export function intFlag(
  flags: Record<string, string | boolean>,
  name: string,
  min: number,
  max: number,
  dflt: number,
): number {
  if (!Object.hasOwn(flags, name)) return dflt;
  const v = flags[name];
  const n = typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(
      name,
      `--${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(v)})`,
    );
  return n;
}
