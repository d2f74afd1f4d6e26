/**
 * The Embeddings view's UMAP layout: on demand, the worker copies the candidate model's video
 * vectors (and the focus user's u and best videos), and a UMAP worker lays them out with
 * progress; the page keeps the layout of that step until it is recomputed. Failures show under
 * the analysis views' `umap` problem.
 */
import type { StateCreator } from 'zustand';
import type { VectorsMessage } from '../protocol';
import type { AppState, StartUmap, UmapSlice, UmapState } from './app-state';
import type { WorkerChannel } from './worker-channel';

export type { Layout } from '../protocol/params';
export type { StartUmap, UmapSlice, UmapState } from './app-state';

const IDLE_UMAP: UmapState = {
  status: 'idle',
  fraction: 0,
  stage: '',
  coords: null,
  userCoords: null,
  user: -1,
  step: 0,
  ms: 0,
  sampled: 0,
  error: null,
};

/**
 * Creates the slice; `channel` is the worker shared with the other slices, `umapWorker` starts
 * a UMAP layout in its own worker.
 */
export function createUmapSlice(
  channel: WorkerChannel,
  umapWorker: StartUmap,
): StateCreator<AppState, [], [], UmapSlice> {
  let cancelUmapJob: (() => void) | null = null;
  /** A `vectors` answer is awaited for a UMAP layout (cleared by a cancel). */
  let awaitingVectors = false;
  /** A `vectors` answer is awaited for the Embedding Projector export. */
  let awaitingProjector = false;
  return (set, get) => {
    const live = (): number | null => {
      const { run } = get();
      return run.runId !== 0 && run.built && run.state !== 'failed' ? run.runId : null;
    };
    return {
      umap: IDLE_UMAP,
      layout: 'pca',
      projectorVectors: null,

      exportProjector() {
        const runId = live();
        if (runId === null) {
          get().setAnalysisProblem(
            'umap',
            'start a run first: the projector export saves its current embeddings',
          );
          return;
        }
        // A UMAP copy already under way answers both.
        if (!awaitingVectors) channel.send({ type: 'vectors', runId, user: get().focusUser });
        awaitingProjector = true;
      },

      projectorSaved() {
        set({ projectorVectors: null });
      },

      startUmap() {
        const runId = live();
        if (runId === null) {
          get().setAnalysisProblem(
            'umap',
            'start a run first: UMAP lays out its current embeddings',
          );
          return;
        }
        get().cancelUmap();
        awaitingVectors = true;
        get().setAnalysisProblem('umap', null);
        set({
          umap: { ...get().umap, status: 'copying', fraction: 0, stage: 'copying the embeddings' },
        });
        channel.send({ type: 'vectors', runId, user: get().focusUser });
      },

      cancelUmap() {
        awaitingVectors = false;
        cancelUmapJob?.();
        cancelUmapJob = null;
        const u = get().umap;
        if (u.status === 'running' || u.status === 'copying')
          set({ umap: { ...u, status: u.coords ? 'done' : 'idle', stage: 'cancelled' } });
      },

      setLayout(layout) {
        set({ layout });
        get().writeUrl();
      },

      receiveUmap(m) {
        if (m.runId !== get().run.runId) return;
        const forProjector = awaitingProjector;
        awaitingProjector = false;
        if (m.type === 'viewError') {
          if (awaitingVectors || !forProjector) set({ umap: { ...get().umap, status: 'failed' } });
          return;
        }
        // The UMAP worker takes the vectors' buffer: the export keeps a copy of its own.
        if (forProjector) set({ projectorVectors: { ...m, vectors: m.vectors.slice() } });
        if (!awaitingVectors) return; // cancelled while the vectors were being copied
        awaitingVectors = false;
        runUmap(m);
      },

      umapRunStarted() {
        awaitingVectors = false;
        awaitingProjector = false;
        cancelUmapJob?.();
        cancelUmapJob = null;
        // The layout choice stays (it is in the URL): the view computes a new UMAP for the run.
        set({ umap: IDLE_UMAP, projectorVectors: null });
      },
    };

    /** Lays out the copied vectors in the UMAP worker; u goes where its best videos lie. */
    function runUmap(m: VectorsMessage): void {
      const seed = get().trainingParams.trainSeed;
      const job = umapWorker(
        { vectors: m.vectors, rows: m.rows, dim: m.dim, seed },
        (fraction, stage) => set({ umap: { ...get().umap, status: 'running', fraction, stage } }),
      );
      cancelUmapJob = job.cancel;
      const best = m.best ? Array.from(m.best) : topByDot(m.vectors, m.rows, m.dim, m.u, 10);
      set({ umap: { ...get().umap, status: 'running', fraction: 0, stage: 'starting' } });
      job.result.then(
        (r) => {
          if (cancelUmapJob !== job.cancel) return;
          cancelUmapJob = null;
          let x = 0;
          let y = 0;
          for (const i of best) {
            x += r.coords[2 * i] / best.length;
            y += r.coords[2 * i + 1] / best.length;
          }
          set({
            umap: {
              status: 'done',
              fraction: 1,
              stage: 'done',
              coords: r.coords,
              userCoords: best.length ? [x, y] : null,
              user: m.user,
              step: m.step,
              ms: r.ms,
              sampled: r.sampled,
              error: null,
            },
            layout: 'umap',
          });
        },
        (e: unknown) => {
          if (cancelUmapJob !== job.cancel) return;
          cancelUmapJob = null;
          const message = e instanceof Error ? e.message : String(e);
          set({ umap: { ...get().umap, status: 'failed', error: message } });
          get().setAnalysisProblem('umap', `UMAP: ${message}`);
        },
      );
    }
  };
}

/** The `k` rows of `vectors` [rows × dim] with the largest dot product with `u` [dim]. */
export function topByDot(
  vectors: Float32Array,
  rows: number,
  dim: number,
  u: Float32Array,
  k: number,
): number[] {
  const scores = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += vectors[i * dim + j] * u[j];
    scores[i] = s;
  }
  return Array.from(scores.keys())
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, k);
}
