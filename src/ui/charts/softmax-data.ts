/**
 * The Sampled-softmax view's chart data from the worker's {@link SoftmaxMessage} and the
 * negatives sweep: the focus user's full softmax against sampled softmax's view of it, the bias
 * by popularity decile, the bias against K, the sampling distribution, and the sweep's recall
 * and cost. Pure, tested without a DOM.
 */
import { interpolateRgb } from 'd3';
import type { NegativesSweepMessage, SoftmaxMessage } from '../../state/protocol';
import type { XYChartData } from './xy-chart';
import { csvLine } from './csv';

/** Colours of the view: logQ off / on, the data, and the popularity ramp's ends. */
export const SOFTMAX_COLOURS = {
  off: '#e6550d',
  on: '#2c6fad',
  learned: '#756bb1',
  data: '#2e7d32',
  cold: '#9ecae1',
  hot: '#d62728',
} as const;

const ramp = interpolateRgb(SOFTMAX_COLOURS.cold, SOFTMAX_COLOURS.hot);
/** The ten deciles' colours, computed once (the scatter colours up to ~1 500 points by them). */
const DECILE_COLOURS = Array.from({ length: 10 }, (_, d) => ramp(d / 9));

/** Colour of popularity decile `d` (0 = least popular … 9). */
export function decileColour(d: number): string {
  return DECILE_COLOURS[d] ?? ramp(d / 9);
}

/** Scatter of p (x) against p̂ (y) on log axes, coloured by popularity decile, with y = x. */
export function scatterData(m: SoftmaxMessage): XYChartData {
  const points: [number, number][] = [];
  const colours: string[] = [];
  for (let i = 0; i < m.items.length; i++) {
    points.push([m.full[i], m.estimate[i]]);
    colours.push(decileColour(m.decile[i]));
  }
  return {
    series: [
      {
        label: 'videos',
        colour: SOFTMAX_COLOURS.on,
        points,
        colours,
        mode: 'dots',
        radius: 1.8,
        opacity: 0.7,
        noLegend: true,
      },
    ],
    legend: [
      { label: 'least popular decile', colour: decileColour(0) },
      { label: 'most popular decile', colour: decileColour(9) },
    ],
    diagonal: true,
    xLog: true,
    yLog: true,
    xTitle: 'full softmax p (probability of being the next watch)',
    yTitle: 'as sampled softmax sees it, p̂',
  };
}

/** The K of the bias sweep nearest (on a log scale) to `k`. */
export function nearestSweepK(m: SoftmaxMessage, k: number): number {
  let best = NaN;
  for (const p of m.sweep)
    if (
      Number.isFinite(p.negatives) &&
      (!(best > 0) || Math.abs(Math.log(p.negatives / k)) < Math.abs(Math.log(best / k)))
    )
      best = p.negatives;
  return best;
}

/**
 * log(p̂ mass / p mass) by popularity decile, logQ off and on side by side (the chosen K, or the
 * sweep's nearest K for the setting not chosen), and the distribution training converges to
 * under the chosen setting.
 */
export function decileData(m: SoftmaxMessage): XYChartData {
  const at = (v: number[]) => v.map((y, d) => [d + 1, y] as [number, number]);
  const k = nearestSweepK(m, m.negatives);
  const side = (logQ: boolean) =>
    logQ === m.logQ
      ? { k: m.negatives, v: m.bias.estimate.massLogRatio }
      : {
          k,
          v: m.sweep.find((p) => p.negatives === k && p.logQ === logQ)?.estimate.massLogRatio ?? [],
        };
  const off = side(false);
  const on = side(true);
  return {
    series: [
      {
        label: `logQ off, K=${off.k}`,
        colour: SOFTMAX_COLOURS.off,
        points: at(off.v),
        mode: 'both',
      },
      { label: `logQ on, K=${on.k}`, colour: SOFTMAX_COLOURS.on, points: at(on.v), mode: 'both' },
      {
        label: `learned (logQ ${m.logQ ? 'on' : 'off'})`,
        colour: SOFTMAX_COLOURS.learned,
        points: at(m.bias.learned.massLogRatio),
        mode: 'both',
        dashed: true,
      },
    ],
    reference: { y: 0, label: 'unbiased' },
    xDomain: [1, 10],
    // At least ±0.05 so that Monte Carlo noise around 0 does not look like a bias.
    yDomain: symmetricAtLeast([...off.v, ...on.v, ...m.bias.learned.massLogRatio], 0.05),
    xTitle: 'popularity decile (1 = least watched, 10 = most)',
    yTitle: 'log(estimated / true mass)',
  };
}

