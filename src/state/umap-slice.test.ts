/**
 * The UMAP slice in the store: asking the worker for the vectors, laying them out (a fake UMAP
 * worker whose jobs the test settles by hand), cancelling, and `topByDot`. The analysis
 * slice's own tests are in analysis-slice.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { defaultWorldConfig } from '../sim/config';
import type { WorldSummary } from '../sim/summary-types';
import type { PageToWorker, VectorsMessage, WorkerToPage } from '../protocol';
import { topByDot, type StartUmap } from './umap-slice';
import { createAppStore } from './store';

/** Users of the fake world (the focus user's range is 0 … USERS − 1). */
const USERS = 100;

/** A UMAP job the test settles by hand. */
interface FakeJob {
  request: Parameters<StartUmap>[0];
  onProgress: Parameters<StartUmap>[1];
  resolve(r: { coords: Float32Array; ms: number; sampled: number }): void;
  reject(e: unknown): void;
  cancelled: boolean;
}

/** A store wired to a fake worker that records what it was sent, and a fake UMAP. */
function makeStore() {
  const sent: PageToWorker[] = [];
  const hashes: string[] = [];
  const jobs: FakeJob[] = [];
  let deliver: (m: WorkerToPage) => void = () => {};
  const umap: StartUmap = (request, onProgress) => {
    let resolve!: FakeJob['resolve'];
    let reject!: FakeJob['reject'];
    const result = new Promise<{ coords: Float32Array; ms: number; sampled: number }>(
      (res, rej) => {
        resolve = res;
        reject = rej;
      },
    );
    result.catch(() => {}); // a cancelled job nobody awaits is not an unhandled rejection
    const job: FakeJob = { request, onProgress, resolve, reject, cancelled: false };
    jobs.push(job);
    return {
      result,
      cancel() {
        job.cancelled = true;
      },
    };
  };
  const store = createAppStore(
    {
      connect(onMessage) {
        deliver = onMessage;
        return { send: (m) => sent.push(m), dispose: () => {} };
      },
      writeHash: (h) => hashes.push(h),
    },
    umap,
  );
  const of = <T extends PageToWorker['type']>(type: T) =>
    sent.filter((m): m is Extract<PageToWorker, { type: T }> => m.type === type);
  /** Answers the last world request with a ready world of {@link USERS} users. */
  const worldReady = () => {
    const req = of('generateWorld').at(-1)!;
    deliver({
      type: 'worldReady',
      requestId: req.requestId,
      summary: { seed: req.settings.seed } as unknown as WorldSummary,
      config: { ...defaultWorldConfig, users: USERS },
    });
  };
  /** The worker says the run's models are built (sets `run.built`). */
  const built = () => {
    const s = store.getState();
    deliver({
      type: 'trainingStatus',
      runId: s.run.runId,
      state: 'paused',
      step: 0,
      params: s.trainingParams,
    });
    return s.run.runId;
  };
  /** Loads `hash` (a small world, the Training view), answers the world and builds the run. */
  const start = (extra = '') => {
    store.getState().loadFromHash(`#videos=500&users=${USERS}&view=training${extra}`);
    worldReady();
    return built();
  };
  return {
    store,
    sent,
    hashes,
    jobs,
    of,
    worldReady,
    built,
    start,
    deliver: (m: WorkerToPage) => deliver(m),
  };
}

const settle = () => new Promise<void>((r) => setTimeout(r, 0));

