/**
 * The Watch-time view's chart data from a run's {@link MetricHistory}: the weighted ranker
 * (the paper's weighted logistic regression, §4.2) against the unweighted (CTR) one, both
 * scored on the same held-out pages at every evaluation. Pure, tested without a DOM.
 */
import type { MetricHistory } from '../../state/metric-history';
import type { EvalPoint, RankerSide } from '../../state/protocol';
import type { LineChartData, LineSeries } from './line-chart';

/** One colour per ranker (and the references), used by every Watch-time chart. */
export const WATCH_COLOURS = {
  weighted: '#2c6fad',
  unweighted: '#e6550d',
  oracle: '#2e7d32',
  random: '#777',
  diagonal: '#b8b8b8',
} as const;

/** Evaluations that carry both rankers' figures. */
function withWatchTime(
  h: MetricHistory,
): (EvalPoint & { watchTime: NonNullable<EvalPoint['watchTime']> })[] {
  return h.evals.filter(
    (e): e is EvalPoint & { watchTime: NonNullable<EvalPoint['watchTime']> } => !!e.watchTime,
  );
}

/** Top-3 oracle watch time per impression over steps: both rankers, the oracle, random. */
export function watchTimeData(h: MetricHistory): LineChartData {
  const evals = withWatchTime(h);
  const series = (
    label: string,
    colour: string,
    pick: (w: NonNullable<EvalPoint['watchTime']>) => number,
    extra: Partial<LineSeries> = {},
  ): LineSeries => ({
    label,
    colour,
    points: evals.map((e) => [e.step, pick(e.watchTime)] as [number, number]),
    dots: true,
    ...extra,
  });
  return {
    series: [
      series('weighted', WATCH_COLOURS.weighted, (w) => w.weighted.watchPerImpression),
      series('CTR', WATCH_COLOURS.unweighted, (w) => w.unweighted.watchPerImpression),
      series('oracle', WATCH_COLOURS.oracle, (w) => w.weighted.oracleWatchPerImpression, {
        dashed: true,
        dots: false,
      }),
      series('random', WATCH_COLOURS.random, (w) => w.weighted.randomWatchPerImpression, {
        dashed: true,
        dots: false,
      }),
    ],
    xTitle: 'training step',
    yTitle: 'minutes per top-3 impression',
    zeroBased: true,
    minXMax: 100,
    empty: 'press play or step',
  };
}

/**
 * Reliability of the latest evaluation: each ranker's quantile bins of predicted e^z against
 * the oracle's mean E[T] in the bin, and the diagonal where prediction = truth.
 */
export function reliabilityData(h: MetricHistory): LineChartData {
  const last = withWatchTime(h).at(-1);
  const bins = (side: RankerSide | undefined): [number, number][] =>
    (side?.calibration ?? [])
      .filter((b) => Number.isFinite(b.predicted) && Number.isFinite(b.actual))
      .map((b) => [b.predicted, b.actual]);
  const w = bins(last?.watchTime.weighted);
  const u = bins(last?.watchTime.unweighted);
  let hi = 0;
  for (const [x, y] of [...w, ...u]) hi = Math.max(hi, x, y);
  return {
    series: [
      {
        label: 'y = x',
        colour: WATCH_COLOURS.diagonal,
        points:
          hi > 0
            ? [
                [0, 0],
                [hi, hi],
              ]
            : [],
        dashed: true,
      },
      { label: 'weighted', colour: WATCH_COLOURS.weighted, points: w, dots: true },
      {
        label: 'unweighted',
        colour: WATCH_COLOURS.unweighted,
        points: u,
        dots: true,
      },
    ],
    xTitle: 'predicted e^z (minutes; click odds for CTR)',
    yTitle: 'oracle E[watch] (minutes)',
    zeroBased: true,
    minXMax: 0.1,
    empty: 'no evaluation yet',
  };
}

/** Every evaluation's figures of both rankers as CSV, then the latest reliability bins. */
export function watchTimeCsv(h: MetricHistory): string {
  const evals = withWatchTime(h);
  const lines = [
    'step,ranker,watch_minutes_per_impression_top3,clickbait_share_top3,weighted_per_user_loss,oracle_watch_minutes_top3,random_watch_minutes_top3',
  ];
  for (const e of evals)
    for (const [name, s] of [
      ['weighted', e.watchTime.weighted],
      ['unweighted', e.watchTime.unweighted],
    ] as const)
      lines.push(
        [
          e.step,
          name,
          s.watchPerImpression,
          s.clickbaitShare,
          s.weightedPerUserLoss,
          s.oracleWatchPerImpression,
          s.randomWatchPerImpression,
        ].join(','),
      );
  const last = evals.at(-1);
  if (last) {
    lines.push(
      '',
      `reliability bins at step ${last.step}`,
      'ranker,bin,predicted_odds,oracle_watch_minutes',
    );
    for (const [name, s] of [
      ['weighted', last.watchTime.weighted],
      ['unweighted', last.watchTime.unweighted],
    ] as const)
      s.calibration.forEach((b, i) => lines.push([name, i, b.predicted, b.actual].join(',')));
  }
  return lines.join('\n') + '\n';
}
