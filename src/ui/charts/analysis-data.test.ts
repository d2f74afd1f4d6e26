import { describe, expect, it } from 'vitest';
import type {
  BiasFigures,
  BiasSweepPoint,
  FunnelFigures,
  FunnelMessage,
  NegativesSweepMessage,
  SoftmaxMessage,
} from '../../state/protocol';
import {
  FUNNEL_COLOURS,
  figuresAt,
  funnelCsv,
  latencyData,
  recallData,
  watchData,
} from './funnel-data';
import {
  SOFTMAX_COLOURS,
  biasByKData,
  decileColour,
  decileData,
  limitTv,
  nearestSweepK,
  samplingData,
  scatterData,
  softmaxCsv,
  sweepCostData,
  sweepCsv,
  sweepRecallData,
} from './softmax-data';

const fig = (tv: number, ratios: number[] = []): BiasFigures => ({
  tv,
  kl: tv * 2,
  massLogRatio: ratios,
});

const sweepPoint = (negatives: number, logQ: boolean, tv: number): BiasSweepPoint => ({
  negatives,
  logQ,
  estimate: fig(tv),
  learned: fig(tv / 2),
});

/** Three videos (ids 4, 0, 2), values exact in float32 so the CSV text is known. */
const softmax = (logQ: boolean): SoftmaxMessage => ({
  type: 'softmax',
  runId: 1,
  step: 30,
  user: 5,
  sampler: 'popularity',
  negatives: 64,
  alpha: 1,
  logQ,
  items: Int32Array.from([4, 0, 2]),
  full: Float32Array.from([0.5, 0.25, 0.125]),
  estimate: Float32Array.from([0.25, 0.5, 0.0625]),
  learned: Float32Array.from([0.375, 0.375, 0.125]),
  decile: Uint8Array.from([9, 0, 4]),
  head: 1,
  live: 3,
  bias: {
    estimate: fig(0.3, [-1, -0.5, 0, 0, 0, 0, 0, 0, 0.25, 0.5]),
    learned: fig(0.1, [-0.25, 0, 0, 0, 0, 0, 0, 0, 0, 0.125]),
  },
  decileUpper: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  qRank: Int32Array.from([1, 10, 100]),
  q: Float32Array.from([0.5, 0.25, 0.125]),
  labelShare: Float32Array.from([0.25, 0.125, 0.0625]),
  // Deliberately not sorted by K, with the two limits in the middle.
  sweep: [
    sweepPoint(4, false, 0.8),
    sweepPoint(4, true, 0.4),
    sweepPoint(Infinity, false, 0.5),
    sweepPoint(16, false, 0.7),
    sweepPoint(Infinity, true, 0.01),
    sweepPoint(16, true, 0.2),
  ],
  ms: 9,
});

const sweep: NegativesSweepMessage = {
  type: 'negativesSweep',
  runId: 1,
  sampler: 'popularity',
  progress: 400,
  total: 600,
  points: [
    { negatives: 4, steps: 200, recall100: 0.1, msPerStep: 3, finalLoss: 2.5 },
    { negatives: 64, steps: 200, recall100: 0.2, msPerStep: 5, finalLoss: 4 },
  ],
  done: false,
  cancelled: false,
};

