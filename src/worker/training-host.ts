/**
 * The worker's training loop and its message handling, free of worker globals so that Node
 * tests drive it directly (with the WASM backend and a fake clock).
 *
 * Requests are queued and handled one at a time by a single async pump. While playing, the
 * pump takes one step of every model, then yields to the event loop (`yieldToEvents`) so the
 * next message can arrive; `pause` is just a request like any other, handled between two
 * steps — the worker is never terminated to stop it. New metric points are buffered and
 * posted as deltas at most once per METRICS_INTERVAL_MS (and whenever the loop stops).
 */
import type { World } from '../sim/types';
import { divergedModel, divergenceMessage } from './divergence';
import { neighbours, videoMeta } from './embedding-views';
import { IdlePreparation } from './idle-prep';
import {
  buildTrainingData,
  SnapshotMismatch,
  TrainingSession,
  type StepLosses,
  type TrainingData,
} from './session';
import { checkTrainingParams, clonePlain } from '../protocol/params';
import {
  EVAL_EVERY,
  METRICS_INTERVAL_MS,
  PROJECTION_EVERY,
  SNAPSHOT_EVERY,
  type BackendReport,
  type BackendRequest,
  type LoadErrorCode,
  type SnapshotPurpose,
  type TrainingParams,
  type TrainingRequest,
  type TrainingState,
  type WeightSnapshot,
} from '../protocol/training';
import { transferablesOf, type WorkerToPage } from '../protocol';
import type { ViewRequest } from '../protocol/views';
import type { TrainingHostEnv } from './host-env';
import { MetricBuffer } from './metric-buffer';
import { ViewsHost } from './views-host';
import { checkSweepRequest } from './negatives-sweep';

export type { ChooseBackend, Post, TrainingHostEnv } from './host-env';

export { DIVERGED_LOSS } from './divergence';

/** The training side of the worker. */
export class TrainingHost {
  private world: World | null = null;
  private data: TrainingData | null = null;
  private session: TrainingSession | null = null;
  /** Sessions replaced while a step may still use them; disposed between steps. */
  private retired: TrainingSession[] = [];
  private backend: { request: BackendRequest; report: BackendReport } | null = null;
  private queue: (TrainingRequest | ViewRequest)[] = [];
  private pumping = false;
  private running = false;
  /** A failed session takes no more steps until a reset or a restore. */
  private failed = false;
  /** Metric points not yet posted. */
  private readonly metrics = new MetricBuffer();
  private lastFlush = -Infinity;
  private lastSnapshotStep: number | null = null;

  /** The analysis views' requests and the negatives sweep. */
  private readonly views: ViewsHost;
  /** The Funnel view's work done ahead while the worker is idle (idle-prep.ts). */
  private readonly prep: IdlePreparation;

  constructor(private readonly env: TrainingHostEnv) {
    this.views = new ViewsHost(env.post, env.now, () => (this.failed ? null : this.session));
    this.prep = new IdlePreparation(env, () => void this.pump());
  }

  /** The session of the current run, if any (for tests). */
  get current(): TrainingSession | null {
    return this.session;
  }

  /** What the idle preparation of the current step did so far (benches and tests). */
  get preparation(): IdlePreparation['report'] {
    return this.prep.report;
  }

  /**
   * A new world is in: the current run ends (its models belong to the old world) and the
   * examples are rebuilt on the next run. The page starts a new run id for the new world.
   */
  setWorld(world: World): void {
    if (world === this.world) return;
    this.world = world;
    this.data = null;
    // A sweep of the old world ends at its next step (its run is gone), never mid-step.
    this.views.resetFocus();
    this.running = false;
    this.prep.interrupt();
    this.queue = [];
    this.retire();
    this.metrics.clear();
  }

  /** Queues a request; the pump handles it between two steps. */
  handle(request: TrainingRequest | ViewRequest): void {
    this.prep.interrupt();
    this.queue.push(request);
    void this.pump();
  }

