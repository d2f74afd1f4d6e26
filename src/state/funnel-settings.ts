/**
 * The Funnel view's serving knobs as the page holds them (N retrieved, k shown, the IVF
 * index's nprobe): the rows of the parameter table's serving group, their defaults, and the
 * check of a control's text. The URL is read and written by `url.ts`.
 */
import { SERVING_PARAMS, type ServingSettings } from '../protocol/params';

export { FUNNEL_K_MAX, SERVING_PARAMS, type ServingSettings } from '../protocol/params';

/** The Funnel view's settings (an alias kept for the view's vocabulary). */
export type FunnelSettings = ServingSettings;

/** A serving knob's key. */
export type ServingKey = keyof ServingSettings;

/** Every serving knob's key, in table order. */
export const SERVING_KEYS = Object.keys(SERVING_PARAMS) as ServingKey[];

/** Defaults: retrieve 100, show 10, open 8 IVF lists. */
export const DEFAULT_FUNNEL: ServingSettings = Object.fromEntries(
  SERVING_KEYS.map((k) => [k, SERVING_PARAMS[k].default]),
) as ServingSettings;

/** Parses one serving knob's text; throws naming the key and its allowed values. */
export function parseServing(key: ServingKey, raw: string): number {
  return SERVING_PARAMS[key].parse(raw);
}

/** Parses funnelN; throws naming the allowed values. */
export const parseFunnelN = (raw: string): number => parseServing('funnelN', raw);

/** Parses funnelK; throws naming the range. */
export const parseFunnelK = (raw: string): number => parseServing('funnelK', raw);
