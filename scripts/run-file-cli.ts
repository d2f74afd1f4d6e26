/**
 * `npm run train -- [--load run.recsys-run] [--save out.recsys-run] [--steps n] [flags]`: the
 * page's training run in Node (docs/run-files.md#cli). The session is the worker's own
 * (`TrainingSession`: candidate model, factorisation baseline, both rankers, one step of each
 * per loop step, an evaluation every EVAL_EVERY steps), so a file saved here loads in the page
 * and the other way round, and a run continued here from a file takes the very steps it would
 * have taken there on the same backend.
 *
 * With --load the file names its world and knobs: world flags and structural training flags
 * are refused (exit 2); live training flags (learning rate, sampler, …) apply from the next
 * step, as on the page. Without --load the run starts from the flags like `npm run train`.
 * --steps is the number of steps to train now (default: the flag's default with no file, 0
 * with one: load, report and save).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { useBackend, type BackendName } from '../src/model/backend';
import { EVAL_EVERY } from '../src/protocol/training';
import {
  TRAINING_PARAMS,
  WORLD_ROWS,
  checkTrainingParams,
  clonePlain,
  flagOf,
  type Param,
  type TrainingParams,
} from '../src/protocol/params';
import {
  RunFileError,
  decodeRunFile,
  encodeRunFile,
  type RunFileContents,
  type RunHistory,
} from '../src/protocol/run-file';
import { ConfigError } from '../src/sim/config';
import { generateWorld } from '../src/sim/world';
import type { EvalPoint } from '../src/protocol/training';
import { DivergedError, divergedModel } from '../src/worker/divergence';
import { buildTrainingData, TrainingSession } from '../src/worker/session';
import { EXPERIMENT_ROWS, NODE_BACKENDS, experimentFromFlags } from './experiment';
import { readFlags } from './flags';

/** The flags of this mode. */
export const RUN_FILE_FLAGS = ['load', 'save'] as const;

/** True when the command line asks for this mode (--load or --save given). */
export function wantsRunFile(flags: Record<string, string | boolean>): boolean {
  return RUN_FILE_FLAGS.some((f) => Object.hasOwn(flags, f));
}

/** The file name given to `--name`, or a ConfigError. */
function fileFlag(flags: Record<string, string | boolean>, name: string): string | null {
  if (!Object.hasOwn(flags, name)) return null;
  const v = flags[name];
  if (typeof v !== 'string' || v === '')
    throw new ConfigError(name, `--${name} needs a file name (e.g. --${name} run.recsys-run)`);
  return v;
}

const rows = (o: object) => Object.values(o) as Param<unknown>[];