/** A y range [−r, r] holding every finite value, with r ≥ `least` (a little headroom). */
export function symmetricAtLeast(values: number[], least: number): [number, number] {
  let r = least;
  for (const v of values) if (Number.isFinite(v)) r = Math.max(r, Math.abs(v) * 1.1);
  return [-r, r];
}

/** Total-variation distance of p̂ from p against K, logQ off and on (finite K only). */
export function biasByKData(m: SoftmaxMessage): XYChartData {
  const pick = (logQ: boolean) =>
    m.sweep
      .filter((p) => p.logQ === logQ && Number.isFinite(p.negatives))
      .map((p) => [p.negatives, p.estimate.tv] as [number, number]);
  return {
    series: [
      { label: 'logQ off', colour: SOFTMAX_COLOURS.off, points: pick(false), mode: 'both' },
      { label: 'logQ on', colour: SOFTMAX_COLOURS.on, points: pick(true), mode: 'both' },
    ],
    xLog: true,
    zeroBased: true,
    marker: { x: m.negatives, label: `K = ${m.negatives}` },
    xTitle: 'sampled negatives K',
    yTitle: 'distance from p (total variation)',
  };
}

/** The K → ∞ limit of the distance for logQ off and on (closed form), or NaN. */
export function limitTv(m: SoftmaxMessage): { off: number; on: number } {
  const at = (logQ: boolean) =>
    m.sweep.find((p) => p.logQ === logQ && p.negatives === Infinity)?.estimate.tv ?? NaN;
  return { off: at(false), on: at(true) };
}

/** The sampler's q by rank against the training labels' share by rank, log–log. */
export function samplingData(m: SoftmaxMessage): XYChartData {
  const series = (v: Float32Array) => Array.from(m.qRank, (r, i) => [r, v[i]] as [number, number]);
  return {
    series: [
      { label: `sampler q (${m.sampler})`, colour: SOFTMAX_COLOURS.on, points: series(m.q) },
      {
        label: 'training labels',
        colour: SOFTMAX_COLOURS.data,
        points: series(m.labelShare),
        dashed: true,
      },
    ],
    xLog: true,
    yLog: true,
    xTitle: 'rank (1 = most likely)',
    yTitle: 'probability of one draw',
  };
}

/** recall@100 against K from the training sweep. */
export function sweepRecallData(s: NegativesSweepMessage | null): XYChartData {
  return {
    series: [
      {
        label: 'recall@100',
        colour: SOFTMAX_COLOURS.on,
        points: (s?.points ?? []).map((p) => [p.negatives, p.recall100] as [number, number]),
        mode: 'both',
      },
    ],
    xLog: true,
    zeroBased: true,
    xTitle: 'sampled negatives K',
    yTitle: 'held-out recall@100',
    empty: 'press “Run sweep”',
  };
}

/** ms per training step against K from the training sweep. */
export function sweepCostData(s: NegativesSweepMessage | null): XYChartData {
  return {
    series: [
      {
        label: 'ms per step',
        colour: SOFTMAX_COLOURS.off,
        points: (s?.points ?? []).map((p) => [p.negatives, p.msPerStep] as [number, number]),
        mode: 'both',
      },
    ],
    xLog: true,
    zeroBased: true,
    xTitle: 'sampled negatives K',
    yTitle: 'milliseconds per step',
    empty: 'press “Run sweep”',
  };
}

/** The scatter's items as CSV: video, p, p̂, learned, decile (1–10). */
export function softmaxCsv(m: SoftmaxMessage, titles: string[] = []): string {
  const rows = ['video,title,p_full,p_sampled_view,p_learned,popularity_decile'];
  for (let i = 0; i < m.items.length; i++) {
    const v = m.items[i];
    rows.push(
      csvLine([v, titles[v] ?? '', m.full[i], m.estimate[i], m.learned[i], m.decile[i] + 1]),
    );
  }
  return rows.join('\n') + '\n';
}

/** The training sweep as CSV. */
export function sweepCsv(s: NegativesSweepMessage): string {
  return (
    ['negatives,steps,recall_at_100,ms_per_step,final_loss']
      .concat(
        s.points.map(
          (p) => `${p.negatives},${p.steps},${p.recall100},${p.msPerStep},${p.finalLoss}`,
        ),
      )
      .join('\n') + '\n'
  );
}
