/**
 * Exact resume (docs/run-files.md#exact-resume): a run stopped at step N, snapshotted, sent
 * across a thread boundary (structuredClone with its transfer list, as postMessage does) and
 * loaded into a fresh session on the same world continues with the very losses of a run that
 * never stopped — all three reported losses, bit for bit, on the WASM backend in Node.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import { transferablesOf } from '../protocol/transfer';
import type { TrainingParams, WeightSnapshot } from '../protocol/training';
import { generateWorld } from '../sim/world';
import { buildTrainingData, TrainingSession, type StepLosses, type TrainingData } from './session';

/** Small batches keep a step at a few milliseconds; popularity negatives use the sampler. */
const PARAMS: TrainingParams = {
  ...DEFAULT_TRAINING_PARAMS,
  batch: 48,
  negatives: 40,
  sampler: 'popularity',
};
const N = 12;
const M = 10;

let data: TrainingData;
beforeAll(async () => {
  await useBackend('wasm');
  data = buildTrainingData(generateWorld({ seed: 4, videos: 300, users: 120, days: 16 }));
}, 60_000);

async function steps(s: TrainingSession, n: number): Promise<StepLosses[]> {
  const out: StepLosses[] = [];
  for (let i = 0; i < n; i++) out.push(await s.trainStep());
  return out;
}

/** The snapshot as the page receives it: cloned, its arrays transferred (the sender's detached). */
function acrossThreads(snapshot: WeightSnapshot): WeightSnapshot {
  const message = { type: 'snapshot' as const, runId: 1, snapshot, purpose: 'save' as const };
  const transfer = transferablesOf(message);
  const received = structuredClone(message, { transfer });
  expect(transfer.length).toBe(snapshot.weights.length + snapshot.slots.length);
  expect(transfer.every((b) => b.byteLength === 0)).toBe(true); // really moved
  return received.snapshot;
}

describe('TrainingSession snapshot and load', () => {
  it('continues bit for bit: N + M steps straight equal N, snapshot, load into a fresh session, M', async () => {
    const straight = new TrainingSession(data, PARAMS, 1);
    const expected = await steps(straight, N + M);
    straight.dispose();

    const first = new TrainingSession(data, PARAMS, 2);
    const before = await steps(first, N);
    expect(before).toEqual(expected.slice(0, N));
    await first.evaluate(() => 0); // evaluations draw nothing from the training streams
    const snapshot = acrossThreads(await first.snapshot('wasm'));
    expect(snapshot.step).toBe(N);
    expect(snapshot.backend).toBe('wasm');
    // Optimiser state is in: lazy-Adam moments of every table, the towers' Adam, the streams.
    expect(snapshot.slots.map((s) => s.name)).toContain('candidate.videoOut.m');
    expect(snapshot.slots.map((s) => s.name)).toContain('ranker.layer0.w.v');
    expect(snapshot.counters['candidate.adam.iterations']).toBe(N);
    expect(snapshot.counters['twin.videoBias.t']).toBeUndefined();
    expect(snapshot.counters['ranker.video.t']).toBe(N);
    expect(snapshot.counters['mf.rng']).toBeGreaterThan(0);
    // The first session still trains: the snapshot moved copies, not its weights.
    const after = await steps(first, M);
    expect(after).toEqual(expected.slice(N));
    first.dispose();

    const resumed = new TrainingSession(data, snapshot.params, 3);
    resumed.load(snapshot);
    expect(resumed.step).toBe(N);
    await resumed.evaluate(() => 0);
    const tail = await steps(resumed, M);
    resumed.dispose();
    expect(tail).toEqual(expected.slice(N));
    expect(tail.map((l) => l.loss)).toEqual(expected.slice(N).map((l) => l.loss));
  }, 60_000);

  it('differs without the optimiser state and the streams (the check above can fail)', async () => {
    const straight = new TrainingSession(data, PARAMS, 1);
    const expected = await steps(straight, N + M);
    const snapshot = await straight.snapshot();
    straight.dispose();
    const first = new TrainingSession(data, PARAMS, 2);
    await steps(first, N);
    const atN = await first.snapshot();
    first.dispose();
    // Weights only, as snapshots were before: fresh Adam moments and batch streams.
    const weightsOnly = new TrainingSession(data, PARAMS, 3);
    weightsOnly.candidate.importWeights(
      atN.weights
        .filter((w) => w.name.startsWith('candidate.'))
        .map((w) => ({ name: w.name.slice('candidate.'.length), data: w.data })),
    );
    const tail = await steps(weightsOnly, M);
    weightsOnly.dispose();
    expect(tail.map((l) => l.loss)).not.toEqual(expected.slice(N).map((l) => l.loss));
    expect(snapshot.step).toBe(N + M);
  }, 60_000);

  it('refuses a snapshot of another world or with a missing part, naming it', async () => {
    const s = new TrainingSession(data, PARAMS, 1);
    await steps(s, 2);
    const snap = await s.snapshot();
    const other = new TrainingSession(data, PARAMS, 2);
    expect(() => other.load({ ...snap, world: '0123456789abcdef' })).toThrow(/another world/);
    expect(() =>
      other.load({ ...snap, slots: snap.slots.filter((w) => w.name !== 'ranker.video.v') }),
    ).toThrow('ranker: no optimiser state "video.v"');
    const counters = { ...snap.counters };
    delete counters['candidate.rng'];
    expect(() => other.load({ ...snap, counters })).toThrow(/candidate: no counter "rng"/);
    const short = snap.weights.map((w) =>
      w.name === 'mf.videoOut' ? { name: w.name, data: w.data.subarray(1) } : w,
    );
    expect(() => other.load({ ...snap, weights: short })).toThrow(/mf: weights "videoOut" have/);
    s.dispose();
    other.dispose();
  }, 60_000);
});
