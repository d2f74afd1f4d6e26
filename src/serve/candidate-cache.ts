/**
 * What the Funnel view's requests keep of the world between them (docs/performance.md#the-funnel-view):
 * for each query (a user at a serving time, with the watch bag's length), the user's history
 * and the world-only ranking columns of every video ranked for it so far — the candidate
 * features and the oracle's click and watch terms ({@link CandidateColumns}). They depend on
 * the world, the user and the time, never on a model, so a later request (at the same step or
 * any later one) reads them instead of computing them again; the models' parts (embeddings,
 * the tower) are always computed. The rows are those {@link candidateRankingExamplesOf} gives,
 * column for column.
 *
 * Bounded: at most {@link CACHED_QUERIES} queries (the least recently used goes) and
 * {@link CACHED_ROWS} videos per query (beyond, the query starts again empty). The sweep's
 * timed requests do not read it: each computes its own features, as a request served in full.
 */
import {
  candidateColumnsOf,
  candidateExamplesWith,
  userHistory,
  type CandidateColumns,
  type UserHistory,
} from '../sim/candidate-features';
import type { RankingExamples } from '../sim/ranking-examples';
import type { World } from '../sim/types';

/** Queries kept per world (the view's 40 held-out users and the focus user, with room). */
export const CACHED_QUERIES = 48;
/**
 * Videos kept per query (the view's untimed rankings of a query are about 1 000 to 2 000 videos
 * per request; beyond the bound, the query starts again empty).
 */
export const CACHED_ROWS = 8_192;

/** Float columns of {@link CandidateColumns}, in a fixed order. */
const FLOATS = [
  'sinceChannel',
  'sinceTopic',
  'previousImpressions',
  'videoAge',
  'logPopularity',
  'oracleClick',
  'oracleWatch',
] as const;

/** One query's history and the columns of the videos ranked for it so far. */
class QueryColumns {
  /** Row of each video kept. */
  private readonly rowOf = new Map<number, number>();
  private floats: Float32Array[] = FLOATS.map(() => new Float32Array(0));
  private languageMatch = new Uint8Array(0);
  /** Videos kept. */
  size = 0;

  constructor(
    private readonly world: World,
    readonly history: UserHistory,
  ) {}

  /** The columns of `videos`, computing (and keeping) those of videos not kept yet. */
  columnsOf(videos: Int32Array): CandidateColumns {
    const n = videos.length;
    if (n > CACHED_ROWS) return candidateColumnsOf(this.world, this.history, videos);
    this.keep(videos);
    const out = FLOATS.map(() => new Float32Array(n));
    const match = new Uint8Array(n);
    const floats = this.floats;
    for (let i = 0; i < n; i++) {
      const r = this.rowOf.get(videos[i])!;
      for (let c = 0; c < FLOATS.length; c++) out[c][i] = floats[c][r];
      match[i] = this.languageMatch[r];
    }
    const columns = { languageMatch: match } as CandidateColumns;
    FLOATS.forEach((name, c) => (columns[name] = out[c]));
    return columns;
  }

  /** Computes and keeps the columns of the videos of `videos` not kept yet (at most CACHED_ROWS). */
  keep(videos: Int32Array): void {
    const n = videos.length;
    let missing = 0;
    for (let i = 0; i < n; i++) if (!this.rowOf.has(videos[i])) missing++;
    if (missing > 0) {
      if (this.size + missing > CACHED_ROWS) {
        this.clear();
        missing = n;
      }
      const fresh = new Int32Array(missing);
      let j = 0;
      for (let i = 0; i < n; i++) {
        const v = videos[i];
        if (!this.rowOf.has(v)) {
          this.rowOf.set(v, -1); // a repeated id of `videos` is computed once
          fresh[j++] = v;
        }
      }
      this.append(
        fresh.subarray(0, j),
        candidateColumnsOf(this.world, this.history, fresh.subarray(0, j)),
      );
    }
  }

  private append(videos: Int32Array, cols: CandidateColumns): void {
    const need = this.size + videos.length;
    if (need > this.languageMatch.length) {
      const cap = Math.min(CACHED_ROWS, Math.max(need, 2 * this.languageMatch.length, 1024));
      this.floats = this.floats.map((a) => grow(a, cap, this.size));
      const match = new Uint8Array(cap);
      match.set(this.languageMatch.subarray(0, this.size));
      this.languageMatch = match;
    }
    FLOATS.forEach((name, c) => this.floats[c].set(cols[name], this.size));
    this.languageMatch.set(cols.languageMatch, this.size);
    for (let i = 0; i < videos.length; i++) this.rowOf.set(videos[i], this.size + i);
    this.size = need;
  }

  private clear(): void {
    this.rowOf.clear();
    this.size = 0;
  }
}

function grow(a: Float32Array, cap: number, keep: number): Float32Array {
  const out = new Float32Array(cap);
  out.set(a.subarray(0, keep));
  return out;
}

/** The kept queries of each world, least recently used first. */
const kept = new WeakMap<World, Map<string, QueryColumns>>();

function queryColumns(world: World, user: number, time: number, maxWatches: number): QueryColumns {
  let byKey = kept.get(world);
  if (!byKey) kept.set(world, (byKey = new Map()));
  const key = `${user}|${time}|${maxWatches}`;
  let q = byKey.get(key);
  if (q) byKey.delete(key);
  else q = new QueryColumns(world, userHistory(world, user, time, maxWatches));
  byKey.set(key, q); // most recently used last
  if (byKey.size > CACHED_QUERIES) byKey.delete(byKey.keys().next().value!);
  return q;
}

/** Videos kept for each query of `world`, least recently used first (benches and tests). */
export function cachedRows(world: World): number[] {
  return [...(kept.get(world)?.values() ?? [])].map((q) => q.size);
}

/** The user's history strictly before `time` ({@link userHistory}), kept between requests. */
export function cachedHistory(
  world: World,
  user: number,
  time: number,
  maxWatches: number,
): UserHistory {
  return queryColumns(world, user, time, maxWatches).history;
}

/**
 * Computes and keeps the world-only columns of `videos` for `user` at `time` (at most
 * {@link CACHED_ROWS}), so that a later {@link cachedCandidateExamples} of them reads them:
 * the Funnel view's preparation while the worker is idle (src/worker/funnel-prep.ts). The
 * values are those a request would compute; keeping them ahead changes no row.
 */
export function keepCandidateColumns(
  world: World,
  user: number,
  time: number,
  maxWatches: number,
  videos: Int32Array,
): void {
  if (videos.length <= CACHED_ROWS) queryColumns(world, user, time, maxWatches).keep(videos);
}

/**
 * {@link candidateRankingExamplesOf} of `videos` for `user` at `time` (the same rows, column
 * for column), its world-only columns read from what earlier calls kept where they can.
 */
export function cachedCandidateExamples(
  world: World,
  user: number,
  time: number,
  maxWatches: number,
  videos: Int32Array,
): RankingExamples {
  const q = queryColumns(world, user, time, maxWatches);
  return candidateExamplesWith(world, q.history, videos, q.columnsOf(videos));
}
