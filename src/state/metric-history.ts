/**
 * The metric history of one training run on the page: the per-step training losses in growing
 * typed arrays and the evaluations as a list. The worker sends deltas (only the new points);
 * {@link MetricHistory.append} adds them in O(new points), amortised. The object is mutable and
 * lives in the store by reference: the store bumps a version number when it grows, and charts
 * subscribed to that number redraw — no React render, and no copy of the whole history per
 * message.
 */
import type { EvalPoint, MetricsMessage } from '../protocol';

/** A Float32Array/Int32Array that grows by doubling. */
class Series<A extends Float32Array | Int32Array> {
  private buf: A;
  length = 0;

  constructor(private readonly make: (n: number) => A) {
    this.buf = make(256);
  }

  push(values: ArrayLike<number>): void {
    if (this.length + values.length > this.buf.length) {
      let n = this.buf.length;
      while (n < this.length + values.length) n *= 2;
      const next = this.make(n);
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    this.buf.set(values, this.length);
    this.length += values.length;
  }

  /** The filled part (a view: valid until the next push). */
  get values(): A {
    return this.buf.subarray(0, this.length) as A;
  }

  at(i: number): number {
    return i < 0 ? this.buf[this.length + i] : this.buf[i];
  }

  truncate(n: number): void {
    this.length = Math.min(this.length, n);
  }
}

/** Every metric of one run so far. */
export class MetricHistory {
  readonly steps = new Series((n) => new Int32Array(n));
  readonly loss = new Series((n) => new Float32Array(n));
  readonly mfLoss = new Series((n) => new Float32Array(n));
  readonly rankingLoss = new Series((n) => new Float32Array(n));
  readonly evals: EvalPoint[] = [];
  /** Latest throughput (candidate examples per second; loop steps per second). */
  examplesPerSec = NaN;
  stepsPerSec = NaN;

  /** Number of training points. */
  get size(): number {
    return this.steps.length;
  }

  /** The last training step recorded (0 before the first). */
  get lastStep(): number {
    return this.steps.length ? this.steps.at(-1) : 0;
  }

  /** The latest evaluation, if any. */
  get lastEval(): EvalPoint | undefined {
    return this.evals.at(-1);
  }

  /** Adds a delta from the worker. */
  append(
    m: Pick<
      MetricsMessage,
      'steps' | 'loss' | 'mfLoss' | 'rankingLoss' | 'evals' | 'examplesPerSec' | 'stepsPerSec'
    >,
  ): void {
    this.steps.push(m.steps);
    this.loss.push(m.loss);
    this.mfLoss.push(m.mfLoss);
    this.rankingLoss.push(m.rankingLoss);
    for (const e of m.evals) {
      // An evaluation of a step already evaluated (after a restore) replaces it.
      while (this.evals.length && this.evals[this.evals.length - 1].step >= e.step)
        this.evals.pop();
      this.evals.push(e);
    }
    if (m.steps.length > 0 && m.stepsPerSec > 0) {
      this.examplesPerSec = m.examplesPerSec;
      this.stepsPerSec = m.stepsPerSec;
    }
  }

  /** Drops every point after `step` (a run resumed from the snapshot of `step`). */
  truncate(step: number): void {
    let n = this.steps.length;
    while (n > 0 && this.steps.at(n - 1) > step) n--;
    for (const s of [this.steps, this.loss, this.mfLoss, this.rankingLoss]) s.truncate(n);
    while (this.evals.length && this.evals[this.evals.length - 1].step > step) this.evals.pop();
  }
}
