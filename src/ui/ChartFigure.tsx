/**
 * A thin React wrapper around one imperative d3 chart: creates it on mount, feeds it data on
 * every change of `data` (by identity: callers memoise it), destroys it on unmount. The drawing
 * goes through the shared draw queue (one chart per animation frame, after the page painted),
 * not into the task that rendered: a tab of five charts opens in six short tasks, not one long
 * one. Adds the title, the caption and a "save SVG" button.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { cancelDraw, scheduleDraw } from './charts/draw-queue';
import type { Chart } from './charts/frame';
import { saveExport } from './save-file';

/** Props of {@link ChartFigure}. */
export interface ChartFigureProps<D> {
  /** `data-testid` of the figure, e.g. `chart.topics`. */
  testId: string;
  title: string;
  /** One sentence saying what the chart shows. */
  caption: ReactNode;
  /** The chart's class; must be a stable reference (a class, not an inline arrow). */
  chart: new (container: HTMLElement) => Chart<D>;
  /** Data to draw (memoised: a new object is a redraw); nothing is drawn while null. */
  data: D | null;
  /** Extra class of the figure (grid placement). */
  className?: string;
}

/** Saves the SVG inside `box` as `recsys-<name>-seed…-step….svg`. */
export function saveSvg(box: HTMLElement | null, name: string): void {
  const svg = box?.querySelector('svg');
  if (!svg) return;
  saveExport(name, 'svg', new XMLSerializer().serializeToString(svg));
}

/** A titled, captioned figure holding one d3 chart. */
export function ChartFigure<D>({
  testId,
  title,
  caption,
  chart: ChartClass,
  data,
  className,
}: ChartFigureProps<D>) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart<D> | null>(null);

  useEffect(() => {
    if (!box.current) return;
    const c = new ChartClass(box.current);
    chart.current = c;
    return () => {
      c.destroy();
      chart.current = null;
    };
  }, [ChartClass]);

  useEffect(() => {
    if (data === null) return;
    const draw = () => chart.current?.update(data);
    scheduleDraw(draw);
    return () => cancelDraw(draw);
  }, [data, ChartClass]);

  return (
    <figure className={`chart ${className ?? ''}`} data-testid={testId}>
      <div className="chart-head">
        <h3>{title}</h3>
        <button
          type="button"
          className="chart-save"
          title="Save this chart as an SVG file"
          onClick={() => saveSvg(box.current, testId.replace(/^chart\./, ''))}
          disabled={data === null}
        >
          SVG
        </button>
      </div>
      <div className="chart-box" ref={box} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
