/**
 * The run-file slice of the store (docs/run-files.md): saving the run on screen as a
 * `.recsys-run` file, loading one (validated here; the run on screen stays until the worker
 * has loaded the new one), autosaving the last run in the browser, and the runs kept there.
 * The training slice owns the run itself and calls this slice's `runFile*` hooks at the moments
 * that concern files: a new run, a snapshot, a restore's answer, a new world.
 */
import type { StateCreator } from 'zustand';
import type { WeightSnapshot } from '../protocol';
import {
  RunFileError,
  decodeRunFile,
  encodeRunFile,
  encodeRunFileInSlices,
  runFileName,
  type RunFileContents,
} from '../protocol/run-file';
import type { AppState, RunFileProblem, RunFileSlice } from './app-state';
import {
  AUTOSAVE_EVERY,
  LAST_RUN,
  MAX_PINNED,
  PIN_PREFIX,
  storageErrorText,
  type RunStore,
} from './autosave';
import {
  LOAD_ERROR_CODES,
  decodeStep,
  needsDataProblem,
  nextTask,
  runContents,
  sameData,
  sameSettings,
  sameWorld,
} from './run-data';
import { copySnapshot, historyOf, newRun, settingsOf } from './run-record';
import { effectiveParams } from './training-settings';
import type { WorkerChannel } from './worker-channel';

export type { RunFileSlice } from './app-state';

/**
 * Creates the run-file slice; `channel` is the worker shared with the other slices, `runStore`
 * where runs are autosaved and kept (none: no autosave).
 */
