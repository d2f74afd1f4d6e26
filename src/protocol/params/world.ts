/**
 * The world knobs as rows: one per setting of the world generator (`WORLD_PARAMS` in
 * `src/sim/config.ts` holds their defaults and ranges, since the generator validates its own
 * input). The URL, the World form and `npm run world` / `npm run train` read these rows.
 */
import { WORLD_PARAMS } from '../../sim/config';
import type { WorldConfig } from '../../sim/types';
import { numeric, type Param } from './spec';

/** The world settings that are always explicit (and always in the URL). */
export const ALWAYS_SET = ['seed', 'videos', 'users'] as const;

/** The names of every world setting, in `WORLD_PARAMS` order (seed, videos, users first). */
export const WORLD_KEYS = Object.keys(WORLD_PARAMS) as (keyof WorldConfig)[];

/** One row per world setting. World settings are structural: a new world, a new run. */
export const WORLD_ROWS: { readonly [K in keyof WorldConfig]: Param<number> } = Object.fromEntries(
  WORLD_KEYS.map((key) => {
    const s = WORLD_PARAMS[key];
    return [
      key,
      numeric(key, {
        min: s.min,
        max: s.max,
        integer: s.integer,
        default: s.default,
        live: false,
        label: key,
        help: s.help,
      }),
    ];
  }),
) as unknown as { readonly [K in keyof WorldConfig]: Param<number> };
