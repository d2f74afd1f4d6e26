import { beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../sim/types';
import { generateWorld } from '../sim/world';
import { useBackend } from '../model/backend';
import type { WorkerToPage } from '../protocol';
import { TrainingHost, type ChooseBackend } from './training-host';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import {
  NEIGHBOURS,
  PROJECTION_EVERY,
  RECALL_KS,
  type MetricsMessage,
  type SnapshotMessage,
  type TrainingParams,
  type TrainingStatusMessage,
} from '../protocol/training';
import { WorldHost } from './world-host';
import { ManualTimers } from './manual-timers';
import { yieldToEvents } from './yield';

/** Small batches keep a step at a few milliseconds. */
const PARAMS: TrainingParams = { ...DEFAULT_TRAINING_PARAMS, batch: 64, negatives: 64 };

const wasm: ChooseBackend = async (requested) => ({
  name: await useBackend('wasm'),
  requested,
  passedOver: [{ name: 'webgpu', reason: 'not in Node' }],
});

let world: World;
beforeAll(async () => {
  await useBackend('wasm');
  world = generateWorld({ seed: 3, videos: 400, users: 150, days: 20 });
}, 60_000);

/**
 * A host on `world` and everything it posted. Like postMessage, the stub really transfers:
 * `posted` holds structured clones and the buffers in each transfer list (kept in
 * `transfers`) are detached, so a worker that transferred an array it still uses breaks here.
 */
function makeHost(w: World | null = world) {
  const posted: WorkerToPage[] = [];
  const transfers: ArrayBuffer[][] = [];
  const host = new TrainingHost({
    post: (m, t = []) => {
      posted.push(structuredClone(m, { transfer: t }));
      transfers.push(t as ArrayBuffer[]);
    },
    chooseBackend: wasm,
    yieldToEvents,
    now: () => performance.now(),
    schedule: new ManualTimers().schedule,
  });
  if (w) host.setWorld(w);
  const of = <T extends WorkerToPage['type']>(type: T) =>
    posted.filter((m): m is Extract<WorkerToPage, { type: T }> => m.type === type);
  const lastStatus = () => of('trainingStatus').at(-1) as TrainingStatusMessage | undefined;
  const trainPoints = () => of('metrics').flatMap((m) => Array.from(m.steps));
  const losses = () => of('metrics').flatMap((m) => Array.from(m.loss));
  return { host, posted, transfers, of, lastStatus, trainPoints, losses };
}

describe('TrainingHost', () => {
  it('builds a run on reset: backend, a first evaluation at step 0, paused', async () => {
    const h = makeHost();
    h.host.handle({ type: 'reset', runId: 1, params: PARAMS });
    await h.host.idle();
    expect(h.of('backend')[0].backend.name).toBe('wasm');
    expect(h.of('trainingStatus').map((s) => s.state)).toContain('preparing');
    expect(h.lastStatus()).toMatchObject({ state: 'paused', step: 0, runId: 1 });
    expect(h.lastStatus()?.params?.depth).toBe(PARAMS.depth);
    const evals = h.of('metrics').flatMap((m) => m.evals);
    expect(evals).toHaveLength(1);
    const e = evals[0];
    expect(e.step).toBe(0);
    expect(e.recall).toHaveLength(RECALL_KS.length);
    expect(e.popularRecall[2]).toBeGreaterThan(0);
    // recall@k grows with k
    for (let i = 1; i < RECALL_KS.length; i++)
      expect(e.recall[i]).toBeGreaterThanOrEqual(e.recall[i - 1]);
    expect(Number.isFinite(e.heldOutLoss)).toBe(true);
    expect(e.ranking?.auc).toBeGreaterThan(0);
    expect(e.ranking?.auc).toBeLessThan(1);
  }, 60_000);

  it('sends the videos once, a PCA projection at step 0 and every PROJECTION_EVERY steps, and neighbours on request', async () => {
    const h = makeHost();
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: PROJECTION_EVERY });
    await h.host.idle();
    const n = world.videos.count;
    const [meta] = h.of('videoMeta');
    expect(h.of('videoMeta')).toHaveLength(1);
    expect(meta.topic).toHaveLength(n);
    expect(new Set(meta.popularityRank).size).toBe(n);
    expect(meta.titles).toHaveLength(n);
    const projections = h.of('projection');
    expect(projections.map((p) => p.step)).toEqual([0, PROJECTION_EVERY]);
    const p = projections[1];
    expect(p.coords).toHaveLength(2 * n);
    expect(p.coords.every(Number.isFinite)).toBe(true);
    expect(p.explained[0]).toBeGreaterThanOrEqual(p.explained[1]);
    expect(p.explained[0] + p.explained[1]).toBeLessThanOrEqual(1 + 1e-9);
    // Transferable: the coordinates' buffer was moved (detached on the worker's side).
    const at = h.posted.indexOf(p);
    expect(h.transfers[at].map((b) => b.byteLength)).toEqual([0]);
    // Both rankers are scored on the same pages at every evaluation.
    const e = h
      .of('metrics')
      .flatMap((m) => m.evals)
      .at(-1)!;
    expect(e.step).toBe(PROJECTION_EVERY);
    expect(e.watchTime?.weighted.oracleWatchPerImpression).toBe(
      e.watchTime?.unweighted.oracleWatchPerImpression,
    );
    expect(e.watchTime?.weighted.watchPerImpression).not.toBe(
      e.watchTime?.unweighted.watchPerImpression,
    );

    h.host.handle({ type: 'neighbours', runId: 1, video: 7 });
    await h.host.idle();
    const [nb] = h.of('neighbours');
    expect(nb.video).toBe(7);
    expect(nb.ids).toHaveLength(NEIGHBOURS);
    expect(Array.from(nb.ids)).not.toContain(7);
    // Exact: the scores are the largest dot products with video 7, best first.
    const v = h.host.current!.candidate.videoOut;
    const d = v.dim;
    const dot = (a: number, b: number) => {
      let s = 0;
      for (let k = 0; k < d; k++) s += v.weights[a * d + k] * v.weights[b * d + k];
      return s;
    };
    const all = Array.from({ length: n }, (_, i) => i)
      .filter((i) => i !== 7)
      .map((i) => dot(7, i))
      .sort((a, b) => b - a);
    for (let r = 0; r < NEIGHBOURS; r++) expect(nb.scores[r]).toBeCloseTo(all[r], 4);
  }, 120_000);

  it('takes single steps and sends only the new points, as transferable typed arrays', async () => {
    const h = makeHost();
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 3 });
    await h.host.idle();
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 2 });
    await h.host.idle();
    expect(h.trainPoints()).toEqual([1, 2, 3, 4, 5]);
    expect(h.losses().every(Number.isFinite)).toBe(true);
    expect(h.lastStatus()).toMatchObject({ state: 'paused', step: 5 });
    const i = h.posted.findIndex((m) => m.type === 'metrics' && m.steps.length > 0);
    const m = h.posted[i] as MetricsMessage;
    expect(m.loss).toBeInstanceOf(Float32Array);
    expect(h.transfers[i]).toHaveLength(4); // steps, loss, mfLoss, rankingLoss: moved
    expect(h.transfers[i].every((b) => b.byteLength === 0)).toBe(true);
    expect(m.examplesPerSec).toBeGreaterThan(0);
  }, 60_000);

  it('plays until paused, without being terminated, and keeps its state', async () => {
    const h = makeHost();
    h.host.handle({ type: 'play', runId: 4, params: PARAMS });
    while ((h.trainPoints().at(-1) ?? 0) < 3 && h.posted.length < 10_000) await yieldToEvents();
    h.host.handle({ type: 'pause', runId: 4 });
    await h.host.idle();
    const stoppedAt = h.lastStatus()!.step;
    expect(h.lastStatus()!.state).toBe('paused');
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    expect(h.trainPoints().at(-1)).toBe(stoppedAt);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.host.current?.step).toBe(stoppedAt);
    // Play again continues the same run.
    h.host.handle({ type: 'step', runId: 4, params: PARAMS, count: 1 });
    await h.host.idle();
    expect(h.lastStatus()!.step).toBe(stoppedAt + 1);
  }, 60_000);

  it('reproduces the same losses and evaluation from the same settings', async () => {
    const run = async () => {
      const h = makeHost();
      h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 4 });
      await h.host.idle();
      const { ms: _ms, ...first } = h.of('metrics').flatMap((m) => m.evals)[0];
      return { losses: h.losses(), eval: first };
    };
    const a = await run();
    const b = await run();
    expect(a.losses).toHaveLength(4);
    expect(b).toEqual(a);
  }, 60_000);

  it('applies live knobs to the running models; structural ones wait for a reset', async () => {
    const h = makeHost();
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 1 });
    await h.host.idle();
    const next = {
      ...PARAMS,
      sampler: 'uniform' as const,
      negatives: 32,
      logQ: false,
      depth: PARAMS.depth + 2,
      weighting: 'unweighted' as const,
    };
    h.host.handle({ type: 'setParams', runId: 1, params: next });
    h.host.handle({ type: 'step', runId: 1, params: next, count: 1 });
    await h.host.idle();
    const s = h.host.current!;
    expect(s.candidate.config).toMatchObject({
      sampler: 'uniform',
      negatives: 32,
      logQ: false,
      depth: PARAMS.depth,
    });
    expect(s.candidate.sampler?.kind).toBe('uniform');
    expect(s.mf.config.sampler).toBe('uniform');
    expect(s.ranker.config.weighted).toBe(false);
    expect(s.params.depth).toBe(PARAMS.depth);
    expect(h.lastStatus()).toMatchObject({ state: 'paused', step: 2 });
    expect(h.losses().every(Number.isFinite)).toBe(true);
    h.host.handle({ type: 'reset', runId: 2, params: next });
    await h.host.idle();
    expect(h.host.current!.params.depth).toBe(PARAMS.depth + 2);
    expect(h.lastStatus()).toMatchObject({ state: 'paused', step: 0, runId: 2 });
  }, 60_000);

  it('snapshots every model and restores a run from a snapshot on a new host', async () => {
    const h = makeHost();
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 2 });
    await h.host.idle();
    const snapshot = await h.host.current!.snapshot();
    expect(snapshot.step).toBe(2);
    const names = snapshot.weights.map((w) => w.name);
    expect(names).toContain('candidate.videoOut');
    expect(names).toContain('candidate.layer0.w');
    expect(names).toContain('mf.user');
    expect(names).toContain('ranker.video');
    expect(names).toContain('ranker.layer0.b');
    const evalBefore = await h.host.current!.evaluate(() => 0);

    const fresh = makeHost();
    fresh.host.handle({ type: 'restore', runId: 9, snapshot });
    await fresh.host.idle();
    expect(fresh.lastStatus()).toMatchObject({ state: 'paused', step: 2, runId: 9 });
    expect(fresh.lastStatus()!.detail).toContain('snapshot of step 2');
    const evalAfter = fresh
      .of('metrics')
      .flatMap((m) => m.evals)
      .at(-1)!;
    expect(evalAfter.step).toBe(2);
    expect(evalAfter.recall).toEqual(evalBefore.recall);
    expect(evalAfter.heldOutLoss).toBeCloseTo(evalBefore.heldOutLoss, 5);
    fresh.host.handle({ type: 'step', runId: 9, params: PARAMS, count: 1 });
    await fresh.host.idle();
    expect(fresh.trainPoints().at(-1)).toBe(3);
  }, 60_000);

  it('posts a snapshot message every SNAPSHOT_EVERY steps', async () => {
    const h = makeHost();
    // Small models (one narrow ranker layer): 100 steps is what the test needs, not their size.
    const small = { ...PARAMS, batch: 16, negatives: 16, rankingHidden: [16] };
    h.host.handle({ type: 'step', runId: 1, params: small, count: 100 });
    await h.host.idle();
    const snaps = h.of('snapshot') as SnapshotMessage[];
    expect(snaps).toHaveLength(1);
    expect(snaps[0].snapshot.step).toBe(100);
    const i = h.posted.indexOf(snaps[0]);
    const { weights, slots } = snaps[0].snapshot;
    expect(snaps[0].purpose).toBe('periodic');
    expect(h.transfers[i].length).toBe(weights.length + slots.length);
    // The snapshot's arrays were copies: moving them left the models whole, and training goes on.
    h.host.handle({ type: 'step', runId: 1, params: small, count: 1 });
    await h.host.idle();
    expect(h.losses().at(-1)).toBeLessThan(10);
    // An evaluation every EVAL_EVERY steps: 0, 50, 100.
    expect(h.of('metrics').flatMap((m) => m.evals.map((e) => e.step))).toEqual([0, 50, 100]);
  }, 120_000);

  it('loads a snapshot by message and continues with the losses of the run that never stopped', async () => {
    const straight = makeHost();
    straight.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 7 });
    await straight.host.idle();
    const a = makeHost();
    a.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 4 });
    a.host.handle({ type: 'takeSnapshot', runId: 1, purpose: 'save' });
    await a.host.idle();
    const snap = a.of('snapshot').at(-1)!;
    expect(snap).toMatchObject({ purpose: 'save', snapshot: { step: 4, backend: 'wasm' } });
    const b = makeHost();
    b.host.handle({ type: 'restore', runId: 5, snapshot: snap.snapshot });
    b.host.handle({ type: 'step', runId: 5, params: PARAMS, count: 3 });
    await b.host.idle();
    expect(b.of('restoreResult')).toEqual([{ type: 'restoreResult', runId: 5, ok: true }]);
    expect(b.trainPoints()).toEqual([5, 6, 7]);
    expect(b.losses()).toEqual(straight.losses().slice(4));
  }, 60_000);

  it('refuses a snapshot of another world and leaves the current run as it was', async () => {
    const h = makeHost();
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 2 });
    h.host.handle({ type: 'takeSnapshot', runId: 1, purpose: 'autosave' });
    await h.host.idle();
    const snap = h.of('snapshot').at(-1)!.snapshot;
    h.host.handle({ type: 'restore', runId: 2, snapshot: { ...snap, world: 'ffffffffffffffff' } });
    const noVideo = snap.weights.filter((w) => w.name !== 'ranker.video');
    h.host.handle({ type: 'restore', runId: 3, snapshot: { ...snap, weights: noVideo } });
    h.host.handle({
      type: 'restore',
      runId: 4,
      snapshot: { ...snap, params: { ...snap.params, depth: 9 } },
    });
    await h.host.idle();
    expect(h.of('restoreResult').map((r) => [r.runId, r.ok, r.error?.code])).toEqual([
      [2, false, 'world-mismatch'],
      [3, false, 'bad-state'],
      [4, false, 'bad-params'],
    ]);
    expect(h.of('restoreResult')[1].error?.message).toContain('ranker: no weights "video"');
    expect(h.host.current?.runId).toBe(1);
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 1 });
    await h.host.idle();
    expect(h.trainPoints()).toEqual([1, 2, 3]);
  }, 60_000);

  it('reports bad settings and a missing world instead of training', async () => {
    const h = makeHost(null);
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 1 });
    await h.host.idle();
    expect(h.of('trainingError')[0].message).toContain('no world');
    const g = makeHost();
    g.host.handle({ type: 'step', runId: 1, params: { ...PARAMS, depth: 9 }, count: 1 });
    await g.host.idle();
    expect(g.of('trainingError')[0].message).toContain('depth must be an integer from 0 to 4');
    expect(g.lastStatus()!.state).toBe('failed');
  }, 60_000);
});

