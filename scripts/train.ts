/**
 * `npm run train -- --seed 7 [--json] [flags]`: generates the world, trains candidate
 * generation (and the factorisation baseline) and the ranker in Node on the fastest backend
 * here (WASM), and prints one JSON object (with --json) or a readable report. Progress goes to
 * stderr. Every knob of the models is a flag; `--help` lists them.
 */
import { ConfigError } from '../src/sim/config';
import { useBackend, type BackendName } from '../src/model/backend';
import { parseArgs } from './args';
import { OTHER_FLAGS, TRAIN_SECTIONS, experimentFromFlags, runExperiment } from './experiment';
import { helpText } from './flags';

async function main(): Promise<void> {
  const flags = parseArgs(process.argv.slice(2));
  if (flags.help) {
    console.log(helpText(`npm run train -- [--json] [flags]   (also ${OTHER_FLAGS.map((f) => '--' + f).join(', ')})`, TRAIN_SECTIONS));
    return;
  }
  const settings = experimentFromFlags(flags);
  const asked = settings.params.backend;
  const backend = await useBackend(asked === 'auto' ? undefined : (asked as BackendName));
  const result = await runExperiment(settings, backend, (line) => process.stderr.write(line + '\n'));
  if (flags.json) console.log(JSON.stringify(result));
  else console.log(JSON.stringify(result, null, 2));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
  throw e;
});