describe('the analysis slice: UMAP', () => {
  /** 20 videos in 3-D; u = (1, 0, 0), so only x counts. x = 7i mod 20, a permutation of 0–19. */
  const ROWS = 20;
  const DIM = 3;
  const vectors = new Float32Array(ROWS * DIM);
  for (let i = 0; i < ROWS; i++) {
    vectors[i * DIM] = (7 * i) % 20;
    vectors[i * DIM + 1] = 1000 * (i % 3); // large, but u ignores it
    vectors[i * DIM + 2] = -500 * (i % 2);
  }
  const u = Float32Array.from([1, 0, 0]);
  /** The rows with x ≥ 10: the top 10 by u · v. */
  const TOP = [2, 5, 8, 10, 11, 13, 14, 16, 17, 19];
  /** UMAP coordinates of row i: (i, 2i + 1). */
  const coords = new Float32Array(ROWS * 2);
  for (let i = 0; i < ROWS; i++) {
    coords[2 * i] = i;
    coords[2 * i + 1] = 2 * i + 1;
  }
  const vectorsMessage = (runId: number): VectorsMessage => ({
    type: 'vectors',
    runId,
    step: 42,
    vectors,
    rows: ROWS,
    dim: DIM,
    user: 3,
    u,
  });

  it('needs a run', () => {
    const h = makeStore();
    h.store.getState().startUmap();
    expect(h.store.getState().analysisProblems.umap?.message).toBe(
      'start a run first: UMAP lays out its current embeddings',
    );
    expect(h.of('vectors')).toHaveLength(0);
    expect(h.store.getState().umap.status).toBe('idle');
  });

  it('copies the vectors, lays them out with the training seed and puts u among its best videos', async () => {
    const h = makeStore();
    const runId = h.start('&trainSeed=123');
    h.store.getState().startUmap();
    expect(h.of('vectors')).toEqual([{ type: 'vectors', runId, user: -1 }]);
    expect(h.store.getState().umap.status).toBe('copying');
    h.deliver(vectorsMessage(runId));
    expect(h.jobs).toHaveLength(1);
    const job = h.jobs[0];
    expect(job.request.vectors).toBe(vectors);
    expect(job.request).toMatchObject({ rows: ROWS, dim: DIM, seed: 123 });
    expect(h.store.getState().umap.status).toBe('running');
    job.onProgress(0.5, 'optimising');
    expect(h.store.getState().umap).toMatchObject({
      status: 'running',
      fraction: 0.5,
      stage: 'optimising',
    });
    expect(h.store.getState().layout).toBe('pca');

    job.resolve({ coords, ms: 250, sampled: 20 });
    await settle();
    const s = h.store.getState();
    expect(s.umap).toMatchObject({
      status: 'done',
      fraction: 1,
      step: 42,
      ms: 250,
      sampled: 20,
      error: null,
    });
    expect(s.umap.coords).toBe(coords);
    expect(s.layout).toBe('umap');
    const meanX = TOP.reduce((a, i) => a + i, 0) / TOP.length; // 11.5
    const meanY = TOP.reduce((a, i) => a + 2 * i + 1, 0) / TOP.length; // 24
    expect(meanX).toBe(11.5);
    expect(s.umap.userCoords![0]).toBeCloseTo(meanX, 5);
    expect(s.umap.userCoords![1]).toBeCloseTo(meanY, 5);
  });

  it('a failed layout says so', async () => {
    const h = makeStore();
    const runId = h.start();
    h.store.getState().startUmap();
    h.deliver(vectorsMessage(runId));
    h.jobs[0].reject(new Error('the UMAP worker crashed'));
    await settle();
    expect(h.store.getState().umap).toMatchObject({
      status: 'failed',
      error: 'the UMAP worker crashed',
    });
    expect(h.store.getState().analysisProblems.umap?.message).toBe('UMAP: the UMAP worker crashed');
    expect(h.store.getState().layout).toBe('pca');
  });

  it('a new run cancels the layout in progress and ignores its late result', async () => {
    const h = makeStore();
    const runId = h.start();
    h.store.getState().startUmap();
    h.deliver(vectorsMessage(runId));
    h.store.getState().reset();
    expect(h.jobs[0].cancelled).toBe(true);
    expect(h.store.getState().umap.status).toBe('idle');
    h.jobs[0].resolve({ coords, ms: 1, sampled: 20 });
    await settle();
    expect(h.store.getState().umap.status).toBe('idle');
    expect(h.store.getState().umap.coords).toBeNull();
    expect(h.store.getState().layout).toBe('pca');
  });

  it('cancelling a running layout keeps the last finished one', async () => {
    const h = makeStore();
    const runId = h.start();
    h.store.getState().startUmap();
    h.deliver(vectorsMessage(runId));
    h.jobs[0].resolve({ coords, ms: 1, sampled: 20 });
    await settle();
    h.store.getState().startUmap();
    h.deliver(vectorsMessage(runId));
    h.store.getState().cancelUmap();
    expect(h.jobs[1].cancelled).toBe(true);
    expect(h.store.getState().umap.status).toBe('done');
    expect(h.store.getState().umap.coords).toBe(coords);
  });

  it('a cancel while the vectors are being copied starts no layout when they arrive', () => {
    const h = makeStore();
    const runId = h.start();
    h.store.getState().startUmap();
    h.store.getState().cancelUmap();
    expect(h.store.getState().umap.status).toBe('idle');
    h.deliver(vectorsMessage(runId));
    expect(h.jobs).toHaveLength(0);
    expect(h.store.getState().umap.status).toBe('idle');
  });
});

