/**
 * Day-by-day sessions: searches, impressions, clicks and watch time, all drawn from the
 * oracle (docs/model.md#sessions, docs/design-notes.md#calibration). Users are simulated one after
 * another, each from its own random stream, so the logs come out grouped by user in time order and
 * the result does not depend on how the work is chunked.
 *
 * A session shows `impressionsPerSession` videos: the next episode of the last watched series
 * (when there is one), three search results (when the session starts with a search), two
 * drawn by global popularity, one fresh upload, one uniform, and the rest from the legacy
 * recommender's pool (legacy-pool.ts), refreshed every POOL_REFRESH_SESSIONS sessions.
 *
 * The modules: the catalogue's indexes in session-context.ts, the pool in legacy-pool.ts, the
 * log columns and the joining of shards in log-columns.ts, the session loop of one range in
 * range-simulator.ts; this file runs ranges of users and joins them.
 */
import type { Vocabulary } from './catalogue';
import { joinLogs, logBuffers } from './log-columns';
import { rangeRoom, reserveColumns, type LogArrays } from './log-room';
import { RangeSimulator } from './range-simulator';
import { sessionContext, type SessionContext } from './session-context';
import type { Logs, World } from './types';

export { joinLogs, logBuffers, sessionContext, type SessionContext };
export {
  MAX_SESSIONS_PER_DAY,
  MIN_WATCH_STEP_MINUTES,
  WATCH_CONCENTRATION,
} from './range-simulator';

/** Progress callback: fraction done in [0, 1]. */
export type Progress = (fraction: number) => void;

/**
 * Simulates every user's sessions over the window and returns the logs. `world.logs` is not
 * read. Cost: O(sessions × impressionsPerSession × latentDim + users × days/3 × 120 × latentDim).
 * `shards` > 1 simulates the users in that many contiguous ranges and joins them: each user
 * draws from its own stream and nothing else carries from one user to the next, so the logs are
 * the same bit for bit whatever the number of shards (the ranges could run on as many workers).
 */
export function simulateLogs(
  world: World,
  vocab: Vocabulary,
  onProgress?: Progress,
  shards = 1,
): Logs {
  const ctx = sessionContext(world, vocab);
  const U = world.users.count;
  const k = Math.max(1, Math.min(U, Math.floor(shards)));
  const parts: Logs[] = [];
  for (let i = 0; i < k; i++) {
    const from = Math.floor((i * U) / k);
    const to = Math.floor(((i + 1) * U) / k);
    parts.push(simulateUserRange(ctx, from, to, (f) => onProgress?.((from + f * (to - from)) / U)));
  }
  onProgress?.(1);
  return parts.length === 1 ? parts[0] : joinLogs(parts, { release: true });
}

/** Where `simulateUserRange` writes its logs (all optional). */
export interface RangeColumns {
  /**
   * > to: the first range of a join in place — its columns are reserved for the expected logs
   * of users [from, reserveUntil) and handed out as views, so that `joinLogs(…, { release: true
   * })` copies the later ranges after it instead of copying it too.
   */
  reserveUntil?: number;
  /**
   * The range's window of shared columns (log-room.ts `sharedColumns`), written in place and
   * handed out as views: `joinLogs(…, { into })` moves the windows together without a copy.
   */
  columns?: LogArrays;
  /**
   * Hand out views on the buffers however empty (a range that a join copies and releases at
   * once, such as a worker thread's, needs no tight copy); by default only with `reserveUntil`
   * > to or `columns`.
   */
  views?: boolean;
}

/**
 * The logs of users [from, to): the same shape as `Logs`, its indices local to the range
 * (session, impression, watch and search ids start at 0; `userWatchOffsets` and
 * `userSearchOffsets` have to − from + 1 entries). `joinLogs` puts ranges together. By default
 * the columns are reserved for the range's expected logs (`rangeRoom`) and finished tight;
 * `where` reserves more or writes into given columns ({@link RangeColumns}). A reservation costs
 * address space, not memory, where pages are mapped on first write (Node, browsers: a fresh
 * typed array is zero pages until written).
 */
export function simulateUserRange(
  ctx: SessionContext,
  from: number,
  to: number,
  onProgress?: Progress,
  where: RangeColumns = {},
): Logs {
  const until = Math.max(to, where.reserveUntil ?? to);
  const columns = where.columns ?? reserveColumns(rangeRoom(ctx.world, from, until));
  const views = where.views ?? (until > to || where.columns !== undefined);
  const sim = new RangeSimulator(ctx, from, to, columns, views);
  for (let u = from; u < to; u++) {
    sim.user(u);
    if (onProgress && (u & 255) === 255) onProgress((u + 1 - from) / (to - from));
  }
  return sim.finish();
}
