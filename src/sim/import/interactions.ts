/**
 * The rows of loaded files checked one by one and gathered into {@link Interactions}: every
 * value is validated where it is read, and the first bad one stops the load with a
 * {@link DataError} naming the file, the line, the column and what is allowed.
 */
import { DATA_LIMITS, DataError, ML100K_GENRES, lineError, type DataFormat } from './formats';

/**
 * Interactions as loaded, in file order. Users and items get dense ids 0 … count−1 in order of
 * first appearance in the interaction files; `userKeys` / `itemKeys` hold the files' own ids.
 */
export interface Interactions {
  format: DataFormat;
  /** The files read, in load order. */
  files: string[];
  count: number;
  user: Int32Array;
  item: Int32Array;
  /** Seconds since 1970-01-01 (MovieLens timestamps). */
  time: Float64Array;
  /** Seconds watched, or NaN where the file has none (MovieLens: always NaN). */
  watchSeconds: Float64Array;
  userKeys: string[];
  itemKeys: string[];
  /** Title per item ('' where no file gave one). */
  titles: string[];
  /** Genre names (MovieLens) — empty when no item file was loaded. */
  genres: string[];
  /** First genre of each item (index into `genres`), or −1. */
  itemGenre: Int32Array;
}

/** Where a row came from (1-based line). */
export interface RowPlace {
  file: string;
  line: number;
}

/** A generic CSV's column positions from its header. */
interface CsvColumns {
  user: number;
  item: number;
  timestamp: number;
  watchSeconds: number;
  title: number;
}

const GENERIC_HEADER = 'user,item,timestamp[,watch_seconds][,title]';

/** Gathers rows of interaction and item files; `finish` returns the {@link Interactions}. */
export class InteractionBuilder {
  private users = new Map<string, number>();
  private items = new Map<string, number>();
  private userKeys: string[] = [];
  private itemKeys: string[] = [];
  private u: number[] = [];
  private i: number[] = [];
  private t: number[] = [];
  private w: number[] = [];
  /** Titles and genres by item key (from item files, or the generic CSV's title column). */
  private titleOf = new Map<string, string>();
  private genreOf = new Map<string, string>();
  private csv: CsvColumns | null = null;
  private files: string[] = [];

  constructor(readonly format: DataFormat) {}

  /** A new file starts (its header, if any, is its first row). */
  startFile(name: string): void {
    this.files.push(name);
    this.csv = null;
  }

  /** One row of an interaction file. Throws a {@link DataError} on a bad value. */
  ratingRow(f: string[], at: RowPlace): void {
    if (this.format === 'csv') return this.genericRow(f, at);
    if (this.format === 'movielens' && at.line === 1) {
      const want = ['userId', 'movieId', 'rating', 'timestamp'];
      if (want.some((c, k) => (f[k] ?? '').trim() !== c))
        throw lineError(
          at.file,
          1,
          1,
          'header',
          `a MovieLens ratings.csv starts with the header ${want.join(',')} (got "${cut(f.join(','))}")`,
        );
      return;
    }
    need(f, 4, at, 'userId, movieId, rating, timestamp');
    const user = key(f[0], at, 1, 'user id');
    const item = key(f[1], at, 2, 'item id');
    const rating = Number(f[2]);
    if (f[2].trim() === '' || !Number.isFinite(rating))
      throw lineError(at.file, at.line, 3, 'rating', `"${cut(f[2])}" is not a number`);
    const time = seconds(f[3], at, 4, false);
    this.push(user, item, time, NaN, at);
  }

  /** One row of an item file (movies.csv, movies.dat, u.item). */
  itemRow(f: string[], at: RowPlace): void {
    if (this.format === 'movielens' && at.line === 1) {
      if ((f[0] ?? '').trim() !== 'movieId' || (f[1] ?? '').trim() !== 'title')
        throw lineError(
          at.file,
          1,
          1,
          'header',
          `a MovieLens movies.csv starts with the header movieId,title,genres (got "${cut(f.join(','))}")`,
        );
      return;
    }
    if (this.format === 'ml100k') {
      need(f, 5 + ML100K_GENRES.length, at, 'movie id | title | release date | … | 19 genre flags');
      const item = key(f[0], at, 1, 'movie id');
      this.titleOf.set(item, f[1]);
      for (let g = 0; g < ML100K_GENRES.length; g++) {
        const flag = f[5 + g].trim();
        if (flag !== '0' && flag !== '1')
          throw lineError(
            at.file,
            at.line,
            6 + g,
            ML100K_GENRES[g],
            `"${cut(flag)}" is not 0 or 1`,
          );
        if (flag === '1' && !this.genreOf.has(item)) this.genreOf.set(item, ML100K_GENRES[g]);
      }
      return;
    }
    need(f, 3, at, 'movieId, title, genres');
    const item = key(f[0], at, 1, 'movie id');
    this.titleOf.set(item, f[1]);
    const first = f[2].split('|')[0].trim();
    if (first && first !== '(no genres listed)') this.genreOf.set(item, first);
  }

