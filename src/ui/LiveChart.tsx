/**
 * A titled, captioned training chart fed straight from the store: it subscribes to the run's
 * `historyVersion` and redraws its d3 chart at most every MIN_INTERVAL_MS, through the shared
 * draw queue (one chart per animation frame, the first after the page painted the new view),
 * and only when its data changed since its last draw: a chart of evaluations is redrawn every
 * 50 steps, not at every step. React renders it once, never per training step.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { appStore } from '../state/store';
import { pinLabel, pinsStore } from '../state/pins-store';
import { withPinned } from './charts/pins-data';
import type { MetricHistory } from '../state/metric-history';
import { LineChart, sameLineChartData, type LineChartData } from './charts/line-chart';
import { cancelDraw, scheduleDraw } from './charts/draw-queue';
import { saveSvg } from './ChartFigure';

/** Least time between two redraws of one chart (the worker sends up to 10 deltas a second). */
const MIN_INTERVAL_MS = 250;

/** Props of {@link LiveChart}. */
export interface LiveChartProps {
  /** `data-testid` of the figure, e.g. `chart.recall`. */
  testId: string;
  title: string;
  /** One sentence saying what the chart shows. */
  caption: ReactNode;
  /** The chart's data from the history; a stable function (module level). */
  select: (history: MetricHistory) => LineChartData;
}

/** A line chart of the run's history that follows the store. */
export function LiveChart({ testId, title, caption, select }: LiveChartProps) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = new LineChart(el, title);
    let last = -Infinity;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let drawn: LineChartData | null = null;
    const draw = () => {
      const s = appStore.getState();
      const pins = pinsStore.getState().pins;
      const world = JSON.stringify(s.settings);
      const data = withPinned(
        select(s.history),
        pins.map((p) => ({ label: pinLabel(p, s.trainingParams, world), data: select(p.history) })),
      );
      if (drawn && sameLineChartData(drawn, data)) return false;
      drawn = data;
      last = performance.now();
      chart.update(data);
    };
    const request = () => {
      if (timer !== undefined) return;
      const wait = MIN_INTERVAL_MS - (performance.now() - last);
      if (wait <= 0) scheduleDraw(draw);
      else
        timer = setTimeout(() => {
          timer = undefined;
          scheduleDraw(draw);
        }, wait);
    };
    scheduleDraw(draw);
    const unsubscribe = appStore.subscribe((s, prev) => {
      if (s.historyVersion !== prev.historyVersion) request();
    });
    const unsubscribePins = pinsStore.subscribe(request);
    return () => {
      unsubscribePins();
      unsubscribe();
      clearTimeout(timer);
      cancelDraw(draw);
      chart.destroy();
    };
  }, [select, title]);

  return (
    <figure className="chart" data-testid={testId}>
      <div className="chart-head">
        <h3>{title}</h3>
        <button
          type="button"
          className="chart-save"
          title="Save this chart as an SVG file"
          onClick={() => saveSvg(box.current, testId.replace(/^chart\./, ''))}
        >
          SVG
        </button>
      </div>
      <div className="chart-box" ref={box} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
