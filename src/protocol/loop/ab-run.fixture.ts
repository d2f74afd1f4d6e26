/**
 * Test fixture: a small valid `.recsys-run` file of given knobs, for the tests of run files as
 * A/B arms (src/protocol/loop/ab-run.test.ts, src/worker/loop/ab-run.test.ts).
 */
import { DEFAULT_TRAINING_PARAMS } from '../params';
import { encodeRunFile, type RunFileContents } from '../run-file';
import type { TrainingParams } from '../params/training';

/** A run file of knobs `params` (the two catalogue tables only: the arm reads the knobs and world). */
export function runFileOf(params: Partial<TrainingParams>, fingerprint = '0123456789abcdef') {
  const run: RunFileContents = {
    world: {
      settings: { seed: 7, videos: 1000, users: 500 },
      config: { seed: 7, videos: 1000, users: 500, days: 30 },
    },
    snapshot: {
      runId: 1,
      step: 200,
      params: { ...DEFAULT_TRAINING_PARAMS, ...params },
      weights: [
        { name: 'candidate.videoBias', data: new Float32Array(1000) },
        { name: 'mf.videoBias', data: new Float32Array(1000) },
      ],
      slots: [],
      counters: {},
      backend: 'wasm',
      world: fingerprint,
    },
    history: {
      steps: new Int32Array(0),
      loss: new Float32Array(0),
      mfLoss: new Float32Array(0),
      rankingLoss: new Float32Array(0),
      evals: [],
    },
    savedAt: '2026-12-03T12:00:00.000Z',
  };
  return encodeRunFile(run);
}
