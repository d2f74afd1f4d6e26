import { describe, expect, it } from 'vitest';
import { defaultWorldConfig } from '../sim/config';
import type { WorldSummary } from '../sim/summary-types';
import type {
  EvalPoint,
  FunnelMessage,
  MetricsMessage,
  NegativesSweepMessage,
  PageToWorker,
  SoftmaxMessage,
  WorkerToPage,
} from '../protocol';
import { DEFAULT_SWEEP_STEPS } from './analysis-slice';
import { createAppStore } from './store';

/** Users of the fake world (the focus user's range is 0 … USERS − 1). */
const USERS = 100;

/**
 * A store wired to a fake worker that records what it was sent. (No UMAP worker: the UMAP
 * slice's tests, with a fake one, are in umap-slice.test.ts.)
 */
function makeStore() {
  const sent: PageToWorker[] = [];
  const hashes: string[] = [];
  let deliver: (m: WorkerToPage) => void = () => {};
  const store = createAppStore({
    connect(onMessage) {
      deliver = onMessage;
      return { send: (m) => sent.push(m), dispose: () => {} };
    },
    writeHash: (h) => hashes.push(h),
  });
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
    of,
    worldReady,
    built,
    start,
    deliver: (m: WorkerToPage) => deliver(m),
  };
}

const figures = (n: number) => ({
  n,
  retrieved: n,
  recall: n / 2000,
  labelInTopK: n / 4000,
  watchPerImpression: 1,
  unrankedWatchPerImpression: 0.5,
  retrievalMs: 1,
  rankingMs: 2,
});

const funnelAnswer = (runId: number, step: number, k = 10): FunnelMessage => ({
  type: 'funnel',
  runId,
  step,
  k,
  nprobe: 8,
  queries: 40,
  latencyQueries: 4,
  oracleWatchPerImpression: 3,
  towerMs: 0.1,
  exact: [figures(10), figures(100)],
  approx: [figures(10), figures(100)],
  recallCurve: [{ n: 10, recall: 0.1 }],
  indexRecall100: 0.9,
  index: { lists: 16, buildMs: 5, bytes: 1000 },
  example: null,
  ms: 20,
});

const bias = { tv: 0.2, kl: 0.1, massLogRatio: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] };

const softmaxAnswer = (
  runId: number,
  step: number,
  study: Pick<SoftmaxMessage, 'sampler' | 'negatives' | 'alpha' | 'logQ'>,
): SoftmaxMessage => ({
  type: 'softmax',
  runId,
  step,
  user: 3,
  ...study,
  items: Int32Array.from([0, 1]),
  full: Float32Array.from([0.6, 0.4]),
  estimate: Float32Array.from([0.5, 0.5]),
  learned: Float32Array.from([0.55, 0.45]),
  decile: Uint8Array.from([9, 0]),
  head: 2,
  live: 2,
  bias: { estimate: bias, learned: bias },
  decileUpper: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  qRank: Int32Array.from([1, 2]),
  q: Float32Array.from([0.7, 0.3]),
  labelShare: Float32Array.from([0.6, 0.4]),
  sweep: [],
  ms: 12,
});

const evalPoint = (step: number): EvalPoint => ({
  step,
  recall: [0.01, 0.05, 0.1, 0.4],
  mfRecall: [0.01, 0.04, 0.1, 0.35],
  popularRecall: [0.02, 0.06, 0.13, 0.4],
  heldOutLoss: 5,
  ranking: { auc: 0.7, weightedPerUserLoss: 0.2, loss: 0.6 },
  ms: 10,
});

const metrics = (runId: number, steps: number[], evals: EvalPoint[]): MetricsMessage => ({
  type: 'metrics',
  runId,
  steps: Int32Array.from(steps),
  loss: Float32Array.from(steps, () => 5),
  mfLoss: Float32Array.from(steps, () => 6),
  rankingLoss: Float32Array.from(steps, () => 0.5),
  evals,
  examplesPerSec: 2000,
  stepsPerSec: 8,
});

