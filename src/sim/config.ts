/**
 * World settings: their defaults, allowed ranges and validation. One table drives both the
 * defaults and the messages, so the command line, the URL and the form all reject a bad value
 * with the same words ("videos must be an integer from 100 to 1000000").
 */
import type { WorldConfig } from './types';

/** One world setting: default, inclusive range, and whether it must be an integer. */
export interface WorldParamSpec {
  default: number;
  min: number;
  max: number;
  integer: boolean;
  /** One line for tooltips and `--help`. */
  help: string;
}

/**
 * Every world setting. Defaults are calibrated (docs/design-notes.md#calibration) so that on the
 * default world the average video is watched 50+ times, the oracle's recall@100 is ≥ 3×
 * most-popular's, and clickbait is clicked more but watched less.
 */
export const WORLD_PARAMS: { readonly [K in keyof WorldConfig]: WorldParamSpec } = {
  seed: { default: 7, min: 0, max: 4294967295, integer: true, help: 'seed of every random draw' },
  videos: { default: 20000, min: 100, max: 1000000, integer: true, help: 'number of videos' },
  users: { default: 5000, min: 10, max: 100000, integer: true, help: 'number of users' },
  days: { default: 60, min: 7, max: 120, integer: true, help: 'simulated days' },
  topics: { default: 50, min: 2, max: 50, integer: true, help: 'number of topics' },
  latentDim: { default: 16, min: 2, max: 64, integer: true, help: 'true latent dimension' },
  zipfExponent: {
    default: 1,
    min: 0.5,
    max: 2,
    integer: false,
    help: 'Zipf exponent of popularity',
  },
  clickbaitShare: {
    default: 0.12,
    min: 0,
    max: 0.5,
    integer: false,
    help: 'share of clickbait videos',
  },
  seriesShare: {
    default: 0.15,
    min: 0,
    max: 0.8,
    integer: false,
    help: 'share of videos in a series',
  },
  catalogueShare: {
    default: 0.5,
    min: 0,
    max: 1,
    integer: false,
    help: 'share of videos uploaded before day 0',
  },
  sessionsPerDay: {
    default: 1.5,
    min: 0.05,
    max: 20,
    integer: false,
    help: 'mean sessions per user per day',
  },
  impressionsPerSession: {
    default: 10,
    min: 4,
    max: 30,
    integer: true,
    help: 'videos shown per session',
  },
  searchRate: {
    default: 0.3,
    min: 0,
    max: 1,
    integer: false,
    help: 'share of sessions with a search',
  },
  languages: {
    default: 8,
    min: 1,
    max: 8,
    integer: true,
    help: 'languages of users and videos (1 = one language: language plays no part)',
  },
  demographicEffect: {
    default: 1,
    min: 0,
    max: 2,
    integer: false,
    help: 'strength of what age, gender, device and logged-in change (0 = nothing)',
  },
  splitDay: {
    default: 53,
    min: 1,
    max: 119,
    integer: true,
    help: 'first evaluation day (train on the days before)',
  },
};

/** The default world. */
export const defaultWorldConfig: WorldConfig = Object.fromEntries(
  Object.entries(WORLD_PARAMS).map(([k, spec]) => [k, spec.default]),
) as unknown as WorldConfig;

/** A bad setting: names the field and the allowed range. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Larger maxima for some settings, where the host allows them: the sharded command line
 * (`SCALE_OUT_MAXIMA` in shard.ts) writes worlds larger than a tab can hold, a shard at a time.
 */
export type WorldMaxima = Partial<Record<keyof WorldConfig, number>>;

/** "videos must be an integer from 100 to 1000000". */
export function rangeMessage(field: keyof WorldConfig, maxima: WorldMaxima = {}): string {
  const s = WORLD_PARAMS[field];
  const max = maxima[field] ?? s.max;
  return `${field} must be ${s.integer ? 'an integer' : 'a number'} from ${s.min} to ${max}`;
}

/**
 * Checks one value against its spec; returns the number or throws {@link ConfigError}.
 * Accepts numbers and numeric strings (from the URL, a form or the command line).
 */
export function checkWorldParam(
  field: keyof WorldConfig,
  value: unknown,
  maxima: WorldMaxima = {},
): number {
  const spec = WORLD_PARAMS[field];
  const max = maxima[field] ?? spec.max;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < spec.min || n > max) {
    throw new ConfigError(field, `${rangeMessage(field, maxima)} (got ${JSON.stringify(value)})`);
  }
  if (spec.integer && !Number.isInteger(n)) {
    throw new ConfigError(field, `${rangeMessage(field, maxima)} (got ${JSON.stringify(value)})`);
  }
  return n;
}

/**
 * Merges `partial` over the defaults and validates every field, including the cross-field
 * rule splitDay < days. Unknown keys are rejected. Throws {@link ConfigError} on the first bad one.
 */
export function validateWorldConfig(
  partial: Partial<Record<string, unknown>> = {},
  maxima: WorldMaxima = {},
): WorldConfig {
  const out: Record<string, number> = { ...defaultWorldConfig };
  for (const [k, v] of Object.entries(partial)) {
    if (v === undefined) continue;
    if (!Object.hasOwn(WORLD_PARAMS, k)) {
      throw new ConfigError(
        k,
        `unknown world setting "${k}"; known: ${Object.keys(WORLD_PARAMS).join(', ')}`,
      );
    }
    out[k] = checkWorldParam(k as keyof WorldConfig, v, maxima);
  }
  const cfg = out as unknown as WorldConfig;
  // Unless set, evaluation is on the last week (or the last day of a short window).
  if (partial.splitDay === undefined) cfg.splitDay = Math.max(1, cfg.days - 7);
  if (cfg.splitDay >= cfg.days) {
    throw new ConfigError(
      'splitDay',
      `splitDay must be an integer from 1 to days − 1 = ${cfg.days - 1}`,
    );
  }
  return cfg;
}
