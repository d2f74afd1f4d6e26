import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import type { WorkerToPage } from '../protocol';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import { RECALL_KS, type TrainingParams } from '../protocol/training';
import { generateFixture, toMovieLensCsv, withBadLine } from '../sim/import/fixtures';
import { TrainingHost } from './training-host';
import { WorldHost } from './world-host';
import { ManualTimers } from './manual-timers';
import { yieldToEvents } from './yield';

const PARAMS: TrainingParams = { ...DEFAULT_TRAINING_PARAMS, batch: 64, negatives: 64 };
const fixture = generateFixture({ users: 200, items: 150, ratings: 6000 });
const ml = toMovieLensCsv(fixture);
const file = (name: string, text: string) => ({ name, size: text.length, content: text });

beforeAll(async () => {
  await useBackend('wasm');
}, 60_000);

function makeHosts() {
  const posted: WorkerToPage[] = [];
  const post = (m: WorkerToPage) => posted.push(structuredClone(m));
  const training = new TrainingHost({
    post,
    chooseBackend: async (requested) => ({
      name: await useBackend('wasm'),
      requested,
      passedOver: [],
    }),
    yieldToEvents,
    now: () => performance.now(),
    schedule: new ManualTimers().schedule,
  });
  const host = new WorldHost(post, () => performance.now(), training, null);
  const until = async (pred: () => boolean) => {
    while (!pred()) await yieldToEvents();
  };
  return { host, training, posted, until };
}

describe('loading own data in the worker', () => {
  it('makes the data the world: the summary counts it, a run evaluates recall on its held-out watches', async () => {
    const h = makeHosts();
    h.host.handle({
      type: 'loadData',
      requestId: 1,
      files: [file('ratings.csv', ml.ratings), file('movies.csv', ml.movies)],
    });
    await h.until(() => h.posted.some((m) => m.type === 'worldReady' || m.type === 'error'));
    const ready = h.posted.find((m) => m.type === 'worldReady');
    expect(ready?.type).toBe('worldReady');
    if (ready?.type !== 'worldReady') return;
    expect(ready.dataset?.interactions).toBe(fixture.user.length);
    expect(ready.summary.watches).toBe(fixture.user.length);
    expect(ready.summary.videos).toBe(ready.dataset!.items);
    const world = h.host.world!;
    h.training.handle({ type: 'reset', runId: 1, params: PARAMS });
    await h.training.idle();
    const evals = h.posted.flatMap((m) => (m.type === 'metrics' ? m.evals : []));
    expect(evals).toHaveLength(1);
    const e = evals[0];
    expect(e.recall).toHaveLength(RECALL_KS.length);
    // Most-popular on the data's held-out watches: popularity from its own training part.
    expect(e.popularRecall[RECALL_KS.indexOf(100)]).toBeGreaterThan(0);
    expect(h.training.current?.data.test.count).toBe(ready.dataset!.heldOutUsers);
    expect(h.training.current?.data.world).toBe(world);
    // The projection and the Embeddings view's metadata are of the loaded items (genres as topics).
    const meta = h.posted.find((m) => m.type === 'videoMeta');
    const projection = h.posted.find((m) => m.type === 'projection');
    expect(meta?.type === 'videoMeta' && meta.topicNames).toEqual(ready.dataset!.genres);
    expect(meta?.type === 'videoMeta' && meta.titles[0]).toMatch(/^Movie \d+, The \(\d{4}\)$/);
    expect(projection?.type === 'projection' && projection.coords.length).toBe(
      2 * ready.dataset!.items,
    );

    // A bad line: an error naming it, and the loaded world stays.
    h.host.handle({
      type: 'loadData',
      requestId: 2,
      files: [file('ratings.csv', withBadLine(ml.ratings, 9, '1,2,3'))],
    });
    await h.until(() => h.posted.some((m) => m.type === 'error'));
    const err = h.posted.find((m) => m.type === 'error');
    expect(err).toMatchObject({ requestId: 2, field: 'data' });
    expect(err?.type === 'error' && err.message).toMatch(/^ratings\.csv line 9, column 4/);
    expect(h.host.world).toBe(world);
  }, 60_000);
});
