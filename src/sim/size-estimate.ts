/**
 * How large and how slow a world will be, from its settings alone, before building it: the
 * expected counts of sessions, impressions, watches and searches, the bytes of its typed
 * arrays (once built, and at the peak of the build) and a rough build time. The page shows
 * the estimate before a build and asks before a large one; the page and the command line
 * refuse a world beyond what they can hold ({@link checkWorldSize}), naming the limit, instead
 * of failing with a RangeError or an out-of-memory crash halfway through.
 *
 * Pure arithmetic (no allocation), calibrated against generated worlds (`npm run world --
 * --json` and `size-estimate.test.ts`, which checks the estimate against real worlds). The
 * counts lean high: a session is counted with all its impression slots filled, and the
 * click-through rate at the high end of what worlds show, so that a refusal is never late.
 */
import { ConfigError, validateWorldConfig } from './config';
import type { WorldConfig } from './types';

/** What a world of given settings is expected to hold and cost. */
export interface WorldSizeEstimate {
  /** Expected number of sessions (users × days × mean activity). */
  sessions: number;
  /** Expected impressions (sessions × impressions per session: an upper estimate). */
  impressions: number;
  /** Expected watches (clicked impressions). */
  watches: number;
  /** Expected searches. */
  searches: number;
  /** Bytes of the finished world's typed arrays. */
  bytes: number;
  /** Bytes held at the peak of the build (the catalogue and users, the log buffers, scratch). */
  peakBytes: number;
  /** Bytes of the largest single typed array allocated during the build. */
  largestArrayBytes: number;
  /** Rough build time in milliseconds of one CPU core (see {@link MS_PER}). */
  ms: number;
}

/** A size a host cannot exceed: the page's tab or the command line's machine. */
export interface SizeLimits {
  /** Most bytes the build may hold at its peak. */
  maxBytes: number;
  /** Most bytes of one typed array (ArrayBuffer) the host allocates. */
  maxArrayBytes: number;
  /** Where the limit comes from, for the message ("a browser tab", "this machine"). */
  host: string;
}

/**
 * Most entries of one log (impressions, watches, search tokens): its CSR offsets are Int32
 * (`Logs.sessionImpOffsets`, …), so a longer log would overflow them.
 */
export const MAX_LOG_ENTRIES = 2 ** 31 - 1;

/**
 * What a browser tab can hold: 4 GiB at the build's peak (Chrome ends a tab with "Out of
 * memory" a little above that on most machines, and the training examples and models come on
 * top of the world) and 2 GiB in one ArrayBuffer.
 */
export const TAB_LIMITS: SizeLimits = {
  maxBytes: 4 * 2 ** 30,
  maxArrayBytes: 2 * 2 ** 30,
  host: 'a browser tab',
};

/** Above these the page asks before building (peak memory or build time). */
export const CONFIRM_ABOVE = { peakBytes: 2 ** 30, ms: 60_000 };

/**
 * Build-time coefficients in milliseconds of one core, measured with `npm run world` on worlds
 * of 100 to 200 000 videos (CPU time; a loaded machine takes longer on the wall clock).
 */
export const MS_PER = { start: 100, video: 0.013, user: 0.1, impression: 0.003 };

/** Share of impressions clicked, at the high end of generated worlds (0.10 … 0.32). */
const CTR_HIGH = 0.33;
/** Query tokens per search (one to three words). */
const TOKENS_PER_SEARCH = 2;
/** Title tokens per video, measured (4.0). */
const TOKENS_PER_TITLE = 4;
/** Spread and cap of user activity (`src/sim/population.ts`: σ = 1, at most 20 a day). */
const ACTIVITY_SIGMA = 1;
const ACTIVITY_CAP = 20;
/** Head-room of the log buffers over the expected sessions (`src/sim/sessions.ts`). */
const BUFFER_HEADROOM = 1.1;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Mean sessions per user per day: E[min(cap, s·X)] with X log-normal of mean 1 and spread σ,
 * as `buildUsers` draws activity (the cap lowers the mean of very active worlds).
 */
export function meanActivity(sessionsPerDay: number): number {
  const s = ACTIVITY_SIGMA;
  const k = ACTIVITY_CAP / sessionsPerDay;
  const mu = (-s * s) / 2;
  const below = normalCdf((Math.log(k) - mu - s * s) / s); // E[X; X < k]
  const above = 1 - normalCdf((Math.log(k) - mu) / s); // P(X ≥ k)
  return sessionsPerDay * below + ACTIVITY_CAP * above;
}

/**
 * Estimates a world's size and build time from its settings (merged over the defaults and
 * validated: throws the ConfigError of a bad setting).
 */