/** Runs the mode; resolves with the JSON-able summary printed by `npm run train`. */
export async function runFileSession(
  flags: Record<string, string | boolean>,
  log: (line: string) => void,
): Promise<object> {
  const loadPath = fileFlag(flags, 'load');
  const savePath = fileFlag(flags, 'save');
  let loaded: RunFileContents | null = null;
  let worldSettings: Record<string, number>;
  let params: TrainingParams;
  let steps: number;
  if (loadPath) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(loadPath));
    } catch (e) {
      throw new ConfigError('load', `--load ${loadPath}: ${(e as Error).message}`);
    }
    try {
      loaded = decodeRunFile(bytes);
    } catch (e) {
      if (e instanceof RunFileError)
        throw new ConfigError('load', `--load ${loadPath}: ${e.code}: ${e.message}`);
      throw e;
    }
    const worldFlags = Object.keys(readFlags(flags, rows(WORLD_ROWS)));
    if (worldFlags.length)
      throw new ConfigError(
        worldFlags[0],
        `--${worldFlags[0]} cannot be combined with --load: the file names its world`,
      );
    const given = readFlags(flags, rows(TRAINING_PARAMS)) as Partial<TrainingParams>;
    for (const k of Object.keys(given) as (keyof TrainingParams)[])
      if (!TRAINING_PARAMS[k].live)
        throw new ConfigError(
          k,
          `--${flagOf(TRAINING_PARAMS[k] as Param<unknown>) ?? k} cannot change a loaded run (it needs a new one); live knobs can`,
        );
    params = { ...clonePlain(loaded.snapshot.params), ...given };
    const bad = checkTrainingParams(params);
    if (bad) throw new ConfigError('load', `--load ${loadPath}: ${bad}`);
    if (!NODE_BACKENDS.includes(params.backend)) params = { ...params, backend: 'auto' };
    worldSettings = loaded.world.settings;
    const s = readFlags(flags, rows(EXPERIMENT_ROWS)) as { steps?: number };
    steps = s.steps ?? 0;
  } else {
    const settings = experimentFromFlags(flags);
    params = settings.params;
    worldSettings = settings.world as Record<string, number>;
    steps = settings.steps;
  }

  const asked = params.backend;
  const backend = await useBackend(asked === 'auto' ? undefined : (asked as BackendName));
  let t = performance.now();
  const world = generateWorld(worldSettings);
  const data = buildTrainingData(world);
  log(
    `world: ${world.videos.count} videos, ${world.users.count} users (${(performance.now() - t).toFixed(0)} ms)`,
  );
  const session = new TrainingSession(data, loaded ? loaded.snapshot.params : params, 1);
  const history = {
    steps: [] as number[],
    loss: [] as number[],
    mfLoss: [] as number[],
    rankingLoss: [] as number[],
    evals: [] as EvalPoint[],
  };
  if (loaded) {
    try {
      session.load(loaded.snapshot);
    } catch (e) {
      session.dispose();
      const code = /another world/.test((e as Error).message) ? 'world-mismatch' : 'tampered-sizes';
      throw new ConfigError('load', `--load ${loadPath}: ${code}: ${(e as Error).message}`);
    }
    session.applyLive(params);
    const h = loaded.history;
    history.steps.push(...h.steps);
    history.loss.push(...h.loss);
    history.mfLoss.push(...h.mfLoss);
    history.rankingLoss.push(...h.rankingLoss);
    history.evals.push(...h.evals);
    log(
      `loaded ${loadPath}: step ${session.step}` +
        (loaded.snapshot.backend && loaded.snapshot.backend !== backend
          ? ` (saved on ${loaded.snapshot.backend}; on ${backend} the steps may differ in the last bits)`
          : ''),
    );
  } else {
    history.evals.push(await session.evaluate(() => performance.now()));
  }

  t = performance.now();
  const target = session.step + steps;
  while (session.step < target) {
    const l = await session.trainStep();
    // Every model, both rankers included, after every step (one line and exit code 3).
    const diverged = divergedModel({ ...l }, session.ranker.config.weighted);
    if (diverged) throw new DivergedError(diverged.model, session.step, diverged.loss);
    history.steps.push(session.step);
    history.loss.push(l.loss);
    history.mfLoss.push(l.mfLoss);
    history.rankingLoss.push(l.rankingLoss);
    if (session.step % EVAL_EVERY === 0) {
      const e = await session.evaluate(() => performance.now());
      while (history.evals.length && history.evals.at(-1)!.step >= e.step) history.evals.pop();
      history.evals.push(e);
      log(`step ${session.step}: loss ${l.loss.toFixed(4)}, recall@100 ${e.recall[2].toFixed(3)}`);
    }
  }
  const ms = performance.now() - t;
  const snapshot = await session.snapshot(backend);
  session.dispose();
  const runHistory: RunHistory = {
    steps: Int32Array.from(history.steps),
    loss: Float32Array.from(history.loss),
    mfLoss: Float32Array.from(history.mfLoss),
    rankingLoss: Float32Array.from(history.rankingLoss),
    evals: history.evals,
  };
  if (savePath) {
    const bytes = encodeRunFile({
      world: { settings: worldSettings, config: { ...world.config } as Record<string, number> },
      snapshot,
      history: runHistory,
    });
    await writeFile(savePath, bytes);
    log(`saved ${savePath} (${bytes.length} bytes, step ${snapshot.step})`);
  }
  const last = history.steps.length - 1;
  return {
    backend,
    seed: world.config.seed,
    step: snapshot.step,
    trained: steps,
    msPerStep: steps > 0 ? Math.round((ms / steps) * 100) / 100 : null,
    loaded: loadPath,
    saved: savePath,
    last:
      last >= 0
        ? {
            step: history.steps[last],
            loss: history.loss[last],
            mfLoss: history.mfLoss[last],
            rankingLoss: history.rankingLoss[last],
          }
        : null,
    recall: history.evals.at(-1)?.recall ?? null,
  };
}