describe('the analysis slice: live requests', () => {
  it('asks for the softmax once, with the study derived from the training params', () => {
    const h = makeStore();
    h.store.getState().request('softmax'); // no world, no run: nothing to ask
    expect(h.of('softmax')).toHaveLength(0);
    const runId = h.start('&sampler=full&negatives=64&alpha=0.5&logQ=off');
    h.store.getState().request('softmax');
    expect(h.of('softmax')).toEqual([
      {
        type: 'softmax',
        runId,
        user: -1,
        sampler: 'popularity',
        negatives: 64,
        alpha: 0.5,
        logQ: false,
      },
    ]);
    expect(h.store.getState().softmaxStudy).toEqual({
      sampler: 'popularity',
      negatives: 64,
      alpha: 0.5,
      logQ: false,
    });
    expect(h.store.getState().pending).toEqual({ softmax: true, funnel: false });
    h.store.getState().request('softmax'); // one in flight: nothing more
    expect(h.of('softmax')).toHaveLength(1);

    // An answer of another run is dropped; this run's answer lands and clears pending.
    const study = { sampler: 'popularity', negatives: 64, alpha: 0.5, logQ: false } as const;
    h.deliver(softmaxAnswer(runId + 1, 0, study));
    h.deliver(softmaxAnswer(runId - 1, 0, study));
    expect(h.store.getState().softmax).toBeNull();
    expect(h.store.getState().pending.softmax).toBe(true);
    const answer = softmaxAnswer(runId, 0, study);
    h.deliver(answer);
    expect(h.store.getState().softmax).toBe(answer);
    expect(h.store.getState().pending.softmax).toBe(false);
    h.store.getState().request('softmax');
    expect(h.of('softmax')).toHaveLength(2);
  });

  it('keeps a sampler other than full as it is, and a changed study asks again', () => {
    const h = makeStore();
    const runId = h.start('&sampler=uniform&negatives=32&logQ=on');
    h.store.getState().request('softmax');
    expect(h.of('softmax')[0]).toMatchObject({ sampler: 'uniform', negatives: 32, logQ: true });
    h.deliver(softmaxAnswer(runId, 0, h.store.getState().softmaxStudy!));
    h.store.getState().setSoftmaxStudy({ negatives: 1024, sampler: 'log-uniform' });
    expect(h.of('softmax')).toHaveLength(2);
    expect(h.of('softmax')[1]).toMatchObject({
      runId,
      sampler: 'log-uniform',
      negatives: 1024,
      logQ: true,
    });
    // The training run's own settings are untouched.
    expect(h.store.getState().trainingParams).toMatchObject({ sampler: 'uniform', negatives: 32 });
  });

  it('a study or k changed while a request is in flight is asked for once the answer lands', () => {
    const h = makeStore();
    const runId = h.start('&negatives=64');
    h.store.getState().request('softmax');
    h.store.getState().request('funnel');
    const asked = h.store.getState().softmaxStudy!;
    h.store.getState().setSoftmaxStudy({ negatives: 16 }); // one in flight: waits
    expect(h.store.getState().submitFunnelK('3')).toBe(true);
    expect(h.of('softmax')).toHaveLength(1);
    expect(h.of('funnel')).toHaveLength(1);
    // The answers of the old settings land (training paused: no new evaluation), and the
    // views refresh as useLiveAnalysis does when `pending` changes.
    h.deliver(softmaxAnswer(runId, 0, asked));
    h.deliver(funnelAnswer(runId, 0, 10));
    h.store.getState().refresh('softmax');
    h.store.getState().refresh('funnel');
    expect(h.of('softmax').at(-1)).toMatchObject({ negatives: 16 });
    expect(h.of('funnel').at(-1)).toMatchObject({ k: 3 });
  });

  it('refresh asks only when the last answer is older than the latest evaluation', () => {
    const h = makeStore();
    const runId = h.start();
    h.store.getState().refresh('funnel'); // no answer yet: ask
    expect(h.of('funnel')).toEqual([{ type: 'funnel', runId, user: -1, k: 10, nprobe: 8 }]);
    h.store.getState().refresh('funnel'); // in flight: nothing
    expect(h.of('funnel')).toHaveLength(1);
    h.deliver(funnelAnswer(runId, 0));
    expect(h.store.getState().pending.funnel).toBe(false);
    expect(h.store.getState().funnelResult?.step).toBe(0);
    h.store.getState().refresh('funnel'); // the answer is as new as the history
    expect(h.of('funnel')).toHaveLength(1);
    h.deliver(metrics(runId, [1, 2, 3], []));
    h.store.getState().refresh('funnel'); // steps but no new evaluation
    expect(h.of('funnel')).toHaveLength(1);
    h.deliver(metrics(runId, [4, 5], [evalPoint(50)]));
    h.store.getState().refresh('funnel'); // one evaluation newer: the funnel waits for two
    expect(h.of('funnel')).toHaveLength(1);
    h.deliver(metrics(runId, [6], [evalPoint(100)]));
    h.store.getState().refresh('funnel');
    expect(h.of('funnel')).toHaveLength(2);
    h.deliver(funnelAnswer(runId, 100));
    h.store.getState().refresh('funnel');
    expect(h.of('funnel')).toHaveLength(2);
    expect(h.of('softmax')).toHaveLength(0); // refresh('funnel') asks only for the funnel
  });
});

