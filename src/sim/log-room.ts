/**
 * Room for log columns (log-columns.ts): how many elements each column family is reserved, the
 * arrays of one reservation, and shared reservations cut into one window per user range, so that
 * ranges simulated on several threads write their logs into the very buffers the joined logs
 * will live in (`joinLogs` then moves the later ranges down in place instead of copying them:
 * docs/performance.md#world-generation).
 */
import type { World } from './types';

/** Elements reserved for each family of log columns (one range's or a join's). */
export interface LogRoom {
  /** Sessions (`sessionUser`, `sessionTime`, `sessionSearch`; `sessionImpOffsets` has one more). */
  sessions: number;
  /** Impressions (`impVideo`, `impFlags`). */
  impressions: number;
  /** Watches (`watchVideo`, `watchTime`, `watchMinutes`, `watchImpression`). */
  watches: number;
  /** Searches (`searchTime`; `searchTokenOffsets` has one more). */
  searches: number;
  /** Query tokens (`searchTokens`). */
  tokens: number;
}

/** The arrays of the log columns as `LogColumns` writes them (each at least its room long). */
export interface LogArrays {
  sessionUser: Int32Array;
  sessionTime: Float32Array;
  sessionSearch: Int32Array;
  sessionImpOffsets: Int32Array;
  impVideo: Int32Array;
  impFlags: Uint8Array;
  watchVideo: Int32Array;
  watchTime: Float32Array;
  watchMinutes: Float32Array;
  watchImpression: Int32Array;
  searchTime: Float32Array;
  searchTokenOffsets: Int32Array;
  searchTokens: Int32Array;
}

/** The keys of `LogArrays`. */
export type LogArrayKey = keyof LogArrays;

type ColumnCtor = Int32ArrayConstructor | Float32ArrayConstructor | Uint8ArrayConstructor;

/** Each column: its array type, its family in `LogRoom`, and whether it holds CSR offsets (+1). */
const COLUMNS: [LogArrayKey, ColumnCtor, keyof LogRoom, 0 | 1][] = [
  ['sessionUser', Int32Array, 'sessions', 0],
  ['sessionTime', Float32Array, 'sessions', 0],
  ['sessionSearch', Int32Array, 'sessions', 0],
  ['sessionImpOffsets', Int32Array, 'sessions', 1],
  ['impVideo', Int32Array, 'impressions', 0],
  ['impFlags', Uint8Array, 'impressions', 0],
  ['watchVideo', Int32Array, 'watches', 0],
  ['watchTime', Float32Array, 'watches', 0],
  ['watchMinutes', Float32Array, 'watches', 0],
  ['watchImpression', Int32Array, 'watches', 0],
  ['searchTime', Float32Array, 'searches', 0],
  ['searchTokenOffsets', Int32Array, 'searches', 1],
  ['searchTokens', Int32Array, 'tokens', 0],
];

/**
 * Room for about `sessionCap` sessions of `ips` impressions, up to half of them clicked, and
 * `searchRate` of them searched (two query tokens each on average). The watch columns are
 * reserved for a click-through rate of 1/2 (the default world's is 0.23, a 1M-video world's up
 * to 0.4): a reservation costs address space, and memory only as it is written, whereas a column
 * that grows holds its old and new copies at once.
 */
export function logRoom(sessionCap: number, ips: number, searchRate: number): LogRoom {
  const searches = Math.ceil(sessionCap * searchRate) + 16;
  return {
    sessions: sessionCap,
    impressions: sessionCap * ips,
    watches: Math.ceil((sessionCap * ips) / 2) + 16,
    searches,
    tokens: searches * 2,
  };
}

/**
 * The room `RangeSimulator` reserves for users [from, to) of `world`: their expected sessions
 * (activity × days) with `slack` (a fraction) and 16 more.
 */
export function rangeRoom(world: World, from: number, to: number, slack = 0.1): LogRoom {
  const { config: cfg, users } = world;
  let expectedSessions = 0;
  for (let u = from; u < to; u++) expectedSessions += users.activity[u] * cfg.days;
  return logRoom(
    Math.ceil(expectedSessions * (1 + slack)) + 16,
    cfg.impressionsPerSession | 0,
    cfg.searchRate,
  );
}

/**
 * Room for users [from, to) of `world` in a window of shared columns followed by another range's:
 * their expected sessions E plus six standard deviations of their count (a sum of Poisson draws,
 * so √E; the cap on a day's sessions only lowers it) and 64, instead of `rangeRoom`'s 10% —
 * the join in place touches the pages a window leaves unwritten (`sharedColumns`), so a tight
 * window costs less memory; a range that outgrows its window still joins right (by a copy).
 */
export function windowRoom(world: World, from: number, to: number): LogRoom {
  const { config: cfg, users } = world;
  let expectedSessions = 0;
  for (let u = from; u < to; u++) expectedSessions += users.activity[u] * cfg.days;
  return logRoom(
    Math.ceil(expectedSessions + 6 * Math.sqrt(expectedSessions)) + 64,
    cfg.impressionsPerSession | 0,
    cfg.searchRate,
  );
}

