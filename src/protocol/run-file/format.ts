/**
 * The `.recsys-run` file: one training run — its world's settings and fingerprint, every knob,
 * the step, every model's weights and optimiser state, the batch streams' positions and the
 * metric history — in a small versioned binary container (docs/run-files.md):
 *
 * ```
 * offset 0   8 bytes   magic "RECSYSRN"
 *        8   uint32    format version (little-endian), RUN_FILE_VERSION
 *       12   uint32    manifest length L in bytes
 *       16   L bytes   manifest: UTF-8 JSON (schema.ts), listing every blob
 *   16 + L   …         blobs: the typed arrays' little-endian bytes, back to back
 * ```
 *
 * Pure TypeScript (no tfjs, no DOM): the page, the worker and the CLI share it. Decoding checks
 * everything before returning anything, and throws a {@link RunFileError} whose `code` names
 * what is wrong.
 */
import { checkTrainingParams, defaultTrainingParams } from '../params';
import type { EvalPoint, ModelWeights, TrainingParams, WeightSnapshot } from '../training';
import { fnv1aWords } from './hash';
import {
  RUN_FILE_FORMAT,
  RUN_FILE_VERSION,
  manifestSchema,
  type RunData,
  type RunManifest,
} from './schema';

export { RUN_FILE_VERSION } from './schema';

/** The file's first eight bytes. */
export const RUN_FILE_MAGIC = 'RECSYSRN';

/** The file name extension. */
export const RUN_FILE_EXTENSION = '.recsys-run';

const HEADER_BYTES = 16;

// The shared code's environment has neither DOM nor Node types; both have these globals.
declare const TextEncoder: { new (): { encode(text: string): Uint8Array } };
declare const TextDecoder: {
  new (label: string, options: { fatal: boolean }): { decode(bytes: Uint8Array): string };
};

/**
 * What can be wrong with a run file:
 * - `not-a-run-file`: it does not start with the magic bytes;
 * - `wrong-version`: another version of the format (the message names both);
 * - `truncated`: shorter than its header and manifest say;
 * - `tampered-sizes`: sizes that contradict each other (a blob outside the file, overlapping
 *   blobs, bytes left over, a series of another length, weights of another size than the
 *   model of its settings needs) or a checksum that does not match;
 * - `bad-manifest`: the manifest is not JSON or fails the schema (the message names the field);
 * - `bad-params`: a knob outside its range;
 * - `world-mismatch`: the weights do not fit the file's world, or the world the worker built
 *   is not the one the run was trained on.
 */
export type RunFileErrorCode =
  | 'not-a-run-file'
  | 'wrong-version'
  | 'truncated'
  | 'tampered-sizes'
  | 'bad-manifest'
  | 'bad-params'
  | 'world-mismatch';

