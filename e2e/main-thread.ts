/**
 * What the page's main thread did, from a Chrome trace: every top-level task of the renderer's
 * main thread (CrRendererMain) with its wall time and its CPU time. Used by the browser tests
 * (no task over {@link CPU_LIMIT_MS} of CPU, none over {@link WALL_LIMIT_MS} of wall time) and by
 * `npm run bench:ui`.
 *
 * Why CPU time: on a loaded machine a 4 ms task that waits 60 ms for a core is a 64 ms "long
 * task" to PerformanceObserver, which then measures the machine, not the page. The trace's
 * `RunTask` events carry both `dur` (wall) and `tdur` (CPU time of the thread), in µs. Wall time
 * still catches gross blocking (a task the page really spent a quarter of a second in).
 */
import type { Browser, Page } from '@playwright/test';

/** Most CPU time one main-thread task may take (ms): the RAIL "long task" budget. */
export const CPU_LIMIT_MS = 50;
/** Most wall time one main-thread task may take (ms), waiting for a core included. */
export const WALL_LIMIT_MS = 250;
/** A "long task" by the usual definition (wall time, ms), for reports. */
export const LONG_TASK_MS = 50;

/** Trace categories that give `RunTask` with thread times, and what ran inside tasks. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

/** One top-level task of the renderer's main thread. */
export interface MainThreadTask {
  /** Start, ms on the trace clock. */
  start: number;
  /** Wall time, ms. */
  wall: number;
  /** CPU time of the main thread during the task, ms (NaN when the trace has none). */
  cpu: number;
  /** The largest events inside the task (name and ms), for messages. */
  what: string;
}

/** A trace event as Chrome writes it (the fields used here). */
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: {
    name?: string;
    data?: {
      frames?: { processId?: number; isOutermostMainFrame?: boolean; parent?: string }[];
      functionName?: string;
      url?: string;
      type?: string;
    };
  };
}

/** Events inside a task worth naming when it is long (durations in ms). */
const NAMED = new Set([
  'FunctionCall',
  'EvaluateScript',
  'v8.compile',
  'TimerFire',
  'FireAnimationFrame',
  'EventDispatch',
  'HandlePostMessage',
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'MajorGC',
  'MinorGC',
  'V8.GC_MARK_COMPACTOR',
  'V8.GC_SCAVENGER',
]);

