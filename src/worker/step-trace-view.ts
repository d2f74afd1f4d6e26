/**
 * The "Step in slow motion" view's answer (docs/step.md): the trace of the next
 * candidate-generation step from the session's model as it stands, and a 2-D PCA picture of the
 * vectors that step touches with their gradient-descent directions. A pure function of a
 * {@link TrainingSession}: the run's weights, optimisers and streams are not changed.
 */
import * as tf from '@tensorflow/tfjs';
import { pca } from '../model/pca';
import type { StepTrace } from '../model/candidate/step-trace';
import { STEP_TRACE_MAX, type StepProjection, type StepTraceMessage } from '../protocol/views';
import type { TrainingSession } from './session';

/** Why a trace's B or K is invalid (naming the field and range), or null. */
export function checkStepTrace(batch: number, negatives: number): string | null {
  for (const [name, v] of [
    ['batch', batch],
    ['negatives', negatives],
  ] as const)
    if (!(Number.isInteger(v) && v >= 1 && v <= STEP_TRACE_MAX))
      return `${name} must be an integer from 1 to ${STEP_TRACE_MAX} (got ${v})`;
  return null;
}

/**
 * PCA of the step's vectors [u_b; v_y_b; v_j] (2B + K rows of d) and their −gradients
 * projected on the same two components.
 */
export function stepProjection(t: StepTrace): StepProjection {
  const { B, K, d } = t;
  const n = 2 * B + K;
  const x = new Float32Array(n * d);
  const g = new Float32Array(n * d);
  x.set(t.u, 0);
  x.set(t.vPositive, B * d);
  x.set(t.vNegative, 2 * B * d);
  g.set(t.gradU, 0);
  g.set(t.gradPositive, B * d);
  g.set(t.gradNegative, 2 * B * d);
  const r = pca(x, n, d, { k: 2 });
  const arrows = new Float32Array(n * 2);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 2; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s -= g[i * d + j] * r.components[c * d + j];
      arrows[i * 2 + c] = s;
    }
  return { coords: r.coords, arrows, explained: [r.explained[0], r.explained[1]] };
}

/** The answer to a step-trace request on `s` (B = `batch`, K = `negatives`). */
export async function stepTraceFigures(
  s: TrainingSession,
  batch: number,
  negatives: number,
  now: () => number,
): Promise<Omit<StepTraceMessage, 'type' | 'runId'>> {
  const t0 = now();
  // One tensor scope, as a training step has (session.ts): whatever the trace leaves is freed.
  const engine = tf.engine();
  engine.startScope('stepTrace');
  let trace: StepTrace;
  try {
    trace = await s.candidate.traceStep(s.train, batch, negatives);
  } finally {
    engine.endScope();
  }
  return { step: s.step, trace, projection: stepProjection(trace), ms: now() - t0 };
}