describe('the analysis slice: funnel settings', () => {
  it('rejects a bad k naming its range, and sends a good one and writes it into the URL', () => {
    const h = makeStore();
    const runId = h.start();
    expect(h.store.getState().submitFunnelK('0')).toBe(false);
    expect(h.store.getState().analysisProblems.funnel?.message).toContain(
      'funnelK must be an integer from 1 to 50',
    );
    expect(h.store.getState().submitFunnelK('2.5')).toBe(false);
    expect(h.store.getState().submitFunnelK('')).toBe(false);
    expect(h.of('funnel')).toHaveLength(0);
    expect(h.store.getState().funnel.funnelK).toBe(10);

    expect(h.store.getState().submitFunnelK(' 5 ')).toBe(true);
    expect(h.store.getState().analysisProblems.funnel).toBeUndefined();
    expect(h.of('funnel')).toEqual([{ type: 'funnel', runId, user: -1, k: 5, nprobe: 8 }]);
    expect(h.store.getState().funnel).toEqual({ funnelN: 100, funnelK: 5, nprobe: 8 });
    expect(h.hashes.at(-1)).toBe('seed=7&videos=500&users=100&funnelK=5&view=training');

    h.store.getState().setFunnelN(2000);
    expect(h.store.getState().funnel).toEqual({ funnelN: 2000, funnelK: 5, nprobe: 8 });
    expect(h.store.getState().funnelSet).toEqual({ funnelN: 2000, funnelK: 5 });
    expect(h.hashes.at(-1)).toBe(
      'seed=7&videos=500&users=100&funnelN=2000&funnelK=5&view=training',
    );
    expect(h.of('funnel')).toHaveLength(1); // N is read from the last answer, not asked for
  });

  it('reads funnelN / funnelK from the URL, a bad one reported with the default used', () => {
    const h = makeStore();
    h.store.getState().loadFromHash('#videos=500&users=100&funnelN=300&funnelK=7');
    const s = h.store.getState();
    expect(s.funnel).toEqual({ funnelN: 100, funnelK: 7, nprobe: 8 });
    expect(s.funnelSet).toEqual({ funnelK: 7 });
    expect(s.analysisProblems.funnel?.message).toBe(
      'funnelN must be one of 10, 20, 50, 100, 200, 500, 1000, 2000 (got "300") in the URL; using the default 100',
    );
    expect(s.problems).toEqual([]); // not an unknown key to the world reader
    expect(h.hashes.at(-1)).toBe('seed=7&videos=500&users=100&funnelK=7');
    h.store.getState().loadFromHash('#videos=500&users=100&funnelN=50');
    expect(h.store.getState().funnel).toEqual({ funnelN: 50, funnelK: 10, nprobe: 8 });
    expect(h.store.getState().analysisProblems.funnel).toBeUndefined();
  });
});

