/**
 * The log columns as the session simulation writes them (sessions.ts), and the joining of the
 * logs of consecutive user ranges (shards) into one. Every column is a typed array; nothing
 * is stored per impression but numbers (docs/performance.md#world-generation).
 */
import type { Logs } from './types';

/** A log column's array type. */
export type Column = Int32Array | Float32Array | Uint8Array;

/**
 * A copy of `a` with at least `need` elements, the first elements kept: 1.5× the old length
 * (so a column that outgrows its estimate wastes at most a third when it is finished in place).
 */
function grow<T extends Column>(a: T, need: number): T {
  const next = new (a.constructor as new (n: number) => T)(
    Math.max(need, Math.ceil(1.5 * a.length), 16),
  );
  next.set(a);
  return next;
}

/**
 * The first `n` elements of `a`: a view on `a` when it is at least three quarters full or
 * `view` (no copy, so no second copy of a large column at the peak), else a tight copy.
 */
function finish<T extends Column>(a: T, n: number, view: boolean): T {
  if (n === a.length) return a;
  return (view || 4 * n >= 3 * a.length ? a.subarray(0, n) : a.slice(0, n)) as T;
}

/**
 * The log columns being written, each a typed array grown when a session would not fit. The
 * generator reserves room for a whole session once (`reserve`) and then writes with plain
 * indexed stores, so the hot loop has no capacity check and no polymorphic `push`.
 */
export class LogColumns {
  sessions = 0;
  sessionUser: Int32Array;
  sessionTime: Float32Array;
  sessionSearch: Int32Array;
  /** CSR offsets, written one ahead: sessionImpOffsets[sessions] = impressions. */
  sessionImpOffsets: Int32Array;
  impressions = 0;
  impVideo: Int32Array;
  /** Source and clicked bit packed (`Logs.impFlags`). */
  impFlags: Uint8Array;
  watches = 0;
  watchVideo: Int32Array;
  watchTime: Float32Array;
  watchMinutes: Float32Array;
  watchImpression: Int32Array;
  searches = 0;
  searchTime: Float32Array;
  /** CSR offsets, written one ahead: searchTokenOffsets[searches] = tokens. */
  searchTokenOffsets: Int32Array;
  tokens = 0;
  searchTokens: Int32Array;

  /**
   * Room for about `sessionCap` sessions of `ips` impressions, up to half of them clicked, and
   * `searchRate` of them searched; columns grow past that when needed. The watch columns are
   * reserved for a click-through rate of 1/2 (the default world's is 0.23, a 1M-video world's
   * up to 0.4): a reservation costs address space, and memory only as it is written, whereas a
   * column that grows holds its old and new copies at once. `views`: `finish` hands
   * out views on the buffers however empty they are (the first range of a join in place, whose
   * buffers are reserved for every range: `joinLogs`).
   */
  constructor(
    sessionCap: number,
    ips: number,
    searchRate: number,
    private readonly views = false,
  ) {
    const searchCap = Math.ceil(sessionCap * searchRate) + 16;
    const watchCap = Math.ceil((sessionCap * ips) / 2) + 16;
    this.sessionUser = new Int32Array(sessionCap);
    this.sessionTime = new Float32Array(sessionCap);
    this.sessionSearch = new Int32Array(sessionCap);
    this.sessionImpOffsets = new Int32Array(sessionCap + 1);
    this.impVideo = new Int32Array(sessionCap * ips);
    this.impFlags = new Uint8Array(sessionCap * ips);
    this.watchVideo = new Int32Array(watchCap);
    this.watchTime = new Float32Array(watchCap);
    this.watchMinutes = new Float32Array(watchCap);
    this.watchImpression = new Int32Array(watchCap);
    this.searchTime = new Float32Array(searchCap);
    this.searchTokenOffsets = new Int32Array(searchCap + 1);
    this.searchTokens = new Int32Array(searchCap * 2);
  }