/** Describes one event inside a task: its name, what it ran, and its wall ms. */
function describe(e: TraceEvent): string {
  const d = e.args?.data;
  const detail = d?.functionName || d?.type || (d?.url ? d.url.replace(/^.*\//, '') : '');
  return `${e.name}${detail ? `(${detail})` : ''} ${((e.dur ?? 0) / 1000).toFixed(1)}`;
}

/**
 * The top-level tasks of the page's renderer main thread in a trace (the JSON Chrome writes,
 * `{ traceEvents: [...] }` or a bare array), in start order. The page's renderer is the process
 * of its outermost main frame (from `TracingStartedInBrowser`), or else every `CrRendererMain`.
 *
 * @throws Error when the trace has no renderer main thread at all.
 */
export function mainThreadTasks(trace: unknown): MainThreadTask[] {
  const events: TraceEvent[] = Array.isArray(trace)
    ? (trace as TraceEvent[])
    : ((trace as { traceEvents?: TraceEvent[] }).traceEvents ?? []);
  const pagePids = new Set<number>();
  for (const e of events)
    if (e.name === 'TracingStartedInBrowser')
      for (const f of e.args?.data?.frames ?? [])
        if ((f.isOutermostMainFrame ?? !f.parent) && f.processId) pagePids.add(f.processId);
  const mains = new Set<string>();
  for (const e of events)
    if (
      e.ph === 'M' &&
      e.name === 'thread_name' &&
      e.args?.name === 'CrRendererMain' &&
      (pagePids.size === 0 || pagePids.has(e.pid))
    )
      mains.add(`${e.pid}:${e.tid}`);
  if (mains.size === 0) throw new Error('the trace has no renderer main thread (CrRendererMain)');

  const onMain = events
    .filter((e) => e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`))
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const tasks: MainThreadTask[] = [];
  let end = -Infinity;
  let inside: TraceEvent[] = [];
  const close = () => {
    const last = tasks.at(-1);
    if (!last || inside.length === 0) return;
    last.what = inside
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, 4)
      .map(describe)
      .join(', ');
    inside = [];
  };
  for (const e of onMain) {
    const dur = e.dur ?? 0;
    if (e.ts >= end && e.name === 'RunTask') {
      close();
      end = e.ts + dur;
      tasks.push({
        start: e.ts / 1000,
        wall: dur / 1000,
        cpu: e.tdur === undefined ? NaN : e.tdur / 1000,
        what: '',
      });
    } else if (e.ts < end && NAMED.has(e.name) && dur >= 2000) inside.push(e);
  }
  close();
  return tasks;
}

/**
 * The tasks over the limits, one line each (empty when the main thread stayed free): more than
 * {@link CPU_LIMIT_MS} of CPU time, or more than {@link WALL_LIMIT_MS} of wall time.
 */
export function overLimits(tasks: MainThreadTask[]): string[] {
  const t0 = tasks[0]?.start ?? 0;
  return tasks
    .filter((t) => t.cpu > CPU_LIMIT_MS || t.wall > WALL_LIMIT_MS)
    .map(
      (t) =>
        `task at +${((t.start - t0) / 1000).toFixed(2)} s: ${t.cpu.toFixed(1)} ms CPU, ` +
        `${t.wall.toFixed(1)} ms wall${t.what ? ` (${t.what})` : ''}`,
    );
}

/** The `q` quantile (0–1) of `values`, nearest rank; NaN when empty. */
export function quantile(values: number[], q: number): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))];
}

/** Figures of one traced stretch of time. */
export interface MainThreadSummary {
  /** Length of the stretch, s (the caller's clock; tasks' own span when not given). */
  seconds: number;
  tasks: number;
  /** Tasks over {@link LONG_TASK_MS} of wall time (what PerformanceObserver calls long). */
  longTasks: number;
  /** Tasks over {@link CPU_LIMIT_MS} of CPU time. */
  cpuLongTasks: number;
  p95WallMs: number;
  maxWallMs: number;
  p95CpuMs: number;
  maxCpuMs: number;
  /** Main-thread CPU time in tasks per second of the stretch, ms/s. */
  cpuMsPerSecond: number;
}

/** Counts and quantiles of `tasks` over a stretch of `seconds`. */
export function summarise(tasks: MainThreadTask[], seconds?: number): MainThreadSummary {
  const span =
    seconds ??
    (tasks.length ? (tasks.at(-1)!.start + tasks.at(-1)!.wall - tasks[0].start) / 1000 : 0);
  const wall = tasks.map((t) => t.wall);
  const cpu = tasks.map((t) => t.cpu);
  const cpuSum = cpu.reduce((a, b) => (Number.isFinite(b) ? a + b : a), 0);
  return {
    seconds: span,
    tasks: tasks.length,
    longTasks: tasks.filter((t) => t.wall > LONG_TASK_MS).length,
    cpuLongTasks: tasks.filter((t) => t.cpu > CPU_LIMIT_MS).length,
    p95WallMs: quantile(wall, 0.95),
    maxWallMs: wall.length ? Math.max(...wall) : NaN,
    p95CpuMs: quantile(cpu, 0.95),
    maxCpuMs: cpu.some(Number.isFinite) ? Math.max(...cpu.filter(Number.isFinite)) : NaN,
    cpuMsPerSecond: span > 0 ? cpuSum / span : NaN,
  };
}

/**
 * Starts a Chrome trace of `page` (one trace per browser at a time) and returns the function
 * that stops it and gives the page's main-thread tasks meanwhile.
 */
export async function traceMainThread(page: Page): Promise<() => Promise<MainThreadTask[]>> {
  const browser: Browser | null = page.context().browser();
  if (!browser) throw new Error('tracing needs a launched browser (not a persistent context)');
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  return async () => mainThreadTasks(JSON.parse((await browser.stopTracing()).toString('utf8')));
}
