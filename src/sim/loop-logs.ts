/**
 * Logs that grow, for the closed loop (docs/loop.md): a world's logs cut at a time, each round's
 * sessions written as the policy served them and the users answered (choice.ts), and the two
 * joined user by user. Every result has the shape of `Logs` — sessions grouped by user in time
 * order, impressions by session, watches and searches in CSR by user in time order — so every
 * reader of logs (training examples, ranking features, evaluation) reads it unchanged.
 *
 * Every search and every watch belongs to a session (sessions.ts starts a session with its
 * search and logs a watch per clicked impression), so copying sessions in order with their
 * search, impressions and watches copies the whole log.
 */
import type { SlateAnswer } from './choice';
import { LogColumns } from './log-columns';
import { logRoom, reserveColumns } from './log-room';
import { impFlagsOf, type ImpressionSource, type Logs } from './types';

/** Most query tokens of one search that `LogColumns.reserve` makes room for. */
const MAX_QUERY_TOKENS = 3;

/** Builds logs session by session, users in ascending order. */
class LogBuilder {
  readonly out: LogColumns;
  private readonly userWatchOffsets: Int32Array;
  private readonly userSearchOffsets: Int32Array;
  /** Users whose offsets are written: 0 … next − 1. */
  private next = 0;

  constructor(
    readonly users: number,
    sessionCap: number,
    impressionsPerSession: number,
  ) {
    this.out = new LogColumns(
      reserveColumns(logRoom(Math.max(16, sessionCap), Math.max(1, impressionsPerSession), 0.05)),
    );
    this.userWatchOffsets = new Int32Array(users + 1);
    this.userSearchOffsets = new Int32Array(users + 1);
  }

  /** Writes the offsets of every user before u (whose sessions are all written). */
  startUser(u: number): void {
    if (u < this.next - 1)
      throw new RangeError(`users must come in ascending order (${u} after ${this.next - 1})`);
    for (; this.next <= u; this.next++) {
      this.userWatchOffsets[this.next] = this.out.watches;
      this.userSearchOffsets[this.next] = this.out.searches;
    }
  }

  /**
   * Copies sessions [s0, s1) of user u from `src` with their searches, impressions and watches
   * (the user's watches from `src.userWatchOffsets[u]` on whose impression is one of theirs).
   */
  copySessions(src: Logs, u: number, s0: number, s1: number): void {
    const out = this.out;
    let j = src.userWatchOffsets[u];
    const w1 = src.userWatchOffsets[u + 1];
    for (let s = s0; s < s1; s++) {
      const i0 = src.sessionImpOffsets[s];
      const i1 = src.sessionImpOffsets[s + 1];
      out.reserve(i1 - i0);
      const ses = out.sessions++;
      out.sessionUser[ses] = u;
      out.sessionTime[ses] = src.sessionTime[s];
      const q = src.sessionSearch[s];
      if (q >= 0) {
        const t0 = src.searchTokenOffsets[q];
        const t1 = src.searchTokenOffsets[q + 1];
        if (t1 - t0 > MAX_QUERY_TOKENS)
          throw new RangeError(`search ${q} has ${t1 - t0} tokens (at most ${MAX_QUERY_TOKENS})`);
        const id = out.searches++;
        out.searchTime[id] = src.searchTime[q];
        for (let k = t0; k < t1; k++) out.searchTokens[out.tokens++] = src.searchTokens[k];
        out.searchTokenOffsets[out.searches] = out.tokens;
        out.sessionSearch[ses] = id;
      } else out.sessionSearch[ses] = -1;
      const shift = out.impressions - i0;
      out.impVideo.set(src.impVideo.subarray(i0, i1), out.impressions);
      out.impFlags.set(src.impFlags.subarray(i0, i1), out.impressions);
      out.impressions += i1 - i0;
      out.sessionImpOffsets[ses + 1] = out.impressions;
      // This session's watches: the user's next watches whose impression is in [i0, i1).
      while (j < w1 && src.watchImpression[j] < i0) j++;
      for (; j < w1 && src.watchImpression[j] < i1; j++) {
        const w = out.watches++;
        out.watchVideo[w] = src.watchVideo[j];
        out.watchTime[w] = src.watchTime[j];
        out.watchMinutes[w] = src.watchMinutes[j];
        out.watchImpression[w] = src.watchImpression[j] + shift;
      }
    }
  }

