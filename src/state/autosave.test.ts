/**
 * Run files and autosave in the store, against a fake worker: saving asks for a snapshot and
 * writes the run on screen; loading validates first and replaces the run only once the worker
 * has loaded the new one; a bad file or a refusal leaves the run as it was; pausing autosaves;
 * a full quota is shown; a new page offers the last run.
 */
import { describe, expect, it } from 'vitest';
import { defaultWorldConfig } from '../sim/config';
import type { WorldSummary } from '../sim/summary-types';
import type { MetricsMessage, PageToWorker, WeightSnapshot, WorkerToPage } from '../protocol';
import { decodeRunFile, encodeRunFile } from '../protocol/run-file';
import { LAST_RUN, MAX_PINNED, memoryRunStore, storageErrorText, type RunStore } from './autosave';
import { createAppStore } from './store';
import { DEFAULT_TRAINING_PARAMS } from './training-settings';

function makeStore(runStore: RunStore = memoryRunStore()) {
  const sent: PageToWorker[] = [];
  let deliver: (m: WorkerToPage) => void = () => {};
  const store = createAppStore({
    connect(onMessage) {
      deliver = onMessage;
      return { send: (m) => sent.push(m), dispose: () => {} };
    },
    writeHash: () => {},
    runStore,
  });
  const of = <T extends PageToWorker['type']>(type: T) =>
    sent.filter((m): m is Extract<PageToWorker, { type: T }> => m.type === type);
  const worldReady = () => {
    const req = of('generateWorld').at(-1)!;
    deliver({
      type: 'worldReady',
      requestId: req.requestId,
      summary: { seed: req.settings.seed } as unknown as WorldSummary,
      config: { ...defaultWorldConfig, ...req.settings },
    });
  };
  const send = (m: WorkerToPage) => deliver(m);
  /** A world and a built run of `steps` steps, paused. */
  const trained = (steps: number) => {
    store.getState().loadFromHash('#seed=3&view=training');
    worldReady();
    const runId = store.getState().run.runId;
    const params = { ...DEFAULT_TRAINING_PARAMS, negatives: 64 };
    send({ type: 'trainingStatus', runId, state: 'paused', step: steps, params });
    send(
      metrics(
        runId,
        Array.from({ length: steps }, (_, i) => i + 1),
      ),
    );
    return runId;
  };
  return { store, sent, of, send, trained, runStore };
}

/** Lets the store's asynchronous autosave (sliced encoding, the store's promise) finish. */
const settle = () => new Promise((r) => setTimeout(r, 20));

const metrics = (runId: number, steps: number[]): MetricsMessage => ({
  type: 'metrics',
  runId,
  steps: Int32Array.from(steps),
  loss: Float32Array.from(steps, (s) => 6 - s / 64),
  mfLoss: Float32Array.from(steps, () => 6),
  rankingLoss: Float32Array.from(steps, () => 0.5),
  evals: [],
  examplesPerSec: 2000,
  stepsPerSec: 8,
});

const VIDEOS = defaultWorldConfig.videos;
const snapshot = (runId: number, step: number, negatives = 64): WeightSnapshot => ({
  runId,
  step,
  params: { ...DEFAULT_TRAINING_PARAMS, negatives },
  weights: [
    { name: 'candidate.videoBias', data: new Float32Array(VIDEOS).fill(step) },
    { name: 'mf.videoBias', data: new Float32Array(VIDEOS) },
  ],
  slots: [{ name: 'candidate.videoBias.m', data: new Float32Array(VIDEOS).fill(0.5) }],
  counters: { 'candidate.rng': 0.75 },
  backend: 'wasm',
  world: '0123456789abcdef',
});

/** Saves the run of `h` at `step` and returns the file. */
async function save(h: ReturnType<typeof makeStore>, runId: number, step: number) {
  const file = h.store.getState().saveRunFile();
  expect(h.of('takeSnapshot').at(-1)).toEqual({ type: 'takeSnapshot', runId, purpose: 'save' });
  h.send({ type: 'snapshot', runId, snapshot: snapshot(runId, step), purpose: 'save' });
  return file;
}

