import { describe, expect, it } from 'vitest';
import { defaultWorldConfig } from '../sim/config';
import type { WorldSummary } from '../sim/summary-types';
import type {
  EvalPoint,
  MetricsMessage,
  PageToWorker,
  WeightSnapshot,
  WorkerToPage,
} from '../protocol';
import { createAppStore } from './store';
import { needsReset } from './training-slice';
import { DEFAULT_TRAINING_PARAMS } from './training-settings';

/** A store wired to fake workers that record what they were sent. */
function makeStore() {
  const sent: PageToWorker[] = [];
  const hashes: string[] = [];
  let deliver: (m: WorkerToPage) => void = () => {};
  let fail: (why: string) => void = () => {};
  let connects = 0;
  const store = createAppStore({
    connect(onMessage, onFailure) {
      connects++;
      deliver = onMessage;
      fail = onFailure;
      return { send: (m) => sent.push(m), dispose: () => {} };
    },
    writeHash: (h) => hashes.push(h),
  });
  const of = <T extends PageToWorker['type']>(type: T) =>
    sent.filter((m): m is Extract<PageToWorker, { type: T }> => m.type === type);
  /** Answers the last world request with a ready world. */
  const worldReady = () => {
    const req = of('generateWorld').at(-1)!;
    deliver({
      type: 'worldReady',
      requestId: req.requestId,
      summary: { seed: req.settings.seed } as unknown as WorldSummary,
      config: defaultWorldConfig,
    });
  };
  return {
    store,
    sent,
    hashes,
    of,
    worldReady,
    deliver: (m: WorkerToPage) => deliver(m),
    fail: (w: string) => fail(w),
    connects: () => connects,
  };
}

const evalPoint = (step: number, recall100: number): EvalPoint => ({
  step,
  recall: [0.01, 0.05, recall100, 0.4],
  mfRecall: [0.01, 0.04, 0.1, 0.35],
  popularRecall: [0.02, 0.06, 0.13, 0.4],
  heldOutLoss: 5,
  ranking: { auc: 0.7, weightedPerUserLoss: 0.2, loss: 0.6 },
  ms: 10,
});

const metrics = (runId: number, steps: number[], evals: EvalPoint[] = []): MetricsMessage => ({
  type: 'metrics',
  runId,
  steps: Int32Array.from(steps),
  loss: Float32Array.from(steps, (s) => 6 - s / 100),
  mfLoss: Float32Array.from(steps, () => 6),
  rankingLoss: Float32Array.from(steps, () => 0.5),
  evals,
  examplesPerSec: 2000,
  stepsPerSec: 8,
});

const snapshot = (runId: number, step: number): WeightSnapshot => ({
  runId,
  step,
  params: DEFAULT_TRAINING_PARAMS,
  weights: [
    { name: 'candidate.videoOut', data: new Float32Array([1, 2, 3]) },
    // One bias per video of the world the fake worker reports (defaultWorldConfig).
    { name: 'candidate.videoBias', data: new Float32Array(defaultWorldConfig.videos).fill(0.5) },
    { name: 'mf.videoBias', data: new Float32Array(defaultWorldConfig.videos) },
  ],
  slots: [{ name: 'candidate.videoOut.m', data: new Float32Array([0.1, 0.2, 0.3]) }],
  counters: { 'candidate.rng': 0.25, 'candidate.steps': step },
  backend: 'wasm',
  world: '00000000000000aa',
});