describe('Sampled-softmax view data', () => {
  it('decile colours run from the cold end to the hot end', () => {
    expect(decileColour(0)).toBe('rgb(158, 202, 225)'); // #9ecae1
    expect(decileColour(9)).toBe('rgb(214, 39, 40)'); // #d62728
    expect(decileColour(0)).not.toBe(decileColour(9));
    expect(decileColour(4)).not.toBe(decileColour(0));
    expect(decileColour(4)).not.toBe(decileColour(9));
  });

  it('scatters p against p̂ in item order, each dot coloured by its decile', () => {
    const d = scatterData(softmax(true));
    expect(d.series).toHaveLength(1);
    expect(d.series[0].points).toEqual([
      [0.5, 0.25],
      [0.25, 0.5],
      [0.125, 0.0625],
    ]);
    expect(d.series[0].colours).toEqual([decileColour(9), decileColour(0), decileColour(4)]);
    expect(d).toMatchObject({ diagonal: true, xLog: true, yLog: true });
    expect(d.legend).toEqual([
      { label: 'least popular decile', colour: decileColour(0) },
      { label: 'most popular decile', colour: decileColour(9) },
    ]);
  });

  it('plots the mass ratio by decile, logQ off and on side by side, and the learned one', () => {
    // Chosen: logQ on, K = 64; the other side comes from the sweep's nearest K (16).
    const m = softmax(true);
    m.sweep[3] = {
      ...sweepPoint(16, false, 0.7),
      estimate: fig(0.7, [0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0.9]),
    };
    expect(nearestSweepK(m, 64)).toBe(16);
    const d = decileData(m);
    expect(d.series.map((s) => s.label)).toEqual([
      'logQ off, K=16',
      'logQ on, K=64',
      'learned (logQ on)',
    ]);
    expect(d.series[0].points[9]).toEqual([10, 0.9]);
    expect(d.series[1].points).toHaveLength(10);
    expect(d.series[1].points[0]).toEqual([1, -1]);
    expect(d.series[1].points[9]).toEqual([10, 0.5]);
    expect(d.series[2].points[9]).toEqual([10, 0.125]);
    expect(d.series.map((s) => s.colour)).toEqual([
      SOFTMAX_COLOURS.off,
      SOFTMAX_COLOURS.on,
      SOFTMAX_COLOURS.learned,
    ]);
    expect(d.reference).toEqual({ y: 0, label: 'unbiased' });
    // The range holds every value (|−1| × 1.1), symmetric about 0.
    expect(d.yDomain?.[1]).toBeCloseTo(1.1, 10);
    expect(d.yDomain?.[0]).toBeCloseTo(-1.1, 10);
  });

  it('plots the distance against finite K only, off and on, with a marker at the chosen K', () => {
    const d = biasByKData(softmax(false));
    expect(d.series.map((s) => s.label)).toEqual(['logQ off', 'logQ on']);
    expect(d.series[0].colour).toBe(SOFTMAX_COLOURS.off);
    expect(d.series[1].colour).toBe(SOFTMAX_COLOURS.on);
    expect(d.series[0].points).toEqual([
      [4, 0.8],
      [16, 0.7],
    ]);
    expect(d.series[1].points).toEqual([
      [4, 0.4],
      [16, 0.2],
    ]);
    for (const s of d.series) for (const [x] of s.points) expect(Number.isFinite(x)).toBe(true);
    expect(d.marker).toEqual({ x: 64, label: 'K = 64' });
    expect(d.xLog).toBe(true);
  });

  it('returns the K → ∞ limits, or NaN without them', () => {
    expect(limitTv(softmax(true))).toEqual({ off: 0.5, on: 0.01 });
    const none = { ...softmax(true), sweep: [sweepPoint(4, false, 0.8)] };
    const limits = limitTv(none);
    expect(limits.off).toBeNaN();
    expect(limits.on).toBeNaN();
  });

  it('plots q and the label share against rank', () => {
    const d = samplingData(softmax(true));
    expect(d.series[0].label).toBe('sampler q (popularity)');
    expect(d.series[0].points).toEqual([
      [1, 0.5],
      [10, 0.25],
      [100, 0.125],
    ]);
    expect(d.series[1].points).toEqual([
      [1, 0.25],
      [10, 0.125],
      [100, 0.0625],
    ]);
  });

  it('plots the sweep’s recall and cost against K, and an empty chart before a sweep', () => {
    expect(sweepRecallData(sweep).series[0].points).toEqual([
      [4, 0.1],
      [64, 0.2],
    ]);
    expect(sweepCostData(sweep).series[0].points).toEqual([
      [4, 3],
      [64, 5],
    ]);
    expect(sweepRecallData(null).series[0].points).toEqual([]);
    expect(sweepCostData(null).series[0].points).toEqual([]);
    expect(sweepRecallData(null).empty).toBe('press “Run sweep”');
  });

  it('writes the scatter as CSV with quoted, neutralised titles and deciles 1–10', () => {
    const titles = ['zero', '', 'say "hi", ok', '', '=four()'];
    const lines = softmaxCsv(softmax(true), titles).split('\n');
    expect(lines).toEqual([
      'video,title,p_full,p_sampled_view,p_learned,popularity_decile',
      "4,'=four(),0.5,0.25,0.375,10",
      '0,zero,0.25,0.5,0.375,1',
      '2,"say ""hi"", ok",0.125,0.0625,0.125,5',
      '',
    ]);
    // Without titles every title is an empty cell.
    expect(softmaxCsv(softmax(true)).split('\n')[1]).toBe('4,,0.5,0.25,0.375,10');
  });

  it('writes the sweep as CSV, one row per point', () => {
    expect(sweepCsv(sweep)).toBe(
      'negatives,steps,recall_at_100,ms_per_step,final_loss\n4,200,0.1,3,2.5\n64,200,0.2,5,4\n',
    );
    expect(sweepCsv({ ...sweep, points: [] })).toBe(
      'negatives,steps,recall_at_100,ms_per_step,final_loss\n',
    );
  });
});

const funnelFig = (n: number, scale: number): FunnelFigures => ({
  n,
  retrieved: n,
  recall: (n / 1000) * scale,
  labelInTopK: (n / 2000) * scale,
  watchPerImpression: 1 + n / 100,
  unrankedWatchPerImpression: 0.5,
  retrievalMs: n / 10,
  rankingMs: n / 5,
});

