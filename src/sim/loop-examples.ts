/**
 * Training and serving examples for the closed loop (docs/loop.md#retraining): the rows of a
 * window of days taken out of the examples of the whole log, and the candidate model's serving
 * inputs for users at a time (their history before it, example age 0). Pure.
 */
import { defaultCandidateOptions, lowerBound, type CandidateExamples } from './examples';
import type { RankingExamples } from './ranking-examples';
import type { World } from './types';

type Columnar = { count: number };

/**
 * The rows `rows` of columnar examples: every typed-array column of length `count` indexed
 * by them, everything else (options) kept. Bag ranges still point into the same logs.
 */
function pickRows<T extends Columnar>(ex: T, rows: ArrayLike<number>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ex)) {
    if (ArrayBuffer.isView(v) && (v as unknown as ArrayLike<number>).length === ex.count) {
      const col = v as unknown as Int32Array;
      const picked = new (col.constructor as new (n: number) => Int32Array)(rows.length);
      for (let i = 0; i < rows.length; i++) picked[i] = col[rows[i]];
      out[k] = picked;
    } else out[k] = v;
  }
  out.count = rows.length;
  return out as T;
}

/** Candidate examples `rows` of `ex`. */
export function candidateRows(ex: CandidateExamples, rows: ArrayLike<number>): CandidateExamples {
  return pickRows(ex, rows);
}

/** Ranking examples `rows` of `ex`. */
export function rankingRows(ex: RankingExamples, rows: ArrayLike<number>): RankingExamples {
  return pickRows(ex, rows);
}

/** The rows whose time is at least `from` (days), ascending. */
export function rowsFrom(time: ArrayLike<number>, from: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < time.length; i++) if (time[i] >= from) out.push(i);
  return Int32Array.from(out);
}

/**
 * The candidate model's serving examples of `users` at time t (days): one row per user, the
 * watch bag the newest `maxWatches` watches before t, the searches before t, example age 0,
 * no label (−1). `candidate.inputs(ex, rows, true)` then gives the users' tower inputs.
 */
export function servingExamples(
  world: World,
  users: ArrayLike<number>,
  t: number,
  maxWatches = defaultCandidateOptions.maxWatches,
): CandidateExamples {
  const n = users.length;
  const { userWatchOffsets, watchTime, userSearchOffsets, searchTime } = world.logs;
  const ex: CandidateExamples = {
    count: n,
    options: { ...defaultCandidateOptions, split: 'test', maxWatches },
    user: Int32Array.from(users),
    label: new Int32Array(n).fill(-1),
    labelWatch: new Int32Array(n).fill(-1),
    time: new Float32Array(n).fill(t),
    exampleAge: new Float32Array(n),
    bagStart: new Int32Array(n),
    bagEnd: new Int32Array(n),
    bagSkip: new Int32Array(n).fill(-1),
    searchEnd: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const u = users[i];
    const w0 = userWatchOffsets[u];
    const end = lowerBound(watchTime, w0, userWatchOffsets[u + 1], t);
    ex.bagStart[i] = Math.max(w0, end - maxWatches);
    ex.bagEnd[i] = end;
    ex.searchEnd[i] = lowerBound(searchTime, userSearchOffsets[u], userSearchOffsets[u + 1], t);
  }
  return ex;
}

/**
 * Columnar examples one after another (e.g. the ranking rows of every user served in a round,
 * scored in one call): every typed-array column concatenated, `options` of the first.
 */
export function concatRows<T extends Columnar>(parts: readonly T[]): T {
  if (parts.length === 0) throw new RangeError('concatRows needs at least one part');
  const total = parts.reduce((a, p) => a + p.count, 0);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parts[0])) {
    if (ArrayBuffer.isView(v) && (v as unknown as ArrayLike<number>).length === parts[0].count) {
      const col = new ((v as unknown as Int32Array).constructor as new (n: number) => Int32Array)(
        total,
      );
      let at = 0;
      for (const p of parts) {
        col.set((p as unknown as Record<string, Int32Array>)[k], at);
        at += p.count;
      }
      out[k] = col;
    } else out[k] = v;
  }
  out.count = total;
  return out as T;
}