export function createRunFileSlice(
  channel: WorkerChannel,
  runStore?: RunStore,
): StateCreator<AppState, [], [], RunFileSlice> {
  return (set, get) => {
    /** A run file waiting for the worker's answer (its run id) or for its world to be built. */
    let pendingLoad: { runId: number; contents: RunFileContents; name: string } | null = null;
    let pendingWorldLoad: { contents: RunFileContents; name: string } | null = null;
    /** A run file of the user's data, refused until that data is loaded (`loadRunData`). */
    let pendingDataLoad: { contents: RunFileContents; name: string } | null = null;
    /** Saves waiting for their snapshot. */
    let saveWaiters: {
      resolve: (f: { name: string; bytes: Uint8Array }) => void;
      reject: (e: Error) => void;
    }[] = [];
    /** The step of the last autosave of the run on screen (no second write of the same step). */
    let autosavedStep: number | null = null;

    const contentsOf = (snapshot: WeightSnapshot) => runContents(get(), snapshot);

    /** The run file of `snapshot`: its name (seed and step) and bytes. */
    const runFileOf = (snapshot: WeightSnapshot): { name: string; bytes: Uint8Array } => ({
      name: runFileName(get().settings.seed, snapshot.step),
      bytes: encodeRunFile(contentsOf(snapshot)),
    });

    /**
     * Writes `snapshot` as the last run. Encoded in slices between macrotasks, so that a
     * large run never holds the main thread (and the charts) for long.
     */
    const autosave = (snapshot: WeightSnapshot) => {
      if (!runStore || snapshot.step === autosavedStep) return;
      autosavedStep = snapshot.step;
      const contents = contentsOf(snapshot);
      const name = runFileName(get().settings.seed, snapshot.step);
      const seed = get().settings.seed;
      encodeRunFileInSlices(contents, nextTask)
        .then((bytes) =>
          runStore.put({
            key: LAST_RUN,
            name,
            seed,
            step: snapshot.step,
            savedAt: new Date().toISOString(),
            size: bytes.length,
            bytes,
          }),
        )
        .then(
          () => set({ autosaveError: null }),
          (e: unknown) => {
            autosavedStep = null;
            set({ autosaveError: storageErrorText(e) });
          },
        );
    };

    /** Asks the worker to load `contents` as run `runId`; the run on screen stays until it answers. */
    const sendLoad = (contents: RunFileContents, name: string) => {
      const runId = get().nextRunId();
      pendingLoad = { runId, contents, name };
      set({ runLoading: name, runFileError: null });
      channel.send({
        type: 'restore',
        runId,
        snapshot: { ...copySnapshot(contents.snapshot), runId },
      });
    };

    /** The worker loaded run `runId` of `pendingLoad`: it becomes the run on screen. */
    const adoptLoad = (p: { runId: number; contents: RunFileContents; name: string }) => {
      const { snapshot, history } = p.contents;
      const trainingSet = settingsOf(snapshot.params);
      autosavedStep = snapshot.step;
      set({
        run: {
          ...newRun(p.runId, get().run.backend),
          state: 'preparing',
          step: snapshot.step,
          detail: `loaded ${p.name}`,
        },
        history: historyOf(history),
        historyVersion: get().historyVersion + 1,
        snapshot: copySnapshot({ ...snapshot, runId: p.runId }),
        trainingSet,
        trainingParams: effectiveParams(trainingSet),
        trainingProblems: [],
        runLoading: null,
        runFileError: null,
        autosaveOffer: null,
        notice: null,
      });
      get().writeUrl();
      get().analysisRunStarted();
      const user = get().focusUser;
      if (user !== -1) channel.send({ type: 'focus', runId: p.runId, user });
    };

    const problem = (p: RunFileProblem) => set({ runFileError: p, runLoading: null });
    /** Reads the pinned runs' descriptions into the state. */
    const refreshPinned = async () => {
      if (!runStore) return;
      const all = await runStore.list();
      set({
        pinnedRuns: all
          .filter((r) => r.key.startsWith(PIN_PREFIX))
          .sort((a, b) => a.savedAt.localeCompare(b.savedAt)),
      });
    };

    /** Loads the saved run `key` as a file. */
    const loadSaved = async (key: string): Promise<boolean> => {
      if (!runStore) return false;
      let saved;
      try {
        saved = await runStore.get(key);
      } catch (e) {
        problem({
          code: 'storage',
          message: storageErrorText(e).replace('not autosaved', 'not read back'),
        });
        return false;
      }
      if (!saved) return false;
      return get().loadRunFile(saved.bytes, saved.name);
    };

    if (runStore) refreshPinned().catch(() => {});

    // The offer after a reload: the last autosaved run, if any.
    if (runStore)
      runStore.info(LAST_RUN).then(
        (info) => {
          if (info && get().history.size === 0) set({ autosaveOffer: info });
        },
        (e: unknown) =>
          set({ autosaveError: storageErrorText(e).replace('not autosaved', 'not read back') }),
      );

    return {
      runLoading: null,
      runFileError: null,
      autosaveOffer: null,
      autosaveError: null,
      pinnedRuns: [],

      saveRunFile() {
        const { run } = get();
        if (run.runId === 0 || !run.built || run.state === 'failed' || run.state === 'preparing')
          return Promise.reject(new Error('there is no trained run to save yet'));
        return new Promise((resolve, reject) => {
          saveWaiters.push({ resolve, reject });
          channel.send({ type: 'takeSnapshot', runId: run.runId, purpose: 'save' });
        });
      },

      async loadRunFile(bytes, name) {
        let contents: RunFileContents;
        try {
          contents = decodeRunFile(bytes);
        } catch (e) {
          if (!(e instanceof RunFileError)) throw e;
          problem({ code: e.code, message: `${name}: ${e.message}` });
          return false;
        }
        pendingLoad = null;
        pendingDataLoad = null;
        if (contents.data) {
          // Trained on the user's data: only that data will do, and the file does not hold it.
          pendingWorldLoad = null;
          if (sameData(get(), contents.data)) {
            sendLoad(contents, name);
            return true;
          }
          pendingDataLoad = { contents, name };
          problem(needsDataProblem(name, contents.data, get().dataset !== null));
          return false;
        }
        if (sameWorld(get(), contents)) {
          pendingWorldLoad = null;
          sendLoad(contents, name);
        } else {
          // Another world: build it (the run on screen belongs to the old one), then load.
          pendingWorldLoad = { contents, name };
          set({ runLoading: name, runFileError: null });
          get().generate(contents.world.settings as unknown as AppState['settings']);
          if (get().sizeCheck !== null) {
            // A large world asks first (world.confirm): nothing loads until the user says yes
            // (then `worldBuilt` loads the file); a no drops the file (`worldRequested`, or the
            // next load).
            set({
              runLoading: null,
              notice: `${name}: its world is large; say yes to building it on the World tab to load the run.`,
            });
          } else if (get().pendingRequest === null) {
            // Refused (too large for a tab): the reason is on the World tab.
            pendingWorldLoad = null;
            problem({
              code: 'world-refused',
              message: `${name}: its world cannot be built here (see the World tab)`,
            });
            return false;
          }
        }
        return true;
      },

      loadRunData(files) {
        if (!pendingDataLoad?.contents.data) return;
        set({ runLoading: pendingDataLoad.name, runFileError: null });
        get().loadData(files, undefined, pendingDataLoad.contents.data.heldOut);
        if (get().pendingRequest === null) set({ runLoading: null }); // refused: see the Data tab
      },

      async restoreAutosave() {
        const ok = await loadSaved(LAST_RUN);
        if (!ok && !get().runFileError) set({ autosaveOffer: null });
        return ok;
      },

      async pinRun() {
        if (!runStore) return false;
        let file;
        try {
          file = await get().saveRunFile();
        } catch (e) {
          problem({ code: 'save-failed', message: e instanceof Error ? e.message : String(e) });
          return false;
        }
        const key = PIN_PREFIX + file.name;
        const pinned = get().pinnedRuns;
        if (pinned.length >= MAX_PINNED && !pinned.some((r) => r.key === key)) {
          problem({
            code: 'pin-limit',
            message: `at most ${MAX_PINNED} runs can be pinned: unpin one first (or save it to a file)`,
          });
          return false;
        }
        try {
          await runStore.put({
            key,
            name: file.name,
            seed: get().settings.seed,
            step: decodeStep(file.name),
            savedAt: new Date().toISOString(),
            size: file.bytes.length,
            bytes: file.bytes,
          });
        } catch (e) {
          set({ autosaveError: storageErrorText(e).replace('not autosaved', 'not pinned') });
          return false;
        }
        await refreshPinned();
        return true;
      },

      loadPinned(key) {
        return loadSaved(key);
      },

      async unpinRun(key) {
        if (!runStore) return;
        await runStore.delete(key);
        await refreshPinned();
      },

      dismissAutosave() {
        set({ autosaveOffer: null });
      },

      runFileRunStarted() {
        if (!pendingLoad) return;
        pendingLoad = null;
        set({ runLoading: null });
      },

      runFileRestoreResult(m) {
        if (!pendingLoad || m.runId !== pendingLoad.runId) return false;
        const p = pendingLoad;
        pendingLoad = null;
        if (m.ok) adoptLoad(p);
        else
          problem({
            code: m.error ? LOAD_ERROR_CODES[m.error.code] : 'tampered-sizes',
            message: `${p.name}: ${m.error?.message ?? 'the worker refused the run'}`,
          });
        return true;
      },

      runFileSnapshot(m) {
        if (m.purpose === 'save') {
          const waiters = saveWaiters;
          saveWaiters = [];
          try {
            const file = runFileOf(m.snapshot);
            for (const w of waiters) w.resolve(file);
          } catch (e) {
            const error = e instanceof Error ? e : new Error(String(e));
            set({ runFileError: { code: 'save-failed', message: error.message } });
            for (const w of waiters) w.reject(error);
          }
        } else if (m.purpose === 'autosave' || m.snapshot.step % AUTOSAVE_EVERY === 0) {
          autosave(m.snapshot);
        }
      },

      runFileReset() {
        autosavedStep = null;
      },

      runFileWorldRequested() {
        // A file waiting for its world is dropped when another world is asked for instead.
        if (pendingWorldLoad && !sameSettings(pendingWorldLoad.contents, get().settings))
          pendingWorldLoad = null;
        autosavedStep = null;
        for (const w of saveWaiters) w.reject(new Error('a new world ended the run'));
        saveWaiters = [];
      },

      runFileBuildCancelled() {
        if (!pendingWorldLoad) return;
        const { name } = pendingWorldLoad;
        pendingWorldLoad = null;
        problem({
          code: 'cancelled',
          message: `${name}: not loaded (its world's build was cancelled)`,
        });
      },

      runFileWorldBuilt() {
        if (pendingDataLoad) {
          const { contents, name } = pendingDataLoad;
          // A generated world instead: the file stays refused; other data: refused, named again.
          if (!get().dataset) pendingDataLoad = null;
          else if (!sameData(get(), contents.data!))
            problem(needsDataProblem(name, contents.data!, true));
          else {
            pendingDataLoad = null;
            sendLoad(contents, name);
            return true;
          }
          set({ runLoading: null });
          return false;
        }
        if (!pendingWorldLoad) return false;
        const { contents, name } = pendingWorldLoad;
        pendingWorldLoad = null;
        sendLoad(contents, name);
        return true;
      },
    };
  };
}