const funnel: FunnelMessage = {
  type: 'funnel',
  runId: 1,
  step: 40,
  k: 7,
  nprobe: 4,
  queries: 40,
  latencyQueries: 4,
  oracleWatchPerImpression: 3.5,
  towerMs: 0.2,
  exact: [funnelFig(10, 1), funnelFig(100, 1), funnelFig(1000, 1)],
  approx: [funnelFig(10, 0.5), funnelFig(100, 0.5), funnelFig(1000, 0.5)],
  recallCurve: [
    { n: 10, recall: 0.01 },
    { n: 100, recall: 0.1 },
    { n: 1000, recall: 1 },
    { n: 2500, recall: 1 },
  ],
  indexRecall100: 0.8,
  index: { lists: 32, buildMs: 12, bytes: 4096 },
  example: null,
  ms: 33,
};

describe('Funnel view data', () => {
  it('picks the figures at N, exact or approximate, or null', () => {
    expect(figuresAt(funnel, 100)).toBe(funnel.exact[1]);
    expect(figuresAt(funnel, 100, true)).toBe(funnel.approx[1]);
    expect(figuresAt(funnel, 100)?.recall).toBe(0.1);
    expect(figuresAt(funnel, 100, true)?.recall).toBe(0.05);
    expect(figuresAt(funnel, 1000, true)).toBe(funnel.approx[2]);
    expect(figuresAt(funnel, 200)).toBeNull();
    expect(figuresAt(null, 100)).toBeNull();
  });

  it('plots recall@N exact and IVF, with the marker at the chosen N', () => {
    const d = recallData(funnel, 100);
    expect(d.series[0].points).toEqual([
      [10, 0.01],
      [100, 0.1],
      [1000, 1],
    ]);
    expect(d.series[1].points).toEqual([
      [10, 0.005],
      [100, 0.05],
      [1000, 0.5],
    ]);
    expect(d.series[1].label).toBe('IVF (nprobe 4)');
    expect(d.series.map((s) => s.colour)).toEqual([
      FUNNEL_COLOURS.exact,
      FUNNEL_COLOURS.approx,
      FUNNEL_COLOURS.unranked,
    ]);
    // Retrieval alone continues to the whole corpus.
    expect(d.series[2].points.at(-1)).toEqual([2500, 1]);
    expect(d.marker).toEqual({ x: 100, label: 'N = 100' });
    expect(d.yDomain).toEqual([0, 1]);
  });

  it('caps N at what was retrieved and leaves out N below k from the watch chart', () => {
    const small: FunnelMessage = {
      ...funnel,
      k: 20,
      exact: [10, 100, 1000, 2000].map((n) => ({
        ...funnelFig(n, 1),
        retrieved: Math.min(n, 600),
      })),
      approx: [10, 100, 1000, 2000].map((n) => ({
        ...funnelFig(n, 1),
        retrieved: Math.min(n, 600),
      })),
    };
    // 1000 and 2000 both retrieve the 600 live videos: one point at 600.
    expect(recallData(small, 100).series[0].points.map((p) => p[0])).toEqual([10, 100, 600]);
    // N = 10 < k = 20 is not a top 20.
    expect(watchData(small, 100).series[0].points.map((p) => p[0])).toEqual([100, 600]);
  });

  it('plots the watch time of the ranked and random top k under the oracle', () => {
    const d = watchData(funnel, 1000);
    expect(d.series.map((s) => s.label)).toEqual([
      'ranked top 7',
      'IVF, ranked',
      'random 7 of the N',
    ]);
    expect(d.series[0].points).toEqual([
      [10, 1.1],
      [100, 2],
      [1000, 11],
    ]);
    expect(d.series[2].points).toEqual([
      [10, 0.5],
      [100, 0.5],
      [1000, 0.5],
    ]);
    expect(d.reference).toEqual({ y: 3.5, label: "oracle's own top 7" });
    expect(d.marker).toEqual({ x: 1000, label: 'N = 1000' });
  });

  it('plots retrieval and ranking latency against N', () => {
    const d = latencyData(funnel, 10);
    expect(d.series[0].points).toEqual([
      [10, 1],
      [100, 10],
      [1000, 100],
    ]);
    expect(d.series[2].points).toEqual([
      [10, 2],
      [100, 20],
      [1000, 200],
    ]);
    expect(d.series[2].colour).toBe(FUNNEL_COLOURS.ranking);
    expect(d.marker?.x).toBe(10);
  });

  it('writes every point as CSV, exact then IVF', () => {
    const lines = funnelCsv(funnel).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'retrieval,n,k,recall_at_n,label_in_top_k,watch_per_impression,unranked_watch_per_impression,oracle_watch_per_impression,retrieval_ms,ranking_ms',
    );
    expect(lines).toHaveLength(1 + 3 + 3);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([
      'exact',
      'exact',
      'exact',
      'ivf',
      'ivf',
      'ivf',
    ]);
    expect(lines[2]).toBe('exact,100,7,0.1,0.05,2,0.5,3.5,10,20');
    expect(lines[5]).toBe('ivf,100,7,0.05,0.025,2,0.5,3.5,10,20');
    for (const l of lines) expect(l.split(',')).toHaveLength(10);
    expect(funnelCsv(funnel).endsWith('\n')).toBe(true);
  });
});
