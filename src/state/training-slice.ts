/**
 * The training slice of the store: the hyperparameters (URL-backed), the run on screen (its
 * state, backend, error) and its metric history, and the actions play / pause / step / reset /
 * resume. The models live in the worker; the page holds only what it draws, plus the latest
 * weight snapshot so that a crashed worker can be replaced and the run resumed. Run files,
 * autosave and the runs kept in the browser are the run-file slice's (`run-file-slice.ts`).
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
import type { TrainingParams, TrainingState, WeightSnapshot } from '../protocol';
import type { AppState, TrainingSlice } from './app-state';
import type { RunStore } from './autosave';
import { MetricHistory } from './metric-history';
import { copySnapshot, newRun } from './run-record';
import {
  DEFAULT_TRAINING_PARAMS,
  STRUCTURAL_KEYS,
  TRAINING_PARAMS,
  changedKeys,
  effectiveParams,
  parseTrainingField,
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

/**
 * Creates the training slice; `channel` is the worker shared with the world slice, `runStore`
 * where runs are autosaved (none: no autosave snapshot is asked for at a pause).
 */
export function createTrainingSlice(
  channel: WorkerChannel,
  runStore?: RunStore,
): StateCreator<AppState, [], [], TrainingSlice> {
  return (set, get) => {
    let nextRun = 1;
    /** A snapshot waiting for the new worker's world, after a crash. */
    let pendingRestore: WeightSnapshot | null = null;
    /** The snapshot step last resumed automatically (no second automatic try from it). */
    let autoRestoredStep: number | null = null;

    const worldReady = () => get().summary !== null && get().pendingRequest === null;

    const startRun = (state: TrainingState, detail: string | null = null): number => {
      // A file being loaded is dropped: the worker handles the new run after it, so the run
      // on screen must be the new one (a late answer about the file is ignored).
      get().runFileRunStarted();
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

      nextRunId() {
        return nextRun++;
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
        get().runFileReset();
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
        // The answer about a run file being loaded is the run-file slice's.
        if (m.type === 'restoreResult' && get().runFileRestoreResult(m)) return;
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
            get().runFileSnapshot(m); // a save waiting for it, or an autosave
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
        get().runFileWorldRequested();
        set({ snapshot: null, notice: null });
        autoRestoredStep = null;
        get().analysisWorldChanged();
        startRun('idle');
      },

      worldBuilt() {
        if (get().runFileWorldBuilt()) return; // a run file's world: the file loads now
        if (pendingRestore) {
          const snapshot = pendingRestore;
          pendingRestore = null;
          restoreFrom(snapshot);
          return;
        }
        if (get().view !== 'world') get().prepare();
      },

      trainingWorkerRestarted() {
        const { run, snapshot, summary } = get();
        if (summary !== null && snapshot && run.runId !== 0) {
          autoRestoredStep = snapshot.step;
          pendingRestore = snapshot;
          set({
            notice: `The worker was restarted: a new worker rebuilt the world and the run resumed from its snapshot of step ${snapshot.step}; press play to continue.`,
            run: { ...run, state: 'preparing', detail: 'restarting the worker', error: null },
          });
        }
        // Without a snapshot the world is rebuilt and a new run starts on it (your data: re-read).
        get().rebuildWorld();
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
          get().rebuildWorld();
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
