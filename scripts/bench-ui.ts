/**
 * `npm run bench:ui`: how free the page's main thread stays, in the built app in headless
 * Chromium: while training N steps on the Training tab, and while visiting every tab. It prints
 * figures and asserts nothing.
 *
 * Usage (needs a built app: pass --build, or run `npx vite build` first):
 *
 *   npm run bench:ui -- --build          build dist/, then measure
 *   npm run bench:ui                     measure the dist/ already built
 *   npm run bench:ui -- --json           one JSON object on stdout instead of the table
 *   npm run bench:ui -- --steps 500      train to step 500 (default 300)
 *   npm run bench:ui -- --world "seed=7&videos=20000&users=5000"
 *                                        another world (URL hash; default the e2e's small one)
 *   npm run bench:ui -- --top 3          also list each stretch's 3 costliest tasks (CPU time)
 *                                        and the largest events inside them
 *   npm run bench:ui -- --no-tabs        training only (no tab visits)
 *   npm run bench:ui -- --port 4314 --out-dir /tmp/my-dist
 *                                        serve another build on another port (default 4181, dist)
 *
 * For each stretch (training; each tab visit; all tab visits together) it reports, from a
 * Chrome trace of the page's renderer main thread (CrRendererMain, top-level RunTask events;
 * e2e/main-thread.ts): the number of tasks, long tasks (wall time > 50 ms, what
 * PerformanceObserver counts), tasks over 50 ms of CPU time, p95 and max of wall and of CPU time
 * per task, and main-thread CPU ms per second; and the page's own throughput
 * (`metric.examplesPerSec` on the Training tab: the mean of its readings while training and the
 * last one), and the recall@100 of each evaluation on the Training tab beside the most-popular
 * baseline's, with the seconds since Play: the last within 20 s and the first at ≥ 3× most-popular.
 * The machine's load average is printed too: on a loaded machine wall times stretch while CPU times
 * do not.
 *
 * The world is the e2e tests' small one (`#seed=7&videos=2000&users=1500`, as
 * e2e/training.spec.ts) unless --world names another. It serves dist/ with
 * `npx vite preview --port 4181 --strictPort` (stopped at the end, also on failure or Ctrl-C)
 * and launches Chromium as the e2e tests do (e2e/browser.ts) at 1280×900. Progress goes to stderr, so stdout holds only the table or JSON.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable, collectConsoleErrors } from '../e2e/browser';
import {
  summarise,
  traceMainThread,
  type MainThreadSummary,
  type MainThreadTask,
} from '../e2e/main-thread';
import { parseArgs } from './args';
import { startPreview, stopPreview } from './preview-server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let PORT = 4181;
let BASE = `http://localhost:${PORT}/`;
/** The built app served (`--out-dir`, relative to the repository or absolute). */
let OUT_DIR = 'dist';
const DEFAULT_WORLD = 'seed=7&videos=2000&users=1500';
const DEFAULT_STEPS = 300;
const PREPARE_MS = 180_000;
const VIEW_MS = 120_000;
/** Time left on each tab after its content is there (late answers, deferred draws). */
const SETTLE_MS = 1_500;

/** Tabs in the order visited, with what says each one is on screen. */
const TABS: { view: string; ready: string; step?: string }[] = [
  { view: 'world', ready: 'chart.topics' },
  { view: 'training', ready: 'chart.loss' },
  { view: 'projection', ready: 'projection.canvas', step: 'projection.step' },
  { view: 'softmax', ready: 'chart.softmaxScatter', step: 'softmax.step' },
  { view: 'funnel', ready: 'chart.funnelRecall', step: 'funnel.step' },
  { view: 'watchtime', ready: 'chart.watchTime', step: 'metric.watchTimeStep' },
];

const HELP = readFileSync(fileURLToPath(import.meta.url), 'utf8')
  .split('*/')[0]
  .replace(/^\/\*\*\n?/, '')
  .replace(/^ \* ?/gm, '');

