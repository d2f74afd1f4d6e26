/**
 * `npm run loop -- [--rounds 10] [--seed 7] [--json] [flags]`: the closed loop (docs/loop.md) in
 * Node on the fastest backend here (WASM): the trained two-stage recommender, the same with
 * example age off, the same with ε exploration and the world's legacy recommender each serve
 * the same simulated users day after day, the models retraining on what their users did; one
 * table of per-round metrics per policy (or, with --json, one JSON object).
 *
 * `npm run loop -- --ab negatives|weighting|<lesson>:<variant>,<lesson>:<variant> [--ab-days 3]
 * [--ab-users 4000] [--seed 7] [--json]`: the simulated A/B test instead: two models (a preset,
 * or any two lesson variants, e.g. `watch-time:ctr,weighted`) serve randomised halves of the users; the online
 * differences with 95% intervals and the users needed to detect them, beside the models'
 * offline recall@100, MAP and AUC.
 *
 * Every flag is a row of src/protocol/loop/settings.ts; a bad one answers one line naming it
 * and its range, exit code 2, before anything is built. Progress goes to stderr.
 */
import { parseArgs } from './args';
import { helpText, readSwitch, runCli } from './flags';
import { abReport, f, loopTable, SECTIONS, settingsFromFlags, USAGE } from './loop-flags';

async function main(): Promise<void> {
  const flags = parseArgs(process.argv.slice(2));
  if (readSwitch(flags, 'help')) {
    console.log(helpText(`${USAGE}\n  (also --json, --help)`, SECTIONS));
    return;
  }
  const json = readSwitch(flags, 'json');
  const run = settingsFromFlags(flags);
  // tfjs loads only now, after the flags were read.
  const { useBackend } = await import('../src/model/backend');
  const { runLoop } = await import('../src/worker/loop/runner');
  const { runAb } = await import('../src/worker/loop/ab');
  await useBackend();
  const t0 = performance.now();
  const onProgress = (p: { message: string }) =>
    process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0)} s] ${p.message}\n`);
  if (run.mode === 'ab') {
    const result = await runAb(run.settings, { onProgress });
    console.log(json ? JSON.stringify(result) : abReport(result));
    return;
  }
  const result = await runLoop(run.settings, {
    onProgress,
    onRound: (id, m) =>
      process.stderr.write(
        `  ${id} round ${m.round}: true min/user ${f(m.welfare, 1)}, coverage ${f(m.coverage, 3)}, Gini ${f(m.gini, 3)}, recall own ${f(m.recallNext, 3)} (${m.seconds.toFixed(1)} s)\n`,
      ),
  });
  console.log(json ? JSON.stringify(result) : loopTable(result));
}

runCli(main);
