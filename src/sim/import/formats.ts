/**
 * The file formats of "your own data" (docs/own-data.md), the role each file plays, the size
 * limits and the error every bad file gets. Pure: no DOM, no parsing here (parse.ts).
 */

/**
 * A data format: `movielens` (ml-latest `ratings.csv` + `movies.csv`, comma-separated, header),
 * `ml100k` (MovieLens 100K `u.data` tab-separated + `u.item` pipe-separated latin-1, no header),
 * `ml1m` (MovieLens 1M `ratings.dat` + `movies.dat`, `::`-separated latin-1, no header), `csv`
 * (generic `user,item,timestamp[,watch_seconds][,title]`, header required).
 */
export type DataFormat = 'movielens' | 'ml100k' | 'ml1m' | 'csv';

/** Every format, in the order the help lists them. */
export const DATA_FORMATS: readonly DataFormat[] = ['movielens', 'ml100k', 'ml1m', 'csv'];

/** What a file holds: interactions (one per line) or the items' titles and genres. */
export type FileRole = 'ratings' | 'items';

/**
 * The limits, checked before a byte is parsed (bytes) or while parsing (rows, users, items):
 * MovieLens 1M (24 MB, 1 000 209 ratings, 6 040 users, 3 706 movies) fits; the 25M does not.
 */
export const DATA_LIMITS = {
  /** Most bytes of one file. */
  bytesPerFile: 64 * 1024 * 1024,
  /** Most bytes of all the files of one load. */
  totalBytes: 128 * 1024 * 1024,
  /** Most interactions (rating or watch lines). */
  interactions: 2_000_000,
  /** Most distinct users. */
  users: 100_000,
  /** Most distinct items with an interaction. */
  items: 200_000,
} as const;

/** A bad file or line: the file, the 1-based line and column when there is one. */
export class DataError extends Error {
  override name = 'DataError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly column: number | null,
    message: string,
  ) {
    super(message);
  }
}

/** "file line L, column C (name): why" — the one shape of every line error. */
export function lineError(
  file: string,
  line: number,
  column: number,
  name: string,
  why: string,
): DataError {
  return new DataError(
    file,
    line,
    column,
    `${file} line ${line}, column ${column} (${name}): ${why}`,
  );
}

/** Bytes in words (MB with one decimal below 10 MB). */
export function formatBytes(n: number): string {
  const mb = n / (1024 * 1024);
  return mb >= 10 ? `${Math.round(mb)} MB` : `${mb.toFixed(1)} MB`;
}

/**
 * Refuses files over the byte limits before anything is read: throws a {@link DataError}
 * naming the file, its size and the limit.
 */
export function checkFileSizes(files: readonly { name: string; size: number }[]): void {
  let total = 0;
  for (const f of files) {
    if (f.size > DATA_LIMITS.bytesPerFile)
      throw new DataError(
        f.name,
        null,
        null,
        `${f.name} is ${formatBytes(f.size)} (${f.size} bytes); the limit is ${formatBytes(DATA_LIMITS.bytesPerFile)} (${DATA_LIMITS.bytesPerFile} bytes) per file (refused before reading)`,
      );
    total += f.size;
  }
  if (total > DATA_LIMITS.totalBytes)
    throw new DataError(
      files.map((f) => f.name).join(', '),
      null,
      null,
      `the files are ${formatBytes(total)} (${total} bytes) together; the limit is ${formatBytes(DATA_LIMITS.totalBytes)} (${DATA_LIMITS.totalBytes} bytes) per load (refused before reading)`,
    );
}

/** The last part of a path. */
export function baseName(name: string): string {
  const parts = name.split(/[\\/]/);
  return parts[parts.length - 1];
}

/**
 * The format a set of file names is in: MovieLens names (`ratings.csv`/`movies.csv`,
 * `u.data`/`u.item`, `ratings.dat`/`movies.dat`), else `csv`. Throws a {@link DataError} when
 * the names mix formats.
 */
export function detectFormat(names: readonly string[]): DataFormat {
  const of = (n: string): DataFormat | null => {
    const b = baseName(n).toLowerCase();
    if (b === 'u.data' || b === 'u.item' || b.endsWith('.item') || /^u\d?\.(base|test)$/.test(b))
      return 'ml100k';
    if (b.endsWith('.dat')) return 'ml1m';
    if (b === 'ratings.csv' || b === 'movies.csv') return 'movielens';
    return null;
  };
  const found = new Set(names.map(of).filter((f): f is DataFormat => f !== null));
  if (found.size > 1)
    throw new DataError(
      names.join(', '),
      null,
      null,
      `the files mix formats (${[...found].join(', ')}); load the files of one data set at a time`,
    );
  return found.size === 1 ? [...found][0] : 'csv';
}

/** The role of a file of `format` from its name (MovieLens) — generic CSV is always ratings. */
export function fileRole(name: string, format: DataFormat): FileRole {
  const b = baseName(name).toLowerCase();
  if (format === 'ml100k') return b.endsWith('.item') ? 'items' : 'ratings';
  if (format === 'movielens' || format === 'ml1m')
    return b.startsWith('movies') ? 'items' : 'ratings';
  return 'ratings';
}

/** The field delimiter and text encoding of a file of `format` and `role`. */
export function fileDialect(
  format: DataFormat,
  role: FileRole,
): { delimiter: string; encoding: 'utf-8' | 'latin1'; header: boolean } {
  switch (format) {
    case 'ml100k':
      return role === 'items'
        ? { delimiter: '|', encoding: 'latin1', header: false }
        : { delimiter: '\t', encoding: 'utf-8', header: false };
    case 'ml1m':
      return { delimiter: '::', encoding: 'latin1', header: false };
    default:
      return { delimiter: ',', encoding: 'utf-8', header: true };
  }
}

/** The 19 genre flags of MovieLens 100K's `u.item`, in column order (columns 6 … 24). */
export const ML100K_GENRES = [
  'unknown',
  'Action',
  'Adventure',
  'Animation',
  "Children's",
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
] as const;
