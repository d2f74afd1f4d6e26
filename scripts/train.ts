/**
 * `npm run train -- --seed 7 [--json] [flags]`: generates the world, trains candidate
 * generation (and the factorisation baseline) and the ranker in Node on the fastest backend
 * here (WASM), and prints one JSON object (with --json) or a readable report. Progress goes to
 * stderr. Every knob of the models is a flag; `--help` lists them. Every mistake (a bad flag
 * or value, a world too large, a backend Node lacks) answers one line and exit code 2 before
 * anything is built (`runCli`). With `--load f` / `--save f` it trains the page's run instead
 * and reads / writes `.recsys-run` files (`run-file-cli.ts`, docs/run-files.md#cli). Every model
 * (both rankers of a run file's session included) is checked after every step: a loss that is
 * not finite or at least 10 000 stops the run with one line naming the model and the step
 * ("diverged: the weighted ranker's loss diverged at step 12 (NaN); lower its learning rate")
 * and exit code 3 (DIVERGED_EXIT; docs/architecture.md#faults).
 */
import type { BackendName } from '../src/model/backend';
import { parseArgs } from './args';
import { checkKnown, helpText, readSwitch, runCli } from './flags';
import { OTHER_FLAGS, TRAIN_SECTIONS, experimentFromFlags } from './train-flags';
import { DIVERGED_EXIT, DivergedError } from '../src/worker/divergence';
import { ConfigError } from '../src/sim/config';

/** The flags of the run-file mode (`run-file-cli.ts`). */
const RUN_FILE_FLAGS = ['load', 'save'];

async function main(): Promise<void> {
  const flags = parseArgs(process.argv.slice(2));
  checkKnown(flags, TRAIN_SECTIONS, OTHER_FLAGS);
  if (readSwitch(flags, 'help')) {
    console.log(
      helpText(
        `npm run train -- [--json] [flags]   (also ${OTHER_FLAGS.map((f) => '--' + f).join(', ')})`,
        TRAIN_SECTIONS,
      ),
    );
    return;
  }
  const json = readSwitch(flags, 'json');
  // The models' modules (tfjs) load only here, after the flags were read: a mistake is
  // answered before they load.
  if (RUN_FILE_FLAGS.some((f) => Object.hasOwn(flags, f))) {
    // --load / --save: the page's training run, from and to .recsys-run files.
    const { runFileSession } = await import('./run-file-cli');
    const result = await runFileSession(flags, (line) => process.stderr.write(line + '\n'));
    console.log(JSON.stringify(result, null, json ? undefined : 2));
    return;
  }
  // --data: your own interactions instead of a world (data-train.ts, docs/own-data.md).
  const dataFlag = flags.data;
  const format = flags.format;
  const heldOut = flags['held-out'];
  delete flags.data;
  delete flags.format;
  delete flags['held-out'];
  const settings = experimentFromFlags(flags);
  if (dataFlag !== undefined) {
    const { dataPaths, dataFormat, dataHeldOut, runDataExperiment } = await import('./data-train');
    if (typeof dataFlag !== 'string')
      throw new ConfigError('data', '--data needs a file, files separated by commas, or a folder');
    const paths = dataPaths(dataFlag);
    const fmt = dataFormat(format);
    const held = dataHeldOut(heldOut);
    const { useBackend } = await import('../src/model/backend');
    const asked = settings.params.backend;
    const backend = await useBackend(asked === 'auto' ? undefined : (asked as BackendName));
    const result = await runDataExperiment(settings, paths, fmt, held, backend, (line) =>
      process.stderr.write(line + '\n'),
    );
    console.log(JSON.stringify(result, null, json ? undefined : 2));
    return;
  } else if (format !== undefined || heldOut !== undefined)
    throw new ConfigError(
      format !== undefined ? 'format' : 'held-out',
      `--${format !== undefined ? 'format' : 'held-out'} goes with --data (your own files)`,
    );
  const { runExperiment } = await import('./experiment');
  const { useBackend } = await import('../src/model/backend');
  const asked = settings.params.backend;
  const backend = await useBackend(asked === 'auto' ? undefined : (asked as BackendName));
  const result = await runExperiment(settings, backend, (line) =>
    process.stderr.write(line + '\n'),
  );
  if (json) console.log(JSON.stringify(result));
  else console.log(JSON.stringify(result, null, 2));
}

runCli(async () => {
  try {
    await main();
  } catch (e) {
    if (!(e instanceof DivergedError)) throw e;
    console.error(`diverged: ${e.message}; lower its learning rate`);
    process.exit(DIVERGED_EXIT);
  }
});
