import { describe, expect, it } from 'vitest';
import type { WorldSummary } from '../sim/summary-types';
import { defaultWorldConfig } from '../sim/config';
import { describeEstimate, estimateWorldSize } from '../sim/size-estimate';
import type { PageToWorker, WorkerToPage } from '../protocol';
import { createAppStore } from './store';
import { draftEstimate } from './world-slice';

/** A store wired to a fake worker that records what it was sent. */
function makeStore() {
  const sent: PageToWorker[] = [];
  const hashes: string[] = [];
  let deliver: (m: WorkerToPage) => void = () => {};
  let fail: (why: string) => void = () => {};
  let connects = 0;
  const store = createAppStore({
    connect(onMessage, onFailure) {
      connects++;
      deliver = onMessage;
      fail = onFailure;
      return { send: (m) => sent.push(m), dispose: () => {} };
    },
    writeHash: (h) => hashes.push(h),
  });
  return {
    store,
    sent,
    hashes,
    deliver: (m: WorkerToPage) => deliver(m),
    fail: (w: string) => fail(w),
    connects: () => connects,
  };
}

const fakeSummary = (seed: number, watches: number) =>
  ({ seed, watches }) as unknown as WorldSummary;

describe('the world slice', () => {
  it('builds the world of the URL, follows its progress and shows it when ready', () => {
    const { store, sent, hashes, deliver } = makeStore();
    store.getState().loadFromHash('#seed=3&videos=500&users=100');
    expect(sent).toEqual([
      { type: 'generateWorld', requestId: 1, settings: { seed: 3, videos: 500, users: 100 } },
    ]);
    expect(hashes).toEqual(['seed=3&videos=500&users=100']);
    expect(store.getState().pendingRequest).toBe(1);

    deliver({ type: 'worldProgress', requestId: 1, fraction: 0.5, stage: 'sessions' });
    expect(store.getState().progress).toEqual({ fraction: 0.5, stage: 'sessions' });

    deliver({
      type: 'worldReady',
      requestId: 1,
      summary: fakeSummary(3, 99),
      config: defaultWorldConfig,
    });
    const s = store.getState();
    expect(s.summary?.watches).toBe(99);
    expect(s.progress).toBeNull();
    expect(s.pendingRequest).toBeNull();
    expect(s.problems).toEqual([]);
  });

  it('keeps the current world and shows the field and range when the form is bad', () => {
    const { store, sent, deliver } = makeStore();
    store.getState().loadFromHash('');
    deliver({
      type: 'worldReady',
      requestId: 1,
      summary: fakeSummary(7, 10),
      config: defaultWorldConfig,
    });
    const before = store.getState().summary;

    expect(store.getState().submitWorldForm({ seed: '7', videos: '5', users: '5000' })).toBe(false);
    expect(store.getState().problems).toEqual([
      { field: 'videos', message: 'videos must be an integer from 100 to 1000000 (got "5")' },
    ]);
    expect(store.getState().summary).toBe(before);
    expect(store.getState().settings).toEqual({ seed: 7, videos: 20000, users: 5000 });
    expect(sent).toHaveLength(1);

    // A good submit clears the message and asks for the new world.
    expect(store.getState().submitWorldForm({ seed: '8', videos: '200', users: '50' })).toBe(true);
    expect(store.getState().problems).toEqual([]);
    expect(sent.at(-1)).toEqual({
      type: 'generateWorld',
      requestId: 2,
      settings: { seed: 8, videos: 200, users: 50 },
    });
  });

  it('shows a bad URL value and still builds the default-sized world', () => {
    const { store, sent } = makeStore();
    store.getState().loadFromHash('#videos=abc');
    expect(store.getState().problems[0].message).toContain(
      'videos must be an integer from 100 to 1000000',
    );
    expect(sent[0]).toMatchObject({ settings: { videos: 20000, users: 5000, seed: 7 } });
  });

  it('ignores replies to superseded requests', () => {
    const { store, deliver } = makeStore();
    store.getState().generate({ seed: 1, videos: 100, users: 10 });
    store.getState().generate({ seed: 2, videos: 100, users: 10 });
    deliver({
      type: 'worldReady',
      requestId: 1,
      summary: fakeSummary(1, 5),
      config: defaultWorldConfig,
    });
    deliver({ type: 'error', requestId: 1, message: 'stale' });
    expect(store.getState().summary).toBeNull();
    expect(store.getState().problems).toEqual([]);
    expect(store.getState().pendingRequest).toBe(2);
    deliver({
      type: 'worldReady',
      requestId: 2,
      summary: fakeSummary(2, 6),
      config: defaultWorldConfig,
    });
    expect(store.getState().summary?.seed).toBe(2);
  });

  it('reports a worker error and a dead worker without losing the world, then reconnects', () => {
    const { store, deliver, fail, connects } = makeStore();
    store.getState().generate({ seed: 1, videos: 100, users: 10 });
    deliver({
      type: 'worldReady',
      requestId: 1,
      summary: fakeSummary(1, 5),
      config: defaultWorldConfig,
    });
    store.getState().generate({ seed: 2, videos: 100, users: 10 });
    deliver({ type: 'error', requestId: 2, field: 'videos', message: 'videos must be …' });
    expect(store.getState().problems).toEqual([{ field: 'videos', message: 'videos must be …' }]);
    expect(store.getState().pendingRequest).toBeNull();
    expect(store.getState().summary?.seed).toBe(1);

    store.getState().generate({ seed: 3, videos: 100, users: 10 });
    fail('the worker stopped: out of memory');
    expect(store.getState().problems.at(-1)?.message).toBe(
      'the worker stopped: out of memory; press Generate to try again',
    );
    expect(store.getState().summary?.seed).toBe(1);
    expect(connects()).toBe(1);
    store.getState().generate({ seed: 3, videos: 100, users: 10 });
    expect(connects()).toBe(2);
  });
});