  /**
   * Writes one served session of user u at time t: the slate's first `n` videos with their
   * sources, and the user's answer (clicks, minutes, watch start times).
   */
  writeSession(
    u: number,
    t: number,
    slate: ArrayLike<number>,
    source: ArrayLike<number>,
    answer: SlateAnswer,
  ): void {
    const out = this.out;
    const n = slate.length;
    out.reserve(n);
    const ses = out.sessions++;
    out.sessionUser[ses] = u;
    out.sessionTime[ses] = t;
    out.sessionSearch[ses] = -1;
    for (let i = 0; i < n; i++) {
      const imp = out.impressions++;
      out.impVideo[imp] = slate[i];
      out.impFlags[imp] = impFlagsOf(source[i], answer.clicked[i]);
      if (answer.clicked[i]) {
        const w = out.watches++;
        out.watchVideo[w] = slate[i];
        out.watchTime[w] = answer.watchTime[i];
        out.watchMinutes[w] = answer.minutes[i];
        out.watchImpression[w] = imp;
      }
    }
    out.sessionImpOffsets[ses + 1] = out.impressions;
  }

  /** The logs built (every user's offsets written). */
  finish(): Logs {
    this.startUser(this.users);
    return this.out.finish(this.userWatchOffsets, this.userSearchOffsets);
  }
}

/** Sessions [s0, s1) of each user: sessions are grouped by user in ascending order. */
function forEachUser(logs: Logs, users: number, f: (u: number, s0: number, s1: number) => void) {
  let s = 0;
  for (let u = 0; u < users; u++) {
    const s0 = s;
    while (s < logs.sessions && logs.sessionUser[s] === u) s++;
    f(u, s0, s);
  }
  if (s !== logs.sessions)
    throw new RangeError('sessions are not grouped by user in ascending order');
}

/** Mean impressions per session of `logs` (at least 1). */
function perSession(logs: Logs): number {
  return Math.max(1, Math.ceil(logs.impressions / Math.max(1, logs.sessions)));
}

/**
 * The part of `logs` (of `users` users) before time t (days): each user's sessions that started
 * before t, with their searches, impressions and watches (a watch of such a session may end
 * after t). The ids are renumbered; nothing else changes.
 */
export function logsBefore(logs: Logs, users: number, t: number): Logs {
  return logsBetween(logs, users, -Infinity, t);
}

/**
 * The part of `logs` whose sessions started in [from, to) (days), as {@link logsBefore}: each
 * user's sessions in the window with their searches, impressions and watches, ids renumbered.
 */
export function logsBetween(logs: Logs, users: number, from: number, to: number): Logs {
  const b = new LogBuilder(users, logs.sessions, perSession(logs));
  forEachUser(logs, users, (u, s0, s1) => {
    let a = s0;
    while (a < s1 && logs.sessionTime[a] < from) a++;
    let k = a;
    while (k < s1 && logs.sessionTime[k] < to) k++;
    b.startUser(u);
    b.copySessions(logs, u, a, k);
  });
  return b.finish();
}

/**
 * `old` followed by `added`, user by user: each user's sessions of `old`, then theirs of
 * `added` (which must start no earlier than the user's last session of `old`), with searches
 * and watches in the same order, ids renumbered.
 */
export function appendLogs(old: Logs, added: Logs, users: number): Logs {
  const b = new LogBuilder(users, old.sessions + added.sessions, perSession(old));
  const ranges: [number, number][] = [];
  forEachUser(added, users, (_u, s0, s1) => ranges.push([s0, s1]));
  forEachUser(old, users, (u, s0, s1) => {
    b.startUser(u);
    b.copySessions(old, u, s0, s1);
    const [a0, a1] = ranges[u];
    if (a1 > a0 && s1 > s0 && added.sessionTime[a0] < old.sessionTime[s1 - 1])
      throw new RangeError(`user ${u}'s added sessions start before their last logged one`);
    b.copySessions(added, u, a0, a1);
  });
  return b.finish();
}

/**
 * Writes the sessions of one round as they are served and answered: users in ascending order,
 * each user's sessions in time order. `finish()` gives them as `Logs` of their own (ids from 0),
 * ready for {@link appendLogs}.
 */
export class RoundWriter {
  private readonly b: LogBuilder;

  constructor(users: number, expectedSessions: number, impressionsPerSession: number) {
    this.b = new LogBuilder(users, Math.ceil(expectedSessions * 1.1) + 16, impressionsPerSession);
  }

  /** Writes one session of user u (users ascending) starting at t (days). */
  session(
    u: number,
    t: number,
    slate: ArrayLike<number>,
    source: ArrayLike<number> | ImpressionSource,
    answer: SlateAnswer,
  ): void {
    this.b.startUser(u);
    const src = typeof source === 'number' ? new Uint8Array(slate.length).fill(source) : source;
    this.b.writeSession(u, t, slate, src, answer);
  }

  finish(): Logs {
    return this.b.finish();
  }
}