  private genericRow(f: string[], at: RowPlace): void {
    if (!this.csv) {
      // The header: required, names the columns in any order.
      const names = f.map((c) => c.trim().toLowerCase());
      const col = (n: string) => names.indexOf(n);
      const c: CsvColumns = {
        user: col('user'),
        item: col('item'),
        timestamp: col('timestamp'),
        watchSeconds: col('watch_seconds'),
        title: col('title'),
      };
      const missing = (['user', 'item', 'timestamp'] as const).filter((k) => c[k] < 0);
      if (missing.length)
        throw lineError(
          at.file,
          at.line,
          1,
          'header',
          `a CSV needs a header line naming its columns ${GENERIC_HEADER}; missing ${missing.join(', ')} (got "${cut(f.join(','))}")`,
        );
      this.csv = c;
      return;
    }
    const c = this.csv;
    need(f, Math.max(c.user, c.item, c.timestamp) + 1, at, GENERIC_HEADER);
    const user = key(f[c.user], at, c.user + 1, 'user');
    const item = key(f[c.item], at, c.item + 1, 'item');
    const time = seconds(f[c.timestamp], at, c.timestamp + 1, true);
    let watch = NaN;
    if (c.watchSeconds >= 0 && (f[c.watchSeconds] ?? '').trim() !== '') {
      watch = Number(f[c.watchSeconds]);
      if (!Number.isFinite(watch) || watch < 0)
        throw lineError(
          at.file,
          at.line,
          c.watchSeconds + 1,
          'watch_seconds',
          `"${cut(f[c.watchSeconds])}" is not a number of seconds ≥ 0`,
        );
    }
    if (c.title >= 0 && (f[c.title] ?? '').trim() !== '' && !this.titleOf.has(item))
      this.titleOf.set(item, f[c.title].trim());
    this.push(user, item, time, watch, at);
  }

  private push(user: string, item: string, time: number, watch: number, at: RowPlace): void {
    if (this.u.length >= DATA_LIMITS.interactions)
      throw new DataError(
        at.file,
        at.line,
        null,
        `${at.file} line ${at.line}: more than ${DATA_LIMITS.interactions.toLocaleString('en')} interactions; the limit is ${DATA_LIMITS.interactions.toLocaleString('en')}`,
      );
    let ui = this.users.get(user);
    if (ui === undefined) {
      if (this.userKeys.length >= DATA_LIMITS.users)
        throw new DataError(
          at.file,
          at.line,
          null,
          `${at.file} line ${at.line}: more than ${DATA_LIMITS.users.toLocaleString('en')} users; the limit is ${DATA_LIMITS.users.toLocaleString('en')}`,
        );
      this.users.set(user, (ui = this.userKeys.length));
      this.userKeys.push(user);
    }
    let ii = this.items.get(item);
    if (ii === undefined) {
      if (this.itemKeys.length >= DATA_LIMITS.items)
        throw new DataError(
          at.file,
          at.line,
          null,
          `${at.file} line ${at.line}: more than ${DATA_LIMITS.items.toLocaleString('en')} items; the limit is ${DATA_LIMITS.items.toLocaleString('en')}`,
        );
      this.items.set(item, (ii = this.itemKeys.length));
      this.itemKeys.push(item);
    }
    this.u.push(ui);
    this.i.push(ii);
    this.t.push(time);
    this.w.push(watch);
  }

  /** The interactions gathered; throws a {@link DataError} when there are too few to train on. */
  finish(): Interactions {
    const files = this.files.join(', ');
    if (this.u.length === 0)
      throw new DataError(
        files,
        null,
        null,
        `${files}: no interactions found (a ratings file or a CSV of ${GENERIC_HEADER} is needed)`,
      );
    if (this.userKeys.length < 2 || this.itemKeys.length < 2)
      throw new DataError(
        files,
        null,
        null,
        `${files}: ${this.userKeys.length} user(s) and ${this.itemKeys.length} item(s); at least 2 of each are needed`,
      );
    const genres = [
      ...new Set(this.itemKeys.map((k) => this.genreOf.get(k)).filter((g) => g !== undefined)),
    ].sort();
    const gi = new Map(genres.map((g, k) => [g, k]));
    return {
      format: this.format,
      files: [...this.files],
      count: this.u.length,
      user: Int32Array.from(this.u),
      item: Int32Array.from(this.i),
      time: Float64Array.from(this.t),
      watchSeconds: Float64Array.from(this.w),
      userKeys: this.userKeys,
      itemKeys: this.itemKeys,
      titles: this.itemKeys.map((k) => this.titleOf.get(k) ?? ''),
      genres,
      itemGenre: Int32Array.from(this.itemKeys, (k) => {
        const g = this.genreOf.get(k);
        return g === undefined ? -1 : gi.get(g)!;
      }),
    };
  }
}

/** A value quoted in a message, cut to 40 characters. */
function cut(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}

function need(f: string[], n: number, at: RowPlace, what: string): void {
  if (f.length < n)
    throw lineError(
      at.file,
      at.line,
      f.length + 1,
      'missing field',
      `${f.length} field(s) where ${n} are needed (${what})`,
    );
}

function key(s: string | undefined, at: RowPlace, column: number, name: string): string {
  const k = (s ?? '').trim();
  if (k === '') throw lineError(at.file, at.line, column, name, 'empty; an id is needed');
  return k;
}

/**
 * A timestamp in seconds: a whole number of seconds since 1970 (0 … 10¹¹), or with `iso` also
 * an ISO 8601 date ("2024-05-01T12:00:00Z").
 */
function seconds(s: string | undefined, at: RowPlace, column: number, iso: boolean): number {
  const v = (s ?? '').trim();
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n <= 1e11) return n;
  }
  if (iso && /^\d{4}-\d{2}-\d{2}/.test(v)) {
    const ms = Date.parse(v);
    if (Number.isFinite(ms) && ms >= 0) return ms / 1000;
  }
  throw lineError(
    at.file,
    at.line,
    column,
    'timestamp',
    `"${cut(v)}" is not a whole number of seconds since 1970 from 0 to 100000000000${iso ? ' or an ISO 8601 date' : ''}`,
  );
}
