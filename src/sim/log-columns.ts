/**
 * The log columns as the session simulation writes them (sessions.ts), and the joining of the
 * logs of consecutive user ranges (shards) into one. Every column is a typed array; nothing
 * is stored per impression but numbers (docs/performance.md#world-generation).
 */
import type { LogArrayKey, LogArrays, LogRoom } from './log-room';
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
   * Writes into `columns` (each array as long as its room: log-room.ts, `reserveColumns` for
   * fresh ones or a window of `sharedColumns`); a column grows into a fresh array of its own when
   * a session would not fit. `views`: `finish` hands out views on the arrays however empty they
   * are (a range joined in place or copied and released at once: `joinLogs`) instead of a tight
   * copy of a column less than three quarters full.
   */
  constructor(
    columns: LogArrays,
    private readonly views = false,
  ) {
    this.sessionUser = columns.sessionUser;
    this.sessionTime = columns.sessionTime;
    this.sessionSearch = columns.sessionSearch;
    this.sessionImpOffsets = columns.sessionImpOffsets;
    this.impVideo = columns.impVideo;
    this.impFlags = columns.impFlags;
    this.watchVideo = columns.watchVideo;
    this.watchTime = columns.watchTime;
    this.watchMinutes = columns.watchMinutes;
    this.watchImpression = columns.watchImpression;
    this.searchTime = columns.searchTime;
    this.searchTokenOffsets = columns.searchTokenOffsets;
    this.searchTokens = columns.searchTokens;
  }

  /** The elements written so far, by family (`LogRoom`, CSR offsets' extra element not counted). */
  written(): LogRoom {
    const { sessions, impressions, watches, searches, tokens } = this;
    return { sessions, impressions, watches, searches, tokens };
  }

  /**
   * Goes on writing into `columns` (a window of shared columns that starts where the present
   * arrays start, such as the first range's once its room is known: scripts/world-threads.ts):
   * each present array that lies at the start of its window's buffer is replaced by the window's
   * array (the elements written stay where they are); a column that has grown into an array of
   * its own keeps it. Throws if a window is shorter than what is written.
   */
  rewindow(columns: LogArrays): void {
    const w = this.written();
    const lengths: Record<LogArrayKey, number> = {
      sessionUser: w.sessions,
      sessionTime: w.sessions,
      sessionSearch: w.sessions,
      sessionImpOffsets: w.sessions + 1,
      impVideo: w.impressions,
      impFlags: w.impressions,
      watchVideo: w.watches,
      watchTime: w.watches,
      watchMinutes: w.watches,
      watchImpression: w.watches,
      searchTime: w.searches,
      searchTokenOffsets: w.searches + 1,
      searchTokens: w.tokens,
    };
    const self = this as unknown as Record<LogArrayKey, Column>;
    for (const key of Object.keys(lengths) as LogArrayKey[]) {
      const now = self[key];
      const next = columns[key];
      if (now.buffer !== next.buffer || now.byteOffset !== next.byteOffset) continue;
      if (next.length < lengths[key])
        throw new RangeError(`${key}: a window of ${next.length} under ${lengths[key]} written`);
      self[key] = next;
    }
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
 * Whether `parts` (each `extra` elements longer than what it adds: 1 for CSR offsets, whose
 * first 0 the join writes once) can be joined in place into `room`, a view on a buffer some of
 * the parts may already lie in: the whole fits, every part in room's buffer lies inside `room`
 * after the ones before it, and none lies below where the join puts it — so writing the parts in
 * order, each moved down (`copyWithin`) or copied, never overwrites a part not yet moved.
 */
function fitsIn(room: Column, parts: Column[], extra: 0 | 1): boolean {
  const bpe = room.BYTES_PER_ELEMENT;
  let at = 0;
  let free = 0; // the first element of room not taken by a part in it
  for (const p of parts) {
    if (p.buffer === room.buffer) {
      const src = (p.byteOffset - room.byteOffset) / bpe;
      if (src < at || src < free || src + p.length > room.length) return false;
      free = src + p.length;
    }
    at += p.length - extra;
  }
  return at + extra <= room.length;
}

/**
 * The parts one after another in one array of their element type. With `inPlace`, into the
 * first of `rooms` (each a view on a buffer, such as shared columns reserved for every range,
 * or the first part's buffer) that has room for them all without overwriting a part not yet
 * moved ({@link fitsIn}): parts already in that buffer are moved down (or left where they are),
 * the others copied. Otherwise into a fresh array.
 */
function concat<T extends Column>(parts: T[], inPlace: boolean, rooms: T[]): T {
  let n = 0;
  for (const p of parts) n += p.length;
  const Ctor = parts[0].constructor as {
    new (n: number): T;
    new (b: ArrayBufferLike, at: number, n: number): T;
  };
  const room = inPlace ? rooms.find((r) => fitsIn(r, parts, 0)) : undefined;
  const out = room ? new Ctor(room.buffer, room.byteOffset, n) : new Ctor(n);
  let at = 0;
  for (const p of parts) {
    if (room && p.buffer === room.buffer) {
      // On `room`, not `out`: copyWithin clamps to the array's length, and p may lie past out's.
      const src = (p.byteOffset - room.byteOffset) / p.BYTES_PER_ELEMENT;
      if (src !== at) room.copyWithin(at, src, src + p.length);
    } else out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * CSR offsets of consecutive ranges joined: each part's offsets (starting at 0) shifted by the
 * total of the parts before it, the shared boundary written once. In place into the first of
 * `rooms` that fits (as `concat`), moving each part down as it is shifted, when `inPlace`.
 */
function joinOffsets(parts: Int32Array[], inPlace = false, rooms: Int32Array[] = []): Int32Array {
  let n = 1;
  for (const p of parts) n += p.length - 1;
  const room = inPlace ? rooms.find((r) => fitsIn(r, parts, 1)) : undefined;
  const out = room ? new Int32Array(room.buffer, room.byteOffset, n) : new Int32Array(n);
  out[0] = 0;
  let at = 0;
  let base = 0;
  for (const p of parts) {
    // Forward: in place, element i is written at or below where p's element i lies, after it
    // has been read, and p's later elements lie above.
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
 * `into` (with `release`): shared columns the parts were written in, one window per part
 * (log-room.ts `sharedColumns`): each part is moved down onto the end of the one before it
 * (`copyWithin`), nothing is copied between buffers; a part that outgrew its window (and so
 * lies in an array of its own) is copied into place, and a column in which that would overwrite
 * a part not yet moved is joined by copying into a fresh array as without `into`.
 * `onReleased` is called after each column is released, with the bytes let go of: a caller
 * that can collect garbage on demand (Node, scripts/world-threads.ts) frees them there, since
 * an engine sees no reason to collect while the join allocates nothing.
 */
export function joinLogs(
  parts: Logs[],
  {
    release = false,
    onReleased,
    into,
  }: { release?: boolean; onReleased?: (bytes: number) => void; into?: LogArrays } = {},
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
  /**
   * Where column `key` may be joined in place: `into`'s column, then the rest of the buffer the
   * first part's column lies in.
   */
  const rooms = <T extends Column>(key: ColumnKey | OffsetKey): T[] => {
    const first = parts[0][key] as T;
    const bpe = first.BYTES_PER_ELEMENT;
    const Ctor = first.constructor as new (b: ArrayBufferLike, at: number, n: number) => T;
    const rest = new Ctor(
      first.buffer,
      first.byteOffset,
      (first.buffer.byteLength - first.byteOffset) / bpe,
    );
    const shared = into && key in into ? (into[key as LogArrayKey] as T) : undefined;
    return shared ? [shared, rest] : [rest];
  };
  /** Column `key` of every part, one after another; the parts' copies emptied on `release`. */
  const take = <K extends ColumnKey>(key: K): Logs[K] => {
    const out = concat(
      parts.map((p) => p[key]),
      release,
      rooms(key),
    );
    drop(key, out);
    return out;
  };
  const takeOffsets = (key: OffsetKey): Int32Array => {
    const out = joinOffsets(
      parts.map((p) => p[key]),
      release,
      rooms(key),
    );
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
