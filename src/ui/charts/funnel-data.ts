/**
 * The Funnel view's chart data from the worker's {@link FunnelMessage}: against N (log axis),
 * retrieval recall@N (exact and IVF), the oracle watch time of the final top k (ranked, and a
 * random k of the N) under the oracle's ceiling, and latency. Pure, tested without a DOM.
 */
import type { FunnelFigures, FunnelMessage } from '../../state/protocol';
import type { XYChartData } from './xy-chart';

/** Colours: exact retrieval, the IVF index, unranked, the oracle, ranking. */
export const FUNNEL_COLOURS = {
  exact: '#2c6fad',
  approx: '#e6550d',
  unranked: '#777',
  oracle: '#2e7d32',
  ranking: '#756bb1',
} as const;

/**
 * Points [N, value], N capped at what was actually retrieved (a world with fewer live videos
 * than N retrieves them all); of several N that retrieve the same, the first is kept.
 */
const along = (points: FunnelFigures[], pick: (p: FunnelFigures) => number) => {
  const out: [number, number][] = [];
  for (const p of points) {
    const x = Math.min(p.n, Math.round(p.retrieved ?? p.n));
    if (out.length && out[out.length - 1][0] >= x) continue;
    out.push([x, pick(p)]);
  }
  return out;
};

/** Only the N ≥ k: below it the "top k" holds all N videos and is not comparable. */
const atLeastK = (m: FunnelMessage) => ({
  exact: m.exact.filter((p) => p.n >= m.k),
  approx: m.approx.filter((p) => p.n >= m.k),
});

/** The figures at N (exact retrieval), or null. */
export function figuresAt(
  m: FunnelMessage | null,
  n: number,
  approx = false,
): FunnelFigures | null {
  return (approx ? m?.approx : m?.exact)?.find((p) => p.n === n) ?? null;
}

/** recall@N of the next watch against N, exact and IVF, and exact retrieval alone up to every video. */
export function recallData(m: FunnelMessage, n: number): XYChartData {
  return {
    series: [
      {
        label: 'exact',
        colour: FUNNEL_COLOURS.exact,
        points: along(m.exact, (p) => p.recall),
        mode: 'both',
      },
      {
        label: `IVF (nprobe ${m.nprobe})`,
        colour: FUNNEL_COLOURS.approx,
        points: along(m.approx, (p) => p.recall),
        mode: 'both',
        dashed: true,
      },
      {
        label: 'retrieval only, to every video',
        colour: FUNNEL_COLOURS.unranked,
        points: (m.recallCurve ?? []).map((p) => [p.n, p.recall] as [number, number]),
        dashed: true,
      },
    ],
    xLog: true,
    yDomain: [0, 1],
    marker: { x: n, label: `N = ${n}` },
    xTitle: 'videos retrieved N',
    yTitle: 'recall@N of the next watch',
  };
}

/** Oracle watch minutes per impression of the final top k against N. */
export function watchData(m: FunnelMessage, n: number): XYChartData {
  const { exact, approx } = atLeastK(m);
  return {
    series: [
      {
        label: `ranked top ${m.k}`,
        colour: FUNNEL_COLOURS.exact,
        points: along(exact, (p) => p.watchPerImpression),
        mode: 'both',
      },
      {
        label: `IVF, ranked`,
        colour: FUNNEL_COLOURS.approx,
        points: along(approx, (p) => p.watchPerImpression),
        mode: 'both',
        dashed: true,
      },
      {
        label: `random ${m.k} of the N`,
        colour: FUNNEL_COLOURS.unranked,
        points: along(exact, (p) => p.unrankedWatchPerImpression),
        dashed: true,
      },
    ],
    reference: { y: m.oracleWatchPerImpression, label: `oracle's own top ${m.k}` },
    xLog: true,
    zeroBased: true,
    marker: { x: n, label: `N = ${n}` },
    xTitle: 'videos retrieved N',
    yTitle: 'oracle minutes per impression',
  };
}

/** Milliseconds per query against N: exact and IVF retrieval, ranking the N. */
export function latencyData(m: FunnelMessage, n: number): XYChartData {
  return {
    series: [
      {
        label: 'exact retrieval',
        colour: FUNNEL_COLOURS.exact,
        points: along(m.exact, (p) => p.retrievalMs),
        mode: 'both',
      },
      {
        label: 'IVF retrieval',
        colour: FUNNEL_COLOURS.approx,
        points: along(m.approx, (p) => p.retrievalMs),
        mode: 'both',
        dashed: true,
      },
      {
        label: 'ranking the N',
        colour: FUNNEL_COLOURS.ranking,
        points: along(m.exact, (p) => p.rankingMs),
        mode: 'both',
      },
    ],
    xLog: true,
    yLog: true,
    marker: { x: n, label: `N = ${n}` },
    xTitle: 'videos retrieved N',
    yTitle: 'milliseconds per query',
  };
}

/** Every point of the funnel as CSV, exact then IVF. */
export function funnelCsv(m: FunnelMessage): string {
  const rows = [
    'retrieval,n,k,recall_at_n,label_in_top_k,watch_per_impression,unranked_watch_per_impression,oracle_watch_per_impression,retrieval_ms,ranking_ms',
  ];
  for (const [name, points] of [
    ['exact', m.exact],
    ['ivf', m.approx],
  ] as const)
    for (const p of points)
      rows.push(
        [
          name,
          p.n,
          m.k,
          p.recall,
          p.labelInTopK,
          p.watchPerImpression,
          p.unrankedWatchPerImpression,
          m.oracleWatchPerImpression,
          p.retrievalMs,
          p.rankingMs,
        ].join(','),
      );
  return rows.join('\n') + '\n';
}
