/**
 * `npm run bench:lessons [-- --seed N] [-- --only id,id]`: runs every lesson's experiment in
 * Node (the runner of `npm run lesson`, WASM backend) one after another and prints each one's
 * wall-clock seconds (world build and training), its verdict and the machine's load. Asserts
 * nothing. The page's (Chromium) timings are not measured here yet (docs/lessons.md#timings).
 */
import { availableParallelism, loadavg } from 'node:os';
import { useBackend } from '../src/model/backend';
import { LESSONS } from '../src/protocol/lessons/lessons';
import { summarise } from '../src/protocol/lessons/summary';
import { runExperiment } from '../src/worker/experiment/runner';
import { parseArgs } from './args';

async function main(): Promise<void> {
  const flags = parseArgs(process.argv.slice(2));
  const seed = Number(flags.seed ?? 7);
  const only = typeof flags.only === 'string' ? flags.only.split(',') : null;
  const backend = await useBackend();
  console.log(
    `bench:lessons — Node, backend ${backend}, ${availableParallelism()} cores, seed ${seed}, load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log('lesson            seconds  world s  runs  verdict');
  for (const spec of LESSONS) {
    if (only && !only.includes(spec.id)) continue;
    const result = await runExperiment(spec, { seed });
    const s = summarise(spec, result);
    console.log(
      `${spec.id.padEnd(16)}  ${result.seconds.toFixed(1).padStart(7)}  ${result.worldSeconds
        .toFixed(1)
        .padStart(7)}  ${String(result.runs.length).padStart(4)}  ${s.verdict}`,
    );
  }
  console.log(
    `load at the end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} (other processes share the cores)`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
