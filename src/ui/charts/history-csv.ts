/**
 * The training history of the run on screen as CSV: one line per step that has a training point
 * or an evaluation, in step order. Training columns (losses in nats) are filled on every trained
 * step; evaluation columns (recall@k of the candidate model, of the factorisation baseline and of
 * most-popular for k in RECALL_KS, held-out losses, the ranker's AUC and weighted per-user loss)
 * only on the steps with an evaluation, empty elsewhere.
 */
import type { MetricHistory } from '../../state/metric-history';
import { RECALL_KS, type EvalPoint } from '../../state/protocol';
import { csvLine, type Cell } from './csv';

/** The header's columns, in order. */
export const HISTORY_COLUMNS: readonly string[] = [
  'step',
  'candidate_loss',
  'mf_loss',
  'ranking_loss',
  ...RECALL_KS.map((k) => `recall_at_${k}`),
  ...RECALL_KS.map((k) => `mf_recall_at_${k}`),
  ...RECALL_KS.map((k) => `most_popular_recall_at_${k}`),
  'candidate_held_out_loss',
  'ranking_auc',
  'ranking_weighted_per_user_loss',
  'ranking_held_out_loss',
];

/** A float32 value at the precision it holds (7 significant digits), not float64 noise. */
const f32 = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(7)) : x);

const evalCells = (e: EvalPoint | undefined): Cell[] => [
  ...RECALL_KS.map((_, i) => e?.recall[i]),
  ...RECALL_KS.map((_, i) => e?.mfRecall[i]),
  ...RECALL_KS.map((_, i) => e?.popularRecall[i]),
  e?.heldOutLoss,
  e?.ranking?.auc,
  e?.ranking?.weightedPerUserLoss,
  e?.ranking?.loss,
];

/** Every training point and evaluation of `h` as CSV text (header first, ends with a line break). */
export function historyCsv(h: MetricHistory): string {
  const evals = new Map(h.evals.map((e) => [e.step, e]));
  const lines = [HISTORY_COLUMNS.join(',')];
  const steps = h.steps.values;
  const trained = new Set<number>();
  let ei = 0;
  const sortedEvals = h.evals; // ascending by step (MetricHistory.append keeps them so)
  const flushEvalsBefore = (step: number) => {
    while (ei < sortedEvals.length && sortedEvals[ei].step < step) {
      const e = sortedEvals[ei++];
      if (!trained.has(e.step)) lines.push(csvLine([e.step, null, null, null, ...evalCells(e)]));
    }
  };
  for (let i = 0; i < h.size; i++) {
    const step = steps[i];
    flushEvalsBefore(step);
    trained.add(step);
    while (ei < sortedEvals.length && sortedEvals[ei].step === step) ei++;
    lines.push(
      csvLine([
        step,
        f32(h.loss.at(i)),
        f32(h.mfLoss.at(i)),
        f32(h.rankingLoss.at(i)),
        ...evalCells(evals.get(step)),
      ]),
    );
  }
  flushEvalsBefore(Infinity);
  return lines.join('\n') + '\n';
}