describe('divergence of every model', () => {
  it('stops when the twin ranker (the unweighted one) diverges, naming it and the step', async () => {
    const h = makeHost();
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 2 });
    await h.host.idle();
    const twin = h.host.current!.twin;
    const real = twin.trainStep.bind(twin);
    // The twin's third step goes to NaN (as a too-large learning rate makes it).
    twin.trainStep = async (examples) => ({ ...(await real(examples)), loss: NaN });
    h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: 5 });
    await h.host.idle();
    const errors = h.of('trainingError');
    expect(errors).toHaveLength(1);
    expect(errors[0].step).toBe(3);
    expect(errors[0].message).toBe(
      "the unweighted ranker (CTR)'s loss diverged at step 3 (NaN): paused; lower the learning rate, then reset",
    );
    expect(h.lastStatus()).toMatchObject({ state: 'failed', step: 3 });
    expect(h.trainPoints()).toEqual([1, 2, 3]);
  }, 60_000);

  it('names the weighted ranker as the twin of an unweighted run', async () => {
    const h = makeHost();
    const params: TrainingParams = { ...PARAMS, weighting: 'unweighted' };
    h.host.handle({ type: 'reset', runId: 1, params });
    await h.host.idle();
    const twin = h.host.current!.twin;
    twin.trainStep = async () => ({ loss: 2e4 }) as Awaited<ReturnType<typeof twin.trainStep>>;
    h.host.handle({ type: 'step', runId: 1, params, count: 1 });
    await h.host.idle();
    expect(h.of('trainingError')[0]?.message).toContain(
      "the weighted ranker's loss diverged at step 1 (20000, at or above 10000)",
    );
  }, 60_000);
});

