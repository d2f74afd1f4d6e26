/**
 * The main-thread measure the other browser tests rely on (e2e/main-thread.ts): it reads the
 * renderer main thread's top-level tasks from a trace, with wall and CPU time, and it catches
 * a task that burns more than 50 ms of CPU while letting a short one through.
 */
import { expect, test } from '@playwright/test';
import {
  CPU_LIMIT_MS,
  mainThreadTasks,
  overLimits,
  quantile,
  summarise,
  traceMainThread,
} from './main-thread.ts';

test('mainThreadTasks keeps the top-level RunTask events of the page renderer main thread', () => {
  const meta = (pid: number, tid: number, name: string) => ({
    name: 'thread_name',
    ph: 'M',
    pid,
    tid,
    ts: 0,
    args: { name },
  });
  const x = (name: string, pid: number, tid: number, ts: number, dur: number, tdur?: number) => ({
    name,
    ph: 'X',
    pid,
    tid,
    ts,
    dur,
    tdur,
  });
  const trace = {
    traceEvents: [
      {
        name: 'TracingStartedInBrowser',
        ph: 'I',
        pid: 1,
        tid: 1,
        ts: 0,
        args: { data: { frames: [{ processId: 10, isOutermostMainFrame: true }] } },
      },
      meta(10, 11, 'CrRendererMain'),
      meta(10, 12, 'DedicatedWorker thread'),
      meta(20, 21, 'CrRendererMain'), // another renderer (not the page's)
      x('RunTask', 10, 11, 1_000, 80_000, 30_000),
      x('FunctionCall', 10, 11, 1_100, 60_000),
      x('RunTask', 10, 11, 2_000, 5_000, 4_000), // nested in the first: not top-level
      x('RunTask', 10, 11, 100_000, 3_000, 2_500),
      x('RunTask', 10, 12, 1_000, 900_000, 900_000), // the worker's
      x('RunTask', 20, 21, 1_000, 900_000, 900_000), // the other renderer's
    ],
  };
  const tasks = mainThreadTasks(trace);
  expect(tasks.map((t) => [t.start, t.wall, t.cpu])).toEqual([
    [1, 80, 30],
    [100, 3, 2.5],
  ]);
  expect(tasks[0].what).toBe('FunctionCall 60.0');
  // 80 ms of wall time but 30 of CPU: waiting for a core is not the page's fault.
  expect(overLimits(tasks)).toEqual([]);
  expect(overLimits([{ start: 0, wall: 60, cpu: 51, what: '' }])).toHaveLength(1);
  expect(overLimits([{ start: 0, wall: 251, cpu: 10, what: '' }])).toHaveLength(1);
  expect(() => mainThreadTasks({ traceEvents: [] })).toThrow('no renderer main thread');

  const s = summarise(tasks, 2);
  expect(s).toMatchObject({ tasks: 2, longTasks: 1, cpuLongTasks: 0, maxWallMs: 80 });
  expect(s.cpuMsPerSecond).toBeCloseTo(16.25, 6);
  expect(quantile([5, 1, 4, 2, 3], 0.95)).toBe(5);
  expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
});

test('a trace of a real page catches a task over 50 ms of CPU time and passes a short one', async ({
  page,
}) => {
  await page.setContent('<button id="short">short</button><button id="long">long</button>');
  // Each button computes for a while: a fixed amount of work, so its CPU time does not
  // shrink when the machine is loaded (a loop until a wall-clock deadline would).
  await page.evaluate(() => {
    const work = (n: number) => {
      let x = 0;
      for (let i = 0; i < n; i++) x += Math.sqrt(i) % 7;
      (window as unknown as { sink: number }).sink = x;
    };
    document.getElementById('short')!.onclick = () => work(2e6);
    document.getElementById('long')!.onclick = () => work(4e8);
  });

  let stop = await traceMainThread(page);
  await page.click('#short');
  let tasks = await stop();
  expect(tasks.length).toBeGreaterThan(0);
  expect(Math.max(...tasks.map((t) => t.cpu))).toBeGreaterThan(0.5);
  expect(overLimits(tasks)).toEqual([]);

  stop = await traceMainThread(page);
  await page.click('#long');
  tasks = await stop();
  const worst = Math.max(...tasks.map((t) => t.cpu));
  // 4e8 square roots: hundreds of ms of CPU time on any machine.
  expect(worst).toBeGreaterThan(CPU_LIMIT_MS);
  expect(overLimits(tasks).length).toBeGreaterThanOrEqual(1);
  expect(overLimits(tasks)[0]).toMatch(/ms CPU, .* ms wall/);
});
