/**
 * The tables of "Step in slow motion" (docs/step.md): the batch with its positives, the sampled
 * negatives with q, the loss per example and the gradients' norms, each read from the worker's
 * trace of the model's own step.
 */
import type { StepTraceMessage } from '../state/protocol';
import { num } from './charts/step-data';
import { fixed } from './format';

/** Digits of the loss figures (enough to compare with the training step's float32 loss). */
export const LOSS_DIGITS = 6;

/** The batch phase: one row per example. */
export function BatchTable({ m }: { m: StepTraceMessage }) {
  const t = m.trace;
  return (
    <table className="recall-table" data-testid="step.batch">
      <thead>
        <tr>
          <th scope="col">b</th>
          <th scope="col">example row</th>
          <th scope="col">user</th>
          <th scope="col">positive y_b (video)</th>
          <th scope="col">q(y_b)</th>
        </tr>
      </thead>
      <tbody>
        {Array.from(t.labels, (y, b) => (
          <tr key={b}>
            <td>{b}</td>
            <td>{t.rows[b]}</td>
            <td>{t.users[b]}</td>
            <td>{y}</td>
            <td>{t.qLabels[b].toExponential(2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The negatives phase: one row per sampled negative. */
export function NegativesTable({ m }: { m: StepTraceMessage }) {
  const t = m.trace;
  return (
    <table className="recall-table" data-testid="step.negatives">
      <thead>
        <tr>
          <th scope="col">j</th>
          <th scope="col">video</th>
          <th scope="col">q_j</th>
          <th scope="col">−log q_j</th>
          <th scope="col">positive of example</th>
        </tr>
      </thead>
      <tbody>
        {Array.from(t.negatives, (v, j) => {
          const of = Array.from(t.labels, (y, b) => (y === v ? b : -1)).filter((b) => b >= 0);
          return (
            <tr key={j}>
              <td>{j + 1}</td>
              <td>{v}</td>
              <td>{t.qNegatives[j].toExponential(2)}</td>
              <td>{num(-Math.log(t.qNegatives[j]))}</td>
              <td>{of.length ? of.join(', ') : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The loss phase's table: each example's cross-entropy, then their mean. */
export function LossTable({ m }: { m: StepTraceMessage }) {
  const t = m.trace;
  const C = 1 + t.K;
  return (
    <table className="recall-table" data-testid="step.losses">
      <thead>
        <tr>
          <th scope="col">b</th>
          <th scope="col">p of the positive</th>
          <th scope="col">−log p (nats)</th>
        </tr>
      </thead>
      <tbody>
        {Array.from(t.perExample, (l, b) => (
          <tr key={b}>
            <td>{b}</td>
            <td>{fixed(t.softmax[b * C], 4)}</td>
            <td data-testid="step.example-loss">{fixed(l, LOSS_DIGITS)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Euclidean length of row `i` of a row-major [· × d] matrix. */
function rowNorm(a: Float32Array, i: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[i * d + k] ** 2;
  return Math.sqrt(s);
}

/** The gradients phase's table: the length of each gradient. */
export function GradientTable({ m }: { m: StepTraceMessage }) {
  const t = m.trace;
  return (
    <table className="recall-table" data-testid="step.gradients">
      <thead>
        <tr>
          <th scope="col">b</th>
          <th scope="col">|∂L/∂u_b|</th>
          <th scope="col">|∂L/∂v_y_b|</th>
        </tr>
      </thead>
      <tbody>
        {Array.from(t.labels, (_, b) => (
          <tr key={b}>
            <td>{b}</td>
            <td>{fixed(rowNorm(t.gradU, b, t.d), 5)}</td>
            <td>{fixed(rowNorm(t.gradPositive, b, t.d), 5)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