const LARGEST = '#seed=7&videos=1000000&users=100000';
const ALL_MAX =
  '#seed=7&videos=1000000&users=100000&days=120&sessionsPerDay=20&impressionsPerSession=30';

/** A store with the small world of seed 7 on screen. */
function withSmallWorld() {
  const t = makeStore();
  t.store.getState().loadFromHash('#seed=7&videos=500&users=100');
  t.deliver({
    type: 'worldReady',
    requestId: 1,
    summary: fakeSummary(7, 10),
    config: defaultWorldConfig,
  });
  return t;
}

describe('world size limits', () => {
  it('a link to the largest world asks before building, and builds nothing until yes', () => {
    const { store, sent, hashes } = makeStore();
    store.getState().loadFromHash(LARGEST);
    const check = store.getState().sizeCheck;
    expect(check?.settings).toEqual({ seed: 7, videos: 1_000_000, users: 100_000 });
    expect(check?.text).toMatch(
      /^about 90 million impressions, \d\.\d GB of memory while building, roughly \d+ min to build$/,
    );
    expect(sent).toEqual([]);
    expect(store.getState().pendingRequest).toBeNull();
    expect(store.getState().settings).toEqual({ seed: 7, videos: 20000, users: 5000 });

    store.getState().confirmWorld();
    expect(store.getState().sizeCheck).toBeNull();
    expect(sent).toEqual([
      {
        type: 'generateWorld',
        requestId: 1,
        settings: { seed: 7, videos: 1_000_000, users: 100_000 },
      },
    ]);
    expect(hashes.at(-1)).toBe('seed=7&videos=1000000&users=100000');
  });

  it('no keeps the world on screen and puts its settings back in the URL', () => {
    const { store, sent, hashes } = withSmallWorld();
    const before = store.getState().summary;
    expect(
      store.getState().submitWorldForm({ seed: '7', videos: '1000000', users: '100000' }),
    ).toBe(true);
    expect(store.getState().sizeCheck).not.toBeNull();
    expect(sent).toHaveLength(1);
    store.getState().cancelWorld();
    expect(store.getState().sizeCheck).toBeNull();
    expect(store.getState().summary).toBe(before);
    expect(store.getState().settings).toEqual({ seed: 7, videos: 500, users: 100 });
    expect(hashes.at(-1)).toBe('seed=7&videos=500&users=100');
    expect(sent).toHaveLength(1);
  });

  it('refuses a world too large for a tab, naming the limit, and keeps the world on screen', () => {
    const { store, sent } = withSmallWorld();
    const before = store.getState().summary;
    store.getState().loadFromHash(ALL_MAX);
    expect(store.getState().sizeCheck).toBeNull();
    expect(store.getState().problems).toEqual([
      {
        field: 'size',
        message:
          "this world is too large for a browser tab: about 4.4 billion impressions, above the limit of 2.1 billion (the logs' 32-bit offsets); use fewer users, days, sessions per day or impressions per session",
      },
    ]);
    expect(sent).toHaveLength(1);
    expect(store.getState().summary).toBe(before);
    // A world that fits clears the size problem.
    store.getState().submitWorldForm({ seed: '8', videos: '500', users: '100' });
    expect(store.getState().problems).toEqual([]);
    expect(sent).toHaveLength(2);
  });

  it('does not ask again for the world on screen (a rebuild after a crash)', () => {
    const { store, sent, deliver } = makeStore();
    store.getState().loadFromHash(LARGEST);
    store.getState().confirmWorld();
    deliver({
      type: 'worldReady',
      requestId: 1,
      summary: fakeSummary(7, 10),
      config: defaultWorldConfig,
    });
    store.getState().generate({ seed: 7, videos: 1_000_000, users: 100_000 });
    expect(store.getState().sizeCheck).toBeNull();
    expect(sent).toHaveLength(2);
  });

  it('draftEstimate describes the draft, and says when Generate will ask or refuse', () => {
    // The figures are the estimator's (src/sim/size-estimate.ts, tested there); the draft's
    // settings reach it, and its description is what the form shows.
    const draft = draftEstimate({ seed: '7', videos: '20000', users: '5000' });
    expect(draft).toEqual({
      text: describeEstimate(estimateWorldSize({ seed: 7, videos: 20000, users: 5000 })),
      asks: false,
      refused: null,
    });
    expect(draft?.text).toMatch(
      /^about 4\.5 million impressions, \d+ MB of memory while building, roughly \d+ s to build$/,
    );
    expect(draftEstimate({ seed: '7', videos: '1000000', users: '100000' })?.asks).toBe(true);
    expect(
      draftEstimate({
        seed: '7',
        videos: '1000000',
        users: '100000',
        days: '120',
        sessionsPerDay: '20',
      })?.refused,
    ).toMatch(/^this world is too large for a browser tab/);
    expect(draftEstimate({ seed: '7', videos: '5', users: '5000' })).toBeNull();
  });
});

describe('a second press of Generate', () => {
  it('during the build of the same world says so and does not restart it', () => {
    const { store, sent, deliver } = makeStore();
    store.getState().generate({ seed: 1, videos: 100, users: 10 });
    deliver({ type: 'worldProgress', requestId: 1, fraction: 0.4, stage: 'sessions' });
    store.getState().submitWorldForm({ seed: '1', videos: '100', users: '10' });
    expect(sent).toHaveLength(1);
    expect(store.getState().pendingRequest).toBe(1);
    expect(store.getState().worldNotice).toBe(
      'This world is already being built (40% done); it goes on, not restarted.',
    );
    deliver({
      type: 'worldReady',
      requestId: 1,
      summary: fakeSummary(1, 5),
      config: defaultWorldConfig,
    });
    expect(store.getState().worldNotice).toBe('');
  });

  it('with other settings says that the current build is dropped', () => {
    const { store, sent } = makeStore();
    store.getState().generate({ seed: 1, videos: 100, users: 10 });
    store.getState().submitWorldForm({ seed: '2', videos: '100', users: '10' });
    expect(sent).toHaveLength(2);
    expect(store.getState().worldNotice).toMatch(
      /^Generate pressed during a build: .* the world it was building is dropped\.$/,
    );
  });
});
