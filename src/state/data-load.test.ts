import { describe, expect, it } from 'vitest';
import type { WorldSummary } from '../sim/summary-types';
import { defaultWorldConfig } from '../sim/config';
import type { DatasetInfo } from '../sim/import/data-world';
import { DATA_LIMITS } from '../sim/import/formats';
import type { PageToWorker, WorkerToPage } from '../protocol';
import { createAppStore } from './store';
import { DATA_FIELD } from './world-slice';

function makeStore() {
  const sent: PageToWorker[] = [];
  let deliver: (m: WorkerToPage) => void = () => {};
  const store = createAppStore({
    connect(onMessage) {
      deliver = onMessage;
      return { send: (m) => sent.push(m), dispose: () => {} };
    },
    writeHash: () => {},
  });
  return { store, sent, deliver: (m: WorkerToPage) => deliver(m) };
}

const summary = { seed: 1, watches: 10 } as unknown as WorldSummary;
const dataset = { interactions: 10, files: ['ratings.csv'] } as unknown as DatasetInfo;
const file = { name: 'ratings.csv', size: 20, content: 'userId,movieId\n' };

describe('your data in the store', () => {
  it('refuses a file over the limit before sending it, and keeps what is on screen', () => {
    const { store, sent } = makeStore();
    store
      .getState()
      .loadData([{ name: 'big.csv', size: DATA_LIMITS.bytesPerFile + 1, content: '' }]);
    expect(sent).toEqual([]);
    const p = store.getState().problems.filter((x) => x.field === DATA_FIELD);
    expect(p).toHaveLength(1);
    expect(p[0].message).toMatch(/^big\.csv is 64 MB .*the limit is 64 MB/);
  });

  it('shows the data when ready, keeps it on a bad file, and re-reads the same files when the worker is rebuilt', () => {
    const { store, sent, deliver } = makeStore();
    store.getState().loadData([file], 'movielens', 'time');
    expect(sent.at(-1)).toEqual({
      type: 'loadData',
      requestId: 1,
      files: [file],
      format: 'movielens',
      heldOut: 'time',
    });
    deliver({ type: 'worldReady', requestId: 1, summary, config: defaultWorldConfig, dataset });
    expect(store.getState().dataset).toBe(dataset);

    // A bad file: the error is a data problem, the data on screen stays.
    store.getState().loadData([{ ...file, name: 'bad.csv' }]);
    deliver({ type: 'error', requestId: 2, field: 'data', message: 'bad.csv line 3, column 1' });
    expect(store.getState().dataset).toBe(dataset);
    expect(store.getState().problems.at(-1)?.message).toBe('bad.csv line 3, column 1');

    // A fresh worker: the data's own files again, not the generated world nor the bad file.
    store.getState().rebuildWorld();
    expect(sent.at(-1)).toMatchObject({ type: 'loadData', files: [file], heldOut: 'time' });
    expect(store.getState().problems.filter((x) => x.field === DATA_FIELD)).toEqual([]);

    // Back to a generated world: no dataset, and a rebuild generates.
    store.getState().generate(store.getState().settings);
    const generated = sent.at(-1);
    expect(generated?.type).toBe('generateWorld');
    deliver({
      type: 'worldReady',
      requestId: generated?.type === 'generateWorld' ? generated.requestId : -1,
      summary,
      config: defaultWorldConfig,
    });
    expect(store.getState().dataset).toBeNull();
    store.getState().rebuildWorld();
    expect(sent.at(-1)?.type).toBe('generateWorld');
  });
});
