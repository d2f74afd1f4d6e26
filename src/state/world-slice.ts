/**
 * The world slice of the store: the settings, the summary of the world on screen, the build
 * in progress and the messages to show. The world itself lives in the worker; the page only
 * ever holds its small summary.
 *
 * Invariant: `summary` and `config` change only when a world is ready, so a bad setting or a
 * failed build never takes the current world off the screen (DESIGN §9).
 */
import type { StateCreator } from 'zustand';
import type { WorldSummary } from '../sim/summary-types';
import type { WorldConfig } from '../sim/types';
import type { AppState } from './store';
import type { RequestId, WorldToPage, WorldBuildStage } from '../protocol';
import { readUrl, unknownNote, writeUrl, type UrlState } from './url';
import type { WorkerChannel } from './worker-channel';
import type { ConnectWorker } from './worker-client';
import {
  validateWorldDraft,
  type WorldDraft,
  type WorldSettings,
  DEFAULT_WORLD_SETTINGS,
} from './world-settings';

/** What the store needs from its surroundings (the browser, or fakes in tests). */
export interface StoreEnv {
  /** Starts the worker (lazily, on the first request, and again after it died). */
  connect: ConnectWorker;
  /** Writes the settings' hash (without '#') into the URL without adding a history entry. */
  writeHash(hash: string): void;
}

/** Progress of the world being built. */
export interface WorldProgress {
  /** Fraction done, in [0, 1]. */
  fraction: number;
  stage: WorldBuildStage;
}

/** A message to show; `field` names the setting at fault, when there is one. */
export interface Problem {
  field?: string;
  message: string;
  /** It came from reading the URL (the URL messages can be dismissed together). */
  fromUrl?: boolean;
}

/** State and actions of the world. */
export interface WorldSlice {
  /** Settings of the world on screen, or of the one being built once asked for. */
  settings: WorldSettings;
  /** Summary of the world on screen; null until the first one is ready. */
  summary: WorldSummary | null;
  /** Full settings (defaults filled in) of the world on screen. */
  config: WorldConfig | null;
  /** Progress of the build in flight, or null when none is. */
  progress: WorldProgress | null;
  /** Messages to show (bad settings, a failed build); empty when all is well. */
  problems: Problem[];
  /** A quiet note naming the URL's keys that no setting has (ignored); '' when none. */
  urlNote: string;
  /** Request id of the build in flight; replies to any other request are ignored. */
  pendingRequest: RequestId | null;

  /** Builds a world with already-valid settings, and writes them into the URL. */
  generate(settings: WorldSettings): void;
  /**
   * Validates the form; on success builds the world, on failure shows the problems and keeps
   * the current world. Returns whether the form was valid.
   */
  submitWorldForm(draft: Partial<WorldDraft>): boolean;
  /**
   * Reads the whole URL hash: the training settings and the view (training slice), then the
   * world settings (bad values reported, defaults used), and builds that world unless it is
   * the one already on screen or being built.
   */
  loadFromHash(hash: string): void;
  /** Handles one world message from the worker. */
  receiveWorld(message: WorldToPage): void;
  /** The worker died: stop waiting for the build in flight and say so. */
  worldFailed(why: string): void;
  /** Writes the app's whole state (every table of knobs, the view) into the URL. */
  writeUrl(): void;
  /** Hides the messages the URL gave rise to (bad values, ignored keys). */
  dismissUrlMessages(): void;
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
    const send = (settings: WorldSettings) => {
      const requestId = nextRequest++;
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

      generate(settings) {
        set({ settings });
        get().writeUrl();
        // The run on screen belongs to the old world: the training slice starts a new one.
        get().worldRequested();
        send(settings);
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
        if (state.page.colorBy) get().setColorBy(state.page.colorBy);
        if (state.page.layout) get().setLayout(state.page.layout);
        const s = get();
        const same = JSON.stringify(state.world) === JSON.stringify(s.settings);
        if (same && (s.summary !== null || s.pendingRequest !== null)) s.writeUrl();
        else s.generate(state.world);
        // After the world: a new world sends the views back to the automatic user first.
        get().applyUrlFocus(state.page.focusUser);
        get().writeUrl();
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
            set({
              summary: message.summary,
              config: message.config,
              progress: null,
              pendingRequest: null,
            });
            get().worldBuilt();
            return;
          case 'error': {
            // An error of a superseded request is stale; one tied to no request is always news.
            if (message.requestId !== undefined && message.requestId !== pendingRequest) return;
            const done = message.requestId !== undefined;
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
    },
  };
}
