/**
 * The Funnel view's settings in the URL hash: `funnelN` (videos retrieved, one of the funnel
 * sweep's N) and `funnelK` (videos shown). Written only when set; a bad value is reported
 * naming the key and its allowed values, and the default used.
 */
import { FUNNEL_NS } from '../protocol';
import { parseHash, serializeHash, type HashProblem, type HashTable } from './url-hash';

/** The Funnel view's settings. */
export interface FunnelSettings {
  /** Videos retrieved by the candidate generator, one of {@link FUNNEL_NS}. */
  funnelN: number;
  /** Videos the ranker shows, 1 … {@link FUNNEL_K_MAX}. */
  funnelK: number;
}

/** Largest k the funnel shows. */
export const FUNNEL_K_MAX = 50;

/** Defaults: retrieve 100, show 10. */
export const DEFAULT_FUNNEL: FunnelSettings = { funnelN: 100, funnelK: 10 };

/** Parses funnelN; throws naming the allowed values. */
export function parseFunnelN(raw: string): number {
  const n = Number(raw);
  if (!FUNNEL_NS.includes(n))
    throw new Error(`funnelN must be one of ${FUNNEL_NS.join(', ')} (got ${JSON.stringify(raw)})`);
  return n;
}

/** Parses funnelK; throws naming the range. */
export function parseFunnelK(raw: string): number {
  const k = Number(raw);
  if (!(raw.trim() !== '' && Number.isInteger(k) && k >= 1 && k <= FUNNEL_K_MAX))
    throw new Error(
      `funnelK must be an integer from 1 to ${FUNNEL_K_MAX} (got ${JSON.stringify(raw)})`,
    );
  return k;
}

/** The URL-hash table of the funnel settings. */
export const FUNNEL_HASH_TABLE: HashTable<FunnelSettings> = {
  funnelN: {
    always: false,
    default: DEFAULT_FUNNEL.funnelN,
    parse: parseFunnelN,
    format: String,
  },
  funnelK: {
    always: false,
    default: DEFAULT_FUNNEL.funnelK,
    parse: parseFunnelK,
    format: String,
  },
};

/** The hash keys of this table. */
export const FUNNEL_KEYS: readonly string[] = Object.keys(FUNNEL_HASH_TABLE);

/** Reads the funnel settings that are set in `hash` (never throws). */
export function readFunnelHash(hash: string): {
  settings: Partial<FunnelSettings>;
  problems: HashProblem[];
} {
  const { values, problems } = parseHash(hash, FUNNEL_HASH_TABLE, { ignoreUnknown: true });
  return { settings: values, problems };
}

/** The funnel part of the hash (without '#'): only what was set. */
export function funnelHash(settings: Partial<FunnelSettings>): string {
  return serializeHash(settings, FUNNEL_HASH_TABLE);
}
