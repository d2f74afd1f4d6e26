import { describe, expect, it } from 'vitest';
import { FORBIDDEN_KEYS, URL_KEYS, readUrl, unknownNote, writeUrl, type UrlState } from './url';
import { DEFAULT_WORLD_SETTINGS } from './world-settings';
import {
  PAGE_PARAMS,
  SERVING_PARAMS,
  STUDY_PARAMS,
  TRAINING_KEYS,
  WORLD_KEYS,
} from '../protocol/params';

/** What an empty hash reads as. */
const EMPTY: UrlState = {
  world: DEFAULT_WORLD_SETTINGS,
  training: {},
  serving: {},
  study: {},
  page: {},
};

/** A state that sets keys of every table (every training key included). */
const FULL: UrlState = {
  world: { seed: 9, videos: 1000, users: 200, days: 30, clickbaitShare: 0.2, splitDay: 25 },
  training: {
    lr: 0.005,
    batch: 128,
    negatives: 1024,
    sampler: 'log-uniform',
    alpha: 0.5,
    logQ: false,
    accidentalHits: false,
    depth: 3,
    width: 0.25,
    features: { searches: false, demographics: true, exampleAge: false },
    weighting: 'unweighted',
    odds: 'paper',
    rankingLr: 0.01,
    rankingHidden: [64, 32],
    powers: false,
    trainSeed: 9,
    backend: 'wasm',
  },
  serving: { funnelN: 2000, funnelK: 5, nprobe: 16 },
  study: { studySampler: 'uniform', studyNegatives: 64, studyAlpha: 0.5, studyLogQ: false },
  page: { view: 'funnel', focusUser: 12, colorBy: 'clickbait', layout: 'umap' },
};

const FULL_HASH =
  'seed=9&videos=1000&users=200&days=30&clickbaitShare=0.2&splitDay=25' +
  '&lr=0.005&batch=128&negatives=1024&sampler=log-uniform&alpha=0.5&logQ=off&accidentalHits=off' +
  '&depth=3&width=0.25&features=demographics&weighting=unweighted&odds=paper&rankingLr=0.01' +
  '&rankingHidden=64%2C32&powers=off&trainSeed=9&backend=wasm' +
  '&funnelN=2000&funnelK=5&nprobe=16' +
  '&studySampler=uniform&studyNegatives=64&studyAlpha=0.5&studyLogQ=off' +
  '&view=funnel&focusUser=12&colorBy=clickbait&layout=umap';

describe('readUrl', () => {
  it('reads an empty hash as the default world and nothing else set', () => {
    for (const h of ['', '#'])
      expect(readUrl(h), h).toEqual({ state: EMPTY, problems: [], unknown: [] });
    expect(DEFAULT_WORLD_SETTINGS).toEqual({ seed: 7, videos: 20000, users: 5000 });
  });

  it('reads every table of a full hash, with or without #', () => {
    expect(readUrl('#' + FULL_HASH)).toEqual({ state: FULL, problems: [], unknown: [] });
    expect(readUrl(FULL_HASH).state).toEqual(FULL);
  });

  it('reads seed and sizes, with defaults for the absent ones', () => {
    expect(readUrl('#seed=7&videos=5000&users=1000').state.world).toEqual({
      seed: 7,
      videos: 5000,
      users: 1000,
    });
    expect(readUrl('#videos=300').state.world).toEqual({ seed: 7, videos: 300, users: 5000 });
    expect(readUrl('#seed=1&videos=300&users=50&days=30&zipfExponent=1.25').state.world).toEqual({
      seed: 1,
      videos: 300,
      users: 50,
      days: 30,
      zipfExponent: 1.25,
    });
  });

  it('reads features=none and rankingHidden=none', () => {
    const { state, problems } = readUrl('#features=none&rankingHidden=none');
    expect(problems).toEqual([]);
    expect(state.training).toEqual({
      features: { searches: false, demographics: false, exampleAge: false },
      rankingHidden: [],
    });
  });

  it('URL-decodes keys and values; the last of repeated keys wins', () => {
    expect(readUrl('#features=searches%2CexampleAge').state.training.features).toEqual({
      searches: true,
      demographics: false,
      exampleAge: true,
    });
    expect(readUrl('#%6Egatives=1').unknown).toEqual(['ngatives']);
    expect(readUrl('#%6Eegatives=12').state.training).toEqual({ negatives: 12 });
    const r = readUrl('#negatives=12&seed=3&negatives=99&seed=4&view=softmax&view=funnel');
    expect(r.problems).toEqual([]);
    expect(r.state.training).toEqual({ negatives: 99 });
    expect(r.state.world.seed).toBe(4);
    expect(r.state.page).toEqual({ view: 'funnel' });
    // The last one wins even when an earlier one was bad, and the other way round.
    expect(readUrl('#funnelK=0&funnelK=7')).toMatchObject({
      state: { serving: { funnelK: 7 } },
      problems: [],
    });
    expect(readUrl('#funnelK=7&funnelK=0').state.serving).toEqual({});
  });
});

