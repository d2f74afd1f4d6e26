import { describe, expect, it } from 'vitest';
import {
  defaultAbSettings,
  defaultLoopSettings,
  type LoopResult,
  type LoopWorkerToPage,
  type PageToLoopWorker,
  type RoundMetrics,
} from '../../state/loop-protocol';
import { createLoopStore, type LoopWorkerLike } from '../../state/loop-store';
import { loopCurveData, loopTableRows } from './loop-data';

/** A fake worker: records what it was sent; `emit` answers as the worker would. */
class FakeWorker implements LoopWorkerLike {
  sent: PageToLoopWorker[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<LoopWorkerToPage>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(m: PageToLoopWorker) {
    this.sent.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  emit(m: LoopWorkerToPage) {
    this.onmessage?.({ data: m } as MessageEvent<LoopWorkerToPage>);
  }
}

const round = (r: number, coverage: number): RoundMetrics =>
  ({ round: r, day: 29 + r, coverage, recallNext: null }) as RoundMetrics;

describe('the Feedback loop store and its chart data', () => {
  it('runs the loop in a worker: rounds as they come, then the result', () => {
    const workers: FakeWorker[] = [];
    let t = 0;
    const store = createLoopStore(
      () => {
        const w = new FakeWorker();
        workers.push(w);
        return w;
      },
      () => (t += 1000),
    );
    const settings = {
      ...defaultLoopSettings(),
      rounds: 2,
      policies: {
        model: true,
        ageOff: false,
        explore: false,
        frozen: false,
        legacy: true,
        oracle: false,
      },
    };
    store.getState().startLoop(settings);
    const w = workers[0];
    expect(w.sent).toEqual([{ type: 'runLoop', jobId: 1, settings }]);
    expect(store.getState().loop?.status).toBe('running');
    w.emit({
      type: 'loopProgress',
      jobId: 1,
      progress: { phase: 'train', fraction: 0.2, message: 'x' },
    });
    w.emit({ type: 'loopRound', jobId: 1, policy: 'model', metrics: round(1, 0.5) });
    w.emit({ type: 'loopRound', jobId: 1, policy: 'legacy', metrics: round(1, 0.9) });
    w.emit({ type: 'loopRound', jobId: 1, policy: 'model', metrics: round(2, 0.6) });
    // A message of another job is ignored.
    w.emit({ type: 'loopRound', jobId: 7, policy: 'model', metrics: round(9, 0.1) });
    const run = store.getState().loop!;
    expect(run.progress?.fraction).toBe(0.2);
    expect(loopTableRows(run).map(({ id, m }) => `${id}:${m.round}`)).toEqual([
      'model:1',
      'model:2',
      'legacy:1',
    ]);
    const chart = loopCurveData(run, 'coverage');
    expect(chart.series.map((s) => s.points)).toEqual([
      [
        [1, 0.5],
        [2, 0.6],
      ],
      [[1, 0.9]],
    ]);
    expect(loopCurveData(run, 'recallNext').series[0].points).toEqual([]);
    w.emit({ type: 'loopDone', jobId: 1, result: { seconds: 3 } as LoopResult });
    expect(store.getState().loop?.status).toBe('done');
    expect(store.getState().loop?.result?.seconds).toBe(3);
    expect(w.terminated).toBe(true);
  });

  it('cancels at once, and a new run replaces the old one', () => {
    const workers: FakeWorker[] = [];
    const store = createLoopStore(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    });
    store.getState().startAb(defaultAbSettings());
    store.getState().cancelAb();
    expect(workers[0].terminated).toBe(true);
    expect(store.getState().ab?.status).toBe('cancelled');
    store.getState().startLoop(defaultLoopSettings());
    store.getState().startLoop(defaultLoopSettings());
    expect(workers[1].terminated).toBe(true);
    // The replaced job's late messages change nothing.
    workers[1].emit({ type: 'loopFailed', jobId: 2, message: 'late', cancelled: false });
    expect(store.getState().loop?.status).toBe('running');
    workers[2].emit({ type: 'loopFailed', jobId: 3, message: 'boom', cancelled: false });
    expect(store.getState().loop).toMatchObject({ status: 'failed', message: 'boom' });
  });
});
