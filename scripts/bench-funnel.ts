/**
 * `npm run bench:funnel -- [--json] [--seed 7] [--steps 50] [--again 1] [--no-prepare]
 * [--answers file.json]`:
 * seconds the Funnel view's answer takes in Node (docs/performance.md#the-funnel-view): a
 * TrainingHost on WASM trains the default world `steps` steps, then asks the funnel (focus user
 * −1, default k and nprobe) once, `again` more times at the same step, and once after one more
 * training step — the first request of a session, the same request again, and the first at the
 * next step. Before each first request (of the session, at the next step) the worker is left
 * quiet, as after a pause in the page: its idle preparation (src/worker/idle-prep.ts — the
 * oracle's ceiling, the step's IVF index) runs to its end first, and is reported apart
 * (`prepared`: its ms of work, steps, longest step — how long a message could wait — and
 * parts; `preparedMs`: the index's build when it was built ahead). `--no-prepare` asks at once
 * instead, so the request does it all (the first request of a session then builds the cold
 * index and asks the oracle about every live video). Each request is timed by wall clock and
 * by the process's CPU seconds (steadier on a shared machine), with the 1-minute load average
 * and the answer's own index build time. One process is one sample (the JIT and the memos are
 * cold only once): run it several times, alternating with the other side of a comparison.
 * Figures are printed, never asserted; `--json` prints `{ seed, steps, prepare, requests:
 * [{ kind, seconds, cpuSeconds, indexBuildMs, warm, preparedMs, prepared, load }] }`.
 * `--answers` writes every answer with its timings zeroed, to compare two builds byte for byte.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { useBackend } from '../src/model/backend';
import { DEFAULT_TRAINING_PARAMS } from '../src/protocol/params';
import { generateWorld } from '../src/sim/world';
import { keptFunnelIndex } from '../src/worker/funnel-index';
import { testHost } from '../src/worker/test-host';
import type { FunnelMessage } from '../src/protocol/views';
import { parseArgs } from './args';

const flags = parseArgs(process.argv.slice(2));
if (flags.help) {
  console.log(
    'npx tsx scripts/bench-funnel.ts [--json] [--seed 7] [--steps 50] [--again 1] [--no-prepare] [--answers file]',
  );
  process.exit(0);
}
const seed = Number(flags.seed ?? 7);
const steps = Number(flags.steps ?? 50);
const again = Number(flags.again ?? 1);
const prepare = flags.prepare !== false;
const log = (line: string): void => (flags.json ? console.error(line) : console.log(line));

/** One timed request: what it was, wall and CPU seconds, the index's build, the load. */
interface Timed {
  kind: 'first' | 'again' | 'next step';
  seconds: number;
  cpuSeconds: number;
  indexBuildMs: number;
  /** The step the index's k-means started from, or null for a cold build. */
  warm: number | null;
  /**
   * ms of the index's build done ahead while the worker was idle, before this request (not in
   * its time), or null when the request found no index prepared.
   */
  preparedMs: number | null;
  /**
   * The idle preparation run before this request (null: none ran): ms of work, steps, the
   * longest step and what the steps did (src/worker/idle-prep.ts `PrepReport`).
   */
  prepared: {
    ms: number;
    steps: number;
    longestMs: number;
    parts: Record<string, { steps: number; ms: number }>;
  } | null;
  load: number;
}

await useBackend('wasm');
const world = generateWorld({ seed });
const h = testHost(world);
const train = async (count: number) => {
  h.host.handle({ type: 'step', runId: 1, params: DEFAULT_TRAINING_PARAMS, count });
  await h.host.idle();
};
await train(steps);
const requests: Timed[] = [];
const kinds: Timed['kind'][] = ['first', ...new Array<'again'>(again).fill('again'), 'next step'];
const answers: unknown[] = [];
for (const kind of kinds) {
  if (kind === 'next step') await train(1);
  let prepared: Timed['prepared'] = null;
  if (prepare && kind !== 'again') {
    await h.quiet();
    const r = h.host.preparation;
    if (r && r.steps > 0)
      prepared = { ms: r.ms, steps: r.steps, longestMs: r.longestMs, parts: { ...r.parts } };
  }
  const session = h.host.current;
  const ahead = session ? keptFunnelIndex(session) : undefined;
  const preparedMs =
    ahead?.preparedAhead && ahead.step === session?.step ? ahead.index.stats.buildMs : null;
  const from = h.posted.length;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  h.host.handle({ type: 'funnel', runId: 1, user: -1, k: 10, nprobe: 8 });
  await h.host.idle();
  const cpu = process.cpuUsage(c0);
  const seconds = (performance.now() - t0) / 1000;
  const errors = h.of('viewError', from);
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  const [f] = h.of('funnel', from);
  const t: Timed = {
    kind,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    indexBuildMs: f.index.buildMs,
    warm: f.index.warm?.from ?? null,
    preparedMs,
    prepared,
    load: loadavg()[0],
  };
  requests.push(t);
  answers.push(withoutTimings(f));
  log(
    `${kind.padEnd(9)} ${t.seconds.toFixed(3)} s  CPU ${t.cpuSeconds.toFixed(3)} s  ` +
      `index ${t.indexBuildMs.toFixed(0)} ms (${t.warm === null ? 'cold' : `warm from step ${t.warm}`}` +
      `${t.preparedMs === null ? '' : ', built ahead while idle'})  ` +
      (t.prepared
        ? `prepared ahead ${t.prepared.ms.toFixed(0)} ms in ${t.prepared.steps} steps ` +
          `(longest ${t.prepared.longestMs.toFixed(0)} ms)  `
        : '') +
      `load ${t.load.toFixed(2)}`,
  );
}
if (typeof flags.answers === 'string') writeFileSync(flags.answers, JSON.stringify(answers));
if (flags.json) console.log(JSON.stringify({ seed, steps, prepare, requests }));
process.exit(0);

/** The answer with every timing zeroed: what must not change when only the speed does. */
function withoutTimings(f: FunnelMessage): unknown {
  const zero = (p: FunnelMessage['exact'][number]) => ({ ...p, retrievalMs: 0, rankingMs: 0 });
  return {
    ...f,
    towerMs: 0,
    ms: 0,
    exact: f.exact.map(zero),
    approx: f.approx.map(zero),
    index: { ...f.index, buildMs: 0 },
  };
}
