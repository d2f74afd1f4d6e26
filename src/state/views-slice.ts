/**
 * The slice of the live views beyond Training: the Embedding view's video metadata, its latest
 * 2-D projection, the colour-by choice and the nearest neighbours of a clicked video. The
 * projection is large ([videos × 2] floats) and frequent, so it is replaced by reference and
 * announced by `projectionVersion`; the canvas follows it through `appStore.subscribe`.
 */
import type { StateCreator } from 'zustand';
import type { AppState, ViewsSlice } from './app-state';
import type { WorkerChannel } from './worker-channel';

export { COLOR_BYS, type ColorBy } from '../protocol/params';
export type { ViewsMessage, ViewsSlice } from './app-state';

/** Creates the views slice; `channel` is the worker shared with the other slices. */
export function createViewsSlice(
  channel: WorkerChannel,
): StateCreator<AppState, [], [], ViewsSlice> {
  return (set, get) => ({
    videoMeta: null,
    projection: null,
    projectionVersion: 0,
    colorBy: 'topic',
    selectedVideo: null,
    neighbours: null,

    setColorBy(colorBy) {
      set({ colorBy });
      get().writeUrl();
    },

    askNeighbours(video) {
      const { run } = get();
      set({ selectedVideo: video, neighbours: null });
      if (run.runId === 0 || !run.built) return;
      channel.send({ type: 'neighbours', runId: run.runId, video });
    },

    receiveViews(m) {
      if (m.runId !== get().run.runId) return;
      switch (m.type) {
        case 'videoMeta':
          set({ videoMeta: m, selectedVideo: null, neighbours: null });
          return;
        case 'projection':
          set({ projection: m, projectionVersion: get().projectionVersion + 1 });
          return;
        case 'neighbours':
          if (m.video === get().selectedVideo) set({ neighbours: m });
          return;
      }
    },
  });
}