  /** Resolves when the pump has nothing left to do (tests). */
  async idle(): Promise<void> {
    while (
      this.pumping ||
      this.queue.length > 0 ||
      this.running ||
      this.views.busy ||
      this.prep.ready
    )
      await this.env.yieldToEvents();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 || this.running || this.views.busy || this.prep.ready) {
        this.disposeRetired();
        const request = this.queue.shift();
        if (request) await this.apply(request);
        else if (this.views.busy) await this.views.work();
        else if (this.running) {
          await this.stepOnce();
          if (!this.running) this.stopped('paused');
        } else await this.prep.work(this.failed ? null : this.session);
        await this.env.yieldToEvents();
      }
    } finally {
      this.disposeRetired();
      this.pumping = false;
      // Quiet from here on: the Funnel view's preparation starts after a while without a message.
      if (!this.running) this.prep.arm(this.failed ? null : this.session);
    }
  }

  private async apply(r: TrainingRequest | ViewRequest): Promise<void> {
    switch (r.type) {
      case 'focus':
      case 'softmax':
      case 'funnel':
      case 'vectors':
      case 'stepTrace':
      case 'cancelSweep':
        await this.views.apply(r);
        return;
      case 'negativesSweep':
        // Training waits while the sweep's models train (one backend, one loop).
        if (
          this.running &&
          this.session?.runId === r.runId &&
          checkSweepRequest(r.negatives, r.steps) === null
        ) {
          this.running = false;
          this.stopped('paused');
        }
        await this.views.apply(r);
        return;
      case 'play': {
        this.views.endSweep(true); // play takes the loop back from a sweep
        const s = await this.ensureSession(r.runId, r.params);
        if (!s) return;
        s.applyLive(r.params);
        this.running = true;
        this.status('running');
        return;
      }
      case 'pause':
        if (this.session?.runId !== r.runId || !this.running) return;
        this.running = false;
        this.stopped('paused');
        return;
      case 'step': {
        if (this.running) return;
        const s = await this.ensureSession(r.runId, r.params);
        if (!s) return;
        s.applyLive(r.params);
        for (let i = 0; i < r.count && !this.failed && this.session === s; i++)
          await this.stepOnce();
        if (this.session === s && !this.failed) this.stopped('paused');
        return;
      }
      case 'reset':
        this.running = false;
        this.views.endSweep(true);
        this.retire();
        await this.ensureSession(r.runId, r.params);
        return;
      case 'setParams':
        if (this.session?.runId === r.runId && !this.failed) this.session.applyLive(r.params);
        return;
      case 'restore':
        await this.restore(r.runId, r.snapshot);
        return;
      case 'takeSnapshot': {
        const s = this.session;
        if (s?.runId !== r.runId || this.failed) return;
        try {
          await this.postSnapshot(s, r.purpose);
        } catch (e) {
          this.env.post({ type: 'error', message: `snapshot: ${errorText(e)}` });
        }
        return;
      }
      case 'neighbours': {
        const s = this.session;
        if (s?.runId !== r.runId) return;
        try {
          const message: WorkerToPage = { type: 'neighbours', ...neighbours(s, r.video) };
          this.env.post(message, transferablesOf(message));
        } catch (e) {
          this.env.post({ type: 'error', message: `nearest neighbours: ${errorText(e)}` });
        }
        return;
      }
      default: {
        const unknown: never = r;
        this.env.post({
          type: 'error',
          message: `the worker does not understand the training message ${JSON.stringify(unknown)}`,
        });
      }
    }
  }

  /**
   * The session of run `runId`, building it (backend, examples, models, a first evaluation at
   * step 0) when the current one is of another run. Null, with an error posted, when it
   * cannot be built.
   */
  private async ensureSession(
    runId: number,
    params: TrainingParams,
  ): Promise<TrainingSession | null> {
    if (this.session?.runId === runId && !this.failed) return this.session;
    this.retire();
    // Inside the pump no step is in flight: free the old models now, before a backend switch.
    this.disposeRetired();
    this.metrics.clear();
    const bad = checkTrainingParams(params);
    if (bad) {
      this.fail(runId, 0, `bad training settings: ${bad}`, false);
      return null;
    }
    if (!this.world) {
      this.fail(runId, 0, 'there is no world to train on yet; build one first', false);
      return null;
    }
    try {
      if (!this.backend || this.backend.request !== params.backend)
        await this.startBackend(runId, params.backend);
      if (this.backend) this.env.post({ type: 'backend', runId, backend: this.backend.report });
      if (!this.data) {
        this.status('preparing', runId, 0, 'building training examples');
        await this.env.yieldToEvents();
        this.data = buildTrainingData(this.world);
      }
      // Pretrained embeddings (CBOW) take a few seconds on the default world: say so.
      const pretrain = params.embeddings !== 'joint';
      this.status(
        'preparing',
        runId,
        0,
        pretrain ? 'pretraining the watch and search embeddings (CBOW)' : 'building the models',
      );
      await this.env.yieldToEvents();
      const session = new TrainingSession(this.data, params, runId);
      this.session = session;
      this.failed = false;
      this.lastSnapshotStep = null;
      const meta: WorkerToPage = { type: 'videoMeta', runId, ...videoMeta(this.data.world) };
      this.env.post(meta, transferablesOf(meta));
      this.metrics.addEval(await session.evaluate(this.env.now));
      this.flush();
      await this.views.postProjection(session);
      this.status('paused', runId, 0);
      return session;
    } catch (e) {
      this.fail(runId, 0, `could not start training: ${errorText(e)}`, false);
      return null;
    }
  }

  /**
   * Builds a session of the snapshot's parameters aside, loads its state, and only then puts
   * it in place of the current one, paused at the snapshot's step. Answers with a
   * `restoreResult`: refused (another world, bad parameters, arrays that do not fit), the
   * current run goes on untouched — unless the snapshot asks for another backend, which
   * cannot start beside the current run's tensors, so the current run is retired first.
   */
  private async restore(runId: number, snapshot: WeightSnapshot): Promise<void> {
    const refuse = (code: LoadErrorCode, message: string) =>
      this.env.post({ type: 'restoreResult', runId, ok: false, error: { code, message } });
    // After a lost device the backend starts afresh (a new device, or WASM when none starts).
    const afterLoss = this.lostGpu;
    if (afterLoss) this.backend = null;
    this.lostGpu = false;
    const bad = checkTrainingParams(snapshot.params);
    if (bad) return refuse('bad-params', `bad training settings: ${bad}`);
    if (!this.world) return refuse('world-mismatch', 'there is no world to load the run into');
    let fresh: TrainingSession | null = null;
    try {
      this.data ??= buildTrainingData(this.world);
      if (snapshot.world !== this.data.fingerprint)
        return refuse(
          'world-mismatch',
          `the run was trained on another world (fingerprint ${snapshot.world}, this world's ${this.data.fingerprint})`,
        );
      if (!this.backend || this.backend.request !== snapshot.params.backend) {
        this.running = false;
        this.retire();
        this.disposeRetired();
        await this.startBackend(runId, snapshot.params.backend);
      }
      fresh = new TrainingSession(this.data, snapshot.params, runId);
      fresh.load(snapshot);
    } catch (e) {
      fresh?.dispose();
      return refuse(
        e instanceof SnapshotMismatch ? 'world-mismatch' : 'bad-state',
        `could not load the run: ${errorText(e)}`,
      );
    }
    this.running = false;
    this.views.endSweep(true);
    this.retire();
    this.disposeRetired();
    this.metrics.clear();
    this.session = fresh;
    this.failed = false;
    this.lastSnapshotStep = snapshot.step;
    this.env.post({ type: 'restoreResult', runId, ok: true });
    const s = fresh;
    try {
      if (this.backend) this.env.post({ type: 'backend', runId, backend: this.backend.report });
      const meta: WorkerToPage = { type: 'videoMeta', runId, ...videoMeta(this.data.world) };
      this.env.post(meta, transferablesOf(meta));
      this.metrics.addEval(await s.evaluate(this.env.now));
      this.flush();
      await this.views.postProjection(s);
      const on = this.backend?.report;
      const backendNote = !afterLoss
        ? ''
        : on?.name === 'webgpu'
          ? ' on a fresh WebGPU device'
          : ` on ${on?.name ?? 'another backend'}: WebGPU did not restart (${on?.passedOver.find((p) => p.name === 'webgpu')?.reason ?? 'passed over'})`;
      this.status(
        'paused',
        runId,
        s.step,
        `resumed from the snapshot of step ${snapshot.step}${backendNote}`,
      );
    } catch (e) {
      this.fail(runId, s.step, `could not evaluate the loaded run: ${errorText(e)}`, false);
    }
  }

  /** Starts the backend `request` names (preparing status under `runId`). */
  private async startBackend(runId: number, request: BackendRequest): Promise<void> {
    this.status('preparing', runId, 0, 'starting the tfjs backend');
    await this.env.yieldToEvents();
    const report = await this.env.chooseBackend(request, (why) => this.deviceLost(why));
    this.backend = { request, report };
  }

  /**
   * Posts a snapshot of `s` (transferred: its arrays are copies made for the message), after
   * the buffered metrics, so that the page's history reaches the snapshot's step first.
   */
  private async postSnapshot(s: TrainingSession, purpose: SnapshotPurpose): Promise<void> {
    this.flush();
    const snapshot = await s.snapshot(this.backend?.report.name ?? null);
    this.lastSnapshotStep = s.step;
    const message: WorkerToPage = { type: 'snapshot', runId: s.runId, snapshot, purpose };
    this.env.post(message, transferablesOf(message));
  }

  private lostGpu = false;

  /**
   * The GPU device is gone: stop, and say that the run can resume from its snapshot. The page
   * asks for that restore itself (`lostDevice`); the restore starts a fresh backend.
   */
  private deviceLost(why: string): void {
    this.lostGpu = true;
    const s = this.session;
    if (!s) return;
    this.running = false;
    this.fail(
      s.runId,
      s.step,
      `the GPU device was lost (${why})`,
      this.lastSnapshotStep !== null,
      true,
    );
  }

  /** One step of every model, then the bookkeeping: metrics, evaluation, snapshot. */
  private async stepOnce(): Promise<void> {
    const s = this.session;
    if (!s || this.failed) {
      this.running = false;
      return;
    }
    let losses: StepLosses;
    const t0 = this.env.now();
    try {
      losses = await s.trainStep();
    } catch (e) {
      this.running = false;
      if (this.session === s) {
        this.fail(
          s.runId,
          s.step,
          `training step ${s.step + 1} failed: ${errorText(e)}`,
          this.lastSnapshotStep !== null,
        );
      }
      return;
    }
    if (this.session !== s) return; // a new world or run came in meanwhile
    this.metrics.addStep(s.step, losses, this.env.now() - t0);
    const diverged = divergedModel({ ...losses }, s.ranker.config.weighted);
    if (diverged) {
      this.running = false;
      this.flush();
      this.fail(
        s.runId,
        s.step,
        divergenceMessage(diverged, s.step, this.lastSnapshotStep),
        this.lastSnapshotStep !== null,
      );
      return;
    }
    try {
      if (s.step % EVAL_EVERY === 0) this.metrics.addEval(await s.evaluate(this.env.now));
      if (s.step % PROJECTION_EVERY === 0) await this.views.postProjection(s);
      if (s.step % SNAPSHOT_EVERY === 0) await this.postSnapshot(s, 'periodic');
    } catch (e) {
      this.running = false;
      this.fail(
        s.runId,
        s.step,
        `evaluation at step ${s.step} failed: ${errorText(e)}`,
        this.lastSnapshotStep !== null,
      );
      return;
    }
    if (this.env.now() - this.lastFlush >= METRICS_INTERVAL_MS) this.flush();
  }

  /** The loop stopped (pause, or the end of single steps): post what is buffered and the state. */
  private stopped(state: TrainingState): void {
    const s = this.session;
    if (!s || this.failed) return;
    this.flush();
    this.status(state, s.runId, s.step);
  }

  /** Posts the buffered metric points as one delta message. */
  private flush(): void {
    const s = this.session;
    this.lastFlush = this.env.now();
    if (!s || this.metrics.empty) return;
    const message: WorkerToPage = this.metrics.take(s.runId, s.candidate.config.batchSize);
    this.env.post(message, transferablesOf(message));
  }

  private status(
    state: TrainingState,
    runId = this.session?.runId ?? 0,
    step = this.session?.step ?? 0,
    detail?: string,
  ): void {
    const params = this.session?.runId === runId ? this.session.params : undefined;
    this.env.post({
      type: 'trainingStatus',
      runId,
      state,
      step,
      ...(detail ? { detail } : {}),
      ...(params ? { params: clonePlain(params) } : {}),
    });
  }

  private fail(
    runId: number,
    step: number,
    message: string,
    resumable: boolean,
    lostDevice = false,
  ): void {
    if (this.session?.runId === runId) this.failed = true;
    this.running = false;
    this.env.post({
      type: 'trainingError',
      runId,
      step,
      message,
      resumable,
      ...(lostDevice ? { lostDevice: true as const } : {}),
    });
    this.status('failed', runId, step, message);
  }

  /** Takes the current session out of use; it is disposed once no step can be using it. */
  private retire(): void {
    this.prep.forget(this.session);
    if (this.session) this.retired.push(this.session);
    this.session = null;
    this.failed = false;
    if (!this.pumping) this.disposeRetired();
  }

  private disposeRetired(): void {
    for (const s of this.retired) {
      try {
        s.dispose();
      } catch {
        // a lost device may refuse; the variables go with it
      }
    }
    this.retired = [];
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