describe('training settings in the URL', () => {
  it('reads training settings and the view beside the world, and writes back only what was set', () => {
    const { store, of, hashes } = makeStore();
    store
      .getState()
      .loadFromHash('#seed=3&videos=500&users=100&lr=0.05&depth=2&features=searches&view=training');
    const s = store.getState();
    expect(of('generateWorld')[0].settings).toEqual({ seed: 3, videos: 500, users: 100 });
    expect(s.problems).toEqual([]);
    expect(s.trainingProblems).toEqual([]);
    expect(s.trainingParams).toMatchObject({
      lr: 0.05,
      depth: 2,
      negatives: 256,
      sampler: 'popularity',
    });
    expect(s.trainingParams.features).toEqual({
      searches: true,
      demographics: false,
      exampleAge: false,
    });
    expect(s.view).toBe('training');
    expect(hashes).toEqual([
      'seed=3&videos=500&users=100&lr=0.05&depth=2&features=searches&view=training',
    ]);
  });

  it('names the field and range of a bad training value and keeps every other setting', () => {
    const { store, of } = makeStore();
    store.getState().loadFromHash('#videos=500&users=100&lr=5&sampler=uniform&colour=red');
    const s = store.getState();
    expect(s.trainingProblems).toEqual([
      {
        field: 'lr',
        message:
          'lr must be a number from 0.00001 to 1 (got "5") in the URL; using the default 0.02',
        fromUrl: true,
      },
    ]);
    expect(s.trainingParams.lr).toBe(0.02);
    expect(s.trainingParams.sampler).toBe('uniform');
    // The unknown key is not a problem: a quiet note names it.
    expect(s.problems).toEqual([]);
    expect(s.urlNote).toContain('"colour"');
    expect(of('generateWorld')[0].settings).toEqual({ seed: 7, videos: 500, users: 100 });
  });

  it('a hand edit of a training setting does not rebuild the world', () => {
    const { store, of, worldReady } = makeStore();
    store.getState().loadFromHash('#videos=500&users=100');
    worldReady();
    store.getState().loadFromHash('#seed=7&videos=500&users=100&negatives=32');
    expect(of('generateWorld')).toHaveLength(1);
    expect(store.getState().trainingParams.negatives).toBe(32);
  });
});