/** Expected sessions (activity × days) of users [from, to) of `world`. */
export function expectedSessions(world: World, from: number, to: number): number {
  const { config: cfg, users } = world;
  let e = 0;
  for (let u = from; u < to; u++) e += users.activity[u] * cfg.days;
  return e;
}

/**
 * `windowRoom` with the watch, search and token rooms projected from a pilot — the logs
 * `written` by `pilotUsers` users whose expected sessions were `pilotExpected` (the first users
 * of the first range) — instead of reserved for a click-through rate of 1/2: per session, the
 * pilot's rates with a margin of 4% + 1/√pilotUsers (users differ: with 32 users of a
 * 200 000-video world the first range's rate came out 8.7% above its pilot's) and six standard
 * deviations of a Poisson count more, never below the pilot's own counts, never above
 * `rangeRoom`'s. At 1M videos the watch columns are half the logs, and a window reserved for a
 * click-through rate of 1/2 where the rate is 0.40 leaves a fifth of it empty.
 */
export function projectedRoom(
  world: World,
  from: number,
  to: number,
  written: LogRoom,
  pilotExpected: number,
  pilotUsers: number,
): LogRoom {
  const room = windowRoom(world, from, to);
  const most = rangeRoom(world, from, to);
  const scale = room.sessions / Math.max(1, pilotExpected);
  const margin = 1.04 + 1 / Math.sqrt(Math.max(1, pilotUsers));
  const project = (n: number, cap: number, pilot: number): number => {
    const x = n * scale;
    return Math.max(pilot, Math.min(cap, Math.ceil(margin * x + 6 * Math.sqrt(x)) + 64));
  };
  const ips = world.config.impressionsPerSession | 0;
  return {
    sessions: room.sessions,
    impressions: room.impressions,
    // LogColumns.reserve asks for a session's worth (ips) beyond what is written.
    watches: project(written.watches, most.watches, written.watches + ips),
    searches: project(written.searches, most.searches, written.searches + 1),
    tokens: project(written.tokens, most.tokens, written.tokens + 3),
  };
}

/** Fresh arrays (each on a buffer of its own) of `room`. */
export function reserveColumns(room: LogRoom): LogArrays {
  const out = {} as Record<LogArrayKey, ArrayBufferView>;
  for (const [key, Ctor, family, extra] of COLUMNS) out[key] = new Ctor(room[family] + extra);
  return out as unknown as LogArrays;
}

/**
 * Windows of `whole` (views from the start of their buffers, as `sharedColumns` gives) for
 * consecutive ranges with `rooms`, the last window taking the rest of each buffer; undefined
 * when a buffer is too short for them (the last window needs `last`, its range's room).
 */
export function cutWindows(
  whole: LogArrays,
  rooms: LogRoom[],
  last: LogRoom,
): LogArrays[] | undefined {
  const windows = rooms.map(() => ({}) as Record<LogArrayKey, ArrayBufferView>);
  windows.push({} as Record<LogArrayKey, ArrayBufferView>);
  for (const [key, Ctor, family, extra] of COLUMNS) {
    const all = whole[key];
    const View = Ctor as unknown as new (
      b: ArrayBufferLike,
      at: number,
      n: number,
    ) => ArrayBufferView;
    let at = 0;
    rooms.forEach((r, i) => {
      windows[i][key] = new View(all.buffer, at * Ctor.BYTES_PER_ELEMENT, r[family] + extra);
      at += r[family] + extra;
    });
    if (all.length - at < last[family] + extra) return undefined;
    windows[rooms.length][key] = new View(all.buffer, at * Ctor.BYTES_PER_ELEMENT, all.length - at);
  }
  return windows as unknown as LogArrays[];
}

/**
 * Columns in shared memory for consecutive ranges: one `SharedArrayBuffer` per column, as long
 * as the ranges' rooms together, cut into one window per range (range i's window starts where
 * range i − 1's ends). `whole` views each buffer from its start. A window is address space
 * until written (pages are mapped on first write), so the whole costs only what the ranges
 * write; `joinLogs(parts, { into: whole })` then moves each range down onto the end of the one
 * before it, touching only the gap its predecessor left unwritten.
 */
export function sharedColumns(rooms: LogRoom[]): { whole: LogArrays; windows: LogArrays[] } {
  const whole = {} as Record<LogArrayKey, ArrayBufferView>;
  const windows = rooms.map(() => ({}) as Record<LogArrayKey, ArrayBufferView>);
  for (const [key, Ctor, family, extra] of COLUMNS) {
    let total = 0;
    for (const r of rooms) total += r[family] + extra;
    const sab = new SharedArrayBuffer(total * Ctor.BYTES_PER_ELEMENT);
    const View = Ctor as unknown as new (
      b: ArrayBufferLike,
      at: number,
      n: number,
    ) => ArrayBufferView;
    whole[key] = new View(sab, 0, total);
    let at = 0;
    rooms.forEach((r, i) => {
      const n = r[family] + extra;
      windows[i][key] = new View(sab, at * Ctor.BYTES_PER_ELEMENT, n);
      at += n;
    });
  }
  return {
    whole: whole as unknown as LogArrays,
    windows: windows as unknown as LogArrays[],
  };
}