describe('run files in the store', () => {
  it('saves the run on screen: name with seed and step, its history, world and knobs', async () => {
    const h = makeStore();
    const runId = h.trained(5);
    const { name, bytes } = await save(h, runId, 5);
    expect(name).toBe('recsys-seed3-step5.recsys-run');
    const back = decodeRunFile(bytes);
    expect(back.snapshot.step).toBe(5);
    expect(Array.from(back.history.steps)).toEqual([1, 2, 3, 4, 5]);
    expect(back.history.loss[4]).toBe(Math.fround(6 - 5 / 64));
    expect(back.world.settings).toMatchObject({ seed: 3 });
    expect(back.world.config.videos).toBe(VIDEOS);
    expect(back.snapshot.params.negatives).toBe(64);
  });

  it('loads a valid file only once the worker has loaded it; then its run, history and knobs are on screen', async () => {
    const h = makeStore();
    const runId = h.trained(5);
    const { bytes } = await save(h, runId, 5);
    const g = makeStore();
    const old = g.trained(2);
    expect(await g.store.getState().loadRunFile(bytes, 'a.recsys-run')).toBe(true);
    const restore = g.of('restore').at(-1)!;
    expect(restore.snapshot.step).toBe(5);
    expect(restore.runId).toBeGreaterThan(old);
    // Not yet replaced: the old run goes on until the worker answers.
    expect(g.store.getState().run.runId).toBe(old);
    expect(g.store.getState().history.lastStep).toBe(2);
    expect(g.store.getState().runLoading).toBe('a.recsys-run');
    g.send({ type: 'restoreResult', runId: restore.runId, ok: true });
    const s = g.store.getState();
    expect(s.run).toMatchObject({ runId: restore.runId, step: 5 });
    expect(Array.from(s.history.steps.values)).toEqual([1, 2, 3, 4, 5]);
    expect(s.trainingParams.negatives).toBe(64);
    expect(s.trainingSet).toEqual({ negatives: 64 });
    expect(s.runLoading).toBeNull();
    expect(s.snapshot?.step).toBe(5);
  });

  it('names a truncated file and one of another version, and leaves the run as it was', async () => {
    const h = makeStore();
    const runId = h.trained(5);
    const { bytes } = await save(h, runId, 5);
    const before = h.store.getState().run;
    expect(
      await h.store.getState().loadRunFile(bytes.subarray(0, bytes.length - 100), 't.recsys-run'),
    ).toBe(false);
    expect(h.store.getState().runFileError).toMatchObject({ code: 'truncated' });
    expect(h.store.getState().runFileError!.message).toMatch(
      /^t\.recsys-run: the file is truncated/,
    );
    const v9 = bytes.slice();
    new DataView(v9.buffer).setUint32(8, 9, true);
    expect(await h.store.getState().loadRunFile(v9, 'v.recsys-run')).toBe(false);
    expect(h.store.getState().runFileError).toEqual({
      code: 'wrong-version',
      message:
        'v.recsys-run: wrong version: this is a version 9 run file; this app reads version 1',
    });
    expect(h.of('restore')).toHaveLength(0);
    expect(h.store.getState().run).toBe(before);
    expect(h.store.getState().history.lastStep).toBe(5);
  });

  it('shows the worker refusing a file of another world, and keeps the run', async () => {
    const h = makeStore();
    const runId = h.trained(5);
    const { bytes } = await save(h, runId, 5);
    await h.store.getState().loadRunFile(bytes, 'w.recsys-run');
    const restore = h.of('restore').at(-1)!;
    h.send({
      type: 'restoreResult',
      runId: restore.runId,
      ok: false,
      error: { code: 'world-mismatch', message: 'the run was trained on another world' },
    });
    expect(h.store.getState().runFileError).toEqual({
      code: 'world-mismatch',
      message: 'w.recsys-run: the run was trained on another world',
    });
    expect(h.store.getState().run.runId).toBe(runId);
    expect(h.store.getState().runLoading).toBeNull();
  });

  it('drops a file still loading when the user resets: the reset run stays on screen', async () => {
    const h = makeStore();
    const runId = h.trained(5);
    const { bytes } = await save(h, runId, 5);
    await h.store.getState().loadRunFile(bytes, 'r.recsys-run');
    const restore = h.of('restore').at(-1)!;
    h.store.getState().reset();
    const reset = h.store.getState().run.runId;
    h.send({ type: 'restoreResult', runId: restore.runId, ok: true });
    expect(h.store.getState().run.runId).toBe(reset);
    expect(h.store.getState().runLoading).toBeNull();
  });

  it('builds the file’s world first when another is on screen', async () => {
    const h = makeStore();
    const runId = h.trained(5);
    const { bytes } = await save(h, runId, 5);
    const g = makeStore();
    g.store.getState().loadFromHash('#seed=11&view=training');
    const w = g.of('generateWorld').length;
    await g.store.getState().loadRunFile(bytes, 'x.recsys-run');
    expect(g.of('generateWorld')).toHaveLength(w + 1);
    expect(g.of('generateWorld').at(-1)!.settings).toMatchObject({ seed: 3 });
    expect(g.of('restore')).toHaveLength(0);
    const req = g.of('generateWorld').at(-1)!;
    g.send({
      type: 'worldReady',
      requestId: req.requestId,
      summary: { seed: 3 } as unknown as WorldSummary,
      config: { ...defaultWorldConfig, seed: 3 },
    });
    expect(g.of('restore')).toHaveLength(1);
  });
});

