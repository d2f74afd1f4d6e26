/**
 * Worker faults and the heartbeat in the store, against a fake worker and fake timers: a fault
 * is shown and nothing else changes; a worker silent past the limit (longer while it builds a
 * world) is offered a restart, which rebuilds the world in a fresh worker and resumes from the
 * snapshot; a world build can be cancelled and the world on screen stays.
 */
import { describe, expect, it } from 'vitest';
import { defaultWorldConfig } from '../sim/config';
import type { WorldSummary } from '../sim/summary-types';
import {
  HEARTBEAT_TIMEOUT_MS,
  LONG_WORK_TIMEOUT_MS,
  PING_EVERY_MS,
  type PageToWorker,
  type WeightSnapshot,
  type WorkerToPage,
} from '../protocol';
import { createAppStore } from './store';
import { DEFAULT_TRAINING_PARAMS } from './training-settings';
import { createWorkerChannel } from './worker-channel';

/** A clock and an interval that advance only when told. */
function fakeTimers() {
  let t = 0;
  const timers: { f: () => void; ms: number; next: number; on: boolean }[] = [];
  return {
    now: () => t,
    setInterval: (f: () => void, ms: number) => {
      const timer = { f, ms, next: t + ms, on: true };
      timers.push(timer);
      return timer;
    },
    clearInterval: (h: unknown) => {
      (h as { on: boolean }).on = false;
    },
    /** Moves the clock by `ms`, firing each due interval in order. */
    advance(ms: number) {
      const end = t + ms;
      for (;;) {
        const due = timers.filter((x) => x.on && x.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        t = due.next;
        due.next += due.ms;
        due.f();
      }
      t = end;
    },
  };
}

/** A store on fake workers (each connect is one worker) and fake timers. */
function makeStore() {
  const timers = fakeTimers();
  const workers: { sent: PageToWorker[]; deliver: (m: WorkerToPage) => void; disposed: boolean }[] =
    [];
  const store = createAppStore({
    connect(onMessage) {
      const w = { sent: [] as PageToWorker[], deliver: onMessage, disposed: false };
      workers.push(w);
      return { send: (m) => w.sent.push(m), dispose: () => (w.disposed = true) };
    },
    writeHash: () => {},
    heartbeat: timers,
  });
  const last = () => workers.at(-1)!;
  const of = <T extends PageToWorker['type']>(type: T) =>
    last().sent.filter((m): m is Extract<PageToWorker, { type: T }> => m.type === type);
  const worldReady = () => {
    const req = of('generateWorld').at(-1)!;
    last().deliver({
      type: 'worldReady',
      requestId: req.requestId,
      summary: { seed: req.settings.seed, genMs: 1 } as unknown as WorldSummary,
      config: { ...defaultWorldConfig, ...req.settings },
    });
  };
  return { store, timers, workers, last, of, worldReady };
}

const snapshot = (runId: number, step: number): WeightSnapshot => ({
  runId,
  step,
  params: DEFAULT_TRAINING_PARAMS,
  weights: [{ name: 'candidate.videoOut', data: new Float32Array([1, 2, 3]) }],
  slots: [],
  counters: {},
  backend: 'wasm',
  world: '00000000000000aa',
});

describe('the heartbeat', () => {
  it('does not call an idle worker stuck when the timer ticks rarely (a background tab)', () => {
    const timers = fakeTimers();
    let deliver: (m: WorkerToPage) => void = () => {};
    const sent: PageToWorker[] = [];
    const stalls: number[] = [];
    const slow = { ...timers, setInterval: (f: () => void) => timers.setInterval(f, 60_000) };
    const channel = createWorkerChannel(
      (onMessage) => {
        deliver = onMessage;
        return { send: (m) => sent.push(m), dispose: () => {} };
      },
      () => {},
      () => {},
      { longWork: () => false, onStalled: (ms) => stalls.push(ms), onAlive: () => {}, ...slow },
    );
    channel.send({ type: 'pause', runId: 1 });
    for (let i = 0; i < 5; i++) {
      timers.advance(60_000);
      deliver({ type: 'pong', seq: (sent.at(-1) as { seq: number }).seq });
    }
    expect(stalls).toEqual([]);
    timers.advance(120_000); // unanswered for a whole tick past the limit
    expect(stalls).toHaveLength(1);
  });

  it('pings while a worker runs; an answering worker is never called stuck', () => {
    const timers = fakeTimers();
    const sent: PageToWorker[] = [];
    let deliver: (m: WorkerToPage) => void = () => {};
    const stalls: number[] = [];
    const got: string[] = [];
    const channel = createWorkerChannel(
      (onMessage) => {
        deliver = onMessage;
        return { send: (m) => sent.push(m), dispose: () => {} };
      },
      (m) => got.push(m.type),
      () => {},
      { longWork: () => false, onStalled: (ms) => stalls.push(ms), onAlive: () => {}, ...timers },
    );
    expect(sent).toEqual([]); // nothing starts before the first message
    channel.send({ type: 'pause', runId: 1 });
    for (let i = 0; i < 20; i++) {
      timers.advance(PING_EVERY_MS);
      const ping = sent.at(-1)!;
      expect(ping.type).toBe('ping');
      deliver({ type: 'pong', seq: (ping as { seq: number }).seq });
    }
    expect(stalls).toEqual([]);
    expect(got).toEqual([]); // pongs are the channel's own
  });

  it('calls a silent worker stuck once past the limit, and withdraws it when it speaks', () => {
    const timers = fakeTimers();
    let deliver: (m: WorkerToPage) => void = () => {};
    const events: string[] = [];
    let long = false;
    const channel = createWorkerChannel(
      (onMessage) => {
        deliver = onMessage;
        return { send: () => {}, dispose: () => {} };
      },
      () => {},
      () => {},
      {
        longWork: () => long,
        onStalled: (ms) => events.push(`stalled ${ms}`),
        onAlive: () => events.push('alive'),
        ...timers,
      },
    );
    channel.send({ type: 'pause', runId: 1 });
    timers.advance(HEARTBEAT_TIMEOUT_MS);
    expect(events).toEqual([]);
    // The first ping went out at PING_EVERY_MS; unanswered past the limit after it.
    timers.advance(HEARTBEAT_TIMEOUT_MS);
    expect(events).toEqual([`stalled ${HEARTBEAT_TIMEOUT_MS + 2 * PING_EVERY_MS}`]);
    deliver({ type: 'pong', seq: 1 });
    expect(events.at(-1)).toBe('alive');
    // Long synchronous work (a world build) gets the long limit.
    long = true;
    timers.advance(LONG_WORK_TIMEOUT_MS);
    expect(events).toHaveLength(2);
    timers.advance(2 * PING_EVERY_MS);
    expect(events.at(-1)).toMatch(/^stalled /);
  });
});

describe('faults and restarts in the store', () => {
  /** A world of seed 4 on screen, a run paused at step 100 with its snapshot. */
  const trained = () => {
    const h = makeStore();
    h.store.getState().loadFromHash('#seed=4&videos=500&users=100&view=training');
    h.worldReady();
    const runId = h.store.getState().run.runId;
    h.last().deliver({
      type: 'trainingStatus',
      runId,
      state: 'paused',
      step: 100,
      params: DEFAULT_TRAINING_PARAMS,
    });
    h.last().deliver({
      type: 'snapshot',
      runId,
      snapshot: snapshot(runId, 100),
      purpose: 'periodic',
    });
    return h;
  };

  it('shows a fault with its cause and keeps the run on screen', () => {
    const h = trained();
    const before = h.store.getState().run;
    h.last().deliver({ type: 'workerFault', cause: 'play', message: 'no backend' });
    expect(h.store.getState().workerFault).toEqual({ cause: 'play', message: 'no backend' });
    expect(h.store.getState().run).toBe(before);
    expect(h.store.getState().summary).not.toBeNull();
    h.store.getState().dismissWorkerFault();
    expect(h.store.getState().workerFault).toBeNull();
  });

  it('offers a restart when the worker goes silent, and resumes from the snapshot', () => {
    const h = trained();
    const history = h.store.getState().history;
    h.timers.advance(HEARTBEAT_TIMEOUT_MS + 2 * PING_EVERY_MS);
    expect(h.store.getState().workerStalled?.silentMs).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS);
    expect(h.store.getState().summary).not.toBeNull();
    expect(h.store.getState().history).toBe(history);

    h.store.getState().restartWorker();
    expect(h.workers).toHaveLength(2);
    expect(h.workers[0].disposed).toBe(true);
    expect(h.store.getState().workerStalled).toBeNull();
    expect(h.of('generateWorld')[0].settings).toEqual({ seed: 4, videos: 500, users: 100 });
    expect(h.store.getState().summary).not.toBeNull(); // the world stays on screen meanwhile
    h.worldReady();
    const restore = h.of('restore')[0];
    expect(restore.snapshot.step).toBe(100);
    expect(h.store.getState().run.step).toBe(100);
    expect(h.store.getState().notice).toContain('snapshot of step 100');
  });

  it('resumes from the snapshot by itself, once, when the GPU device was lost', () => {
    const h = trained();
    const runId = h.store.getState().run.runId;
    const lost = {
      type: 'trainingError',
      step: 130,
      message: 'the GPU device was lost (GPU hang)',
      resumable: true,
      lostDevice: true,
    } as const;
    h.last().deliver({ ...lost, runId });
    const restore = h.of('restore');
    expect(restore).toHaveLength(1);
    expect(restore[0].snapshot.step).toBe(100);
    const next = h.store.getState().run;
    expect(next.runId).toBe(restore[0].runId);
    expect(next.step).toBe(100);
    expect(h.store.getState().notice).toContain('GPU device was lost (GPU hang) at step 130');
    // Lost again before a newer snapshot: no loop of restores; the Resume button stays.
    h.last().deliver({ ...lost, runId: next.runId, step: 100 });
    expect(h.of('restore')).toHaveLength(1);
    expect(h.store.getState().run.error?.resumable).toBe(true);
  });

  it('gives the first step after Play the long limit, later steps the short one', () => {
    const h = trained();
    const runId = h.store.getState().run.runId;
    h.store.getState().play();
    h.last().deliver({ type: 'trainingStatus', runId, state: 'running', step: 100 });
    h.timers.advance(HEARTBEAT_TIMEOUT_MS * 3);
    expect(h.store.getState().workerStalled).toBeNull();
    h.last().deliver({
      type: 'metrics',
      runId,
      steps: Int32Array.from([101]),
      loss: Float32Array.from([5]),
      mfLoss: Float32Array.from([5]),
      rankingLoss: Float32Array.from([0.5]),
      evals: [],
      examplesPerSec: 100,
      stepsPerSec: 1,
    });
    h.timers.advance(HEARTBEAT_TIMEOUT_MS + 2 * PING_EVERY_MS);
    expect(h.store.getState().workerStalled).not.toBeNull();
  });

  it('gives a long world build the long limit', () => {
    const h = makeStore();
    h.store.getState().loadFromHash('#seed=4&videos=500&users=100');
    h.timers.advance(HEARTBEAT_TIMEOUT_MS * 3);
    expect(h.store.getState().workerStalled).toBeNull();
    h.timers.advance(LONG_WORK_TIMEOUT_MS);
    expect(h.store.getState().workerStalled).not.toBeNull();
  });

  it('cancels a world build: the world on screen stays and a fresh worker rebuilds it', () => {
    const h = makeStore();
    h.store.getState().loadFromHash('#seed=4&videos=500&users=100');
    h.worldReady();
    const summary = h.store.getState().summary;
    h.store.getState().generate({ ...h.store.getState().settings, seed: 9 });
    expect(h.store.getState().pendingRequest).not.toBeNull();
    h.store.getState().cancelBuild();
    expect(h.workers[0].disposed).toBe(true);
    expect(h.store.getState().summary).toBe(summary);
    expect(h.store.getState().settings.seed).toBe(4);
    expect(h.store.getState().worldNotice).toContain('cancelled');
    expect(h.of('generateWorld')[0].settings.seed).toBe(4);
    h.worldReady();
    expect(h.store.getState().pendingRequest).toBeNull();
    expect(h.store.getState().summary?.seed).toBe(4);
  });

  it('cancels the first build: nothing to keep, nothing rebuilt', () => {
    const h = makeStore();
    h.store.getState().loadFromHash('#seed=4&videos=500&users=100');
    h.store.getState().cancelBuild();
    expect(h.workers).toHaveLength(1);
    expect(h.workers[0].disposed).toBe(true);
    expect(h.store.getState().pendingRequest).toBeNull();
    expect(h.store.getState().progress).toBeNull();
    expect(h.store.getState().worldNotice).toContain('Press Generate');
  });
});
