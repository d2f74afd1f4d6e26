/**
 * The world slice of the store: the settings, the summary of the world on screen, the build
 * in progress and the messages to show. The world itself lives in the worker; the page only
 * ever holds its small summary.
 *
 * Invariant: `summary` and `config` change only when a world is ready, so a bad setting or a
 * failed build never takes the current world off the screen (docs/design-notes.md#bad-input).
 */
import type { StateCreator } from 'zustand';
import { ConfigError } from '../sim/config';
import { DataError, checkFileSizes, type DataFormat } from '../sim/import/formats';
import type { HeldOut } from '../sim/import/data-world';
import type { DataFile } from '../sim/import/parse';
import {
  CONFIRM_ABOVE,
  TAB_LIMITS,
  describeEstimate,
  estimateWorldSize,
  sizeProblem,
  type WorldSizeEstimate,
} from '../sim/size-estimate';
import type { AppState, Problem, StoreEnv, WorldSlice } from './app-state';
import { readUrl, unknownNote, writeUrl, type UrlState } from './url';
import { lessonExtrasOf, lessonsStore } from './lessons-store';
import { teacherStore, teacherUrl } from './teacher-store';
import type { WorkerChannel } from './worker-channel';
import {
  WORLD_KEYS,
  validateWorldDraft,
  type WorldDraft,
  type WorldSettings,
  DEFAULT_WORLD_SETTINGS,
} from './world-settings';

export type { StoreEnv, WorldProgress, Problem, WorldSlice, WorldSizeCheck } from './app-state';

/** The problem field of a world refused for its size. */
export const SIZE_FIELD = 'size';

/** The problem field of your own data (a file refused or a bad line; docs/own-data.md). */
export const DATA_FIELD = 'data';

/** True when two settings ask for the same world (unset and set-to-default differ). */
export function sameWorldSettings(a: WorldSettings, b: WorldSettings): boolean {
  return WORLD_KEYS.every((k) => a[k] === b[k]);
}

/** True when the page asks before building a world of this estimate. */
export function asksFirst(e: WorldSizeEstimate): boolean {
  return e.peakBytes > CONFIRM_ABOVE.peakBytes || e.ms > CONFIRM_ABOVE.ms;
}

/**
 * What the form says of the world its draft asks for, before any build: the estimate in words
 * and whether Generate will ask first or refuse (the tab's limit named); null while the draft
 * is not valid (its problems are shown on submit).
 */
export function draftEstimate(
  draft: Partial<WorldDraft>,
): { text: string; asks: boolean; refused: string | null } | null {
  const r = validateWorldDraft(draft);
  if (!r.ok) return null;
  const e = estimateWorldSize(r.settings);
  return { text: describeEstimate(e), asks: asksFirst(e), refused: sizeProblem(e, TAB_LIMITS) };
}

/**
 * Creates the world slice; `env` supplies the URL, `channel` the worker (shared with the
 * training slice).
 */