describe('a run file whose world asks first', () => {
  /** A saved file whose world is large enough for world.confirm (another seed than on screen). */
  async function largeFile() {
    const h = makeStore();
    const runId = h.trained(5);
    const file = decodeRunFile((await save(h, runId, 5)).bytes);
    const settings = { seed: 3, videos: 20000, users: 50_000 };
    return encodeRunFile({
      ...file,
      world: { settings, config: { ...file.world.config, ...settings } },
    });
  }

  it('is not left loading while the question waits; yes builds the world and loads it', async () => {
    const bytes = await largeFile();
    const g = makeStore();
    g.store.getState().loadFromHash('#seed=11&view=training');
    const w = g.of('generateWorld').length;
    const ok = await g.store.getState().loadRunFile(bytes, 'big.recsys-run');
    expect(g.store.getState().runFileError).toBeNull();
    expect(ok).toBe(true);
    expect(g.store.getState().sizeCheck).not.toBeNull();
    expect(g.of('generateWorld')).toHaveLength(w);
    expect(g.store.getState().runLoading).toBeNull();
    expect(g.store.getState().notice).toContain('big.recsys-run: its world is large');

    g.store.getState().confirmWorld();
    expect(g.of('generateWorld')).toHaveLength(w + 1);
    const req = g.of('generateWorld').at(-1)!;
    g.send({
      type: 'worldReady',
      requestId: req.requestId,
      summary: { seed: 3 } as unknown as WorldSummary,
      config: { ...defaultWorldConfig, ...req.settings },
    });
    expect(g.of('restore')).toHaveLength(1);
    expect(g.store.getState().runLoading).toBe('big.recsys-run');
  });

  it('a cancelled build of the file’s world drops the file, named, and loads nothing', async () => {
    const h = makeStore();
    const runId = h.trained(5);
    const { bytes } = await save(h, runId, 5);
    const g = makeStore();
    g.store.getState().loadFromHash('#seed=11&view=training');
    await g.store.getState().loadRunFile(bytes, 'x.recsys-run');
    expect(g.store.getState().runLoading).toBe('x.recsys-run');
    g.store.getState().cancelBuild();
    expect(g.store.getState().runLoading).toBeNull();
    expect(g.store.getState().runFileError).toEqual({
      code: 'cancelled',
      message: "x.recsys-run: not loaded (its world's build was cancelled)",
    });
    expect(g.of('restore')).toHaveLength(0);
  });

  it('no drops the file: another world built later loads nothing', async () => {
    const bytes = await largeFile();
    const g = makeStore();
    g.store.getState().loadFromHash('#seed=11&view=training');
    await g.store.getState().loadRunFile(bytes, 'big.recsys-run');
    g.store.getState().cancelWorld();
    expect(g.store.getState().runLoading).toBeNull();
    g.store.getState().generate({ ...g.store.getState().settings, seed: 12 });
    const req = g.of('generateWorld').at(-1)!;
    g.send({
      type: 'worldReady',
      requestId: req.requestId,
      summary: { seed: 12 } as unknown as WorldSummary,
      config: { ...defaultWorldConfig, ...req.settings },
    });
    expect(g.of('restore')).toHaveLength(0);
    expect(g.store.getState().runLoading).toBeNull();
  });
});

