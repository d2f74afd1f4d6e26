import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_PARAMS } from '../params';
import {
  RUN_FILE_VERSION,
  RunFileError,
  decodeRunFile,
  encodeRunFile,
  encodeRunFileInSlices,
  runFileName,
  type RunFileContents,
} from '.';

const VIDEOS = 5;

/** A small run: two catalogue tables of VIDEOS rows, moments, counters, a 3-point history. */
function run(): RunFileContents {
  const f = (...x: number[]) => Float32Array.from(x);
  return {
    world: {
      settings: { seed: 7, videos: VIDEOS, users: 3 },
      config: { seed: 7, videos: VIDEOS, users: 3, days: 20 },
    },
    snapshot: {
      runId: 4,
      step: 3,
      params: { ...DEFAULT_TRAINING_PARAMS },
      weights: [
        { name: 'candidate.videoBias', data: f(0.1, -0.2, 0.3, 1e-8, -0) },
        { name: 'mf.videoBias', data: f(1, 2, 3, 4, 5) },
        { name: 'candidate.layer0.w', data: f(Math.PI, -Math.E) },
      ],
      slots: [{ name: 'candidate.videoBias.m', data: f(1e-30, 2, 3, 4, 5) }],
      counters: {
        'candidate.rng': 0.123456789012345,
        'candidate.adam.beta1Power': 0.7290000319480896,
      },
      backend: 'wasm',
      world: '0123456789abcdef',
    },
    history: {
      steps: Int32Array.from([1, 2, 3]),
      loss: f(6.5, 6.25, 6),
      mfLoss: f(7, 7, 7),
      rankingLoss: f(0.5, 0.4, NaN),
      evals: [
        {
          step: 0,
          recall: [0, 0.1, 0.2, 0.3],
          mfRecall: [0, 0, 0, 0],
          popularRecall: [0.1, 0.1, 0.1, 0.1],
          heldOutLoss: NaN,
          ranking: null,
          watchTime: null,
          ms: 3,
          // A figure this version's schema does not name is kept.
          ...{ map: 0.125 },
        },
      ],
    },
    savedAt: '2026-12-02T12:00:00.000Z',
  };
}

