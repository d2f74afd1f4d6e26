/**
 * The training slice of the store: the hyperparameters (URL-backed), the run on screen (its
 * state, backend, error) and its metric history, and the actions play / pause / step / reset /
 * resume. The models live in the worker; the page holds only what it draws, plus the latest
 * weight snapshot so that a crashed worker can be replaced and the run resumed.
 *
 * Runs are numbered here (`runId`): a reset, a new world or a restore starts a new number, and
 * messages about any other run are dropped, so a late delta of an old run never lands in the
 * charts of a new one.
 *
 * High-frequency data (the history) changes by mutation plus a `historyVersion` bump: charts
 * and figures subscribe to the store and redraw; React renders only on rare changes (state,
 * backend, errors, parameters).
 */
import type { StateCreator } from 'zustand';
import type {
  BackendReport,
  LoadErrorCode,
  TrainingParams,
  TrainingState,
  WeightSnapshot,
} from '../protocol';
import { clonePlain } from '../protocol/params';
import {
  RunFileError,
  decodeRunFile,
  encodeRunFile,
  encodeRunFileInSlices,
  runFileName,
  type RunFileContents,
  type RunHistory,
} from '../protocol/run-file';
import type { AppState, RunFileProblem, RunState, TrainingSlice } from './app-state';
import {
  AUTOSAVE_EVERY,
  LAST_RUN,
  MAX_PINNED,
  PIN_PREFIX,
  storageErrorText,
  type RunStore,
} from './autosave';
import { MetricHistory } from './metric-history';
import {
  DEFAULT_TRAINING_PARAMS,
  STRUCTURAL_KEYS,
  TRAINING_PARAMS,
  changedKeys,
  effectiveParams,
  parseTrainingField,
  type TrainingSettings,
} from './training-settings';
import type { WorkerChannel } from './worker-channel';

export type { RunState, TrainingSlice } from './app-state';

/** The structural knobs that differ from the ones the run was built with ("needs reset"). */
export function needsReset(
  s: Pick<TrainingSlice, 'run' | 'trainingParams'>,
): (keyof TrainingParams)[] {
  if (!s.run.built) return [];
  return changedKeys(s.run.built, s.trainingParams).filter((k) => STRUCTURAL_KEYS.includes(k));
}

/** A fresh run record. */
function newRun(runId: number, backend: BackendReport | null): RunState {
  return { runId, state: 'idle', step: 0, detail: null, backend, built: null, error: null };
}

/** A copy of a snapshot (the page keeps its own for a later crash). */
function copySnapshot(s: WeightSnapshot): WeightSnapshot {
  return {
    ...s,
    params: clonePlain(s.params),
    weights: s.weights.map((w) => ({ name: w.name, data: w.data.slice() })),
    slots: s.slots.map((w) => ({ name: w.name, data: w.data.slice() })),
    counters: { ...s.counters },
  };
}

/** The step in a run file's name (`runFileName`). */
function decodeStep(name: string): number {
  const m = /-step(\d+)\./.exec(name);
  return m ? Number(m[1]) : 0;
}

/** Resolves after the current macrotask (lets the page draw and handle input). */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The page's name of a worker's refusal to load a run (RunFileErrorCode). */
const LOAD_ERROR_CODES: Record<LoadErrorCode, string> = {
  'world-mismatch': 'world-mismatch',
  'bad-params': 'bad-params',
  'bad-state': 'tampered-sizes',
};

/** The history's points up to `step` as a run file holds them (copies). */
export function historyUpTo(h: MetricHistory, step: number): RunHistory {
  const steps = h.steps.values;
  let n = steps.length;
  while (n > 0 && steps[n - 1] > step) n--;
  return {
    steps: steps.slice(0, n),
    loss: h.loss.values.slice(0, n),
    mfLoss: h.mfLoss.values.slice(0, n),
    rankingLoss: h.rankingLoss.values.slice(0, n),
    evals: h.evals.filter((e) => e.step <= step).map((e) => clonePlain(e)),
  };
}

/** A metric history holding a run file's points. */
function historyOf(r: RunHistory): MetricHistory {
  const h = new MetricHistory();
  h.append({ ...r, examplesPerSec: NaN, stepsPerSec: NaN });
  return h;
}

