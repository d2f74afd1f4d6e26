/**
 * What a run file needs on screen before it loads (docs/run-files.md#loading), for the run-file
 * slice: the same generated world (its settings and config), or — for a run trained on the
 * user's own data (docs/own-data.md#run-files) — the same data: such a run names that data in its
 * file (`RunData`: format, file names, counts, held-out choice; the files themselves are not
 * saved) and loads only once it is on screen, otherwise it is refused with a message naming the
 * data, and the page offers to pick the files. Plus the slice's small helpers.
 */
import type { LoadErrorCode } from '../protocol';
import type { RunData, RunFileContents } from '../protocol/run-file';
import type { DatasetInfo } from '../sim/import/data-world';
import type { WeightSnapshot } from '../protocol';
import type { AppState, RunFileProblem } from './app-state';
import { historyUpTo } from './run-record';

/** The step in a run file's name (`runFileName`). */
export function decodeStep(name: string): number {
  const m = /-step(\d+)\./.exec(name);
  return m ? Number(m[1]) : 0;
}

/** Resolves after the current macrotask (lets the page draw and handle input). */
export const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The page's name of a worker's refusal to load a run (RunFileErrorCode). */
export const LOAD_ERROR_CODES: Record<LoadErrorCode, string> = {
  'world-mismatch': 'world-mismatch',
  'bad-params': 'bad-params',
  'bad-state': 'tampered-sizes',
};

/** The world on screen (built, none being built) has the file's world config. */
export function sameWorld(
  s: Pick<AppState, 'config' | 'summary' | 'pendingRequest'>,
  c: RunFileContents,
): boolean {
  const { config, summary, pendingRequest } = s;
  if (!config || !summary || pendingRequest !== null) return false;
  const mine = config as unknown as Record<string, number>;
  return Object.entries(c.world.config).every(([k, v]) => mine[k] === v);
}

/** The file's world settings are `settings` (every key of either agrees). */
export function sameSettings(c: RunFileContents, settings: AppState['settings']): boolean {
  const a = c.world.settings;
  const b = settings as unknown as Record<string, number>;
  return [...Object.keys(a), ...Object.keys(b)].every((k) => a[k] === b[k]);
}

/** What a run file records of the data `dataset` it was trained on. */
export function runDataOf(dataset: DatasetInfo): RunData {
  return {
    format: dataset.format,
    files: [...dataset.files],
    users: dataset.users,
    items: dataset.items,
    interactions: dataset.interactions,
    heldOut: dataset.heldOut,
  };
}

/**
 * The data on screen is `d`: the same format, files' names (in any order), counts and held-out
 * choice, and no world being built.
 */
export function sameData(
  s: { dataset: DatasetInfo | null; pendingRequest: number | null },
  d: RunData,
): boolean {
  const { dataset } = s;
  if (!dataset || s.pendingRequest !== null) return false;
  const names = (f: readonly string[]) => JSON.stringify([...f].sort());
  return (
    dataset.format === d.format &&
    names(dataset.files) === names(d.files) &&
    dataset.users === d.users &&
    dataset.items === d.items &&
    dataset.interactions === d.interactions &&
    (d.heldOut === undefined || dataset.heldOut === d.heldOut)
  );
}

/**
 * The problem of run file `name` of data `d` while other data (`other`) or none is on screen:
 * code `needs-data`, the message naming the files, format and counts.
 */
export function needsDataProblem(name: string, d: RunData, other: boolean): RunFileProblem {
  return {
    code: 'needs-data',
    message:
      `${name} was trained on your data, ${d.files.join(' + ')} (${d.format}: ${d.users} users × ${d.items} items, ${d.interactions} interactions${d.heldOut ? `, held out: ${d.heldOut}` : ''}), ` +
      (other
        ? 'not on the data loaded now: pick those files to load the run on them.'
        : 'and a run file does not hold the files: pick them (or load them on the Data tab first) and the run loads on them.'),
  };
}

/** What a run file of `snapshot` holds: the world (and data) on screen, the history up to its step. */
export function runContents(
  s: Pick<AppState, 'settings' | 'config' | 'dataset' | 'history'>,
  snapshot: WeightSnapshot,
): RunFileContents {
  return {
    world: {
      settings: { ...s.settings } as Record<string, number>,
      config: { ...(s.config ?? s.settings) } as Record<string, number>,
    },
    snapshot,
    history: historyUpTo(s.history, snapshot.step),
    ...(s.dataset && { data: runDataOf(s.dataset) }),
  };
}