describe('autosave', () => {
  it('autosaves when paused after playing, and every AUTOSAVE_EVERY steps', async () => {
    const store = memoryRunStore();
    const h = makeStore(store);
    const runId = h.trained(5);
    h.send({ type: 'trainingStatus', runId, state: 'running', step: 5 });
    h.send({ type: 'trainingStatus', runId, state: 'paused', step: 7 });
    expect(h.of('takeSnapshot').at(-1)).toEqual({
      type: 'takeSnapshot',
      runId,
      purpose: 'autosave',
    });
    h.send({ type: 'snapshot', runId, snapshot: snapshot(runId, 7), purpose: 'autosave' });
    await settle();
    expect(store.runs.get(LAST_RUN)).toMatchObject({
      step: 7,
      seed: 3,
      name: 'recsys-seed3-step7.recsys-run',
    });
    expect(decodeRunFile(store.runs.get(LAST_RUN)!.bytes).snapshot.step).toBe(7);
    h.send({ type: 'snapshot', runId, snapshot: snapshot(runId, 100), purpose: 'periodic' });
    await settle();
    expect(store.runs.get(LAST_RUN)!.step).toBe(7); // 100 is not a multiple of 300
    h.send({ type: 'snapshot', runId, snapshot: snapshot(runId, 300), purpose: 'periodic' });
    await settle();
    expect(store.runs.get(LAST_RUN)!.step).toBe(300);
  });

  it('shows a full quota instead of swallowing it', async () => {
    const h = makeStore(memoryRunStore(1000));
    const runId = h.trained(5);
    h.send({ type: 'trainingStatus', runId, state: 'running', step: 5 });
    h.send({ type: 'trainingStatus', runId, state: 'paused', step: 6 });
    h.send({ type: 'snapshot', runId, snapshot: snapshot(runId, 6), purpose: 'autosave' });
    await settle();
    expect(h.store.getState().autosaveError).toMatch(/storage quota is full/);
    const e = new Error('The quota has been exceeded.');
    e.name = 'QuotaExceededError';
    expect(storageErrorText(e)).toBe(
      "the run was not autosaved: the browser's storage quota is full (The quota has been exceeded.); save it to a file instead",
    );
  });

  it('pins up to MAX_PINNED runs, lists them on a new page, loads and unpins them', async () => {
    const store = memoryRunStore();
    const h = makeStore(store);
    const runId = h.trained(5);
    const pinned = h.store.getState().pinRun();
    h.send({ type: 'snapshot', runId, snapshot: snapshot(runId, 5), purpose: 'save' });
    expect(await pinned).toBe(true);
    expect(h.store.getState().pinnedRuns.map((r) => [r.key, r.step])).toEqual([
      ['pin:recsys-seed3-step5.recsys-run', 5],
    ]);
    for (let i = 6; i < 6 + MAX_PINNED; i++) {
      const p = h.store.getState().pinRun();
      h.send({ type: 'snapshot', runId, snapshot: snapshot(runId, i), purpose: 'save' });
      expect(await p).toBe(i < 5 + MAX_PINNED);
    }
    expect(h.store.getState().pinnedRuns).toHaveLength(MAX_PINNED);
    expect(h.store.getState().runFileError?.code).toBe('pin-limit');

    const g = makeStore(store);
    await settle();
    expect(g.store.getState().pinnedRuns).toHaveLength(MAX_PINNED);
    g.trained(0);
    expect(await g.store.getState().loadPinned('pin:recsys-seed3-step5.recsys-run')).toBe(true);
    expect(g.of('restore').at(-1)!.snapshot.step).toBe(5);
    await g.store.getState().unpinRun('pin:recsys-seed3-step5.recsys-run');
    expect(g.store.getState().pinnedRuns.map((r) => r.step)).toEqual([6, 7, 8, 9]);
  });

  it('offers the last run on a new page and continues it', async () => {
    const store = memoryRunStore();
    const h = makeStore(store);
    const runId = h.trained(5);
    h.send({ type: 'trainingStatus', runId, state: 'running', step: 5 });
    h.send({ type: 'trainingStatus', runId, state: 'paused', step: 9 });
    h.send({ type: 'snapshot', runId, snapshot: snapshot(runId, 9), purpose: 'autosave' });
    await settle();

    const g = makeStore(store);
    await settle();
    expect(g.store.getState().autosaveOffer).toMatchObject({ step: 9, seed: 3 });
    g.trained(0);
    expect(await g.store.getState().restoreAutosave()).toBe(true);
    const restore = g.of('restore').at(-1)!;
    expect(restore.snapshot.step).toBe(9);
    g.send({ type: 'restoreResult', runId: restore.runId, ok: true });
    expect(g.store.getState().run.step).toBe(9);
    expect(g.store.getState().autosaveOffer).toBeNull();
  });
});
