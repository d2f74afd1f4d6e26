/**
 * The training charts' data, computed from a run's {@link MetricHistory}: pure functions, so
 * tests check them without a DOM. Per-step training losses are averaged into at most
 * {@link MAX_POINTS} buckets (a smoothed curve that stays cheap to draw after many thousand
 * steps); evaluations are drawn as they are.
 */
import type { MetricHistory } from '../../state/metric-history';
import type { EvalPoint } from '../../state/protocol';
import { RECALL_KS } from '../../state/protocol';
import type { LineChartData, LineSeries } from './line-chart';

/** Most points of a bucketed per-step series. */
export const MAX_POINTS = 300;

/** The training charts' colours (one meaning each, as the World view's palette). */
export const TRAINING_COLOURS = {
  model: '#2c6fad',
  heldOut: '#e6550d',
  mf: '#756bb1',
  popular: '#777',
  auc: '#2e7d32',
  wpul: '#b3261e',
} as const;

/**
 * Averages `ys` (aligned with `xs`) into at most `max` consecutive buckets; each bucket's
 * point is [its last x, the mean of its finite ys].
 */
export function bucketMeans(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  max = MAX_POINTS,
): [number, number][] {
  const n = Math.min(xs.length, ys.length);
  if (n === 0) return [];
  const size = Math.max(1, Math.ceil(n / max));
  const out: [number, number][] = [];
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    let sum = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      if (Number.isFinite(ys[i])) {
        sum += ys[i];
        count++;
      }
    }
    out.push([xs[end - 1], count ? sum / count : NaN]);
  }
  return out;
}

/** Points [step, value] of the evaluations, skipping those without the value. */
function evalSeries(
  evals: EvalPoint[],
  pick: (e: EvalPoint) => number | undefined,
): [number, number][] {
  const out: [number, number][] = [];
  for (const e of evals) {
    const v = pick(e);
    if (v !== undefined && Number.isFinite(v)) out.push([e.step, v]);
  }
  return out;
}

/** Index of k in RECALL_KS. */
function kIndex(k: number): number {
  const i = (RECALL_KS as readonly number[]).indexOf(k);
  if (i < 0) throw new RangeError(`recall@${k} is not evaluated (k ∈ ${RECALL_KS.join(', ')})`);
  return i;
}

const MIN_X = 100;

/** Candidate model: training loss (bucketed), held-out loss, factorisation's training loss. */
export function candidateLossData(h: MetricHistory): LineChartData {
  const steps = h.steps.values;
  return {
    series: [
      { label: 'train', colour: TRAINING_COLOURS.model, points: bucketMeans(steps, h.loss.values) },
      {
        label: 'held-out',
        colour: TRAINING_COLOURS.heldOut,
        points: evalSeries(h.evals, (e) => e.heldOutLoss),
        dots: true,
      },
      {
        label: 'factorisation (train)',
        colour: TRAINING_COLOURS.mf,
        points: bucketMeans(steps, h.mfLoss.values),
        width: 1.2,
        opacity: 0.7,
      },
    ],
    xTitle: 'training step',
    yTitle: 'sampled-softmax loss (nats)',
    minXMax: MIN_X,
    empty: 'press play or step',
  };
}

/** recall@k over steps: the model and factorisation, and most-popular as a flat dashed line. */
export function recallData(h: MetricHistory, k = 100): LineChartData {
  const i = kIndex(k);
  const popular = h.evals.length ? h.evals[h.evals.length - 1].popularRecall[i] : NaN;
  // To the last evaluation, not the last step: the chart's data then change only when an
  // evaluation lands, and it is redrawn every 50 steps instead of at every step.
  const xMax = Math.max(MIN_X, h.evals.at(-1)?.step ?? 0);
  const series: LineSeries[] = [
    {
      label: 'two-tower model',
      colour: TRAINING_COLOURS.model,
      points: evalSeries(h.evals, (e) => e.recall[i]),
      dots: true,
    },
    {
      label: 'factorisation',
      colour: TRAINING_COLOURS.mf,
      points: evalSeries(h.evals, (e) => e.mfRecall[i]),
      dots: true,
    },
    {
      label: 'most popular',
      colour: TRAINING_COLOURS.popular,
      points: Number.isFinite(popular)
        ? [
            [0, popular],
            [xMax, popular],
          ]
        : [],
      dashed: true,
    },
  ];
  return {
    series,
    xTitle: 'training step',
    yTitle: `recall@${k}`,
    zeroBased: true,
    minXMax: MIN_X,
    empty: 'evaluated every 50 steps',
  };
}

/** Ranker quality on held-out pages: AUC and the paper's weighted per-user loss. */
export function rankingQualityData(h: MetricHistory): LineChartData {
  return {
    series: [
      {
        label: 'AUC',
        colour: TRAINING_COLOURS.auc,
        points: evalSeries(h.evals, (e) => e.ranking?.auc),
        dots: true,
      },
      {
        label: 'weighted per-user loss',
        colour: TRAINING_COLOURS.wpul,
        points: evalSeries(h.evals, (e) => e.ranking?.weightedPerUserLoss),
        dots: true,
      },
    ],
    xTitle: 'training step',
    yTitle: 'held-out share (0 … 1)',
    yDomain: [0, 1],
    minXMax: MIN_X,
    empty: 'evaluated every 50 steps',
  };
}

/** Ranker's weighted logistic loss: training (bucketed) and held-out. */
export function rankingLossData(h: MetricHistory): LineChartData {
  return {
    series: [
      {
        label: 'train',
        colour: TRAINING_COLOURS.model,
        points: bucketMeans(h.steps.values, h.rankingLoss.values),
      },
      {
        label: 'held-out',
        colour: TRAINING_COLOURS.heldOut,
        points: evalSeries(h.evals, (e) => e.ranking?.loss),
        dots: true,
      },
    ],
    xTitle: 'training step',
    yTitle: 'weighted logistic loss (nats)',
    zeroBased: true,
    minXMax: MIN_X,
    empty: 'press play or step',
  };
}