describe('the UMAP slice: Embedding Projector export', () => {
  const vectors = Float32Array.from([1, 2, 3, 4]);
  const message = (runId: number): VectorsMessage => ({
    type: 'vectors',
    runId,
    step: 7,
    vectors,
    rows: 2,
    dim: 2,
    user: 0,
    u: Float32Array.from([1, 0]),
  });

  it('needs a run', () => {
    const h = makeStore();
    h.store.getState().exportProjector();
    expect(h.of('vectors')).toHaveLength(0);
    expect(h.store.getState().analysisProblems.umap?.message).toMatch(/start a run first/);
  });

  it('asks for the vectors, keeps a copy for the page to save, and starts no layout', () => {
    const h = makeStore();
    const runId = h.start();
    h.store.getState().exportProjector();
    expect(h.of('vectors')).toEqual([{ type: 'vectors', runId, user: -1 }]);
    h.deliver(message(runId));
    const got = h.store.getState().projectorVectors!;
    expect(Array.from(got.vectors)).toEqual([1, 2, 3, 4]);
    expect(got.vectors).not.toBe(vectors); // a copy: the UMAP worker may take the original
    expect(got).toMatchObject({ rows: 2, dim: 2, step: 7 });
    expect(h.jobs).toHaveLength(0);
    expect(h.store.getState().umap.status).toBe('idle');
    h.store.getState().projectorSaved();
    expect(h.store.getState().projectorVectors).toBeNull();
    // A later answer (for a UMAP layout) is not taken as an export.
    h.store.getState().startUmap();
    h.deliver(message(runId));
    expect(h.store.getState().projectorVectors).toBeNull();
    expect(h.jobs).toHaveLength(1);
  });

  it('shares a copy already under way with a UMAP layout', () => {
    const h = makeStore();
    const runId = h.start();
    h.store.getState().startUmap();
    h.store.getState().exportProjector();
    expect(h.of('vectors')).toHaveLength(1);
    h.deliver(message(runId));
    expect(h.jobs).toHaveLength(1);
    expect(h.store.getState().projectorVectors?.rows).toBe(2);
  });

  it('a failed copy for the export does not mark the UMAP layout failed', () => {
    const h = makeStore();
    const runId = h.start();
    h.store.getState().exportProjector();
    h.deliver({ type: 'viewError', runId, request: 'vectors', message: 'no' });
    expect(h.store.getState().umap.status).toBe('idle');
    expect(h.store.getState().projectorVectors).toBeNull();
  });
});

describe('topByDot', () => {
  it('returns the k rows with the largest dot product, ties by lower index', () => {
    // rows: (1,0) (3,0) (3,0) (2,4) (0,-1); u = (1, 0.25) (exact in float32)
    const v = Float32Array.from([1, 0, 3, 0, 3, 0, 2, 4, 0, -1]);
    const u = Float32Array.from([1, 0.25]);
    // scores: 1, 3, 3, 3, -0.25 → ties at 3 among rows 1, 2, 3.
    expect(topByDot(v, 5, 2, u, 2)).toEqual([1, 2]);
    expect(topByDot(v, 5, 2, u, 10)).toEqual([1, 2, 3, 0, 4]);
    expect(topByDot(v, 5, 2, Float32Array.from([-1, 0]), 1)).toEqual([4]);
    expect(topByDot(v, 5, 2, u, 0)).toEqual([]);
    expect(topByDot(new Float32Array(0), 0, 2, u, 3)).toEqual([]);
  });
});