describe('the analysis slice: the focus user', () => {
  it('validates against the world’s users and tells the worker', () => {
    const h = makeStore();
    const runId = h.start();
    for (const bad of ['100', '-1', '2.5', 'x']) {
      expect(h.store.getState().submitFocusUser(bad), bad).toBe(false);
      expect(h.store.getState().analysisProblems.focus?.message, bad).toBe(
        `user must be an integer from 0 to 99, or empty for the first held-out user (got ${JSON.stringify(bad)})`,
      );
    }
    expect(h.of('focus')).toHaveLength(0);
    expect(h.store.getState().focusUser).toBe(-1);

    expect(h.store.getState().submitFocusUser('99')).toBe(true);
    expect(h.store.getState().analysisProblems.focus).toBeUndefined();
    expect(h.store.getState().focusUser).toBe(99);
    expect(h.of('focus')).toEqual([{ type: 'focus', runId, user: 99 }]);
    expect(h.store.getState().submitFocusUser(' ')).toBe(true); // automatic
    expect(h.store.getState().focusUser).toBe(-1);
    expect(h.of('focus').at(-1)).toEqual({ type: 'focus', runId, user: -1 });
  });

  it('a new focus user asks again for the views that have an answer', () => {
    const h = makeStore();
    const runId = h.start();
    h.store.getState().request('softmax');
    h.deliver(softmaxAnswer(runId, 0, h.store.getState().softmaxStudy!));
    h.store.getState().submitFocusUser('7');
    expect(h.of('softmax')).toHaveLength(2);
    expect(h.of('funnel')).toHaveLength(0); // never shown: not asked for
  });

  it('before a run is built the choice is kept but nothing is sent', () => {
    const h = makeStore();
    h.store.getState().loadFromHash(`#videos=500&users=${USERS}`);
    h.worldReady();
    expect(h.store.getState().submitFocusUser('5')).toBe(true);
    expect(h.store.getState().focusUser).toBe(5);
    expect(h.of('focus')).toHaveLength(0);
  });
});

