/**
 * `npm run bench:funnel -- [--json] [--seed 7] [--steps 50] [--again 1]`:
 * seconds the Funnel view's answer takes in Node (docs/performance.md#the-funnel-view): a
 * TrainingHost on WASM trains the default world `steps` steps, then asks the funnel (focus user
 * −1, default k and nprobe) once, `again` more times at the same step, and once after one more
 * training step — the first request of a session (cold IVF build, the oracle's ceiling asked
 * for the first time), the same request again, and the first at the next step (the index
 * rebuilt, warm-started: src/worker/funnel-index.ts — since the view was asked before, the
 * training host builds it when the step ends, before the request: `preparedMs` says how long
 * that took, outside the request's own time). Each request is timed by wall clock and
 * by the process's CPU seconds (steadier on a shared machine), with the 1-minute load average
 * and the answer's own index build time. One process is one sample (the JIT and the oracle's
 * memo are cold only once): run it several times, alternating with the other side of a
 * comparison. Figures are printed, never asserted; `--json` prints
 * `{ seed, steps, requests: [{ kind, seconds, cpuSeconds, indexBuildMs, warm, preparedMs, load }] }`.
 */
import { loadavg } from 'node:os';
import { useBackend } from '../src/model/backend';
import { DEFAULT_TRAINING_PARAMS } from '../src/protocol/params';
import { generateWorld } from '../src/sim/world';
import { keptFunnelIndex } from '../src/worker/funnel-index';
import { testHost } from '../src/worker/test-host';
import { parseArgs } from './args';

const flags = parseArgs(process.argv.slice(2));
if (flags.help) {
  console.log('npx tsx scripts/bench-funnel.ts [--json] [--seed 7] [--steps 50] [--again 1]');
  process.exit(0);
}
const seed = Number(flags.seed ?? 7);
const steps = Number(flags.steps ?? 50);
const again = Number(flags.again ?? 1);
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
   * ms of the index's build when training paused, before this request (not in its time), or
   * null when the request found no index prepared.
   */
  preparedMs: number | null;
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
for (const kind of kinds) {
  if (kind === 'next step') await train(1);
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
    load: loadavg()[0],
  };
  requests.push(t);
  log(
    `${kind.padEnd(9)} ${t.seconds.toFixed(3)} s  CPU ${t.cpuSeconds.toFixed(3)} s  ` +
      `index ${t.indexBuildMs.toFixed(0)} ms (${t.warm === null ? 'cold' : `warm from step ${t.warm}`}` +
      `${t.preparedMs === null ? '' : ', built at the pause before the request'})  ` +
      `load ${t.load.toFixed(2)}`,
  );
}
if (flags.json) console.log(JSON.stringify({ seed, steps, requests }));
process.exit(0);
