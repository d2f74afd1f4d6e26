/**
 * The paper's "more negatives" experiment, run on request: for each K, a fresh candidate model
 * with the run's settings and seed but K sampled negatives, trained a fixed number of steps on
 * the run's examples, then recall@100 on the run's held-out next watches and the mean ms per
 * step after {@link warmupSteps} untimed steps. Advanced one training step at a time by the host, so requests (cancel, pause) are
 * handled between steps and the page stays informed.
 */
import * as tf from '@tensorflow/tfjs';
import { modelRanks, retrievalMetrics } from '../model/candidate/evaluate';
import type { CandidateConfig } from '../model/candidate/config';
import { CandidateModel } from '../model/candidate/model';
import { samplerForSweep } from '../model/candidate/sampled-softmax/choices';
import { MAX_NEGATIVES, candidateConfig } from '../protocol/params';
import type { TrainingSession } from './session';
import type { NegativesSweepPoint } from '../protocol/views';

/** Bounds of a sweep request. */
export const SWEEP_LIMITS = {
  negatives: [1, MAX_NEGATIVES],
  steps: [10, 5000],
  points: 8,
} as const;

/** Why a sweep request is invalid (naming the field and the range), or null. */
export function checkSweepRequest(negatives: number[], steps: number): string | null {
  const [lo, hi] = SWEEP_LIMITS.negatives;
  if (!Array.isArray(negatives) || negatives.length < 1 || negatives.length > SWEEP_LIMITS.points)
    return `negatives must list 1 to ${SWEEP_LIMITS.points} values`;
  for (const k of negatives)
    if (!(Number.isInteger(k) && k >= lo && k <= hi))
      return `negatives must be integers from ${lo} to ${hi} (got ${k})`;
  const [slo, shi] = SWEEP_LIMITS.steps;
  if (!(Number.isInteger(steps) && steps >= slo && steps <= shi))
    return `steps must be an integer from ${slo} to ${shi} (got ${steps})`;
  return null;
}

/** Steps whose mean loss is reported as the final loss. */
const LOSS_TAIL = 20;

/**
 * Leading steps of each K that train but are not timed: the first steps of a fresh model pay
 * for compiling and allocating (the JIT, the backend's kernels for the new shapes, the Adam
 * moments' pages), which once made the first K look slowest (K = 4 at 104 ms/step against
 * K = 64 at 58 ms). With the fewest steps a sweep allows (10), half are timed.
 */
export function warmupSteps(steps: number): number {
  return Math.min(5, Math.floor(steps / 2));
}

/** One sweep over K; call {@link step} until {@link done}, then {@link dispose}. */
export class NegativesSweep {
  readonly points: NegativesSweepPoint[] = [];
  private index = 0;
  private stepInK = 0;
  private model: CandidateModel | null = null;
  private ms = 0;
  private tail: number[] = [];
  /** The run's candidate settings when the sweep began (later live changes do not apply). */
  private readonly base: CandidateConfig;

  /**
   * @param negatives the K to train, in order (validated by {@link checkSweepRequest})
   * @param steps training steps per K
   */
  constructor(
    private readonly session: TrainingSession,
    readonly negatives: readonly number[],
    readonly steps: number,
    private readonly now: () => number,
  ) {
    this.base = candidateConfig(session.params, 'features');
    // Full softmax and in-batch ignore K: sweep the fallback (popularity) sampler instead.
    this.base.sampler = samplerForSweep(this.base.sampler);
  }

  /** The sampler every model of the sweep uses. */
  get sampler(): string {
    return this.base.sampler;
  }

  /** Steps trained so far over all K. */
  get progress(): number {
    return this.index * this.steps + this.stepInK;
  }

  get total(): number {
    return this.negatives.length * this.steps;
  }

  get done(): boolean {
    return this.index >= this.negatives.length;
  }

  /** One training step of the current K's model; evaluates and moves on after its last step. */
  async step(): Promise<void> {
    if (this.done) return;
    const s = this.session;
    if (!this.model) {
      const config: CandidateConfig = {
        ...this.base,
        features: { ...this.base.features },
        negatives: this.negatives[this.index],
      };
      this.model = new CandidateModel(s.data.world, config, s.data.counts);
      this.ms = 0;
      this.tail = [];
    }
    const engine = tf.engine();
    engine.startScope('negativesSweep');
    const timed = this.stepInK >= warmupSteps(this.steps);
    const t0 = this.now();
    try {
      const { loss } = await this.model.trainStep(s.data.train);
      this.tail.push(loss);
      if (this.tail.length > LOSS_TAIL) this.tail.shift();
    } finally {
      engine.endScope();
    }
    if (timed) this.ms += this.now() - t0;
    this.stepInK++;
    if (this.stepInK < this.steps) return;
    const ranks = await modelRanks(this.model, s.data.test, s.data.evalRows);
    this.points.push({
      negatives: this.negatives[this.index],
      steps: this.steps,
      recall100: retrievalMetrics(ranks).recallAt[100],
      msPerStep: this.ms / (this.steps - warmupSteps(this.steps)),
      finalLoss: this.tail.reduce((a, b) => a + b, 0) / Math.max(1, this.tail.length),
    });
    this.model.dispose();
    this.model = null;
    this.index++;
    this.stepInK = 0;
  }

  /** Frees the model in training, if any. */
  dispose(): void {
    this.model?.dispose();
    this.model = null;
  }
}