describe('the training slice', () => {
  it('builds the run when the Training view opens, then plays, pauses and steps it', () => {
    const { store, of, deliver, worldReady } = makeStore();
    store.getState().loadFromHash('#videos=500&users=100&view=training');
    expect(of('reset')).toHaveLength(0); // no world yet
    worldReady();
    const reset = of('reset')[0];
    expect(reset.params).toEqual(DEFAULT_TRAINING_PARAMS);
    const runId = reset.runId;
    expect(store.getState().run).toMatchObject({ runId, state: 'preparing' });
    deliver({
      type: 'backend',
      runId,
      backend: { name: 'wasm', requested: 'auto', passedOver: [] },
    });
    deliver({
      type: 'trainingStatus',
      runId,
      state: 'paused',
      step: 0,
      params: DEFAULT_TRAINING_PARAMS,
    });
    expect(store.getState().run.backend?.name).toBe('wasm');
    expect(store.getState().run.built).toEqual(DEFAULT_TRAINING_PARAMS);

    store.getState().play();
    expect(of('play')[0]).toMatchObject({ runId, params: DEFAULT_TRAINING_PARAMS });
    expect(store.getState().run.state).toBe('running');
    store.getState().step(); // ignored while running
    expect(of('step')).toHaveLength(0);
    const v = store.getState().historyVersion;
    deliver(metrics(runId, [1, 2, 3], [evalPoint(0, 0.05)]));
    expect(store.getState().historyVersion).toBe(v + 1);
    expect(store.getState().history.lastStep).toBe(3);
    expect(store.getState().history.lastEval?.recall[2]).toBe(0.05);
    store.getState().pause();
    expect(of('pause')[0]).toEqual({ type: 'pause', runId });
    deliver({ type: 'trainingStatus', runId, state: 'paused', step: 3 });
    store.getState().step(2);
    expect(of('step')[0]).toMatchObject({ runId, count: 2 });
  });

  it('drops messages of older runs', () => {
    const { store, deliver, worldReady } = makeStore();
    store.getState().loadFromHash('#videos=500&users=100&view=training');
    worldReady();
    const old = store.getState().run.runId;
    store.getState().reset();
    const now = store.getState().run.runId;
    expect(now).toBeGreaterThan(old);
    deliver(metrics(old, [1, 2]));
    deliver({ type: 'trainingStatus', runId: old, state: 'running', step: 2 });
    expect(store.getState().history.size).toBe(0);
    expect(store.getState().run.state).toBe('preparing');
    deliver(metrics(now, [1]));
    expect(store.getState().history.size).toBe(1);
  });

  it('sends live knobs to the running models and marks structural ones as needing a reset', () => {
    const { store, of, deliver, worldReady, hashes } = makeStore();
    store.getState().loadFromHash('#videos=500&users=100&view=training');
    worldReady();
    const runId = store.getState().run.runId;
    deliver({
      type: 'trainingStatus',
      runId,
      state: 'paused',
      step: 0,
      params: DEFAULT_TRAINING_PARAMS,
    });
    store.getState().setTrainingParam('sampler', 'uniform');
    expect(of('setParams')).toHaveLength(1);
    expect(of('setParams')[0].params.sampler).toBe('uniform');
    expect(hashes.at(-1)).toContain('sampler=uniform');
    expect(store.getState().submitTrainingField('depth', '3')).toBe(true);
    expect(of('setParams')).toHaveLength(1); // structural: not sent
    expect(needsReset(store.getState())).toEqual(['depth']);
    expect(store.getState().submitTrainingField('negatives', '0')).toBe(false);
    expect(store.getState().trainingProblems).toEqual([
      { field: 'negatives', message: 'negatives must be an integer from 1 to 8192 (got "0")' },
    ]);
    expect(store.getState().trainingParams.negatives).toBe(256);
    store.getState().reset();
    expect(of('reset').at(-1)!.params.depth).toBe(3);
  });

  it('a new world ends the run on screen', () => {
    const { store, deliver, worldReady } = makeStore();
    store.getState().loadFromHash('#videos=500&users=100&view=training');
    worldReady();
    const runId = store.getState().run.runId;
    deliver(metrics(runId, [1, 2]));
    deliver({ type: 'snapshot', runId, snapshot: snapshot(runId, 2), purpose: 'periodic' });
    store.getState().generate({ seed: 9, videos: 500, users: 100 });
    const s = store.getState();
    expect(s.run.runId).toBeGreaterThan(runId);
    expect(s.run.state).toBe('idle');
    expect(s.history.size).toBe(0);
    expect(s.snapshot).toBeNull();
  });

  it('resumes from the snapshot after a failed step', () => {
    const { store, of, deliver, worldReady } = makeStore();
    store.getState().loadFromHash('#videos=500&users=100&view=training');
    worldReady();
    const runId = store.getState().run.runId;
    deliver(metrics(runId, [1, 2, 3, 4], [evalPoint(0, 0.05)]));
    deliver({ type: 'snapshot', runId, snapshot: snapshot(runId, 2), purpose: 'periodic' });
    deliver({
      type: 'trainingError',
      runId,
      step: 4,
      message: 'the GPU device was lost (gone)',
      resumable: true,
    });
    expect(store.getState().run.error).toEqual({
      message: 'the GPU device was lost (gone)',
      resumable: true,
    });
    store.getState().resume();
    const restore = of('restore')[0];
    expect(restore.snapshot.step).toBe(2);
    expect(restore.runId).toBe(store.getState().run.runId);
    expect(restore.runId).toBeGreaterThan(runId);
    // The page keeps its own copy for a later crash.
    expect(restore.snapshot.weights[0].data).not.toBe(store.getState().snapshot!.weights[0].data);
    expect(store.getState().history.lastStep).toBe(2);
  });

  it('replaces a crashed worker, rebuilds the world and resumes from the snapshot, once', () => {
    const h = makeStore();
    h.store.getState().loadFromHash('#seed=4&videos=500&users=100&view=training');
    h.worldReady();
    const runId = h.store.getState().run.runId;
    h.deliver({
      type: 'trainingStatus',
      runId,
      state: 'running',
      step: 0,
      params: DEFAULT_TRAINING_PARAMS,
    });
    h.deliver(metrics(runId, [98, 99, 100, 101]));
    h.deliver({ type: 'snapshot', runId, snapshot: snapshot(runId, 100), purpose: 'periodic' });
    h.fail('the worker stopped: out of memory');
    expect(h.connects()).toBe(2);
    expect(h.of('generateWorld').at(-1)!.settings).toEqual({ seed: 4, videos: 500, users: 100 });
    expect(h.store.getState().notice).toContain('snapshot of step 100');
    h.worldReady();
    const restore = h.of('restore').at(-1)!;
    expect(restore.snapshot.step).toBe(100);
    expect(h.store.getState().history.lastStep).toBe(100);
    const second = restore.runId;
    expect(second).toBeGreaterThan(runId);

    // The same snapshot crashing again is not retried automatically.
    h.deliver({ type: 'trainingStatus', runId: second, state: 'running', step: 100 });
    h.fail('the worker stopped: out of memory');
    expect(h.of('restore')).toHaveLength(1);
    expect(h.store.getState().run.state).toBe('failed');
    expect(h.store.getState().run.error?.message).toContain('press Reset');
  });
});
