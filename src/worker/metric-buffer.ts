/**
 * The metric points of a run not yet posted to the page: per-step losses, finished
 * evaluations, and the recent step durations (for examples/s). The training host adds to it
 * after every step and turns it into one delta message at most every METRICS_INTERVAL_MS.
 */
import type { EvalPoint, MetricsMessage } from '../protocol';
import type { StepLosses } from './session';

/** Steps over which examples/s is averaged. */
export const RATE_WINDOW = 20;

/** Buffered metric points of one run. */
export class MetricBuffer {
  private steps: number[] = [];
  private losses: number[] = [];
  private mfLosses: number[] = [];
  private rankingLosses: number[] = [];
  private evals: EvalPoint[] = [];
  /** Durations (ms) of the recent training steps. */
  private durations: number[] = [];

  /** Adds the losses of `step`, which took `ms` milliseconds. */
  addStep(step: number, losses: StepLosses, ms: number): void {
    this.durations.push(ms);
    if (this.durations.length > RATE_WINDOW) this.durations.shift();
    this.steps.push(step);
    this.losses.push(losses.loss);
    this.mfLosses.push(losses.mfLoss);
    this.rankingLosses.push(losses.rankingLoss);
  }

  /** Adds a finished evaluation. */
  addEval(e: EvalPoint): void {
    this.evals.push(e);
  }

  /** True when nothing is waiting to be posted. */
  get empty(): boolean {
    return this.steps.length === 0 && this.evals.length === 0;
  }

  /**
   * The waiting points as one delta message of run `runId` (`batchSize`: examples per step,
   * for examples/s), emptying the buffer of points (the durations stay for the rate).
   */
  take(runId: number, batchSize: number): MetricsMessage {
    const total = this.durations.reduce((a, b) => a + b, 0);
    const stepsPerSec = total > 0 ? (1000 * this.durations.length) / total : 0;
    const message: MetricsMessage = {
      type: 'metrics',
      runId,
      steps: Int32Array.from(this.steps),
      loss: Float32Array.from(this.losses),
      mfLoss: Float32Array.from(this.mfLosses),
      rankingLoss: Float32Array.from(this.rankingLosses),
      evals: this.evals,
      examplesPerSec: stepsPerSec * batchSize,
      stepsPerSec,
    };
    this.steps = [];
    this.losses = [];
    this.mfLosses = [];
    this.rankingLosses = [];
    this.evals = [];
    return message;
  }

  /** Forgets everything, the durations too (a new run). */
  clear(): void {
    this.take(0, 0);
    this.durations = [];
  }
}