export function createWorldSlice(
  env: StoreEnv,
  channel: WorkerChannel,
): StateCreator<AppState, [], [], WorldSlice> {
  return (set, get) => {
    let nextRequest = 1;
    /** The settings of the build in flight, and of the world on screen (for a cancel). */
    let building: WorldSettings | null = null;
    let built: WorldSettings | null = null;
    /** The files of the load in flight, and of the data on screen (re-read after a restart). */
    type DataLoad = { files: DataFile[]; format?: DataFormat; heldOut?: HeldOut };
    let loading: DataLoad | null = null;
    let loaded: DataLoad | null = null;
    const send = (settings: WorldSettings) => {
      const requestId = nextRequest++;
      building = settings;
      loading = null;
      set({ pendingRequest: requestId, progress: { fraction: 0, stage: 'catalogue' } });
      channel.send({ type: 'generateWorld', requestId, settings: { ...settings } });
    };

    return {
      settings: DEFAULT_WORLD_SETTINGS,
      summary: null,
      config: null,
      progress: null,
      problems: [],
      urlNote: '',
      pendingRequest: null,
      sizeCheck: null,
      worldNotice: '',
      dataset: null,

      loadData(files, format, heldOut) {
        const others = get().problems.filter((p) => p.field !== DATA_FIELD);
        // Over the limits: refused here, before a byte is read or sent (the worker checks too).
        try {
          checkFileSizes(files);
        } catch (e) {
          if (!(e instanceof DataError)) throw e;
          set({ problems: [...others, { field: DATA_FIELD, message: e.message }] });
          return;
        }
        const requestId = nextRequest++;
        building = null;
        set({
          problems: others,
          sizeCheck: null,
          worldNotice: '',
          pendingRequest: requestId,
          progress: { fraction: 0, stage: 'catalogue' },
        });
        // The run on screen belongs to the old world: the training slice starts a new one.
        get().worldRequested();
        loading = { files: [...files], format, heldOut };
        channel.send({ type: 'loadData', requestId, ...loading });
      },

      rebuildWorld() {
        const s = get();
        if (s.dataset && loaded) s.loadData(loaded.files, loaded.format, loaded.heldOut);
        else s.generate(s.settings);
      },

      generate(settings, confirmed = false) {
        const s = get();
        const others = (ps: Problem[]) => ps.filter((p) => p.field !== SIZE_FIELD);
        // A second press of Generate while this very world is being built: say so, go on.
        // (A data load in flight is not this world: Generate goes ahead.)
        if (
          s.pendingRequest !== null &&
          loading === null &&
          sameWorldSettings(settings, s.settings)
        ) {
          const pct = Math.round(100 * (s.progress?.fraction ?? 0));
          set({
            sizeCheck: null,
            worldNotice: `This world is already being built (${pct}% done); it goes on, not restarted.`,
          });
          return;
        }
        let estimate: WorldSizeEstimate;
        try {
          estimate = estimateWorldSize(settings);
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          set({ problems: [...s.problems, { field: e.field, message: e.message }] });
          return;
        }
        const tooLarge = sizeProblem(estimate, TAB_LIMITS);
        if (tooLarge) {
          set({
            sizeCheck: null,
            problems: [...others(s.problems), { field: SIZE_FIELD, message: tooLarge }],
          });
          return;
        }
        // The world on screen was built (and asked about) already: a rebuild does not ask.
        const onScreen = s.summary !== null && sameWorldSettings(settings, s.settings);
        if (!confirmed && !onScreen && asksFirst(estimate)) {
          set({ sizeCheck: { settings, estimate, text: describeEstimate(estimate) } });
          return;
        }
        const replaced = s.pendingRequest !== null;
        set({
          settings,
          sizeCheck: null,
          problems: others(get().problems),
          worldNotice: replaced
            ? 'Generate pressed during a build: the worker builds one world at a time, so these settings are built as soon as the current build ends, and the world it was building is dropped.'
            : '',
        });
        get().writeUrl();
        // The run on screen belongs to the old world: the training slice starts a new one.
        get().worldRequested();
        send(settings);
      },

      confirmWorld() {
        const check = get().sizeCheck;
        if (!check) return;
        get().generate(check.settings, true);
      },

      cancelBuild() {
        if (get().pendingRequest === null) return;
        // A build is one synchronous call in the worker: stopping the worker is the only way.
        channel.restart();
        get().runFileBuildCancelled();
        const previous = get().summary !== null ? built : null;
        set({
          pendingRequest: null,
          progress: null,
          worldNotice: previous
            ? 'Build cancelled. The world on screen stays; a fresh worker rebuilds it (same settings, same world) so that it can train.'
            : 'Build cancelled. Press Generate to build a world.',
        });
        if (!previous) return;
        set({ settings: previous });
        get().writeUrl();
        send(previous);
      },

      worldWorkerRestarted() {
        set({ pendingRequest: null, progress: null });
      },

      cancelWorld() {
        if (!get().sizeCheck) return;
        set({ sizeCheck: null });
        get().writeUrl();
      },

      writeUrl() {
        env.writeHash(writeUrl(urlStateOf(get())));
      },

      dismissUrlMessages() {
        set({
          urlNote: '',
          problems: get().problems.filter((p) => !p.fromUrl),
          trainingProblems: get().trainingProblems.filter((p) => !p.fromUrl),
        });
      },

      worldFailed(why) {
        const hadPending = get().pendingRequest !== null;
        set({
          pendingRequest: null,
          progress: null,
          problems: [
            ...get().problems,
            { message: `${why}${hadPending ? '; press Generate to try again' : ''}` },
          ],
        });
      },

      submitWorldForm(draft) {
        const result = validateWorldDraft(draft);
        if (!result.ok) {
          set({ problems: result.problems.map((p) => ({ field: p.key, message: p.message })) });
          return false;
        }
        set({ problems: [] });
        get().generate(result.settings);
        return true;
      },

      loadFromHash(hash) {
        const { state, problems, unknown } = readUrl(hash);
        const of = (table: string) =>
          problems.filter((p) => p.table === table).map(({ key, message }) => ({ key, message }));
        const shown = (table: string) =>
          of(table).map((p) => ({ field: p.key, message: p.message, fromUrl: true }));
        get().applyTrainingUrl(state.training, state.page.view ?? 'world', of('training'));
        set({
          trainingProblems: get().trainingProblems.map((p) => ({ ...p, fromUrl: true })),
          problems: [...shown('world'), ...shown('page')],
          urlNote: unknownNote(unknown),
        });
        get().applyAnalysisUrl(state.serving, state.study, {
          serving: of('serving'),
          study: of('study'),
        });
        teacherStore.getState().apply(state.page);
        if (state.page.lesson || state.page.chapter)
          lessonsStore
            .getState()
            .open(state.page.lesson ?? lessonsStore.getState().lesson, state.page.chapter ?? 1);
        lessonsStore
          .getState()
          .setSize({ steps: state.page.lessonSteps, repeats: state.page.lessonRepeats });
        if (state.page.lessonExtras)
          lessonsStore.getState().setExtrasFromUrl(state.page.lessonExtras);
        if (state.page.colorBy) get().setColorBy(state.page.colorBy);
        if (state.page.layout) get().setLayout(state.page.layout);
        const s = get();
        const same = JSON.stringify(state.world) === JSON.stringify(s.settings);
        if (same && (s.summary !== null || s.pendingRequest !== null)) s.writeUrl();
        else s.generate(state.world);
        // After the world: a new world sends the views back to the automatic user first.
        if (state.page.focusUser !== undefined) {
          get().applyUrlFocus(state.page.focusUser);
          get().writeUrl();
        }
      },

      receiveWorld(message) {
        const { pendingRequest } = get();
        switch (message.type) {
          case 'worldProgress':
            if (message.requestId !== pendingRequest) return;
            set({ progress: { fraction: message.fraction, stage: message.stage } });
            return;
          case 'worldReady':
            if (message.requestId !== pendingRequest) return;
            built = building;
            loaded = message.dataset ? loading : null;
            loading = null;
            set({
              summary: message.summary,
              config: message.config,
              dataset: message.dataset ?? null,
              progress: null,
              pendingRequest: null,
              worldNotice: '',
            });
            get().worldBuilt();
            return;
          case 'error': {
            // An error of a superseded request is stale; one tied to no request is always news.
            if (message.requestId !== undefined && message.requestId !== pendingRequest) return;
            const done = message.requestId !== undefined;
            if (done) loading = null;
            set({
              problems: [...get().problems, { field: message.field, message: message.message }],
              ...(done ? { progress: null, pendingRequest: null } : {}),
            });
            return;
          }
          default: {
            const unknown: never = message;
            set({
              problems: [
                ...get().problems,
                { message: `unexpected message from the worker: ${JSON.stringify(unknown)}` },
              ],
            });
          }
        }
      },
    };
  };
}

/** What the URL states of the app: the world and every knob that was set. */
export function urlStateOf(s: AppState): UrlState {
  return {
    world: s.settings,
    training: s.trainingSet,
    serving: s.funnelSet,
    study: s.studySet,
    page: {
      view: s.view,
      ...(s.focusUser >= 0 ? { focusUser: s.focusUser } : {}),
      ...(s.colorBy !== 'topic' ? { colorBy: s.colorBy } : {}),
      ...(s.layout !== 'pca' ? { layout: s.layout } : {}),
      ...(s.view === 'lessons'
        ? { lesson: lessonsStore.getState().lesson, chapter: lessonsStore.getState().chapter }
        : {}),
      ...(s.view === 'lessons' && lessonsStore.getState().steps > 0
        ? { lessonSteps: lessonsStore.getState().steps }
        : {}),
      ...(s.view === 'lessons' && lessonsStore.getState().repeats > 0
        ? { lessonRepeats: lessonsStore.getState().repeats }
        : {}),
      ...(s.view === 'lessons' && lessonsStore.getState().extras.length > 0
        ? { lessonExtras: lessonExtrasOf(lessonsStore.getState().extras) }
        : {}),
      ...teacherUrl(),
    },
  };
}