/** The knobs of `params` that differ from the defaults (what the URL states). */
function settingsOf(params: TrainingParams): TrainingSettings {
  const out: Record<string, unknown> = {};
  for (const k of changedKeys(DEFAULT_TRAINING_PARAMS, params)) out[k] = clonePlain(params[k]);
  return out as TrainingSettings;
}

/**
 * Creates the training slice; `channel` is the worker shared with the world slice, `runStore`
 * where runs are autosaved (none: no autosave).
 */
export function createTrainingSlice(
  channel: WorkerChannel,
  runStore?: RunStore,
): StateCreator<AppState, [], [], TrainingSlice> {
  return (set, get) => {
    let nextRun = 1;
    /** A run file waiting for the worker's answer (its run id) or for its world to be built. */
    let pendingLoad: { runId: number; contents: RunFileContents; name: string } | null = null;
    let pendingWorldLoad: { contents: RunFileContents; name: string } | null = null;
    /** Saves waiting for their snapshot. */
    let saveWaiters: {
      resolve: (f: { name: string; bytes: Uint8Array }) => void;
      reject: (e: Error) => void;
    }[] = [];
    /** The step of the last autosave of the run on screen (no second write of the same step). */
    let autosavedStep: number | null = null;

    /** What a run file of `snapshot` holds: the world on screen, the history up to its step. */
    const contentsOf = (snapshot: WeightSnapshot): RunFileContents => {
      const { settings, config } = get();
      return {
        world: {
          settings: { ...settings } as Record<string, number>,
          config: { ...(config ?? settings) } as Record<string, number>,
        },
        snapshot,
        history: historyUpTo(get().history, snapshot.step),
      };
    };

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
      const runId = nextRun++;
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

    const sameWorld = (c: RunFileContents): boolean => {
      const { config, summary, pendingRequest } = get();
      if (!config || !summary || pendingRequest !== null) return false;
      const mine = config as unknown as Record<string, number>;
      return Object.entries(c.world.config).every(([k, v]) => mine[k] === v);
    };

    const problem = (p: RunFileProblem) => set({ runFileError: p, runLoading: null });
    /** The file's world settings are `settings` (every key of either agrees). */
    const sameSettings = (c: RunFileContents, settings: AppState['settings']): boolean => {
      const a = c.world.settings;
      const b = settings as unknown as Record<string, number>;
      return [...Object.keys(a), ...Object.keys(b)].every((k) => a[k] === b[k]);
    };
    /** A snapshot waiting for the new worker's world, after a crash. */
    let pendingRestore: WeightSnapshot | null = null;
    /** The snapshot step last resumed automatically (no second automatic try from it). */
    let autoRestoredStep: number | null = null;

    const worldReady = () => get().summary !== null && get().pendingRequest === null;

    const startRun = (state: TrainingState, detail: string | null = null): number => {
      // A file being loaded is dropped: the worker handles the new run after it, so the run
      // on screen must be the new one (a late answer about the file is ignored).
      if (pendingLoad) {
        pendingLoad = null;
        set({ runLoading: null });
      }
      const runId = nextRun++;
      set({
        run: { ...newRun(runId, get().run.backend), state, detail },
        history: new MetricHistory(),
        historyVersion: get().historyVersion + 1,
      });
      get().analysisRunStarted();
      return runId;
    };

    const restoreFrom = (snapshot: WeightSnapshot) => {
      const history = get().history;
      history.truncate(snapshot.step);
      const runId = nextRun++;
      set({
        run: {
          ...newRun(runId, get().run.backend),
          state: 'preparing',
          step: snapshot.step,
          detail: `resuming from the snapshot of step ${snapshot.step}`,
        },
        historyVersion: get().historyVersion + 1,
      });
      channel.send({ type: 'restore', runId, snapshot: { ...copySnapshot(snapshot), runId } });
      get().analysisRunStarted();
      // A replaced worker forgot the focus user: tell it again, after the restore.
      const user = get().focusUser;
      if (user !== -1) channel.send({ type: 'focus', runId, user });
    };

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
      view: 'world',
      trainingSet: {},
      trainingParams: DEFAULT_TRAINING_PARAMS,
      trainingProblems: [],
      run: newRun(0, null),
      snapshot: null,
      notice: null,
      history: new MetricHistory(),
      historyVersion: 0,
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
        if (sameWorld(contents)) {
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

      setView(view) {
        if (view === get().view) return;
        set({ view });
        get().writeUrl();
        if (view !== 'world') get().prepare();
      },

      setTrainingParam(key, value) {
        const trainingSet = { ...get().trainingSet, [key]: value };
        const trainingParams = effectiveParams(trainingSet);
        set({
          trainingSet,
          trainingParams,
          trainingProblems: get().trainingProblems.filter((p) => p.field !== key),
        });
        get().writeUrl();
        const { run } = get();
        if (TRAINING_PARAMS[key].live && run.built && run.state !== 'failed') {
          channel.send({ type: 'setParams', runId: run.runId, params: trainingParams });
        }
      },

      submitTrainingField(key, text) {
        const r = parseTrainingField(key, text);
        if (!r.ok) {
          set({
            trainingProblems: [
              ...get().trainingProblems.filter((p) => p.field !== key),
              { field: key, message: r.message },
            ],
          });
          return false;
        }
        get().setTrainingParam(key, r.value);
        return true;
      },

      play() {
        if (!worldReady()) return;
        const { run, trainingParams } = get();
        if (run.state === 'running') return;
        if (run.state === 'failed' || run.runId === 0) {
          const runId = startRun('preparing', 'starting');
          channel.send({ type: 'play', runId, params: trainingParams });
          return;
        }
        set({ run: { ...run, state: run.built ? 'running' : 'preparing', error: null } });
        channel.send({ type: 'play', runId: run.runId, params: trainingParams });
      },

      pause() {
        const { run } = get();
        if (run.runId === 0) return;
        channel.send({ type: 'pause', runId: run.runId });
      },

      step(count = 1) {
        if (!worldReady()) return;
        const { run, trainingParams } = get();
        if (run.state === 'running') return;
        const runId =
          run.state === 'failed' || run.runId === 0 ? startRun('preparing', 'starting') : run.runId;
        channel.send({ type: 'step', runId, params: trainingParams, count });
      },

      reset() {
        if (!worldReady()) return;
        set({ snapshot: null, notice: null });
        autoRestoredStep = null;
        autosavedStep = null;
        const runId = startRun('preparing', 'building the models');
        channel.send({ type: 'reset', runId, params: get().trainingParams });
      },

      resume() {
        const { snapshot } = get();
        if (!snapshot || !worldReady()) return;
        restoreFrom(snapshot);
      },

      prepare() {
        const { run } = get();
        if (!worldReady() || (run.runId !== 0 && run.state !== 'idle')) return;
        const runId = startRun('preparing', 'building the models');
        channel.send({ type: 'reset', runId, params: get().trainingParams });
      },

      applyTrainingUrl(settings, view, problems) {
        const before = get().trainingParams;
        const trainingParams = effectiveParams(settings);
        set({
          trainingSet: settings,
          trainingParams,
          view,
          trainingProblems: problems.map((p) => ({ field: p.key, message: p.message })),
        });
        const { run } = get();
        const live = changedKeys(before, trainingParams).some((k) => TRAINING_PARAMS[k].live);
        if (live && run.built && run.state !== 'failed') {
          channel.send({ type: 'setParams', runId: run.runId, params: trainingParams });
        }
      },

      receiveTraining(m) {
        if (m.type === 'restoreResult' && pendingLoad && m.runId === pendingLoad.runId) {
          const p = pendingLoad;
          pendingLoad = null;
          if (m.ok) adoptLoad(p);
          else
            problem({
              code: m.error ? LOAD_ERROR_CODES[m.error.code] : 'tampered-sizes',
              message: `${p.name}: ${m.error?.message ?? 'the worker refused the run'}`,
            });
          return;
        }
        const { run } = get();
        if (m.runId !== run.runId) return;
        switch (m.type) {
          case 'restoreResult':
            // A resume after a crash or a failed step (the run on screen is already the new one).
            if (!m.ok)
              set({
                run: {
                  ...run,
                  state: 'failed',
                  error: { message: m.error?.message ?? 'could not resume', resumable: false },
                },
              });
            return;
          case 'trainingStatus':
            // Paused after playing: autosave the run as it is now.
            if (runStore && run.state === 'running' && m.state === 'paused')
              channel.send({ type: 'takeSnapshot', runId: run.runId, purpose: 'autosave' });
            set({
              run: {
                ...run,
                state: m.state,
                step: m.step,
                detail: m.detail ?? null,
                built: m.params ?? run.built,
                error: m.state === 'failed' ? run.error : null,
              },
            });
            return;
          case 'backend':
            set({ run: { ...run, backend: m.backend } });
            return;
          case 'metrics':
            get().history.append(m);
            set({ historyVersion: get().historyVersion + 1 });
            return;
          case 'snapshot': {
            set({ snapshot: m.snapshot });
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
            return;
          }
          case 'trainingError': {
            set({
              run: {
                ...run,
                state: 'failed',
                step: m.step,
                error: { message: m.message, resumable: m.resumable && get().snapshot !== null },
              },
            });
            // A lost GPU device: resume at once (once per snapshot) on a fresh backend.
            const snapshot = get().snapshot;
            if (m.lostDevice && snapshot && snapshot.step !== autoRestoredStep) {
              autoRestoredStep = snapshot.step;
              set({
                notice: `${m.message} at step ${m.step}: the worker started a fresh backend and the run resumed from its snapshot of step ${snapshot.step}; press play to continue.`,
              });
              restoreFrom(snapshot);
            }
            return;
          }
          default: {
            const unknown: never = m;
            set({
              trainingProblems: [
                ...get().trainingProblems,
                { message: `unexpected message from the worker: ${JSON.stringify(unknown)}` },
              ],
            });
          }
        }
      },

      worldRequested() {
        if (pendingRestore) return; // the same world, rebuilt in a new worker to resume
        // A file waiting for its world is dropped when another world is asked for instead.
        if (pendingWorldLoad && !sameSettings(pendingWorldLoad.contents, get().settings))
          pendingWorldLoad = null;
        set({ snapshot: null, notice: null });
        autoRestoredStep = null;
        autosavedStep = null;
        for (const w of saveWaiters) w.reject(new Error('a new world ended the run'));
        saveWaiters = [];
        get().analysisWorldChanged();
        startRun('idle');
      },

      worldBuilt() {
        if (pendingWorldLoad) {
          const { contents, name } = pendingWorldLoad;
          pendingWorldLoad = null;
          sendLoad(contents, name);
          return;
        }
        if (pendingRestore) {
          const snapshot = pendingRestore;
          pendingRestore = null;
          restoreFrom(snapshot);
          return;
        }
        if (get().view !== 'world') get().prepare();
      },

      trainingWorkerRestarted() {
        const { run, snapshot, summary, settings } = get();
        if (summary !== null && snapshot && run.runId !== 0) {
          autoRestoredStep = snapshot.step;
          pendingRestore = snapshot;
          set({
            notice: `The worker was restarted: a new worker rebuilt the world and the run resumed from its snapshot of step ${snapshot.step}; press play to continue.`,
            run: { ...run, state: 'preparing', detail: 'restarting the worker', error: null },
          });
        }
        // Without a snapshot the world is rebuilt and a new run starts on it.
        get().generate(settings);
      },

      trainingWorkerFailed(why) {
        const { run, snapshot } = get();
        if (run.runId === 0 || run.state === 'idle') return;
        if (snapshot && snapshot.step !== autoRestoredStep) {
          autoRestoredStep = snapshot.step;
          pendingRestore = snapshot;
          set({
            notice: `The worker stopped (${why}). A new worker rebuilt the world and the run resumed from its snapshot of step ${snapshot.step}; press play to continue.`,
            run: { ...run, state: 'preparing', detail: 'restarting the worker' },
          });
          get().generate(get().settings);
          return;
        }
        set({
          run: {
            ...run,
            state: 'failed',
            error: {
              message: `the worker stopped (${why})${snapshot ? '' : ' before its first snapshot'}; press Reset to start again`,
              resumable: false,
            },
          },
        });
      },
    };
  };
}
