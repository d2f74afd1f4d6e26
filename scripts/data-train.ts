/**
 * `npm run train -- --data <file,file|dir> [--format movielens|ml100k|ml1m|csv]
 * [--held-out last|time] [flags]`:
 * loads your own interactions (src/sim/import, docs/own-data.md), trains candidate generation
 * and the factorisation baseline on them and prints recall@k against most-popular. The ranker
 * and the oracle are left out: the data has no unclicked impressions and no ground truth.
 * `--data` takes files separated by commas, or a folder (its MovieLens files are picked:
 * u.data + u.item, ratings.csv + movies.csv, ratings.dat + movies.dat).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildCandidateExamples } from '../src/sim/examples';
import { ConfigError } from '../src/sim/config';
import { HELD_OUTS, worldFromInteractions, type HeldOut } from '../src/sim/import/data-world';
import {
  DATA_FORMATS,
  DataError,
  checkFileSizes,
  detectFormat,
  fileDialect,
  fileRole,
  type DataFormat,
} from '../src/sim/import/formats';
import { parseDataFiles } from '../src/sim/import/parse';
import type { BackendName } from '../src/model/backend';
import { popularBaseline, trainCandidate } from '../src/model/candidate/train';
import { checkLoss } from '../src/worker/divergence';
import type { ExperimentSettings } from './train-flags';

/** The files a folder holds that a format knows. */
const KNOWN = ['u.data', 'u.item', 'ratings.csv', 'movies.csv', 'ratings.dat', 'movies.dat'];

/** The paths named by `--data` (a folder gives its MovieLens files). */
export function dataPaths(arg: string): string[] {
  const out: string[] = [];
  for (const p of arg.split(',').filter((s) => s !== '')) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new ConfigError('data', `--data: no file or folder ${p}`);
    }
    if (st.isDirectory()) {
      const found = readdirSync(p).filter((f) => KNOWN.includes(f));
      if (found.length === 0)
        throw new ConfigError('data', `--data: the folder ${p} holds none of ${KNOWN.join(', ')}`);
      out.push(...found.map((f) => join(p, f)));
    } else out.push(p);
  }
  if (out.length === 0) throw new ConfigError('data', '--data needs a file or a folder');
  return out;
}

/** `--format`, checked. */
export function dataFormat(v: string | boolean | undefined): DataFormat | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(DATA_FORMATS as readonly string[]).includes(v))
    throw new ConfigError(
      'format',
      `--format must be one of ${DATA_FORMATS.join(', ')} (got ${JSON.stringify(v)})`,
    );
  return v as DataFormat;
}

/** `--held-out`, checked (default `last`: each user's last interaction). */
export function dataHeldOut(v: string | boolean | undefined): HeldOut {
  if (v === undefined) return 'last';
  if (typeof v !== 'string' || !(HELD_OUTS as readonly string[]).includes(v))
    throw new ConfigError(
      'held-out',
      `--held-out must be one of ${HELD_OUTS.join(', ')} (got ${JSON.stringify(v)})`,
    );
  return v as HeldOut;
}

const round = (x: number): number => Math.round(x * 10000) / 10000;
const roundAll = (r: Record<number, number>): Record<number, number> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]));

/**
 * Loads the files, trains and returns the JSON-able result. A bad file (or one over the limits,
 * refused before it is read) throws a ConfigError with the file, line and column: one line, exit 2.
 */
export async function runDataExperiment(
  s: ExperimentSettings,
  paths: string[],
  format: DataFormat | undefined,
  heldOut: HeldOut,
  backend: BackendName,
  log: (line: string) => void,
): Promise<object> {
  try {
    return await loadAndTrain(s, paths, format, heldOut, backend, log);
  } catch (e) {
    // A bad file is one line and exit code 2, like a bad flag.
    if (e instanceof DataError) throw new ConfigError('data', e.message);
    throw e;
  }
}

async function loadAndTrain(
  s: ExperimentSettings,
  paths: string[],
  format: DataFormat | undefined,
  heldOut: HeldOut,
  backend: BackendName,
  log: (line: string) => void,
): Promise<object> {
  const t0 = performance.now();
  const fmt = format ?? detectFormat(paths);
  // Sizes first: a file over the limit is refused before it is read.
  const sized = paths.map((p) => ({ name: p, size: statSync(p).size }));
  checkFileSizes(sized);
  const files = sized.map((f) => ({
    ...f,
    content: readFileSync(f.name, fileDialect(fmt, fileRole(f.name, fmt)).encoding),
  }));
  const interactions = await parseDataFiles(files, fmt);
  const parseMs = performance.now() - t0;
  const { world, info } = worldFromInteractions(interactions, heldOut);
  const train = buildCandidateExamples(world, {
    split: 'train',
    label: s.label,
    perUserCap: s.candidate.perUserCap,
  });
  const test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
  const loadMs = performance.now() - t0;
  log(
    `data: ${info.users} users, ${info.items} items, ${info.interactions} interactions (${fmt}; parsed in ${(parseMs / 1000).toFixed(1)} s, examples ready at ${(loadMs / 1000).toFixed(1)} s); held out (${heldOut === 'last' ? "each user's last" : `from ${info.splitDate}`}): ${info.heldOutInteractions} interactions of ${info.heldOutUsers} users`,
  );
  log(`candidate examples: ${train.count} train (${s.label}), ${test.count} test next watches`);
  // The data has no searches and no demographics: those inputs would be empty or constant.
  const config = {
    ...s.candidate,
    features: { ...s.candidate.features, searches: false, demographics: false },
  };
  let t = performance.now();
  const cand = await trainCandidate(
    world,
    train,
    test,
    config,
    s.steps,
    s.evalExamples,
    (step, loss) => log(`candidate step ${step}/${s.steps}: loss ${loss.toFixed(3)}`),
    (step, loss) => checkLoss('candidate generation', step, loss),
  );
  const candMs = performance.now() - t;
  log(
    `candidate: recall@100 ${cand.metrics.recallAt[100].toFixed(3)} (${(candMs / 1000).toFixed(0)} s)`,
  );
  t = performance.now();
  const mf = await trainCandidate(
    world,
    train,
    test,
    { ...config, userInput: 'id' },
    s.mfSteps,
    s.evalExamples,
    (step, loss) => log(`factorisation step ${step}/${s.mfSteps}: loss ${loss.toFixed(3)}`),
    (step, loss) => checkLoss('the factorisation baseline', step, loss),
  );
  const mfMs = performance.now() - t;
  const popular = popularBaseline(world, test, s.evalExamples);
  log(
    `baselines: most-popular ${popular.recallAt[100].toFixed(3)}, factorisation ${mf.metrics.recallAt[100].toFixed(3)}`,
  );
  cand.model.dispose();
  mf.model.dispose();
  return {
    backend,
    data: info,
    config: { ...config, label: s.label, steps: s.steps },
    retrieval: {
      recallAt: roundAll(cand.metrics.recallAt),
      map: round(cand.metrics.map),
      examples: cand.metrics.examples,
    },
    baselines: {
      popular: { recallAt: roundAll(popular.recallAt), map: round(popular.map) },
      mf: { recallAt: roundAll(mf.metrics.recallAt), map: round(mf.metrics.map) },
    },
    notShown:
      'the ranker, the watch-time view and the oracle: the data has no unclicked impressions and no ground truth',
    ms: {
      load: Math.round(loadMs),
      candidate: Math.round(candMs),
      mf: Math.round(mfMs),
    },
  };
}