describe('a lost GPU device', () => {
  it('stops the run as resumable, and a restore starts a fresh backend before resuming', async () => {
    const posted: WorkerToPage[] = [];
    const losers: ((why: string) => void)[] = [];
    const host = new TrainingHost({
      post: (m, t = []) => posted.push(structuredClone(m, { transfer: t })),
      // Reports WebGPU; really WASM (Node). Each start keeps its own loss callback.
      chooseBackend: async (requested, onLost) => {
        losers.push(onLost);
        await useBackend('wasm');
        return { name: losers.length === 1 ? 'webgpu' : 'wasm', requested, passedOver: [] };
      },
      yieldToEvents,
      now: () => performance.now(),
      schedule: new ManualTimers().schedule,
    });
    host.setWorld(world);
    const of = <T extends WorkerToPage['type']>(type: T) =>
      posted.filter((m): m is Extract<WorkerToPage, { type: T }> => m.type === type);
    host.handle({ type: 'step', runId: 1, params: PARAMS, count: 2 });
    await host.idle();
    host.handle({ type: 'takeSnapshot', runId: 1, purpose: 'save' });
    await host.idle();
    const snap = of('snapshot')[0].snapshot;

    losers[0]('GPU hang');
    const error = of('trainingError')[0];
    expect(error).toMatchObject({ step: 2, resumable: true, lostDevice: true });
    expect(error.message).toBe('the GPU device was lost (GPU hang)');
    expect(losers).toHaveLength(1);

    host.handle({ type: 'restore', runId: 2, snapshot: { ...snap, runId: 2 } });
    await host.idle();
    expect(losers).toHaveLength(2); // a second start, not the lost backend again
    expect(of('restoreResult').at(-1)).toMatchObject({ runId: 2, ok: true });
    const status = of('trainingStatus').at(-1)!;
    expect(status).toMatchObject({ runId: 2, state: 'paused', step: 2 });
    expect(status.detail).toContain('resumed from the snapshot of step 2 on wasm');
    host.handle({ type: 'step', runId: 2, params: PARAMS, count: 1 });
    await host.idle();
    expect(of('trainingStatus').at(-1)).toMatchObject({ runId: 2, state: 'paused', step: 3 });
  }, 60_000);
});

describe('WorldHost with training', () => {
  it('routes training messages and ends the run when a new world is built', async () => {
    const posted: WorkerToPage[] = [];
    const post = (m: WorkerToPage) => posted.push(m);
    const training = new TrainingHost({
      post,
      chooseBackend: wasm,
      yieldToEvents,
      now: () => performance.now(),
      schedule: new ManualTimers().schedule,
    });
    const host = new WorldHost(post, () => 0, training);
    host.handle({
      type: 'generateWorld',
      requestId: 1,
      settings: { seed: 5, videos: 300, users: 80, days: 14 },
    });
    host.handle({ type: 'step', runId: 1, params: PARAMS, count: 2 });
    await training.idle();
    expect(training.current?.step).toBe(2);
    host.handle({
      type: 'generateWorld',
      requestId: 2,
      settings: { seed: 6, videos: 300, users: 80, days: 14 },
    });
    expect(training.current).toBeNull();
    host.handle({ type: 'step', runId: 2, params: PARAMS, count: 1 });
    await training.idle();
    expect(training.current?.step).toBe(1);
    expect(training.current?.data.world.config.seed).toBe(6);
  }, 60_000);
});
