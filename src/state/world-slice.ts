/**
 * The world slice of the store: the settings, the summary of the world on screen, the build
 * in progress and the messages to show. The world itself lives in the worker; the page only
 * ever holds its small summary.
 *
 * Invariant: `summary` and `config` change only when a world is ready, so a bad setting or a
 * failed build never takes the current world off the screen (docs/design-notes.md#bad-input).
 */
import type { StateCreator } from 'zustand';
import type { AppState, StoreEnv, WorldSlice } from './app-state';
import { readUrl, unknownNote, writeUrl, type UrlState } from './url';
import type { WorkerChannel } from './worker-channel';
import { validateWorldDraft, type WorldSettings, DEFAULT_WORLD_SETTINGS } from './world-settings';

export type { StoreEnv, WorldProgress, Problem, WorldSlice } from './app-state';

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