/** The code of the RunFileError that decoding `bytes` throws. */
function errorOf(bytes: Uint8Array): { code: string; message: string } {
  try {
    decodeRunFile(bytes);
  } catch (e) {
    if (e instanceof RunFileError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('decoded without an error');
}

/** Re-encodes `bytes` with its manifest changed by `edit` (the header's length follows). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test edits arbitrary manifest fields
function withManifest(bytes: Uint8Array, edit: (m: Record<string, any>) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const len = view.getUint32(12, true);
  const m = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + len)));
  edit(m);
  const json = new TextEncoder().encode(JSON.stringify(m));
  const out = new Uint8Array(16 + json.length + bytes.length - 16 - len);
  out.set(bytes.subarray(0, 16));
  new DataView(out.buffer).setUint32(12, json.length, true);
  out.set(json, 16);
  out.set(bytes.subarray(16 + len), 16 + json.length);
  return out;
}

describe('run files', () => {
  it('round-trips every array bit for bit, counters, history and settings', () => {
    const r = run();
    const bytes = encodeRunFile(r);
    expect(String.fromCharCode(...bytes.subarray(0, 8))).toBe('RECSYSRN');
    const back = decodeRunFile(bytes);
    expect(back.snapshot).toEqual({ ...r.snapshot, runId: 0 });
    expect(Object.is(back.snapshot.weights[0].data[4], -0)).toBe(true);
    expect(back.snapshot.counters['candidate.rng']).toBe(0.123456789012345);
    expect(back.history.steps).toEqual(r.history.steps);
    expect(back.history.rankingLoss[2]).toBeNaN();
    expect(back.history.evals[0].heldOutLoss).toBeNaN();
    expect(back.history.evals[0].recall).toEqual([0, 0.1, 0.2, 0.3]);
    expect((back.history.evals[0] as unknown as { map: number }).map).toBe(0.125);
    expect(back.world).toEqual(r.world);
    expect(back.manifest.version).toBe(RUN_FILE_VERSION);
    // Fresh arrays: changing the file's bytes afterwards changes nothing decoded.
    bytes.fill(0, bytes.length - 40);
    expect(back.history.loss[0]).toBe(6.5);
    expect(runFileName(7, 200)).toBe('recsys-seed7-step200.recsys-run');
    // Bytes inside a larger buffer at an odd offset (a Node Buffer from readFile) read the same.
    const big = new Uint8Array(bytes.length + 3);
    big.set(encodeRunFile(r), 3);
    const inner = Buffer.from(big.buffer, 3, bytes.length);
    expect(decodeRunFile(inner).snapshot.weights).toEqual(
      decodeRunFile(encodeRunFile(r)).snapshot.weights,
    );
  });

  it('writes the same bytes in slices', async () => {
    const r = run();
    r.snapshot.weights.push({ name: 'big', data: new Float32Array(600_000).fill(0.25) });
    let pauses = 0;
    const sliced = await encodeRunFileInSlices(r, async () => {
      pauses++;
    });
    expect(pauses).toBeGreaterThanOrEqual(1);
    expect(sliced.length).toBe(encodeRunFile(r).length);
    expect(Buffer.from(sliced).equals(Buffer.from(encodeRunFile(r)))).toBe(true); // byte for byte, fast
  });

  it('names a truncated file, wherever it was cut', () => {
    const bytes = encodeRunFile(run());
    for (const n of [3, 12, 40, bytes.length - 1])
      expect(errorOf(bytes.subarray(0, n)).code, `${n} bytes`).toBe('truncated');
    expect(errorOf(bytes.subarray(0, bytes.length - 1)).message).toMatch(
      /truncated: its arrays need \d+ bytes/,
    );
  });

  it('names a file of another version, and one that is no run file', () => {
    const bytes = encodeRunFile(run());
    const v2 = bytes.slice();
    new DataView(v2.buffer).setUint32(8, 2, true);
    expect(errorOf(v2)).toEqual({
      code: 'wrong-version',
      message: 'wrong version: this is a version 2 run file; this app reads version 1',
    });
    expect(errorOf(new TextEncoder().encode('{"format":"recsys-run","version":1}')).code).toBe(
      'not-a-run-file',
    );
  });

  it('names tampered sizes: a longer blob, bytes left over, a changed byte, a short series', () => {
    const bytes = encodeRunFile(run());
    const longer = withManifest(bytes, (m) => (m.blobs[0].length += 1));
    expect(errorOf(longer).code).toBe('tampered-sizes');
    const extra = new Uint8Array(bytes.length + 4);
    extra.set(bytes);
    expect(errorOf(extra)).toMatchObject({
      code: 'tampered-sizes',
      message: expect.stringMatching(/4 bytes after/),
    });
    const flipped = bytes.slice();
    flipped[flipped.length - 5] ^= 1;
    expect(errorOf(flipped).message).toMatch(/do not match their checksum/);
    const points = withManifest(bytes, (m) => (m.history.points = 2));
    expect(errorOf(points)).toMatchObject({
      code: 'tampered-sizes',
      message: expect.stringMatching(/history\/steps has 3 points/),
    });
  });

  it('names a bad manifest, bad knobs and weights of another world', () => {
    const bytes = encodeRunFile(run());
    expect(errorOf(withManifest(bytes, (m) => delete m.step))).toMatchObject({
      code: 'bad-manifest',
      message: expect.stringMatching(/^bad manifest: step:/),
    });
    expect(errorOf(withManifest(bytes, (m) => (m.params.negatives = 0)))).toMatchObject({
      code: 'bad-params',
      message: expect.stringMatching(/negatives/),
    });
    expect(errorOf(withManifest(bytes, (m) => (m.world.config.videos = 6)))).toEqual({
      code: 'world-mismatch',
      message: `the weights "candidate.videoBias" are for ${VIDEOS} videos, the file's world has 6`,
    });
  });
});
