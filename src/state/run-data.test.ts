import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import { decodeRunFile, encodeRunFile, type RunFileContents } from '../protocol/run-file';
import type { DatasetInfo } from '../sim/import/data-world';
import { needsDataProblem, runDataOf, sameData } from './run-data';

const dataset = {
  format: 'ml100k',
  heldOut: 'last',
  files: ['u.data', 'u.item'],
  users: 400,
  items: 300,
  interactions: 16000,
} as DatasetInfo;

/** A small run file, of `data` when given. */
function contents(data?: RunFileContents['data']): RunFileContents {
  return {
    world: { settings: { seed: 7, videos: 3 }, config: { seed: 7, videos: 3 } },
    snapshot: {
      runId: 1,
      step: 5,
      params: { ...DEFAULT_TRAINING_PARAMS },
      weights: [
        { name: 'candidate.videoBias', data: new Float32Array(3) },
        { name: 'mf.videoBias', data: new Float32Array(3) },
      ],
      slots: [],
      counters: {},
      backend: 'wasm',
      world: '0123456789abcdef',
    },
    history: {
      steps: new Int32Array(0),
      loss: new Float32Array(0),
      mfLoss: new Float32Array(0),
      rankingLoss: new Float32Array(0),
      evals: [],
    },
    ...(data && { data }),
  };
}

describe('a run file of the user’s data', () => {
  it('names the data in its manifest; a generated world’s file names none', () => {
    const data = runDataOf(dataset);
    expect(decodeRunFile(encodeRunFile(contents(data))).data).toEqual({
      format: 'ml100k',
      files: ['u.data', 'u.item'],
      users: 400,
      items: 300,
      interactions: 16000,
      heldOut: 'last',
    });
    expect(decodeRunFile(encodeRunFile(contents())).data).toBeUndefined();
  });

  it('loads only on the same data, and says which data it needs', () => {
    const d = runDataOf(dataset);
    const on = (x: DatasetInfo | null, pendingRequest: number | null = null) =>
      sameData({ dataset: x, pendingRequest }, d);
    expect(on(dataset)).toBe(true);
    expect(on({ ...dataset, files: ['u.item', 'u.data'] })).toBe(true);
    expect(on(dataset, 3)).toBe(false);
    expect(on(null)).toBe(false);
    expect(on({ ...dataset, interactions: 15999 })).toBe(false);
    expect(on({ ...dataset, heldOut: 'time' })).toBe(false);
    expect(needsDataProblem('a.recsys-run', d, false)).toEqual({
      code: 'needs-data',
      message:
        'a.recsys-run was trained on your data, u.data + u.item (ml100k: 400 users × 300 items, 16000 interactions, held out: last), and a run file does not hold the files: pick them (or load them on the Data tab first) and the run loads on them.',
    });
    expect(needsDataProblem('a.recsys-run', d, true).message).toContain(
      'not on the data loaded now: pick those files',
    );
  });
});
