/**
 * The Watch-time view's chart data from a run's {@link MetricHistory}: the weighted ranker
 * (weighted logistic regression, §4.2, with the paper's odds or exact odds: the `odds` knob)
 * against the unweighted (CTR) one, both scored on the same held-out pages at every
 * evaluation. Pure, tested without a DOM.
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
  paperTarget: '#7b3294',
} as const;

/** The weighted ranker's two odds weightings (the `odds` knob), as the page names them. */
export type Odds = 'exact' | 'paper';

/**
 * What each odds weighting is and what its e^z estimates (docs/model.md#what-the-odds-estimate),
 * P the click probability and E[T] the expected watch minutes per impression.
 */
export const ODDS_TEXT: Record<Odds, { name: string; weights: string; formula: string }> = {
  paper: {
    name: "paper's odds",
    weights: 'each click weighted by its watch time T, each non-click by 1',
    formula: 'e^z ≈ E[T] / (1 − P) ≈ E[T]·(1 + P)',
  },
  exact: {
    name: 'exact odds',
    weights:
      'clicks weighted by T and also added as weight-1 negatives, so every impression counts 1 against',
    formula: 'e^z ≈ E[T]',
  },
};

/**
 * The odds the weighted ranker of the latest evaluation was trained with, or `fallback` (the
 * knob in effect) when no evaluation says (none yet, or a run saved before evaluations did).
 */
export function evaluatedOdds(h: MetricHistory, fallback: Odds): Odds {
  return h.evals.findLast((e) => e.watchTime)?.watchTime?.odds ?? fallback;
}

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

type Bins = RankerSide['calibration'] | undefined;

/**
 * Reliability of the latest evaluation: the weighted ranker's quantile bins of predicted e^z
 * against what each odds weighting estimates — the oracle's mean E[T] in the bin (exact odds'
 * target) and Σ E[T] / Σ (1 − P) over the bin (the paper's) — with the diagonal where
 * prediction = target. The ranker is the one trained (with the odds of {@link evaluatedOdds}):
 * the line of its own target should lie near the diagonal, the other one off it. The CTR
 * ranker's e^z are click odds, not minutes, and are left out.
 */
export function reliabilityData(h: MetricHistory): LineChartData {
  const last = withWatchTime(h).at(-1);
  const trained = last?.watchTime.odds;
  const bins = (b: Bins): [number, number][] =>
    (b ?? [])
      .filter((b) => Number.isFinite(b.predicted) && Number.isFinite(b.actual))
      .map((b) => [b.predicted, b.actual]);
  const exact = bins(last?.watchTime.weighted.calibration);
  const paper = bins(last?.watchTime.weighted.oddsCalibration);
  const mark = (o: Odds) => (trained === o ? ' (trained with)' : '');
  let hi = 0;
  for (const [x, y] of [...exact, ...paper]) hi = Math.max(hi, x, y);
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
      {
        label: `E[T]: exact odds${mark('exact')}`,
        colour: WATCH_COLOURS.weighted,
        points: exact,
        dots: true,
      },
      {
        label: `E[T]/(1 − P): paper's odds${mark('paper')}`,
        colour: WATCH_COLOURS.paperTarget,
        points: paper,
        dots: true,
      },
    ],
    xTitle: "weighted ranker's predicted e^z (minutes)",
    yTitle: 'oracle target per bin (minutes)',
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
      `reliability bins at step ${last.step}` +
        (last.watchTime.odds ? `, weighted ranker trained with ${last.watchTime.odds} odds` : ''),
      'ranker,bin,predicted_odds,oracle_watch_minutes,oracle_watch_over_1_minus_p',
    );
    for (const [name, s] of [
      ['weighted', last.watchTime.weighted],
      ['unweighted', last.watchTime.unweighted],
    ] as const)
      s.calibration.forEach((b, i) =>
        lines.push(
          [name, i, b.predicted, b.actual, s.oddsCalibration?.[i]?.actual ?? ''].join(','),
        ),
      );
  }
  return lines.join('\n') + '\n';
}