const t0 = Date.now();
const log = (msg: string) => {
  console.error(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The flags; null for --help. */
function options(): {
  json: boolean;
  build: boolean;
  steps: number;
  top: number;
  world: string;
  port: number;
  outDir: string;
  tabs: boolean;
} | null {
  const flags = parseArgs(process.argv.slice(2));
  if (flags.help) return null;
  for (const name of Object.keys(flags))
    if (!['json', 'build', 'steps', 'top', 'world', 'port', 'out-dir', 'tabs'].includes(name))
      throw new Error(`unknown flag --${name} (see --help)`);
  const steps = flags.steps === undefined ? DEFAULT_STEPS : Number(flags.steps);
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`--steps must be a positive integer, got ${String(flags.steps)}`);
  const top = flags.top === undefined ? 0 : Number(flags.top);
  if (!Number.isInteger(top) || top < 0)
    throw new Error(`--top must be a whole number, got ${String(flags.top)}`);
  const world = flags.world === undefined ? DEFAULT_WORLD : flags.world;
  if (typeof world !== 'string' || world.replace(/^#/, '') === '')
    throw new Error('--world needs a URL hash, e.g. --world "seed=7&videos=20000&users=5000"');
  const hash = world
    .replace(/^#/, '')
    .split('&')
    .filter((kv) => kv !== '' && !kv.startsWith('view='))
    .join('&');
  const port = flags.port === undefined ? 4181 : Number(flags.port);
  if (!Number.isInteger(port) || port < 1024 || port > 65535)
    throw new Error(`--port must be a whole number in [1024, 65535], got ${String(flags.port)}`);
  const outDir = flags['out-dir'] === undefined ? 'dist' : flags['out-dir'];
  if (typeof outDir !== 'string' || outDir === '')
    throw new Error('--out-dir needs a folder, e.g. --out-dir /tmp/my-dist');
  return {
    json: flags.json === true,
    build: flags.build === true,
    steps,
    top,
    world: hash,
    port,
    outDir,
    tabs: flags.tabs !== false,
  };
}

/** The trimmed text of a test id, or '' when it is not on the page. */
async function textOf(page: Page, testId: string): Promise<string> {
  const el = page.getByTestId(testId);
  if ((await el.count()) === 0) return '';
  return ((await el.first().textContent()) ?? '').trim();
}

/** A test id's text as a number; NaN when absent or not a number. */
async function numberOf(page: Page, testId: string): Promise<number> {
  const text = await textOf(page, testId);
  return text === '' ? NaN : Number(text);
}

/** Polls `ok` every `every` ms until it holds; throws naming `what` after `ms`, or when the run stopped. */
async function waitUntil(
  page: Page,
  what: string,
  ok: () => Promise<boolean>,
  ms: number,
  every = 250,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if ((await textOf(page, 'train.state')) === 'stopped')
      throw new Error(`the training run stopped while waiting for ${what}`);
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await sleep(every);
  }
}

/** Figures of one stretch. */
interface Stretch extends MainThreadSummary {
  name: string;
  /** The costliest tasks by CPU time (with --top). */
  top: MainThreadTask[];
}

let TOP = 0;

/** A stretch's figures from its tasks. */
function stretch(name: string, tasks: MainThreadTask[], seconds: number): Stretch {
  const top = [...tasks].sort((a, b) => b.cpu - a.cpu).slice(0, TOP);
  return { name, ...summarise(tasks, seconds), top };
}

/** Trains to `steps` on the Training tab under a trace; the stretch and the page's examples/s. */
async function trainingStretch(
  page: Page,
  steps: number,
): Promise<{
  stretch: Stretch;
  examplesPerSec: { mean: number; last: number; readings: number };
  recall: RecallFigures;
}> {
  const stop = await traceMainThread(page);
  const started = Date.now();
  await page.getByTestId('train.play').click();
  const readings: number[] = [];
  const recall: RecallReading[] = [];
  await waitUntil(
    page,
    `step ${steps}`,
    async () => {
      const eps = await numberOf(page, 'metric.examplesPerSec');
      if (Number.isFinite(eps) && eps > 0) readings.push(eps);
      const evalStep = await numberOf(page, 'metric.evalStep');
      if (Number.isFinite(evalStep) && evalStep !== recall.at(-1)?.evalStep)
        recall.push({
          seconds: (Date.now() - started) / 1000,
          evalStep,
          model: await numberOf(page, 'metric.recall100'),
          popular: await numberOf(page, 'metric.recall100Popular'),
        });
      return (await numberOf(page, 'metric.step')) >= steps;
    },
    PREPARE_MS + 3_000 * steps,
    500,
  );
  const seconds = (Date.now() - started) / 1000;
  const tasks = await stop();
  await page.getByTestId('train.pause').click();
  await waitUntil(
    page,
    'pause',
    async () => (await textOf(page, 'train.state')) === 'paused',
    VIEW_MS,
  );
  const mean = readings.length ? readings.reduce((a, b) => a + b, 0) / readings.length : NaN;
  return {
    stretch: stretch(`training to step ${steps}`, tasks, seconds),
    examplesPerSec: { mean, last: readings.at(-1) ?? NaN, readings: readings.length },
    recall: recallFigures(recall),
  };
}

/** One evaluation as the Training tab showed it, first seen `seconds` after Play. */
interface RecallReading {
  seconds: number;
  evalStep: number;
  /** recall@100 of the two-tower model and of the most-popular baseline. */
  model: number;
  popular: number;
}

/** The recall@100 readings of a training stretch and what they say at 20 s. */
interface RecallFigures {
  readings: RecallReading[];
  /** The last evaluation seen within 20 s of Play (null when none). */
  at20s: (RecallReading & { ratio: number }) | null;
  /** The first evaluation with recall@100 ≥ 3 × most-popular's (null when none). */
  firstThreeTimes: RecallReading | null;
}

/** Seconds after Play at which the issue's recall target is read. */
const RECALL_SECONDS = 20;

function recallFigures(readings: RecallReading[]): RecallFigures {
  const within = readings.filter((r) => r.seconds <= RECALL_SECONDS && r.evalStep > 0).at(-1);
  return {
    readings,
    at20s: within ? { ...within, ratio: within.model / within.popular } : null,
    firstThreeTimes: readings.find((r) => r.evalStep > 0 && r.model >= 3 * r.popular) ?? null,
  };
}

/** Visits each tab under its own trace: from the click until its content is there, plus SETTLE_MS. */
async function tabStretches(page: Page, minStep: number): Promise<Stretch[]> {
  const out: Stretch[] = [];
  const all: MainThreadTask[] = [];
  let total = 0;
  for (const tab of TABS) {
    const stop = await traceMainThread(page);
    const started = Date.now();
    await page.getByTestId(`tab.${tab.view}`).click();
    await page.getByTestId(tab.ready).waitFor({ timeout: VIEW_MS });
    if (tab.step) {
      const id = tab.step;
      await waitUntil(
        page,
        `${id} ≥ ${minStep}`,
        async () => (await numberOf(page, id)) >= minStep,
        VIEW_MS,
      );
    }
    await waitUntil(
      page,
      'the view to finish updating',
      async () => (await page.getByText('updating…').count()) === 0,
      VIEW_MS,
    );
    await sleep(SETTLE_MS);
    const seconds = (Date.now() - started) / 1000;
    const tasks = await stop();
    all.push(...tasks);
    total += seconds;
    out.push(stretch(`tab ${tab.view}`, tasks, seconds));
    log(`visited ${tab.view}: ${seconds.toFixed(1)} s`);
  }
  out.push(stretch('all tab visits', all, total));
  return out;
}

const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');

/** The human-readable table. */
function table(stretches: Stretch[]): string {
  const head = [
    'stretch',
    's',
    'tasks',
    'long (wall>50)',
    'CPU>50',
    'p95 wall',
    'max wall',
    'p95 CPU',
    'max CPU',
    'CPU ms/s',
  ];
  const rows = stretches.map((s) => [
    s.name,
    f1(s.seconds),
    String(s.tasks),
    String(s.longTasks),
    String(s.cpuLongTasks),
    f1(s.p95WallMs),
    f1(s.maxWallMs),
    f1(s.p95CpuMs),
    f1(s.maxCpuMs),
    f1(s.cpuMsPerSecond),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<number> {
  const opts = options();
  if (!opts) {
    console.log(HELP);
    return 0;
  }
  TOP = opts.top;
  PORT = opts.port;
  BASE = `http://localhost:${PORT}/`;
  OUT_DIR = opts.outDir;
  if (opts.build) {
    log(`building the app (npx vite build --outDir ${OUT_DIR})`);
    const r = spawnSync('npx', ['vite', 'build', '--outDir', OUT_DIR], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`npx vite build failed (exit ${r.status})`);
  }
  if (!existsSync(join(resolve(ROOT, OUT_DIR), 'index.html')))
    throw new Error(
      `${OUT_DIR}/index.html not found: run \`npx vite build\` first, or pass --build`,
    );

  let server: ChildProcess | null = null;
  let browser: Browser | null = null;
  const stop = () => stopPreview(server);
  const onSignal = (signal: string) => {
    console.error(`\nbench:ui interrupted (${signal}): vite preview stopped`);
    stop();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', stop);
  try {
    log(`starting vite preview on port ${PORT}`);
    server = await startPreview({ root: ROOT, port: PORT, outDir: OUT_DIR });
    const executablePath = chromiumExecutable();
    browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectConsoleErrors(page);
    await page.goto(`${BASE}#${opts.world}&view=training`);
    log('waiting for the run to be built');
    await waitUntil(
      page,
      'the run to be built',
      async () => (await textOf(page, 'train.state')) === 'paused',
      PREPARE_MS,
      500,
    );
    const backend = await textOf(page, 'backend.name');
    const loadBefore = loadavg();
    log(`training to step ${opts.steps} (backend ${backend})`);
    const training = await trainingStretch(page, opts.steps);
    log(
      `trained: ${training.stretch.seconds.toFixed(1)} s${opts.tabs ? '; visiting every tab' : ''}`,
    );
    const tabs = opts.tabs ? await tabStretches(page, opts.steps - 50) : [];
    const stretches = [training.stretch, ...tabs];
    const result = {
      world: opts.world,
      steps: opts.steps,
      backend,
      chromium: browser.version(),
      cores: cpus().length,
      loadAverage1m: { before: loadBefore[0], after: loadavg()[0] },
      examplesPerSec: training.examplesPerSec,
      recall: training.recall,
      stretches,
      consoleErrors: errors,
    };
    if (opts.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(
        `bench:ui: ${opts.world}, ${opts.steps} steps, backend ${backend}, Chromium ${result.chromium}, ` +
          `${result.cores} cores, load average ${loadBefore[0].toFixed(2)} → ${result.loadAverage1m.after.toFixed(2)}`,
      );
      console.log(
        `examples/s on the Training tab: mean ${f1(training.examplesPerSec.mean)} over ` +
          `${training.examplesPerSec.readings} readings, last ${f1(training.examplesPerSec.last)}`,
      );
      const r20 = training.recall.at20s;
      const first = training.recall.firstThreeTimes;
      console.log(
        `recall@100 within ${RECALL_SECONDS} s of Play: ` +
          (r20
            ? `${r20.model} vs most-popular ${r20.popular} (${r20.ratio.toFixed(2)}×) at step ${r20.evalStep}, ${r20.seconds.toFixed(1)} s`
            : 'no evaluation yet') +
          `; first ≥ 3× most-popular: ` +
          (first ? `step ${first.evalStep}, ${first.seconds.toFixed(1)} s` : 'not reached'),
      );
      console.log(
        'main-thread tasks (ms; long = wall > 50 ms; CPU>50 = over 50 ms of CPU time):\n',
      );
      console.log(table(stretches));
      for (const s of stretches.filter((s) => s.top.length > 0)) {
        console.log(`\ncostliest tasks, ${s.name}:`);
        for (const t of s.top)
          console.log(
            `  ${f1(t.cpu)} ms CPU, ${f1(t.wall)} ms wall: ${t.what || '(nothing named)'}`,
          );
      }
      if (errors.length)
        console.log(`\nconsole errors:\n${errors.map((e) => `  ${e}`).join('\n')}`);
    }
    return 0;
  } catch (err) {
    console.error(`\nbench:ui FAILED: ${(err as Error).message}`);
    return 1;
  } finally {
    await browser?.close().catch(() => undefined);
    stop();
    if (server && server.exitCode === null && server.signalCode === null)
      await new Promise((r) => {
        server!.once('exit', r);
        setTimeout(r, 5_000);
      });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench:ui FAILED: ${(err as Error).message ?? String(err)}`);
    process.exit(1);
  },
);
