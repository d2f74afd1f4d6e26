import { describe, expect, it } from 'vitest';
import type { PageToUmapWorker, UmapStage, UmapWorkerToPage } from '../protocol/umap';
import {
  UMAP_CANCELLED,
  isUmapCancelled,
  startUmap,
  type UmapWorkerFactory,
  type UmapWorkerPort,
} from './umap-client';

/** A worker that records what it is sent and answers only when the test says so. */
class FakeWorker implements UmapWorkerPort {
  sent: PageToUmapWorker[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<UmapWorkerToPage>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  postMessage(message: PageToUmapWorker) {
    this.sent.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  /** The id of the request it was sent. */
  get id() {
    return this.sent[0].id;
  }
  reply(message: UmapWorkerToPage) {
    this.onmessage?.({ data: message } as MessageEvent<UmapWorkerToPage>);
  }
  crash(message: string) {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
}

const input = () => ({ vectors: Float32Array.from([1, 2, 3, 4, 5, 6]), rows: 3, dim: 2, seed: 9 });

/** Starts a job on a fake worker, recording its progress reports. */
function start() {
  const worker = new FakeWorker();
  let created = 0;
  const factory: UmapWorkerFactory = () => {
    created++;
    return worker;
  };
  const progress: [number, UmapStage][] = [];
  const job = startUmap(input(), (f, s) => progress.push([f, s]), factory);
  return { worker, job, progress, created: () => created };
}

describe('startUmap', () => {
  it('sends one request to a new worker, relays progress and resolves with the result', async () => {
    const { worker, job, progress, created } = start();
    expect(created()).toBe(1);
    expect(worker.sent).toHaveLength(1);
    expect(worker.sent[0]).toMatchObject({ type: 'umap', rows: 3, dim: 2, seed: 9 });
    expect(Array.from(worker.sent[0].vectors)).toEqual([1, 2, 3, 4, 5, 6]);

    worker.reply({ type: 'umapProgress', id: worker.id, fraction: 0.25, stage: 'neighbours' });
    worker.reply({ type: 'umapProgress', id: worker.id + 1000, fraction: 0.9, stage: 'layout' });
    worker.reply({ type: 'umapProgress', id: worker.id, fraction: 0.5, stage: 'layout' });
    expect(progress).toEqual([
      [0.25, 'neighbours'],
      [0.5, 'layout'],
    ]);
    expect(worker.terminated).toBe(false);

    const coords = Float32Array.from([0, 1, 2, 3, 4, 5]);
    worker.reply({ type: 'umapResult', id: worker.id, coords, ms: 12, sampled: 3 });
    await expect(job.result).resolves.toEqual({ coords, ms: 12, sampled: 3 });
    expect(worker.terminated).toBe(true);

    // Nothing after the result reaches the caller; cancelling now changes nothing.
    worker.reply({ type: 'umapProgress', id: worker.id, fraction: 0.7, stage: 'layout' });
    job.cancel();
    expect(progress).toHaveLength(2);
    await expect(job.result).resolves.toMatchObject({ sampled: 3 });
  });

  it('gives every job its own id', () => {
    const a = start();
    const b = start();
    expect(a.worker.id).not.toBe(b.worker.id);
  });

  it('rejects with the worker’s message on an error reply and stops the worker', async () => {
    const { worker, job } = start();
    worker.reply({ type: 'umapError', id: worker.id, message: 'vectors[3] is NaN' });
    await expect(job.result).rejects.toThrow('vectors[3] is NaN');
    expect(worker.terminated).toBe(true);
  });

  it('cancel() stops the worker and rejects with a cancellation; later replies are ignored', async () => {
    const { worker, job, progress } = start();
    worker.reply({ type: 'umapProgress', id: worker.id, fraction: 0.1, stage: 'neighbours' });
    job.cancel();
    expect(worker.terminated).toBe(true);
    worker.reply({ type: 'umapProgress', id: worker.id, fraction: 0.2, stage: 'neighbours' });
    worker.reply({
      type: 'umapResult',
      id: worker.id,
      coords: new Float32Array(6),
      ms: 1,
      sampled: 3,
    });
    const error = await job.result.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(UMAP_CANCELLED);
    expect((error as Error).message).toMatch(/cancelled/);
    expect(isUmapCancelled(error)).toBe(true);
    expect(progress).toEqual([[0.1, 'neighbours']]);
    job.cancel(); // twice is harmless
  });

  it('rejects when the worker crashes, with its message, or when it cannot start', async () => {
    const crashed = start();
    crashed.worker.crash('out of memory');
    await expect(crashed.job.result).rejects.toThrow('the UMAP worker stopped: out of memory');
    expect(crashed.worker.terminated).toBe(true);
    expect(isUmapCancelled(await crashed.job.result.catch((e: unknown) => e))).toBe(false);

    const failed = start();
    failed.worker.crash('');
    await expect(failed.job.result).rejects.toThrow('the UMAP worker failed to start');

    const unreadable = start();
    unreadable.worker.onmessageerror?.({} as MessageEvent);
    await expect(unreadable.job.result).rejects.toThrow(/could not be read/);
    expect(unreadable.worker.terminated).toBe(true);

    const thrown = startUmap(
      input(),
      () => {},
      () => {
        throw new Error('Worker is not defined');
      },
    );
    await expect(thrown.result).rejects.toThrow(
      'the UMAP worker could not start: Worker is not defined',
    );
  });

  it('reports no unhandled rejection for a cancelled job nobody awaits', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      start().job.cancel();
      await new Promise((r) => setTimeout(r, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