/** A named run-file problem. */
export class RunFileError extends Error {
  override name = 'RunFileError';
  constructor(
    readonly code: RunFileErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The metric history of a run: aligned per-step series and the evaluations. */
export interface RunHistory {
  steps: Int32Array;
  /** Candidate, factorisation and ranker training losses at those steps (nats). */
  loss: Float32Array;
  mfLoss: Float32Array;
  rankingLoss: Float32Array;
  evals: EvalPoint[];
}

/** Everything a run file holds. */
export interface RunFileContents {
  world: {
    /** The page's world settings (what Generate and the URL take). */
    settings: Record<string, number>;
    /** Every world setting, defaults filled in. */
    config: Record<string, number>;
  };
  /** The run's state (its runId is not saved; `world` is the fingerprint). */
  snapshot: WeightSnapshot;
  history: RunHistory;
  /** ISO time of saving (default: now). */
  savedAt?: string;
  /** The user's data the run was trained on (docs/own-data.md); absent for a generated world. */
  data?: RunData;
}

/** The name a saved run gets: seed and step in it, e.g. `recsys-seed7-step200.recsys-run`. */
export function runFileName(seed: number, step: number): string {
  return `recsys-seed${seed}-step${step}${RUN_FILE_EXTENSION}`;
}

type Blob32 = { name: string; data: Float32Array | Int32Array };

/** Writes `run` as a `.recsys-run` file. Throws a RangeError if the history's series differ in length. */
export function encodeRunFile(run: RunFileContents): Uint8Array {
  const steps = encoder(run);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * {@link encodeRunFile} in slices: `pause` is awaited after each megabyte or so is summed or
 * copied, so that a large file (the page's autosave) never holds the main
 * thread for long. Same bytes.
 */
export async function encodeRunFileInSlices(
  run: RunFileContents,
  pause: () => Promise<void>,
): Promise<Uint8Array> {
  const steps = encoder(run);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await pause();
  }
}

/** Bytes summed or copied between two slices of {@link encodeRunFileInSlices}. */
const SLICE_BYTES = 1 << 20;

/** The encoder, yielding between slices of work. */
function* encoder(run: RunFileContents): Generator<void, Uint8Array> {
  const { snapshot: s, history: h } = run;
  const n = h.steps.length;
  if ([h.loss, h.mfLoss, h.rankingLoss].some((a) => a.length !== n))
    throw new RangeError('the history series must have one value per step');
  const arrays: Blob32[] = [
    ...s.weights.map((w) => ({ name: `weights/${w.name}`, data: w.data })),
    ...s.slots.map((w) => ({ name: `slots/${w.name}`, data: w.data })),
    { name: 'history/steps', data: h.steps },
    { name: 'history/loss', data: h.loss },
    { name: 'history/mfLoss', data: h.mfLoss },
    { name: 'history/rankingLoss', data: h.rankingLoss },
  ];
  let offset = 0;
  let work = 0;
  const blobs: RunManifest['blobs'] = [];
  for (const { name, data } of arrays) {
    const bytes = littleEndianBytes(data);
    blobs.push({
      name,
      dtype: data instanceof Int32Array ? 'int32' : 'float32',
      length: data.length,
      offset,
      checksum: fnv1aWords(bytes),
    });
    offset += bytes.length;
    if ((work += bytes.length) >= SLICE_BYTES) {
      work = 0;
      yield;
    }
  }
  const manifest: RunManifest = {
    format: RUN_FILE_FORMAT,
    version: RUN_FILE_VERSION,
    app: 'recsys-playground',
    savedAt: run.savedAt ?? new Date().toISOString(),
    world: { ...run.world, fingerprint: s.world },
    params: s.params as unknown as Record<string, unknown>,
    backend: s.backend,
    step: s.step,
    counters: s.counters,
    history: { points: n, evals: h.evals as unknown as RunManifest['history']['evals'] },
    blobs,
    ...(run.data && { data: run.data }),
  };
  const json = new TextEncoder().encode(JSON.stringify(manifest));
  const out = new Uint8Array(HEADER_BYTES + json.length + offset);
  for (let i = 0; i < 8; i++) out[i] = RUN_FILE_MAGIC.charCodeAt(i);
  const view = new DataView(out.buffer);
  view.setUint32(8, RUN_FILE_VERSION, true);
  view.setUint32(12, json.length, true);
  out.set(json, HEADER_BYTES);
  let at = HEADER_BYTES + json.length;
  for (const { data } of arrays) {
    const bytes = littleEndianBytes(data);
    out.set(bytes, at);
    at += bytes.length;
    if ((work += bytes.length) >= SLICE_BYTES) {
      work = 0;
      yield;
    }
  }
  return out;
}

/**
 * Reads a `.recsys-run` file. Checks, in this order: the magic, the version, the header's
 * sizes against the file's length, the manifest (JSON, schema, knobs), the blobs' places,
 * lengths and checksums, the history's lengths, and that the tables fit the file's world.
 * Returns fresh arrays (the input is not kept). Throws a {@link RunFileError}.
 */
export function decodeRunFile(bytes: Uint8Array): RunFileContents & { manifest: RunManifest } {
  if (bytes.length < 8 || String.fromCharCode(...bytes.subarray(0, 8)) !== RUN_FILE_MAGIC)
    throw new RunFileError(
      bytes.length < 8 && RUN_FILE_MAGIC.startsWith(String.fromCharCode(...bytes))
        ? 'truncated'
        : 'not-a-run-file',
      bytes.length < 8
        ? `the file is truncated: ${bytes.length} bytes, not even a header`
        : `not a run file: it does not start with "${RUN_FILE_MAGIC}"`,
    );
  if (bytes.length < HEADER_BYTES)
    throw new RunFileError(
      'truncated',
      `the file is truncated: ${bytes.length} bytes, the header alone is ${HEADER_BYTES}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== RUN_FILE_VERSION)
    throw new RunFileError(
      'wrong-version',
      `wrong version: this is a version ${version} run file; this app reads version ${RUN_FILE_VERSION}`,
    );
  const jsonLength = view.getUint32(12, true);
  if (HEADER_BYTES + jsonLength > bytes.length)
    throw new RunFileError(
      'truncated',
      `the file is truncated: its manifest needs ${jsonLength} bytes after the header, ${bytes.length - HEADER_BYTES} are there`,
    );
  let json: unknown;
  try {
    json = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(
        bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength),
      ),
    );
  } catch (e) {
    throw new RunFileError(
      'bad-manifest',
      `the manifest is not valid JSON (${e instanceof Error ? e.message : e})`,
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RunFileError(
      'bad-manifest',
      `bad manifest: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const m = parsed.data;
  if (m.version !== version)
    throw new RunFileError(
      'tampered-sizes',
      `the header says version ${version}, the manifest ${m.version}`,
    );
  // A knob added after the file was written takes its default: the run was trained with it.
  const params = { ...defaultTrainingParams(), ...m.params } as unknown as TrainingParams;
  const bad = checkTrainingParams(params);
  if (bad) throw new RunFileError('bad-params', `bad training settings in the file: ${bad}`);

  // The blobs: inside the file, in order, not overlapping, covering it exactly, intact.
  const start = HEADER_BYTES + jsonLength;
  const available = bytes.length - start;
  let end = 0;
  for (const b of m.blobs) {
    if (b.offset !== end)
      throw new RunFileError(
        'tampered-sizes',
        `blob "${b.name}" starts at byte ${b.offset}, the previous ends at ${end}`,
      );
    end = b.offset + 4 * b.length;
  }
  if (end > available)
    throw new RunFileError(
      'truncated',
      `the file is truncated: its arrays need ${end} bytes after the manifest, ${available} are there`,
    );
  if (end < available)
    throw new RunFileError(
      'tampered-sizes',
      `${available - end} bytes after the last array, which the manifest does not list`,
    );
  const arrays = new Map<string, Float32Array | Int32Array>();
  for (const b of m.blobs) {
    const raw = bytes.subarray(start + b.offset, start + b.offset + 4 * b.length);
    if (fnv1aWords(raw) !== b.checksum)
      throw new RunFileError(
        'tampered-sizes',
        `the bytes of "${b.name}" do not match their checksum`,
      );
    if (arrays.has(b.name)) throw new RunFileError('tampered-sizes', `"${b.name}" is listed twice`);
    arrays.set(b.name, fromLittleEndian(raw, b.dtype, b.length));
  }
  const series = (name: string, dtype: 'float32' | 'int32') => {
    const a = arrays.get(`history/${name}`);
    if (!a || (dtype === 'int32') !== a instanceof Int32Array)
      throw new RunFileError('bad-manifest', `no ${dtype} array "history/${name}"`);
    if (a.length !== m.history.points)
      throw new RunFileError(
        'tampered-sizes',
        `history/${name} has ${a.length} points, the manifest says ${m.history.points}`,
      );
    return a;
  };
  const history: RunHistory = {
    steps: series('steps', 'int32') as Int32Array,
    loss: series('loss', 'float32') as Float32Array,
    mfLoss: series('mfLoss', 'float32') as Float32Array,
    rankingLoss: series('rankingLoss', 'float32') as Float32Array,
    evals: m.history.evals as EvalPoint[],
  };
  const named = (prefix: string): ModelWeights[] =>
    m.blobs
      .filter((b) => b.name.startsWith(prefix))
      .map((b) => {
        const data = arrays.get(b.name)!;
        if (!(data instanceof Float32Array))
          throw new RunFileError('bad-manifest', `"${b.name}" must be float32`);
        return { name: b.name.slice(prefix.length), data };
      });
  const weights = named('weights/');
  const slots = named('slots/');

  // The tables that span the catalogue must have one row per video of the file's world.
  const videos = m.world.config.videos;
  for (const name of ['candidate.videoBias', 'mf.videoBias']) {
    const w = weights.find((x) => x.name === name);
    if (!w) throw new RunFileError('bad-manifest', `no weights "${name}"`);
    if (w.data.length !== videos)
      throw new RunFileError(
        'world-mismatch',
        `the weights "${name}" are for ${w.data.length} videos, the file's world has ${videos}`,
      );
  }
  const snapshot: WeightSnapshot = {
    runId: 0,
    step: m.step,
    params,
    weights,
    slots,
    counters: m.counters,
    backend: m.backend,
    world: m.world.fingerprint,
  };
  return {
    manifest: m,
    world: { settings: m.world.settings, config: m.world.config },
    snapshot,
    history,
    savedAt: m.savedAt,
    ...(m.data && { data: m.data }),
  };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The array's bytes in little-endian order (a view when the machine is little-endian). */
function littleEndianBytes(a: Float32Array | Int32Array): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (LITTLE_ENDIAN) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 4)
    for (let k = 0; k < 4; k++) out[i + k] = bytes[i + 3 - k];
  return out;
}

/** A fresh typed array from little-endian bytes (copied, so any alignment is fine). */
function fromLittleEndian(
  raw: Uint8Array,
  dtype: 'float32' | 'int32',
  length: number,
): Float32Array | Int32Array {
  // A copy into a buffer of its own (not `raw.slice()`: a Node Buffer's slice is a view).
  const copy = new Uint8Array(raw.length);
  copy.set(raw);
  if (!LITTLE_ENDIAN)
    for (let i = 0; i < copy.length; i += 4) {
      [copy[i], copy[i + 3]] = [copy[i + 3], copy[i]];
      [copy[i + 1], copy[i + 2]] = [copy[i + 2], copy[i + 1]];
    }
  return dtype === 'int32'
    ? new Int32Array(copy.buffer, 0, length)
    : new Float32Array(copy.buffer, 0, length);
}
