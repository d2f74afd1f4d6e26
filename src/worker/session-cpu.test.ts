/**
 * The snapshot on tfjs's plain-JS CPU backend, where `await tensor.data()` returns the tensor's
 * own storage: a snapshot that handed those arrays to postMessage's transfer list detached them
 * and emptied the towers' weights (the next step then failed or diverged). Here the snapshot
 * really crosses a thread boundary (structuredClone with its transfer list, as postMessage does)
 * and the session must train on exactly as if nothing had been sent.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import { transferablesOf } from '../protocol/transfer';
import type { SnapshotMessage, TrainingParams } from '../protocol/training';
import { generateWorld } from '../sim/world';
import { buildTrainingData, TrainingSession, type TrainingData } from './session';

/**
 * Small models: the plain-JS backend is slow, and the bug is about who owns the arrays, not
 * their size. One narrow ranker layer (the default [128, 64, 32] on 512-impression batches made
 * a step take seconds) still gives every model weights and optimiser slots to send.
 */
const PARAMS: TrainingParams = {
  ...DEFAULT_TRAINING_PARAMS,
  batch: 16,
  negatives: 16,
  depth: 1,
  rankingHidden: [16],
};

let data: TrainingData;
beforeAll(async () => {
  expect(await useBackend('cpu')).toBe('cpu');
  data = buildTrainingData(generateWorld({ seed: 5, videos: 200, users: 80, days: 12 }));
}, 60_000);

describe('snapshot on the CPU backend', () => {
  it('transfers copies: the weights stay, and training goes on as if nothing was sent', async () => {
    const sent = new TrainingSession(data, PARAMS, 1);
    const kept = new TrainingSession(data, PARAMS, 2);
    for (let i = 0; i < 3; i++) {
      await sent.trainStep();
      await kept.trainStep();
    }
    const snapshot = await sent.snapshot('cpu');
    const message: SnapshotMessage = { type: 'snapshot', runId: 1, snapshot, purpose: 'periodic' };
    const transfer = transferablesOf(message);
    const received = structuredClone(message, { transfer });
    expect(transfer.every((b) => b.byteLength === 0)).toBe(true); // the sender's arrays moved
    const layer = received.snapshot.weights.find((w) => w.name === 'candidate.layer0.w')!;
    expect(layer.data.length).toBeGreaterThan(0);

    // The session's own weights are whole: a second snapshot equals what was received.
    const again = await sent.snapshot('cpu');
    for (const [i, w] of again.weights.entries()) {
      expect(w.data.length, w.name).toBe(received.snapshot.weights[i].data.length);
      expect(w.data, w.name).toEqual(received.snapshot.weights[i].data);
    }
    for (const [i, w] of again.slots.entries())
      expect(w.data, w.name).toEqual(received.snapshot.slots[i].data);
    // And it trains on exactly like the session that sent nothing.
    for (let i = 0; i < 2; i++) expect(await sent.trainStep()).toEqual(await kept.trainStep());
    sent.dispose();
    kept.dispose();
  }, 60_000);
});