describe('the analysis slice: errors, sweep and runs', () => {
  it('a failed answer is not retried automatically until a new evaluation or a new setting', () => {
    const h = makeStore();
    const runId = h.start();
    h.store.getState().refresh('funnel');
    h.deliver({ type: 'viewError', runId, request: 'funnel', message: 'the funnel: broke' });
    h.store.getState().refresh('funnel'); // same weights: no retry loop
    expect(h.of('funnel')).toHaveLength(1);
    h.deliver(metrics(runId, [1], [evalPoint(50)]));
    h.store.getState().refresh('funnel'); // new weights: try again
    expect(h.of('funnel')).toHaveLength(2);
    h.deliver(funnelAnswer(runId, 50));
    // The good answer clears the computation's failure.
    expect(h.store.getState().analysisProblems.funnel).toBeUndefined();
    h.deliver({ type: 'viewError', runId, request: 'funnel', message: 'the funnel: broke' });
    expect(h.store.getState().submitFunnelK('4')).toBe(true); // a new setting asks at once
    expect(h.of('funnel').at(-1)).toMatchObject({ k: 4 });
  });

  it('puts each view error under its own key and clears that view’s pending request', () => {
    const h = makeStore();
    const runId = h.start();
    h.store.getState().request('softmax');
    h.store.getState().request('funnel');
    h.deliver({ type: 'viewError', runId, request: 'softmax', message: 'negatives too big' });
    expect(h.store.getState().pending).toEqual({ softmax: false, funnel: true });
    expect(h.store.getState().analysisProblems).toEqual({
      softmax: { message: 'negatives too big' },
    });
    h.deliver({ type: 'viewError', runId, request: 'funnel', message: 'k bad' });
    expect(h.store.getState().pending).toEqual({ softmax: false, funnel: false });
    expect(h.store.getState().analysisProblems.funnel).toEqual({ message: 'k bad' });
    h.deliver({ type: 'viewError', runId, request: 'negativesSweep', message: 'sweep failed' });
    expect(h.store.getState().analysisProblems.sweep).toEqual({ message: 'sweep failed' });
    h.deliver({ type: 'viewError', runId, request: 'cancelSweep', message: 'no sweep' });
    expect(h.store.getState().analysisProblems.sweep).toEqual({ message: 'no sweep' });
    h.deliver({ type: 'viewError', runId, request: 'focus', message: 'no such user' });
    expect(h.store.getState().analysisProblems.focus).toEqual({ message: 'no such user' });
    h.store.getState().startUmap();
    h.deliver({ type: 'viewError', runId, request: 'vectors', message: 'no vectors' });
    expect(h.store.getState().analysisProblems.umap).toEqual({ message: 'no vectors' });
    expect(h.store.getState().umap.status).toBe('failed');
    // An error about another run is dropped.
    h.deliver({ type: 'viewError', runId: runId + 1, request: 'softmax', message: 'stale' });
    expect(h.store.getState().analysisProblems.softmax).toEqual({ message: 'negatives too big' });
    // A later good answer clears the softmax problem.
    h.store.getState().request('softmax');
    h.deliver(softmaxAnswer(runId, 0, h.store.getState().softmaxStudy!));
    expect(h.store.getState().analysisProblems.softmax).toBeUndefined();
  });

  it('a sweep needs a built run; then it sends the default K list and steps', () => {
    const h = makeStore();
    h.store.getState().loadFromHash(`#videos=500&users=${USERS}&view=training`);
    h.worldReady(); // a run is preparing, not built
    h.store.getState().startSweep();
    expect(h.store.getState().analysisProblems.sweep?.message).toBe(
      'train or step the run once first: the sweep uses its examples',
    );
    expect(h.of('negativesSweep')).toHaveLength(0);
    expect(h.store.getState().sweep).toBeNull();

    const runId = h.built();
    h.store.getState().startSweep();
    expect(DEFAULT_SWEEP_STEPS).toBe(200);
    expect(h.of('negativesSweep')).toEqual([
      { type: 'negativesSweep', runId, negatives: [4, 16, 64, 256, 1024], steps: 200 },
    ]);
    expect(h.store.getState().analysisProblems.sweep).toBeUndefined();
    expect(h.store.getState().sweep).toMatchObject({ progress: 0, total: 1000, done: false });
    h.store.getState().startSweep([8, 32], 50);
    expect(h.of('negativesSweep')[1]).toMatchObject({ negatives: [8, 32], steps: 50 });
    expect(h.store.getState().sweep?.total).toBe(100);

    const progress: NegativesSweepMessage = {
      type: 'negativesSweep',
      runId,
      sampler: 'popularity',
      progress: 50,
      total: 100,
      points: [{ negatives: 8, steps: 50, recall100: 0.1, msPerStep: 3, finalLoss: 4 }],
      done: false,
      cancelled: false,
    };
    h.deliver(progress);
    expect(h.store.getState().sweep).toBe(progress);
    h.store.getState().cancelSweep();
    expect(h.of('cancelSweep')).toEqual([{ type: 'cancelSweep', runId }]);
  });

  it('a new run clears the answers; a new world also sends the focus back to automatic', () => {
    const h = makeStore();
    const runId = h.start();
    h.store.getState().request('softmax');
    h.store.getState().request('funnel');
    h.deliver(softmaxAnswer(runId, 0, h.store.getState().softmaxStudy!));
    h.deliver(funnelAnswer(runId, 0));
    h.store.getState().startSweep();
    h.store.getState().submitFocusUser('12');
    h.store.getState().setLayout('umap');
    expect(h.store.getState().softmax).not.toBeNull();
    expect(h.store.getState().funnelResult).not.toBeNull();

    h.store.getState().reset();
    let s = h.store.getState();
    expect(s.run.runId).toBeGreaterThan(runId);
    expect(s.softmax).toBeNull();
    expect(s.funnelResult).toBeNull();
    expect(s.sweep).toBeNull();
    expect(s.pending).toEqual({ softmax: false, funnel: false });
    // The layout choice stays (it is in the URL); the run's UMAP is computed afresh.
    expect(s.layout).toBe('umap');
    expect(s.umap.coords).toBeNull();
    expect(s.focusUser).toBe(12); // a new run of the same world keeps the user
    // A late answer of the old run does not come back.
    h.deliver(funnelAnswer(runId, 3));
    expect(h.store.getState().funnelResult).toBeNull();

    const second = h.built();
    h.store.getState().request('funnel');
    h.deliver(funnelAnswer(second, 0));
    h.store.getState().generate({ seed: 9, videos: 500, users: USERS });
    s = h.store.getState();
    expect(s.funnelResult).toBeNull();
    expect(s.focusUser).toBe(-1);
    expect(s.analysisProblems.focus).toBeUndefined();
  });
});