  /** Makes room for one more session of at most `ips` impressions (and as many watches). */
  reserve(ips: number): void {
    if (this.sessions + 1 >= this.sessionUser.length) {
      this.sessionUser = grow(this.sessionUser, this.sessions + 1);
      this.sessionTime = grow(this.sessionTime, this.sessions + 1);
      this.sessionSearch = grow(this.sessionSearch, this.sessions + 1);
      this.sessionImpOffsets = grow(this.sessionImpOffsets, this.sessions + 2);
    }
    if (this.impressions + ips > this.impVideo.length) {
      const need = this.impressions + ips;
      this.impVideo = grow(this.impVideo, need);
      this.impFlags = grow(this.impFlags, need);
    }
    if (this.watches + ips > this.watchVideo.length) {
      const need = this.watches + ips;
      this.watchVideo = grow(this.watchVideo, need);
      this.watchTime = grow(this.watchTime, need);
      this.watchMinutes = grow(this.watchMinutes, need);
      this.watchImpression = grow(this.watchImpression, need);
    }
    if (this.searches + 1 >= this.searchTime.length) {
      this.searchTime = grow(this.searchTime, this.searches + 1);
      this.searchTokenOffsets = grow(this.searchTokenOffsets, this.searches + 2);
    }
    if (this.tokens + 3 > this.searchTokens.length)
      this.searchTokens = grow(this.searchTokens, this.tokens + 3);
  }

  /** The logs written, with the users' CSR offsets (local to the range simulated). */
  finish(userWatchOffsets: Int32Array, userSearchOffsets: Int32Array): Logs {
    return {
      sessions: this.sessions,
      sessionUser: finish(this.sessionUser, this.sessions, this.views),
      sessionTime: finish(this.sessionTime, this.sessions, this.views),
      sessionSearch: finish(this.sessionSearch, this.sessions, this.views),
      sessionImpOffsets: finish(this.sessionImpOffsets, this.sessions + 1, this.views),
      impressions: this.impressions,
      impVideo: finish(this.impVideo, this.impressions, this.views),
      impFlags: finish(this.impFlags, this.impressions, this.views),
      watches: this.watches,
      userWatchOffsets,
      watchVideo: finish(this.watchVideo, this.watches, this.views),
      watchTime: finish(this.watchTime, this.watches, this.views),
      watchMinutes: finish(this.watchMinutes, this.watches, this.views),
      watchImpression: finish(this.watchImpression, this.watches, this.views),
      searches: this.searches,
      userSearchOffsets,
      searchTime: finish(this.searchTime, this.searches, this.views),
      searchTokenOffsets: finish(this.searchTokenOffsets, this.searches + 1, this.views),
      searchTokens: finish(this.searchTokens, this.tokens, this.views),
    };
  }
}

/** The keys of `Logs` that hold a column (not a count). */
type ColumnKey = {
  [K in keyof Logs]: Logs[K] extends number ? never : K;
}[keyof Logs];
/** The keys of `Logs` that hold CSR offsets (joined by shifting, not concatenated). */
type OffsetKey =
  'sessionImpOffsets' | 'userWatchOffsets' | 'userSearchOffsets' | 'searchTokenOffsets';

/** An empty array of a's type on a buffer of its own (a view of `a` would keep a's buffer alive). */
function empty<T extends Column>(a: T): T {
  return new (a.constructor as new (n: number) => T)(0);
}

/**
 * The parts one after another in one array of their element type. With `inPlace`, into the
 * buffer of the first part when it starts at 0 and has room for them all (the first part's
 * elements are already there: only the others are copied).
 */
