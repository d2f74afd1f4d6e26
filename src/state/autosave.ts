/**
 * Where the page keeps runs between visits (docs/run-files.md#autosave): the last run, saved
 * as a whole `.recsys-run` file every {@link AUTOSAVE_EVERY} steps and whenever training is
 * paused, so that reopening the page can offer to continue where it left off; and up to
 * {@link MAX_PINNED} runs the user pinned.
 *
 * The browser's store is IndexedDB through `idb` (a ~1 kB promise wrapper over the raw
 * request/event API). The slice sees only the {@link RunStore} interface, so tests use
 * {@link memoryRunStore}. A failed write (a full quota above all) is reported to the caller
 * with {@link storageErrorText}, never swallowed.
 */
import { openDB, type IDBPDatabase } from 'idb';

/** Steps between two autosaves while training (a multiple of the worker's snapshot interval). */
export const AUTOSAVE_EVERY = 300;

/** The key of the last run. */
export const LAST_RUN = 'last';

/** Keys of pinned runs start with this (then the file name). */
export const PIN_PREFIX = 'pin:';

/** Most runs kept pinned at once. */
export const MAX_PINNED = 5;

/** What the page says about a saved run before loading it. */
export interface SavedRunInfo {
  key: string;
  /** The file name it would be saved under (seed and step in it). */
  name: string;
  seed: number;
  step: number;
  /** ISO time of the save. */
  savedAt: string;
  /** Size of the run file in bytes. */
  size: number;
}

/** A saved run: its description and its `.recsys-run` bytes. */
export interface SavedRun extends SavedRunInfo {
  bytes: Uint8Array;
}

/** A place for saved runs. Every method rejects with the storage's own error. */
export interface RunStore {
  put(run: SavedRun): Promise<void>;
  get(key: string): Promise<SavedRun | undefined>;
  /** The description of a saved run, without reading its bytes into the page's data. */
  info(key: string): Promise<SavedRunInfo | undefined>;
  delete(key: string): Promise<void>;
  /** The descriptions of every saved run. */
  list(): Promise<SavedRunInfo[]>;
}

const DB_NAME = 'recsys-playground';
const RUNS = 'runs';
const INFO = 'runInfo';

/**
 * The browser's run store: database `recsys-playground`, object stores `runs` (the files) and
 * `runInfo` (their descriptions, so the offer after a reload reads a few bytes, not the file).
 */
export function idbRunStore(): RunStore {
  let db: Promise<IDBPDatabase> | null = null;
  const open = () =>
    (db ??= openDB(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore(RUNS, { keyPath: 'key' });
        d.createObjectStore(INFO, { keyPath: 'key' });
      },
    }));
  return {
    async put(run) {
      const d = await open();
      const tx = d.transaction([RUNS, INFO], 'readwrite');
      const { bytes, ...info } = run;
      // Stored as a Blob: IndexedDB keeps a reference to the browser's blob storage instead of
      // serialising (and compressing) megabytes on the main thread inside put().
      const file = new Blob([bytes as BlobPart], { type: 'application/octet-stream' });
      await Promise.all([
        tx.objectStore(RUNS).put({ key: run.key, file }),
        tx.objectStore(INFO).put(info),
        tx.done,
      ]);
    },
    async get(key) {
      const d = await open();
      const [stored, info] = await Promise.all([d.get(RUNS, key), d.get(INFO, key)]);
      if (!stored || !info) return undefined;
      const { file, bytes } = stored as { file?: Blob; bytes?: Uint8Array };
      const data = file ? new Uint8Array(await file.arrayBuffer()) : bytes;
      return data ? { ...(info as SavedRunInfo), bytes: data } : undefined;
    },
    async info(key) {
      return (await (await open()).get(INFO, key)) as SavedRunInfo | undefined;
    },
    async list() {
      return (await (await open()).getAll(INFO)) as SavedRunInfo[];
    },
    async delete(key) {
      const d = await open();
      const tx = d.transaction([RUNS, INFO], 'readwrite');
      await Promise.all([
        tx.objectStore(RUNS).delete(key),
        tx.objectStore(INFO).delete(key),
        tx.done,
      ]);
    },
  };
}

/**
 * An in-memory run store (tests): `quotaBytes` limits the bytes held; a put beyond it rejects
 * with a `QuotaExceededError` as the browser's does.
 */
export function memoryRunStore(quotaBytes = Infinity): RunStore & { runs: Map<string, SavedRun> } {
  const runs = new Map<string, SavedRun>();
  return {
    runs,
    async put(run) {
      let used = run.bytes.length;
      for (const [k, r] of runs) if (k !== run.key) used += r.bytes.length;
      if (used > quotaBytes) {
        const e = new Error('The quota has been exceeded.');
        e.name = 'QuotaExceededError';
        throw e;
      }
      runs.set(run.key, { ...run, bytes: run.bytes.slice() });
    },
    async get(key) {
      return runs.get(key);
    },
    async info(key) {
      const r = runs.get(key);
      if (!r) return undefined;
      const { bytes: _bytes, ...info } = r;
      return info;
    },
    async delete(key) {
      runs.delete(key);
    },
    async list() {
      return [...runs.values()].map(({ bytes: _bytes, ...info }) => info);
    },
  };
}

/** A sentence for a failed autosave: a full quota is named as such. */
export function storageErrorText(e: unknown): string {
  const name =
    e instanceof Error || (typeof e === 'object' && e !== null && 'name' in e)
      ? (e as Error).name
      : '';
  const message = e instanceof Error ? e.message : String(e);
  if (name === 'QuotaExceededError')
    return `the run was not autosaved: the browser's storage quota is full (${message}); save it to a file instead`;
  return `the run was not autosaved: ${name ? `${name}: ` : ''}${message}`;
}
