/**
 * The worker's answers to the analysis views (Embeddings, Sampled softmax, Funnel): requests
 * about the current session, handled between two training steps by the {@link TrainingHost}'s
 * pump, and the negatives sweep it advances one step at a time while training waits. Free of
 * worker globals, like the training host.
 */
import { checkSweepRequest, NegativesSweep } from './negatives-sweep';
import type { TrainingSession } from './session';
import {
  bestVideos,
  checkSoftmax,
  focusQuery,
  funnelFiguresOf,
  softmaxFigures,
  type FocusQuery,
} from './session-views';
import { transferablesOf } from '../protocol';
import { SERVING_PARAMS, checkValue } from '../protocol/params';
import { projection } from './embedding-views';
import { checkStepTrace, stepTraceFigures } from './step-trace-view';
import type { ViewRequest } from '../protocol/views';
import type { Post } from './host-env';

/** Least ms between two progress messages of a sweep. */
const SWEEP_PROGRESS_MS = 250;

/** Handles {@link ViewRequest}s for the session `current()` returns. */
export class ViewsHost {
  /** The user the views follow in every run on the current world (−1 = the first held-out user). */
  private focus = -1;
  private sweep: { runId: number; job: NegativesSweep; lastPost: number } | null = null;

  constructor(
    private readonly post: Post,
    private readonly now: () => number,
    private readonly current: () => TrainingSession | null,
  ) {}

  /** True while a negatives sweep has steps left. */
  get busy(): boolean {
    return this.sweep !== null;
  }

  /** The focus user. */
  get focusUser(): number {
    return this.focus;
  }

  /** A new world: its users are others; follow the first held-out one. */
  resetFocus(): void {
    this.focus = -1;
  }

  /** Handles one request (errors become `error` messages naming what failed). */
  async apply(r: ViewRequest): Promise<void> {
    const s = this.current();
    if (r.type === 'cancelSweep') {
      if (this.sweep?.runId === r.runId) this.endSweep(true);
      return;
    }
    if (s?.runId !== r.runId) return;
    try {
      switch (r.type) {
        case 'focus': {
          const user = r.user === -1 ? -1 : (await focusQuery(s, r.user)).user; // validates
          this.focus = user;
          await this.postProjection(s);
          return;
        }
        case 'softmax': {
          const bad = checkSoftmax(r);
          if (bad) throw new RangeError(bad);
          const q = await this.follow(s, r.user);
          this.send({ type: 'softmax', runId: r.runId, ...softmaxFigures(s, q, r, this.now) });
          return;
        }
        case 'funnel': {
          const bad = checkFunnel(r.k, r.nprobe);
          if (bad) throw new RangeError(bad);
          const q = await this.follow(s, r.user);
          const figures = await funnelFiguresOf(s, r.k, r.nprobe, q, this.now);
          this.send({ type: 'funnel', runId: r.runId, ...figures });
          return;
        }
        case 'vectors': {
          const q = await this.follow(s, r.user);
          const v = s.candidate.videoOut;
          this.send({
            type: 'vectors',
            runId: r.runId,
            step: s.step,
            vectors: v.weights.slice(0, v.rows * v.dim),
            rows: v.rows,
            dim: v.dim,
            user: q.user,
            u: q.u,
            best: bestVideos(s, q, 10),
          });
          return;
        }
        case 'stepTrace': {
          const bad = checkStepTrace(r.batch, r.negatives);
          if (bad) throw new RangeError(bad);
          const figures = await stepTraceFigures(s, r.batch, r.negatives, this.now);
          this.send({ type: 'stepTrace', runId: r.runId, ...figures });
          return;
        }
        case 'negativesSweep': {
          const bad = checkSweepRequest(r.negatives, r.steps);
          if (bad) throw new RangeError(bad);
          if (this.sweep) this.endSweep(true);
          const job = new NegativesSweep(s, [...r.negatives], r.steps, this.now);
          this.sweep = { runId: r.runId, job, lastPost: -Infinity };
          this.postSweep(false);
          return;
        }
        default: {
          const unknown: never = r;
          throw new Error(`unknown view request ${JSON.stringify(unknown)}`);
        }
      }
    } catch (e) {
      this.post({
        type: 'viewError',
        runId: r.runId,
        request: r.type,
        message: `${label(r.type)}: ${errorText(e)}`,
      });
    }
  }

  /** The query of `user` (validated), who the views follow from now on. */
  private async follow(s: TrainingSession, user: number): Promise<FocusQuery> {
    const q = await focusQuery(s, user);
    this.focus = user === -1 ? -1 : q.user;
    return q;
  }

  /** One step of the running sweep (the host calls this when no request is queued). */
  async work(): Promise<void> {
    const sw = this.sweep;
    if (!sw) return;
    if (this.current()?.runId !== sw.runId) {
      this.endSweep(true);
      return;
    }
    try {
      await sw.job.step();
    } catch (e) {
      this.post({
        type: 'viewError',
        runId: sw.runId,
        request: 'negativesSweep',
        message: `negatives sweep: ${errorText(e)}`,
      });
      this.endSweep(true);
      return;
    }
    if (sw.job.done) this.endSweep(false);
    else if (this.now() - sw.lastPost >= SWEEP_PROGRESS_MS) this.postSweep(false);
  }

  /** Stops the sweep (cancelled, or because its run ended) and reports what it finished. */
  endSweep(cancelled: boolean): void {
    if (!this.sweep) return;
    this.postSweep(true, cancelled);
    this.sweep.job.dispose();
    this.sweep = null;
  }

  private postSweep(done: boolean, cancelled = false): void {
    const sw = this.sweep;
    if (!sw) return;
    sw.lastPost = this.now();
    this.post({
      type: 'negativesSweep',
      runId: sw.runId,
      sampler: sw.job.sampler,
      progress: sw.job.progress,
      total: sw.job.total,
      points: sw.job.points.map((p) => ({ ...p })),
      done,
      cancelled,
    });
  }

  /**
   * Posts the 2-D PCA projection of the video vectors, with the focus user's u projected on
   * the same components (u and v share one space: the model scores u·v).
   */
  async postProjection(s: TrainingSession): Promise<void> {
    const t0 = this.now();
    const { coords, explained, project } = projection(s);
    let user: { id: number; coords: [number, number] } | undefined;
    try {
      const q: FocusQuery = await focusQuery(s, this.focusUser);
      user = { id: q.user, coords: project(q.u) };
    } catch {
      user = undefined; // a world without watches: no user to draw
    }
    this.send({
      type: 'projection',
      runId: s.runId,
      step: s.step,
      coords,
      explained,
      ...(user ? { user } : {}),
      ms: this.now() - t0,
    });
  }

  private send(message: Parameters<Post>[0]): void {
    this.post(message, transferablesOf(message));
  }
}

/** Why funnel settings are invalid (naming the field and range), or null. */
export function checkFunnel(k: number, nprobe: number): string | null {
  return checkValue(SERVING_PARAMS.funnelK, k) ?? checkValue(SERVING_PARAMS.nprobe, nprobe);
}

function label(type: ViewRequest['type']): string {
  return {
    focus: 'choosing the user',
    softmax: 'sampled softmax',
    funnel: 'the funnel',
    vectors: 'copying the embeddings',
    negativesSweep: 'negatives sweep',
    cancelSweep: 'negatives sweep',
    stepTrace: 'tracing the step',
  }[type];
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
