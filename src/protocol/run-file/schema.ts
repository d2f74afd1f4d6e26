/**
 * The zod schema of a run file's JSON manifest (docs/run-files.md#manifest). zod gives one
 * declaration from which both the check and the TypeScript type come, with the path of the
 * first bad field in its message; the numeric checks that need the parameter table (ranges,
 * choices) are done after it by `checkTrainingParams`.
 */
import { z } from 'zod';
import { BACKEND_NAMES } from '../params';

// zod's fast path compiles validators with `new Function`, after probing whether eval is allowed;
// under a Content-Security-Policy without 'unsafe-eval' that probe is reported as a violation
// (README, Hosting). The plain interpreter validates these small manifests just as well.
z.config({ jitless: true });

/** The format's name in every manifest. */
export const RUN_FILE_FORMAT = 'recsys-run';

/** The one version of the format this app reads and writes. */
export const RUN_FILE_VERSION = 1;

/** A number that JSON may have turned into null (NaN and ±Infinity are written as null). */
const num = z
  .number()
  .nullable()
  .transform((x) => x ?? NaN);

/** One ranker's figures; loose like {@link evalPointSchema}, so later fields (the odds) are kept. */
const rankerSide = z.looseObject({
  watchPerImpression: num,
  clickbaitShare: num,
  weightedPerUserLoss: num,
  calibration: z.array(z.object({ predicted: num, actual: num })),
  oracleWatchPerImpression: num,
  randomWatchPerImpression: num,
});

/**
 * One evaluation point (protocol `EvalPoint`). Loose: fields added to `EvalPoint` later (a new
 * figure) are kept, not stripped, so a file keeps every figure its app wrote.
 */
export const evalPointSchema = z.looseObject({
  step: z.number().int().min(0),
  recall: z.array(num),
  mfRecall: z.array(num),
  popularRecall: z.array(num),
  heldOutLoss: num,
  ranking: z.object({ auc: num, weightedPerUserLoss: num, loss: num }).nullable(),
  watchTime: z.looseObject({ weighted: rankerSide, unweighted: rankerSide }).nullable().optional(),
  ms: num,
});

/** Where one typed array lies in the blob section, and its FNV-1a checksum. */
export const blobSchema = z.object({
  name: z.string().min(1).max(200),
  dtype: z.enum(['float32', 'int32']),
  /** Elements. */
  length: z.number().int().min(0),
  /** Bytes from the start of the blob section. */
  offset: z.number().int().min(0),
  /** FNV-1a of the blob's 32-bit little-endian words (`fnv1aWords`). */
  checksum: z.number().int().min(0).max(0xffffffff),
});

/**
 * The user's data a run was trained on (docs/own-data.md#run-files): absent for a generated
 * world. Loading such a run needs the same files loaded first.
 */
export const runDataSchema = z.object({
  /** The format read (`movielens`, `ml100k`, `ml1m`, `csv`). */
  format: z.string().max(40),
  /** The files' names as loaded. */
  files: z.array(z.string().max(300)).max(20),
  users: z.number().int().min(0),
  items: z.number().int().min(0),
  interactions: z.number().int().min(0),
  /** What was held out for recall (`last`, `time`): the same files held out otherwise differ. */
  heldOut: z.enum(['last', 'time']).optional(),
});

/** The manifest: everything but the arrays, which it lists in `blobs`. */
export const manifestSchema = z.object({
  format: z.literal(RUN_FILE_FORMAT),
  version: z.number().int(),
  /** The app that wrote it ('recsys-playground', a version). */
  app: z.string().max(100),
  /** When it was written (ISO 8601). */
  savedAt: z.string().max(40),
  world: z.object({
    /** The world's settings as the page states them (what the URL and Generate take). */
    settings: z.record(z.string(), z.number()),
    /** Every setting, defaults filled in. */
    config: z.record(z.string(), z.number()),
    /** `worldFingerprint` of the world the models were trained on (16 hex digits). */
    fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  }),
  /** Every training knob in effect (checked against the parameter table after this schema). */
  params: z.record(z.string(), z.unknown()),
  /** The backend the state was computed on (resume is bit-identical on the same one). */
  backend: z.enum(BACKEND_NAMES).nullable(),
  /** Steps taken. */
  step: z.number().int().min(0),
  /** Optimiser counters and stream positions (protocol `WeightSnapshot.counters`). */
  counters: z.record(z.string(), z.number()),
  /** The metric history: per-step series are blobs 'history.*'; evaluations here. */
  history: z.object({
    points: z.number().int().min(0),
    evals: z.array(evalPointSchema),
  }),
  blobs: z.array(blobSchema),
  /** The user's data the run was trained on; absent for a generated world. */
  data: runDataSchema.optional(),
});

/** The user's data a run was trained on, as the manifest holds it. */
export type RunData = z.output<typeof runDataSchema>;

/** A manifest as read (NaNs restored). */
export type RunManifest = z.output<typeof manifestSchema>;