export function estimateWorldSize(settings: Partial<WorldConfig> = {}): WorldSizeEstimate {
  const c = validateWorldConfig(settings);
  const sessions = c.users * c.days * meanActivity(c.sessionsPerDay);
  const impressions = sessions * c.impressionsPerSession;
  const watches = impressions * CTR_HIGH;
  const searches = sessions * c.searchRate;

  // Bytes per entry of each table (see `src/sim/types.ts`).
  const perVideo = 38 + 4 * c.latentDim + 4 + 4 * TOKENS_PER_TITLE;
  const perUser = 7 + 4 + 4 * c.topics + 4 * c.latentDim + 8;
  const perSession = 16;
  const perImpression = 5; // video (4) and the packed source + clicked byte
  const perWatch = 16;
  const perSearch = 8 + 4 * TOKENS_PER_SEARCH;
  const entities = c.videos * perVideo + c.users * perUser;
  const logs =
    sessions * perSession + impressions * perImpression + watches * perWatch + searches * perSearch;
  const bytes = entities + logs;

  // The build holds the log buffers (`log-columns.ts`: sized for 1.1× the expected sessions and
  // handed out as views, not copies). Their watch columns are reserved for half the impression
  // slots, but a reservation costs memory only where it is written: they are counted at 0.375
  // of the slots (a quarter grown by 1.5× until it holds CTR_HIGH of them), above the watches.
  // Per-video scratch (`session-context.ts`, `sessions.ts`), about 240 B at latentDim 16: the
  // record by slot (64 B), the latent rows copied in slot order (4 B × latentDim), the loop's
  // stamps (16 B per range), four flattened alias samplers (4 × 12 B), ids and slots (8 B), the
  // upload index (12 B), title postings (16 B), the oracle's terms (12 B); the samplers' build
  // scratch (about 20 B) is freed before the sessions.
  const cap = sessions * BUFFER_HEADROOM;
  let watchCap = (cap * c.impressionsPerSession) / 4;
  while (watchCap < watches) watchCap *= 1.5;
  const buffers =
    cap * perSession +
    cap * c.impressionsPerSession * perImpression +
    watchCap * perWatch +
    cap * c.searchRate * perSearch;
  const scratch = c.videos * (176 + 4 * c.latentDim);
  const peakBytes = entities + Math.max(logs, buffers) + scratch;
  const largestArrayBytes = Math.max(4 * cap * c.impressionsPerSession, 4 * c.videos * c.latentDim);

  const ms =
    MS_PER.start +
    MS_PER.video * c.videos +
    MS_PER.user * c.users +
    MS_PER.impression * impressions;
  return {
    sessions: Math.round(sessions),
    impressions: Math.round(impressions),
    watches: Math.round(watches),
    searches: Math.round(searches),
    bytes: Math.round(bytes),
    peakBytes: Math.round(peakBytes),
    largestArrayBytes: Math.round(largestArrayBytes),
    ms: Math.round(ms),
  };
}

/** "1.2 GB", "340 MB", "12 kB" (decimal units, two significant figures at most). */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  for (const [size, unit] of units)
    if (bytes >= size) return `${Number((bytes / size).toPrecision(2))} ${unit}`;
  return `${Math.round(bytes)} B`;
}

/** "40 s", "5 min", "2.5 h". */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 1) return 'under a second';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  return `${Number((s / 3600).toPrecision(2))} h`;
}

/** Impressions as "4.4 M" / "12 k" / "950". */
function formatCount(n: number): string {
  if (n >= 1e9) return `${Number((n / 1e9).toPrecision(2))} billion`;
  if (n >= 1e6) return `${Number((n / 1e6).toPrecision(2))} million`;
  if (n >= 1e3) return `${Number((n / 1e3).toPrecision(2))} thousand`;
  return String(Math.round(n));
}

/** One line describing an estimate: impressions, memory at the peak, build time. */
export function describeEstimate(e: WorldSizeEstimate): string {
  return `about ${formatCount(e.impressions)} impressions, ${formatBytes(e.peakBytes)} of memory while building, roughly ${formatDuration(e.ms)} to build`;
}

/**
 * Why a world of this estimate cannot be built under `limits`, naming the limit, or null when
 * it fits. Checks the logs' 32-bit offsets, the largest single array and the peak memory.
 */
export function sizeProblem(e: WorldSizeEstimate, limits: SizeLimits): string | null {
  const tooLarge = `this world is too large for ${limits.host}`;
  const fix = 'fewer users, days, sessions per day or impressions per session';
  if (e.impressions * BUFFER_HEADROOM > MAX_LOG_ENTRIES)
    return `${tooLarge}: about ${formatCount(e.impressions)} impressions, above the limit of ${formatCount(MAX_LOG_ENTRIES)} (the logs' 32-bit offsets); use ${fix}`;
  if (e.largestArrayBytes > limits.maxArrayBytes)
    return `${tooLarge}: its impression log needs one array of ${formatBytes(e.largestArrayBytes)}, above the limit of ${formatBytes(limits.maxArrayBytes)} per array; use ${fix}`;
  if (e.peakBytes > limits.maxBytes)
    return `${tooLarge}: about ${formatBytes(e.peakBytes)} of memory while building, above the limit of ${formatBytes(limits.maxBytes)}; use ${fix}`;
  return null;
}

/**
 * Throws a ConfigError (field `size`) when the world of `settings` cannot be built under
 * `limits` (see {@link sizeProblem}); returns its estimate otherwise.
 */
export function checkWorldSize(
  settings: Partial<WorldConfig>,
  limits: SizeLimits,
): WorldSizeEstimate {
  const e = estimateWorldSize(settings);
  const problem = sizeProblem(e, limits);
  if (problem) throw new ConfigError('size', problem);
  return e;
}