describe('bad values in the URL', () => {
  it('names the key, range, "in the URL", the default used, and the table', () => {
    const r = readUrl(
      '#videos=abc&users=1000&depth=7&sampler=random&logQ=maybe&features=likes&backend=tpu' +
        '&negatives=64&funnelN=300&nprobe=0&studyNegatives=0&view=map&focusUser=-1',
    );
    expect(r.state).toEqual({
      world: { seed: 7, videos: 20000, users: 1000 },
      training: { negatives: 64 },
      serving: {},
      study: {},
      page: {},
    });
    expect(r.unknown).toEqual([]);
    expect(r.problems).toEqual([
      {
        table: 'world',
        key: 'videos',
        message:
          'videos must be an integer from 100 to 1000000 (got "abc") in the URL; using the default 20000',
      },
      {
        table: 'training',
        key: 'sampler',
        message:
          'sampler must be one of uniform, popularity, log-uniform, in-batch, full (got "random") in the URL; using the default popularity',
      },
      {
        table: 'training',
        key: 'logQ',
        message: 'logQ must be on or off (got "maybe") in the URL; using the default on',
      },
      {
        table: 'training',
        key: 'depth',
        message: 'depth must be an integer from 0 to 4 (got "7") in the URL; using the default 0',
      },
      {
        table: 'training',
        key: 'features',
        message:
          'features must be a comma list of searches, demographics, exampleAge, or none (got "likes") in the URL; using the default searches,demographics,exampleAge',
      },
      {
        table: 'training',
        key: 'backend',
        message:
          'backend must be one of auto, webgpu, webgl, wasm, cpu (got "tpu") in the URL; using the default auto',
      },
      {
        table: 'serving',
        key: 'funnelN',
        message:
          'funnelN must be one of 10, 20, 50, 100, 200, 500, 1000, 2000 (got "300") in the URL; using the default 100',
      },
      {
        table: 'serving',
        key: 'nprobe',
        message: 'nprobe must be an integer from 1 to 64 (got "0") in the URL; using the default 8',
      },
      {
        table: 'study',
        key: 'studyNegatives',
        message:
          'studyNegatives must be an integer from 1 to 8192 (got "0") in the URL; using the default 256',
      },
      {
        table: 'page',
        key: 'view',
        message:
          'view must be one of world, training, projection, softmax, step, funnel, watchtime, data, lessons, loop (got "map") in the URL; using the default world',
      },
      {
        table: 'page',
        key: 'focusUser',
        message:
          'focusUser must be an integer from 0 to 99999 (got "-1") in the URL; using the default 0',
      },
    ]);
  });

  it('refuses out-of-range, fractional and empty world values, using the default', () => {
    for (const bad of [
      'videos=5',
      'videos=100.5',
      'videos=',
      'videos=-1',
      'videos=1e9',
      'videos=Infinity',
    ]) {
      const { state, problems } = readUrl(bad);
      expect(state.world.videos, bad).toBe(20000);
      expect(problems, bad).toHaveLength(1);
      expect(problems[0].table, bad).toBe('world');
      expect(problems[0].message, bad).toContain('videos must be an integer from 100 to 1000000');
    }
    const { state, problems } = readUrl('zipfExponent=3');
    expect(state.world).toEqual(DEFAULT_WORLD_SETTINGS);
    expect(problems[0].message).toBe(
      'zipfExponent must be a number from 0.5 to 2 (got "3") in the URL; using the default 1',
    );
  });

  it('files a bad world value under the world even when it reads like a refusal', () => {
    // The table of a world problem must follow its key, not the words of the value it quotes.
    const { problems } = readUrl('#videos=is%20refused');
    expect(problems).toHaveLength(1);
    expect(problems[0].key).toBe('videos');
    expect(problems[0].table).toBe('world');
  });

  it('names funnelK and its range for every bad value, and leaves it unset', () => {
    for (const raw of ['0', '51', '2.5', '', 'abc', '-1', 'Infinity']) {
      const { state, problems } = readUrl(`funnelN=20&funnelK=${raw}`);
      expect(state.serving, raw).toEqual({ funnelN: 20 });
      expect(problems, raw).toEqual([
        {
          table: 'serving',
          key: 'funnelK',
          message: `funnelK must be an integer from 1 to 50 (got ${JSON.stringify(raw)}) in the URL; using the default 10`,
        },
      ]);
    }
  });

  it('cuts a 10 000-character value in the message', () => {
    for (const key of ['videos', 'negatives', 'funnelN', 'studyAlpha', 'view', 'features']) {
      const { problems } = readUrl(`#${key}=${'7'.repeat(10_000)}`);
      expect(problems, key).toHaveLength(1);
      expect(problems[0].key, key).toBe(key);
      expect(problems[0].message.length, key).toBeLessThan(300);
      expect(problems[0].message, key).toContain('(10000 characters)');
      expect(problems[0].message, key).toContain('in the URL');
    }
  });

  it('drops splitDay when it is not before days, naming the rule', () => {
    const { state, problems } = readUrl('#days=20&splitDay=30');
    expect(state.world).toEqual({ ...DEFAULT_WORLD_SETTINGS, days: 20 });
    expect(problems).toEqual([
      {
        table: 'world',
        key: 'splitDay',
        message:
          'splitDay must be an integer from 1 to days − 1 = 19 in the URL; using the default',
      },
    ]);
    // Equal is not before; the default days (60) applies when days is absent.
    expect(readUrl('#days=20&splitDay=20').state.world.splitDay).toBeUndefined();
    expect(readUrl('#splitDay=60').problems.map((p) => p.key)).toEqual(['splitDay']);
    expect(readUrl('#splitDay=59').state.world.splitDay).toBe(59);
    expect(readUrl('#days=20&splitDay=19')).toMatchObject({
      state: { world: { days: 20, splitDay: 19 } },
      problems: [],
    });
  });
});

