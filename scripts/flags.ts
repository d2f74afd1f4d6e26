/**
 * Command-line flags generated from rows of the parameter table: each row with a flag is
 * `--<flag> <value>` (booleans also `--<flag>` and `--no-<flag>`), parsed and checked by the
 * row itself, so a bad value is refused in the same words as in the page ("negatives must be an
 * integer from 1 to 8192 (got "0")"). `--help` text comes from the rows' ranges and help lines.
 */
import { ConfigError, flagOf, type Param } from '../src/protocol/params';

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
      if (row.kind !== 'bool')
        throw new ConfigError(name, `--${name} needs a value: ${row.range}`);
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