function concat<T extends Column>(parts: T[], inPlace = false): T {
  let n = 0;
  for (const p of parts) n += p.length;
  const first = parts[0];
  const Ctor = first.constructor as {
    new (n: number): T;
    new (b: ArrayBufferLike, at: number, n: number): T;
  };
  const room = first.byteOffset === 0 && first.buffer.byteLength >= n * first.BYTES_PER_ELEMENT;
  const out = inPlace && room ? new Ctor(first.buffer, 0, n) : new Ctor(n);
  let at = 0;
  for (const p of parts) {
    if (p !== first || out.buffer !== first.buffer) out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * CSR offsets of consecutive ranges joined: each part's offsets (starting at 0) shifted by the
 * total of the parts before it, the shared boundary written once.
 */
function joinOffsets(parts: Int32Array[]): Int32Array {
  let n = 1;
  for (const p of parts) n += p.length - 1;
  const out = new Int32Array(n);
  let at = 0;
  let base = 0;
  for (const p of parts) {
    for (let i = 1; i < p.length; i++) out[at + i] = p[i] + base;
    at += p.length - 1;
    base = out[at];
  }
  return out;
}

/**
 * The logs of consecutive user ranges (from `simulateUserRange`, each with ids local to its
 * range) joined into one, ids shifted: the same logs as one range over all the users.
 *
 * `release`: each part's column is replaced by an empty one as soon as it has been copied, so
 * the parts' memory can be reclaimed while the join goes on and the peak is the logs plus one
 * column rather than the logs twice (the parts are then left empty: use only the result). A
 * released first part whose buffers have room for the whole (`simulateUserRange`'s
 * `reserveUntil`) is joined in place: the others are copied after it, nothing of it is copied.
 * `onReleased` is called after each column is released, with the bytes let go of: a caller
 * that can collect garbage on demand (Node, scripts/world-threads.ts) frees them there, since
 * an engine sees no reason to collect while the join allocates nothing.
 */
export function joinLogs(
  parts: Logs[],
  { release = false, onReleased }: { release?: boolean; onReleased?: (bytes: number) => void } = {},
): Logs {
  /** Empties column `key` of every part (on `release`), reporting the bytes let go of. */
  const drop = (key: ColumnKey | OffsetKey, out: ArrayBufferView): void => {
    if (!release) return;
    let bytes = 0;
    for (const p of parts) {
      const a: Column = p[key];
      if (a.buffer !== out.buffer) bytes += a.byteLength;
      (p as unknown as Record<string, Column>)[key] = empty(a);
    }
    onReleased?.(bytes);
  };
  /** Column `key` of every part, one after another; the parts' copies emptied on `release`. */
  const take = <K extends ColumnKey>(key: K): Logs[K] => {
    const out = concat(
      parts.map((p) => p[key]),
      release,
    );
    drop(key, out);
    return out;
  };
  const takeOffsets = (key: OffsetKey): Int32Array => {
    const out = joinOffsets(parts.map((p) => p[key]));
    drop(key, out);
    return out;
  };
  const sum = (f: (p: Logs) => number) => parts.reduce((a, p) => a + f(p), 0);
  // Each part's search and impression ids are shifted by the counts of the parts before it.
  const shifts = parts.map((p) => ({
    sessions: p.sessions,
    watches: p.watches,
    search: 0,
    imp: 0,
  }));
  for (let i = 1; i < parts.length; i++) {
    shifts[i].search = shifts[i - 1].search + parts[i - 1].searches;
    shifts[i].imp = shifts[i - 1].imp + parts[i - 1].impressions;
  }
  const sessions = sum((p) => p.sessions);
  const impressions = sum((p) => p.impressions);
  const watches = sum((p) => p.watches);
  const searches = sum((p) => p.searches);
  const sessionSearch = take('sessionSearch');
  const watchImpression = take('watchImpression');
  let s = 0;
  let w = 0;
  for (const b of shifts) {
    for (let i = 0; i < b.sessions; i++, s++)
      if (sessionSearch[s] >= 0) sessionSearch[s] += b.search;
    for (let i = 0; i < b.watches; i++, w++) watchImpression[w] += b.imp;
  }
  return {
    sessions,
    sessionUser: take('sessionUser'),
    sessionTime: take('sessionTime'),
    sessionSearch,
    sessionImpOffsets: takeOffsets('sessionImpOffsets'),
    impressions,
    impVideo: take('impVideo'),
    impFlags: take('impFlags'),
    watches,
    userWatchOffsets: takeOffsets('userWatchOffsets'),
    watchVideo: take('watchVideo'),
    watchTime: take('watchTime'),
    watchMinutes: take('watchMinutes'),
    watchImpression,
    searches,
    userSearchOffsets: takeOffsets('userSearchOffsets'),
    searchTime: take('searchTime'),
    searchTokenOffsets: takeOffsets('searchTokenOffsets'),
    searchTokens: take('searchTokens'),
  };
}

/** The distinct buffers under the typed arrays of `logs` (to transfer them to another thread). */
export function logBuffers(logs: Logs): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const v of Object.values(logs))
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && !out.includes(v.buffer))
      out.push(v.buffer);
  return out;
}