describe('unknown and refused keys', () => {
  it('lists unknown keys apart from the problems, and reads the rest', () => {
    const r = readUrl('#seed=3&colour=red&negatives=64&zoom=2');
    expect(r.state.world.seed).toBe(3);
    expect(r.state.training).toEqual({ negatives: 64 });
    expect(r.problems).toEqual([]);
    expect(r.unknown).toEqual(['colour', 'zoom']);
  });

  it('a key of another table is not unknown', () => {
    const r = readUrl('#seed=3&funnelN=300&funnelK=5&studyLogQ=off&layout=umap');
    expect(r.unknown).toEqual([]);
    expect(r.state.world.seed).toBe(3);
    expect(r.problems.map((p) => [p.table, p.key])).toEqual([['serving', 'funnelN']]);
    expect(r.state.serving).toEqual({ funnelK: 5 });
    expect(r.state.study).toEqual({ studyLogQ: false });
    expect(r.state.page).toEqual({ layout: 'umap' });
  });

  it('cuts a long unknown key', () => {
    const key = 'k'.repeat(10_000);
    const { unknown, problems } = readUrl(`#${key}=1`);
    expect(problems).toEqual([]);
    expect(unknown).toHaveLength(1);
    expect(unknown[0].length).toBeLessThan(80);
    expect(unknown[0]).toContain('(10000 characters)');
    expect(unknownNote(unknown).length).toBeLessThan(200);
  });

  it('unknownNote: empty for none, names up to five keys', () => {
    expect(unknownNote([])).toBe('');
    expect(unknownNote(['colour'])).toBe(
      'Ignored a setting of the URL that this page does not know: "colour".',
    );
    expect(unknownNote(['a', 'b'])).toBe(
      'Ignored settings of the URL that this page does not know: "a", "b".',
    );
    expect(unknownNote(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe(
      'Ignored settings of the URL that this page does not know: "a", "b", "c", "d", "e" and 2 more.',
    );
    expect(unknownNote(readUrl('#colour=red').unknown)).toContain('"colour"');
  });

  it('refuses __proto__, constructor and prototype as problems, not unknown keys', () => {
    expect([...FORBIDDEN_KEYS].sort()).toEqual(['__proto__', 'constructor', 'prototype']);
    const r = readUrl('#__proto__=1&constructor=x&prototype=y&seed=3&negatives=64');
    expect(r.unknown).toEqual([]);
    expect(r.state.world).toEqual({ ...DEFAULT_WORLD_SETTINGS, seed: 3 });
    expect(r.state.training).toEqual({ negatives: 64 });
    expect(r.problems.map((p) => p.key)).toEqual(['__proto__', 'constructor', 'prototype']);
    for (const p of r.problems) {
      expect(p.message).toBe(`the URL key "${p.key}" is refused`);
      expect(['world', 'training', 'serving', 'study', 'page']).toContain(p.table);
    }
  });

  it('does not pollute Object.prototype', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const r = readUrl(
      '#__proto__=1&__proto__%5Bpolluted%5D=yes&constructor=x&constructor%5Bprototype%5D%5Bpolluted%5D=yes&prototype=y',
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const part of [
      r.state.world,
      r.state.training,
      r.state.serving,
      r.state.study,
      r.state.page,
    ]) {
      expect(Object.getPrototypeOf(part)).toBe(Object.prototype);
      expect(Object.hasOwn(part, '__proto__')).toBe(false);
      expect(Object.hasOwn(part, 'constructor')).toBe(false);
    }
    expect(writeUrl(r.state)).toBe('seed=7&videos=20000&users=5000');
  });
});

describe('writeUrl', () => {
  it('writes the world seed and sizes always, nothing else for the defaults', () => {
    expect(writeUrl(EMPTY)).toBe('seed=7&videos=20000&users=5000');
    expect(writeUrl({ ...EMPTY, world: { seed: 7, videos: 2000, users: 1500 } })).toBe(
      'seed=7&videos=2000&users=1500',
    );
  });

  it('writes every table in order: world, training, serving, study, page', () => {
    expect(writeUrl(FULL)).toBe(FULL_HASH);
    const hash = writeUrl({
      world: DEFAULT_WORLD_SETTINGS,
      page: { layout: 'pca' },
      study: { studyAlpha: 1 },
      serving: { funnelK: 5 },
      training: { trainSeed: 2, lr: 0.1 },
    });
    expect(hash).toBe(
      'seed=7&videos=20000&users=5000&lr=0.1&trainSeed=2&funnelK=5&studyAlpha=1&layout=pca',
    );
    // Each table writes its keys in table order, whatever the order of the object.
    const keys = writeUrl(FULL)
      .split('&')
      .map((kv) => kv.split('=')[0]);
    const expected = [
      ...WORLD_KEYS,
      ...TRAINING_KEYS,
      ...Object.keys(SERVING_PARAMS),
      ...Object.keys(STUDY_PARAMS),
      ...Object.keys(PAGE_PARAMS),
    ].filter((k) => keys.includes(k));
    expect(keys).toEqual(expected);
    expect(URL_KEYS).toEqual([
      ...WORLD_KEYS,
      ...TRAINING_KEYS,
      ...Object.keys(SERVING_PARAMS),
      ...Object.keys(STUDY_PARAMS),
      ...Object.keys(PAGE_PARAMS),
    ]);
  });

  it('writes only the keys that were set, even when a set key equals its default', () => {
    expect(writeUrl({ ...EMPTY, training: { negatives: 256 } })).toBe(
      'seed=7&videos=20000&users=5000&negatives=256',
    );
    expect(writeUrl({ ...EMPTY, serving: { funnelN: 500 } })).toBe(
      'seed=7&videos=20000&users=5000&funnelN=500',
    );
    expect(writeUrl({ ...EMPTY, serving: { funnelK: 5 }, page: { view: 'funnel' } })).toBe(
      'seed=7&videos=20000&users=5000&funnelK=5&view=funnel',
    );
  });

  it('does not write the World view, and writes the others', () => {
    expect(writeUrl({ ...EMPTY, page: { view: 'world' } })).toBe('seed=7&videos=20000&users=5000');
    expect(writeUrl({ ...EMPTY, training: { lr: 0.1 }, page: { view: 'training' } })).toBe(
      'seed=7&videos=20000&users=5000&lr=0.1&view=training',
    );
    const state: UrlState = { ...EMPTY, page: { view: 'world', colorBy: 'age' } };
    expect(writeUrl(state)).toBe('seed=7&videos=20000&users=5000&colorBy=age');
    // The state written from is not changed.
    expect(state.page.view).toBe('world');
  });

  it('round-trips: reading what was written gives the state back', () => {
    const states: UrlState[] = [
      EMPTY,
      FULL,
      {
        ...EMPTY,
        training: { features: { searches: false, demographics: false, exampleAge: false } },
      },
      { ...EMPTY, training: { rankingHidden: [] }, page: { view: 'watchtime' } },
      {
        ...EMPTY,
        world: { seed: 0, videos: 100, users: 10, days: 7, splitDay: 1, sessionsPerDay: 0.05 },
      },
      {
        ...EMPTY,
        world: { seed: 4294967295, videos: 1000000, users: 100000 },
        page: { focusUser: 99999 },
      },
    ];
    for (const s of states) {
      const hash = writeUrl(s);
      expect(readUrl(hash), hash).toEqual({ state: s, problems: [], unknown: [] });
      expect(readUrl('#' + hash).state, hash).toEqual(s);
      // And writing what was read gives the same hash.
      expect(writeUrl(readUrl(hash).state), hash).toBe(hash);
    }
  });

  it('reading a written hash of every serving value gives it back', () => {
    for (const n of SERVING_PARAMS.funnelN.options!.map(Number))
      expect(readUrl(writeUrl({ ...EMPTY, serving: { funnelN: n } })).state.serving).toEqual({
        funnelN: n,
      });
    for (const k of [1, 7, 50])
      expect(readUrl(`funnelK=${k}`).state.serving.funnelK, String(k)).toBe(k);
  });
});
