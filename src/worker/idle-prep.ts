/**
 * Work the training host does ahead while the worker is idle (docs/performance.md#the-funnel-view):
 * once the pump has had nothing to do for {@link IDLE_MS} — after a pause, single steps, a new
 * run, any answered request — it runs the Funnel view's preparation (funnel-prep.ts) one short
 * step at a time, yielding to the event loop between steps. Any message stops it at once (it
 * waits at most for the step in progress, a few tens of milliseconds); the pump answers the
 * message, and the preparation resumes where it stopped after the next {@link IDLE_MS} of
 * quiet, or starts again for the new step if training moved on.
 */
import type { TrainingHostEnv } from './host-env';
import { dropPendingFunnelIndex } from './funnel-index';
import { funnelPreparation, type FunnelPrepPart, type FunnelPrepStep } from './funnel-prep';
import type { TrainingSession } from './session';

/** Quiet milliseconds before the preparation starts (a message meanwhile puts it off). */
export const IDLE_MS = 300;

/** What the preparation of one session at one step did (benches and tests). */
export interface PrepReport {
  runId: number;
  step: number;
  /** Steps run, by what they did, and ms of work (the steps' own time, not the waits between). */
  steps: number;
  ms: number;
  parts: Partial<Record<FunnelPrepPart, { steps: number; ms: number }>>;
  /** The longest single step: how long a message arriving meanwhile could wait. */
  longestMs: number;
  done: boolean;
}

/** Runs the Funnel view's preparation when the host is idle; see the module comment. */
export class IdlePreparation {
  private cancel: (() => void) | null = null;
  private due = false;
  private job: {
    session: TrainingSession;
    step: number;
    steps: Generator<FunnelPrepStep, void>;
    report: PrepReport;
  } | null = null;

  /**
   * `wake` is called when the quiet time is over: the host's pump should then call
   * {@link work} while {@link ready} and nothing else is to be done.
   */
  constructor(
    private readonly env: Pick<TrainingHostEnv, 'schedule' | 'now'>,
    private readonly wake: () => void,
  ) {}

  /** Whether a step of preparation is due (the worker has been quiet long enough). */
  get ready(): boolean {
    return this.due;
  }

  /** What the preparation of the latest session and step did so far, if any. */
  get report(): PrepReport | null {
    return this.job?.report ?? null;
  }

  /** A message came: no preparation until the worker is quiet again. */
  interrupt(): void {
    this.cancel?.();
    this.cancel = null;
    this.due = false;
  }

  /**
   * The host has nothing to do: prepare for `s` after {@link IDLE_MS} without a message, unless
   * its preparation at this step is done (or there is no session).
   */
  arm(s: TrainingSession | null): void {
    this.interrupt();
    if (!s || (this.job?.session === s && this.job.step === s.step && this.job.report.done)) return;
    this.cancel = this.env.schedule(() => {
      this.cancel = null;
      this.due = true;
      this.wake();
    }, IDLE_MS);
  }

  /** One step of the preparation for `s` (null: none, nothing is due any more). */
  async work(s: TrainingSession | null): Promise<void> {
    if (!s) {
      this.due = false;
      return;
    }
    let job = this.job;
    if (!job || job.session !== s || job.step !== s.step) {
      if (job && job.session !== s) this.forget(job.session);
      const steps = funnelPreparation(s);
      const report: PrepReport = {
        runId: s.runId,
        step: s.step,
        steps: 0,
        ms: 0,
        parts: {},
        longestMs: 0,
        done: false,
      };
      job = this.job = { session: s, step: s.step, steps, report };
    }
    const t0 = this.env.now();
    let what: FunnelPrepPart | null;
    try {
      const r = job.steps.next();
      what = r.done ? null : await r.value;
    } catch {
      // The request will compute what failed here again, and report the error.
      job.steps.return();
      what = null;
    }
    const ms = this.env.now() - t0;
    const report = job.report;
    if (what === null) {
      report.done = true;
      this.due = false;
      return;
    }
    const part = (report.parts[what] ??= { steps: 0, ms: 0 });
    part.steps++;
    part.ms += ms;
    report.steps++;
    report.ms += ms;
    report.longestMs = Math.max(report.longestMs, ms);
  }

  /** The session's run ends: what is under way for it is dropped (its tensors freed). */
  forget(s: TrainingSession | null): void {
    if (!s) return;
    if (this.job?.session === s) {
      this.job.steps.return();
      this.job = null;
      this.interrupt();
    }
    dropPendingFunnelIndex(s);
  }
}
