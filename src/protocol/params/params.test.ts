import { describe, expect, it } from 'vitest';
import { defaultCandidateConfig, type CandidateConfig } from '../../model/candidate/config';
import { defaultRankingConfig, type RankingConfig } from '../../model/ranking/config';
import { WORLD_PARAMS } from '../../sim/config';
import {
  ConfigError,
  DEFAULT_TRAINING_PARAMS,
  FEATURE_NAMES,
  FUNNEL_NS,
  LIVE_KEYS,
  MAX_QUOTED,
  PAGE_PARAMS,
  SERVING_PARAMS,
  STRUCTURAL_KEYS,
  STUDY_PARAMS,
  TRAINING_KEYS,
  TRAINING_PARAMS,
  WORLD_KEYS,
  WORLD_ROWS,
  candidateConfig,
  changedKeys,
  checkTrainingParams,
  clonePlain,
  copyParams,
  defaultTrainingParams,
  flagOf,
  got,
  intList,
  numeric,
  rankingConfig,
  sameValue,
  switches,
  trainingRow,
  type Param,
  type TrainingParams,
} from './index';

/** Every table of the app, by name. */
const TABLES: Record<string, Record<string, Param<unknown>>> = {
  training: TRAINING_PARAMS as unknown as Record<string, Param<unknown>>,
  world: WORLD_ROWS as unknown as Record<string, Param<unknown>>,
  serving: SERVING_PARAMS as unknown as Record<string, Param<unknown>>,
  study: STUDY_PARAMS as unknown as Record<string, Param<unknown>>,
  page: PAGE_PARAMS as unknown as Record<string, Param<unknown>>,
};

/** Every row of every table, labelled `table.key`. */
const ALL_ROWS: [string, string, Param<unknown>][] = Object.entries(TABLES).flatMap(
  ([table, rows]) =>
    Object.entries(rows).map(
      ([k, row]) => [`${table}.${k}`, k, row] as [string, string, Param<unknown>],
    ),
);

const NUMERIC_ROWS = ALL_ROWS.filter(([, , r]) => r.kind === 'int' || r.kind === 'number');

/** The error `f` throws (fails the test when it throws nothing). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('every row of every table', () => {
  it('covers the expected tables and keys', () => {
    expect(Object.keys(TRAINING_PARAMS)).toEqual([
      'lr',
      'batch',
      'negatives',
      'sampler',
      'alpha',
      'logQ',
      'accidentalHits',
      'label',
      'perUserCap',
      'depth',
      'width',
      'features',
      'videoVocab',
      'tokenVocab',
      'embeddingWidths',
      'embeddings',
      'weighting',
      'odds',
      'rankingLr',
      'rankingHidden',
      'powers',
      'rankingFeatures',
      'trainSeed',
      'backend',
    ]);
    expect(TRAINING_KEYS).toEqual(Object.keys(TRAINING_PARAMS));
    expect(Object.keys(WORLD_ROWS)).toEqual(Object.keys(WORLD_PARAMS));
    expect(WORLD_KEYS.slice(0, 3)).toEqual(['seed', 'videos', 'users']);
    expect(Object.keys(SERVING_PARAMS)).toEqual(['funnelN', 'funnelK', 'nprobe']);
    expect(Object.keys(STUDY_PARAMS)).toEqual([
      'studySampler',
      'studyNegatives',
      'studyAlpha',
      'studyLogQ',
    ]);
    expect(Object.keys(PAGE_PARAMS)).toEqual([
      'view',
      'focusUser',
      'colorBy',
      'layout',
      'lesson',
      'chapter',
      'lessonSteps',
      'lessonRepeats',
      'lessonExtras',
      'present',
      'hide',
    ]);
  });

  it.each(ALL_ROWS)('%s: key, default round trip, range, help, label', (_name, prop, row) => {
    expect(row.key).toBe(prop);
    expect(row.range).toMatch(/\S/);
    expect(row.help).toMatch(/\S/);
    expect(row.label).toMatch(/\S/);
    expect(typeof row.live).toBe('boolean');
    expect(['int', 'number', 'enum', 'bool', 'set', 'ints']).toContain(row.kind);
    const text = row.format(row.default);
    expect(typeof text).toBe('string');
    expect(row.parse(text)).toEqual(row.default);
    // Formatting is stable: the parsed value formats to the same text.
    expect(row.format(row.parse(text))).toBe(text);
  });

  it.each(NUMERIC_ROWS)('%s: a numeric row has bounds holding its default', (_n, _k, row) => {
    const r = row as Param<number>;
    expect(typeof r.min).toBe('number');
    expect(typeof r.max).toBe('number');
    expect(r.min!).toBeLessThanOrEqual(r.default);
    expect(r.default).toBeLessThanOrEqual(r.max!);
    expect(r.range).toBe(
      `${r.kind === 'int' ? 'an integer' : 'a number'} from ${r.min} to ${r.max}`,
    );
    // Both bounds are allowed.
    expect(r.parse(String(r.min))).toBe(r.min);
    expect(r.parse(String(r.max))).toBe(r.max);
  });

  it.each(NUMERIC_ROWS)(
    '%s: refuses out-of-range, fractional, empty and NaN values naming the key and range',
    (_n, key, row) => {
      const r = row as Param<number>;
      const bad = [
        String(r.min! - 1),
        String(r.max! + 1),
        '',
        '   ',
        'NaN',
        'abc',
        'Infinity',
        '-Infinity',
        '1,5',
      ];
      if (r.kind === 'int') bad.push(String(r.min! + 0.5));
      for (const raw of bad) {
        const e = thrown(() => r.parse(raw));
        expect(e, raw).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).field, raw).toBe(key);
        expect(e.message, raw).toBe(`${key} must be ${r.range} (got ${JSON.stringify(raw)})`);
      }
    },
  );

  it('choice rows accept each option and refuse others, naming the options', () => {
    for (const [name, key, row] of ALL_ROWS.filter(([, , r]) => r.kind === 'enum')) {
      expect(row.options, name).toBeDefined();
      expect(row.range, name).toBe(`one of ${row.options!.join(', ')}`);
      for (const o of row.options!) expect(row.format(row.parse(o)), name).toBe(o);
      for (const raw of ['nope', '', 'NaN']) {
        const e = thrown(() => row.parse(raw));
        expect(e, name).toBeInstanceOf(ConfigError);
        expect(e.message, name).toBe(`${key} must be ${row.range} (got ${JSON.stringify(raw)})`);
      }
    }
  });

  it('flag rows read on/off, true/false, 1/0 in any case and refuse the rest', () => {
    for (const [name, key, row] of ALL_ROWS.filter(([, , r]) => r.kind === 'bool')) {
      for (const t of ['on', 'ON', 'true', '1', ' True ']) expect(row.parse(t), name).toBe(true);
      for (const f of ['off', 'Off', 'false', '0']) expect(row.parse(f), name).toBe(false);
      expect(row.format(true)).toBe('on');
      expect(row.format(false)).toBe('off');
      expect(() => row.parse('maybe'), name).toThrow(`${key} must be on or off (got "maybe")`);
      expect(() => row.parse(''), name).toThrow(`${key} must be on or off`);
    }
  });

  it('the funnel N is a menu of integers', () => {
    const n = SERVING_PARAMS.funnelN;
    expect(n.options).toEqual(FUNNEL_NS.map(String));
    for (const v of FUNNEL_NS) expect(n.parse(String(v))).toBe(v);
    for (const raw of ['300', '', ' ', 'abc', '100.5', '-10'])
      expect(() => n.parse(raw), raw).toThrow(
        `funnelN must be one of 10, 20, 50, 100, 200, 500, 1000, 2000 (got ${JSON.stringify(raw)})`,
      );
  });

  it('live and structural keys split the training keys', () => {
    expect([...LIVE_KEYS, ...STRUCTURAL_KEYS].sort()).toEqual([...TRAINING_KEYS].sort());
    expect(LIVE_KEYS).toContain('negatives');
    expect(LIVE_KEYS).toContain('lr');
    expect(STRUCTURAL_KEYS).toContain('depth');
    expect(STRUCTURAL_KEYS).toContain('trainSeed');
    for (const k of LIVE_KEYS) expect(TRAINING_PARAMS[k].live, k).toBe(true);
    for (const k of STRUCTURAL_KEYS) expect(TRAINING_PARAMS[k].live, k).toBe(false);
  });

  it('every training row sits in a group of the form', () => {
    for (const k of TRAINING_KEYS)
      expect(['candidate', 'tower', 'ranking', 'run'], k).toContain(TRAINING_PARAMS[k].group);
    expect(TRAINING_PARAMS.negatives.group).toBe('candidate');
    expect(TRAINING_PARAMS.features.group).toBe('tower');
    expect(TRAINING_PARAMS.odds.group).toBe('ranking');
    expect(TRAINING_PARAMS.backend.group).toBe('run');
  });
});

describe('messages', () => {
  it('quotes a bad value whole up to 40 characters', () => {
    expect(MAX_QUOTED).toBe(40);
    expect(got('abc')).toBe(' (got "abc")');
    const forty = 'x'.repeat(40);
    expect(got(forty)).toBe(` (got "${forty}")`);
    expect(got('x'.repeat(41))).toBe(` (got "${forty}… (41 characters)")`);
  });

  it('cuts a long bad value of every row (a 10 000-character value gives a short message)', () => {
    const long = '9'.repeat(10_000);
    for (const [name, key, row] of ALL_ROWS) {
      const e = thrown(() => row.parse(long));
      expect(e, name).toBeInstanceOf(ConfigError);
      // Short apart from the allowed range, which the message must name whole (it grows with
      // the choices, e.g. the lesson ids).
      expect(e.message.length - row.range.length, name).toBeLessThan(120);
      expect(e.message, name).toContain(key);
      expect(e.message, name).toContain(row.range);
      expect(e.message, name).toContain('(10000 characters)');
      expect(e.message, name).toContain('9'.repeat(40) + '…');
      expect(e.message, name).not.toContain('9'.repeat(41));
    }
  });
});

describe('switches (features)', () => {
  const f = TRAINING_PARAMS.features;
  const none = { searches: false, demographics: false, exampleAge: false };

  it('reads none, a single name and a comma list', () => {
    expect(f.options).toEqual([...FEATURE_NAMES]);
    expect(f.parse('none')).toEqual(none);
    expect(f.parse('searches')).toEqual({ ...none, searches: true });
    expect(f.parse('demographics,exampleAge')).toEqual({
      searches: false,
      demographics: true,
      exampleAge: true,
    });
    expect(f.parse(' exampleAge , searches ')).toEqual({
      ...none,
      searches: true,
      exampleAge: true,
    });
    expect(f.parse('searches,searches')).toEqual({ ...none, searches: true });
  });

  it('writes the chosen names in option order, or none', () => {
    expect(f.format(none)).toBe('none');
    expect(f.format({ searches: true, demographics: false, exampleAge: true })).toBe(
      'searches,exampleAge',
    );
    expect(f.format(f.default)).toBe('searches,demographics,exampleAge');
  });

  it('refuses unknown names, an empty list and none among names', () => {
    for (const raw of ['likes', 'searches,likes', '', ',', 'none,searches', 'Searches']) {
      const e = thrown(() => f.parse(raw));
      expect(e, raw).toBeInstanceOf(ConfigError);
      expect(e.message, raw).toBe(
        `features must be a comma list of searches, demographics, exampleAge, or none (got ${JSON.stringify(raw)})`,
      );
    }
  });

  it('a new switches row starts every switch off', () => {
    const row = switches('pick', ['a', 'b'] as const, {
      default: { a: true, b: false },
      live: true,
      label: 'Pick',
      help: 'h',
    });
    expect(row.kind).toBe('set');
    expect(row.parse('b')).toEqual({ a: false, b: true });
  });
});

describe('intList (rankingHidden)', () => {
  const h = TRAINING_PARAMS.rankingHidden;

  it('reads a comma list of up to 4 widths, or none', () => {
    expect(h.range).toBe('a comma list of up to 4 integers from 1 to 2048, or none');
    expect(h.parse('128,64,32')).toEqual([128, 64, 32]);
    expect(h.parse(' 256 , 1 ')).toEqual([256, 1]);
    expect(h.parse('2048,2048,2048,2048')).toEqual([2048, 2048, 2048, 2048]);
    expect(h.parse('none')).toEqual([]);
    expect(h.parse(' none ')).toEqual([]);
    expect(h.format([])).toBe('none');
    expect(h.format([64, 32])).toBe('64,32');
    expect(h.default).toEqual(defaultRankingConfig.hidden);
  });

  it('refuses a bad list naming the key and range', () => {
    for (const raw of ['', '0', '2049', '1,2,3,4,5', '64,,32', '64,', '6.5', 'abc', 'none,1']) {
      const e = thrown(() => h.parse(raw));
      expect(e, raw).toBeInstanceOf(ConfigError);
      expect(e.message, raw).toBe(
        `rankingHidden must be a comma list of up to 4 integers from 1 to 2048, or none (got ${JSON.stringify(raw)})`,
      );
    }
  });

  it('a new intList row checks its own bounds', () => {
    const row = intList('sizes', {
      min: 2,
      max: 5,
      maxLength: 2,
      default: [2],
      live: false,
      label: 'Sizes',
      help: 'h',
    });
    expect(row.kind).toBe('ints');
    expect(row.parse('5,2')).toEqual([5, 2]);
    expect(() => row.parse('1')).toThrow(
      'sizes must be a comma list of up to 2 integers from 2 to 5',
    );
    expect(() => row.parse('2,3,4')).toThrow('sizes must be');
  });
});

describe('numeric', () => {
  it('builds integer and real rows with their range', () => {
    const i = numeric('k', {
      min: 1,
      max: 9,
      integer: true,
      default: 3,
      live: true,
      label: 'K',
      help: 'h',
    });
    expect(i.kind).toBe('int');
    expect(i.range).toBe('an integer from 1 to 9');
    expect(i.parse(' 4 ')).toBe(4);
    const x = numeric('x', {
      min: 0,
      max: 1,
      integer: false,
      default: 0.5,
      live: true,
      label: 'X',
      help: 'h',
    });
    expect(x.kind).toBe('number');
    expect(x.range).toBe('a number from 0 to 1');
    expect(x.parse('0.25')).toBe(0.25);
    expect(() => x.parse('1.5')).toThrow('x must be a number from 0 to 1 (got "1.5")');
  });

  it('the named examples', () => {
    expect(() => TRAINING_PARAMS.negatives.parse('0')).toThrow(
      'negatives must be an integer from 1 to 8192 (got "0")',
    );
    expect(() => TRAINING_PARAMS.batch.parse('12.5')).toThrow(
      'batch must be an integer from 8 to 4096 (got "12.5")',
    );
    expect(() => WORLD_ROWS.videos.parse('5')).toThrow(
      'videos must be an integer from 100 to 1000000 (got "5")',
    );
    expect(() => WORLD_ROWS.zipfExponent.parse('3')).toThrow(
      'zipfExponent must be a number from 0.5 to 2 (got "3")',
    );
  });
});

describe('flagOf', () => {
  it('is the explicit flag, else the key in kebab case, null for none', () => {
    expect(flagOf(TRAINING_PARAMS.logQ as Param<unknown>)).toBe('logq');
    expect(flagOf(TRAINING_PARAMS.accidentalHits as Param<unknown>)).toBe('accidental-hits');
    expect(flagOf(TRAINING_PARAMS.rankingHidden as Param<unknown>)).toBe('ranking-hidden');
    expect(flagOf(TRAINING_PARAMS.trainSeed as Param<unknown>)).toBe('train-seed');
    expect(flagOf(TRAINING_PARAMS.negatives as Param<unknown>)).toBe('negatives');
    expect(flagOf(WORLD_ROWS.zipfExponent)).toBe('zipf-exponent');
    expect(flagOf(WORLD_ROWS.seed)).toBe('seed');
  });

  it('rows with flag null have none: every serving, study and page row', () => {
    for (const table of ['serving', 'study', 'page'])
      for (const [k, row] of Object.entries(TABLES[table])) {
        expect(row.flag, k).toBeNull();
        expect(flagOf(row), k).toBeNull();
      }
  });

  it('every training and world row has a flag, all distinct', () => {
    const flags = [...Object.values(TABLES.training), ...Object.values(TABLES.world)].map(flagOf);
    expect(flags).not.toContain(null);
    expect(new Set(flags).size).toBe(flags.length);
    for (const f of flags) expect(f).toMatch(/^[a-z][a-z0-9-]*$/);
  });
});

describe('clonePlain, sameValue, copyParams', () => {
  it('deep-copies lists and records', () => {
    const v = { a: [1, [2, 3]], b: { c: true, d: 'x' }, e: null, f: 2 };
    const c = clonePlain(v);
    expect(c).toEqual(v);
    expect(c).not.toBe(v);
    expect(c.a).not.toBe(v.a);
    expect(c.a[1]).not.toBe(v.a[1]);
    expect(c.b).not.toBe(v.b);
  });

  it('compares two values of a row by their text', () => {
    const f = TRAINING_PARAMS.features;
    expect(sameValue(f, { ...f.default }, f.default)).toBe(true);
    expect(sameValue(f, { ...f.default, searches: false }, f.default)).toBe(false);
  });

  it('defaults and copies are fresh', () => {
    const a = defaultTrainingParams();
    const b = defaultTrainingParams();
    expect(a).toEqual(DEFAULT_TRAINING_PARAMS);
    expect(a.features).not.toBe(b.features);
    expect(a.rankingHidden).not.toBe(b.rankingHidden);
    expect(a.features).not.toBe(TRAINING_PARAMS.features.default);
    a.rankingHidden.push(1);
    a.features.searches = false;
    expect(DEFAULT_TRAINING_PARAMS.rankingHidden).toEqual(defaultRankingConfig.hidden);
    expect(DEFAULT_TRAINING_PARAMS.features.searches).toBe(true);
    const c = copyParams(b);
    expect(c).toEqual(b);
    expect(c.features).not.toBe(b.features);
    expect(c.rankingHidden).not.toBe(b.rankingHidden);
  });

  it('the defaults are the models’ own', () => {
    const d = DEFAULT_TRAINING_PARAMS;
    expect(d.lr).toBe(defaultCandidateConfig.learningRate);
    expect(d.batch).toBe(defaultCandidateConfig.batchSize);
    expect(d.negatives).toBe(defaultCandidateConfig.negatives);
    expect(d.sampler).toBe(defaultCandidateConfig.sampler);
    expect(d.features).toEqual(defaultCandidateConfig.features);
    expect(d.trainSeed).toBe(defaultCandidateConfig.seed);
    expect(d.rankingLr).toBe(defaultRankingConfig.learningRate);
    expect(d.weighting).toBe(defaultRankingConfig.weighted ? 'weighted' : 'unweighted');
    expect(d.odds).toBe(defaultRankingConfig.exactOdds ? 'exact' : 'paper');
    expect(d.backend).toBe('auto');
  });
});

describe('candidateConfig and rankingConfig', () => {
  const base = defaultTrainingParams();

  /** The fields of `b` that differ from `a`. */
  function diff<T extends object>(a: T, b: T): string[] {
    return (Object.keys(b) as (keyof T)[])
      .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
      .map(String)
      .sort();
  }

  it('the defaults give the models’ default configs', () => {
    expect(candidateConfig(base)).toEqual(defaultCandidateConfig);
    expect(rankingConfig(base)).toEqual(defaultRankingConfig);
  });

  it('every row with `sets` names a field of its config; backend sets none', () => {
    const cand = Object.keys(defaultCandidateConfig);
    const rank = Object.keys(defaultRankingConfig);
    for (const k of TRAINING_KEYS) {
      const sets = trainingRow(k).sets;
      if (k === 'backend') {
        expect(sets).toBeUndefined();
        continue;
      }
      expect(sets, k).toBeDefined();
      expect(sets!.candidate ?? sets!.ranking, k).toBeDefined();
      if (sets!.candidate) expect(cand, k).toContain(sets!.candidate);
      if (sets!.ranking) expect(rank, k).toContain(sets!.ranking);
    }
  });

  /** One changed knob and the config fields it should change. */
  const CASES: {
    change: Partial<TrainingParams>;
    candidate: Partial<CandidateConfig>;
    ranking: Partial<RankingConfig>;
  }[] = [
    { change: { lr: 0.1 }, candidate: { learningRate: 0.1 }, ranking: {} },
    { change: { batch: 64 }, candidate: { batchSize: 64 }, ranking: {} },
    { change: { negatives: 64 }, candidate: { negatives: 64 }, ranking: {} },
    { change: { sampler: 'uniform' }, candidate: { sampler: 'uniform' }, ranking: {} },
    { change: { alpha: 0.5 }, candidate: { alpha: 0.5 }, ranking: {} },
    { change: { logQ: false }, candidate: { logQ: false }, ranking: {} },
    {
      change: { accidentalHits: false },
      candidate: { removeAccidentalHits: false },
      ranking: {},
    },
    { change: { depth: 3 }, candidate: { depth: 3 }, ranking: {} },
    { change: { width: 0.25 }, candidate: { widthFactor: 0.25 }, ranking: {} },
    {
      change: { features: { searches: false, demographics: true, exampleAge: false } },
      candidate: { features: { searches: false, demographics: true, exampleAge: false } },
      ranking: {},
    },
    { change: { label: 'heldout' }, candidate: { label: 'heldout' }, ranking: {} },
    { change: { perUserCap: 5 }, candidate: { perUserCap: 5 }, ranking: {} },
    {
      change: { videoVocab: 900 },
      candidate: { videoVocab: 900 },
      ranking: { videoVocab: 900 },
    },
    { change: { tokenVocab: 300 }, candidate: { tokenVocab: 300 }, ranking: {} },
    { change: { embeddingWidths: 'log' }, candidate: { embeddingWidths: 'log' }, ranking: {} },
    {
      change: { embeddings: 'pretrained-frozen' },
      candidate: { embeddings: 'pretrained-frozen' },
      ranking: {},
    },
    { change: { weighting: 'unweighted' }, candidate: {}, ranking: { weighted: false } },
    { change: { odds: 'paper' }, candidate: {}, ranking: { exactOdds: false } },
    { change: { rankingLr: 0.01 }, candidate: {}, ranking: { learningRate: 0.01 } },
    { change: { rankingHidden: [64, 32] }, candidate: {}, ranking: { hidden: [64, 32] } },
    { change: { rankingHidden: [] }, candidate: {}, ranking: { hidden: [] } },
    { change: { powers: false }, candidate: {}, ranking: { powers: false } },
    {
      change: { rankingFeatures: { language: false, sources: true } },
      candidate: {},
      ranking: { features: { language: false, sources: true } },
    },
    { change: { trainSeed: 42 }, candidate: { seed: 42 }, ranking: { seed: 42 } },
    { change: { backend: 'cpu' }, candidate: {}, ranking: {} },
  ];

  it.each(CASES)(
    '$change changes exactly the expected fields',
    ({ change, candidate, ranking }) => {
      const p = { ...base, ...change };
      const c = candidateConfig(p);
      const r = rankingConfig(p);
      expect(diff(defaultCandidateConfig, c)).toEqual(Object.keys(candidate).sort());
      expect(diff(defaultRankingConfig, r)).toEqual(Object.keys(ranking).sort());
      expect(c).toEqual({ ...defaultCandidateConfig, ...candidate });
      expect(r).toEqual({ ...defaultRankingConfig, ...ranking });
    },
  );

  it('every knob with `sets` is covered by a case', () => {
    const covered = new Set(CASES.flatMap((c) => Object.keys(c.change)));
    for (const k of TRAINING_KEYS) expect(covered.has(k), k).toBe(true);
  });

  it('the twin ranker flips `weighted` and nothing else', () => {
    expect(rankingConfig(base, true)).toEqual({ ...rankingConfig(base), weighted: false });
    const unweighted = { ...base, weighting: 'unweighted' as const };
    expect(rankingConfig(unweighted, true)).toEqual({
      ...rankingConfig(unweighted),
      weighted: true,
    });
  });

  it('userInput: the factorisation baseline', () => {
    expect(candidateConfig(base).userInput).toBe('features');
    expect(candidateConfig(base, 'id')).toEqual({ ...defaultCandidateConfig, userInput: 'id' });
  });

  it('configs copy lists and records, and leave the model defaults alone', () => {
    const p = defaultTrainingParams();
    const c = candidateConfig(p);
    const r = rankingConfig(p);
    expect(c.features).not.toBe(p.features);
    expect(r.hidden).not.toBe(p.rankingHidden);
    expect(c.features).not.toBe(defaultCandidateConfig.features);
    expect(r.hidden).not.toBe(defaultRankingConfig.hidden);
    c.features.searches = false;
    r.hidden.push(7);
    expect(p.features.searches).toBe(true);
    expect(p.rankingHidden).toEqual([128, 64, 32]);
    expect(defaultCandidateConfig.features.searches).toBe(true);
    expect(defaultRankingConfig.hidden).toEqual([128, 64, 32]);
  });
});

describe('checkTrainingParams', () => {
  it('returns null for the defaults and for any valid change', () => {
    expect(checkTrainingParams(defaultTrainingParams())).toBeNull();
    expect(
      checkTrainingParams({
        ...defaultTrainingParams(),
        negatives: 8192,
        sampler: 'full',
        features: { searches: false, demographics: false, exampleAge: false },
        rankingHidden: [],
        backend: 'wasm',
      }),
    ).toBeNull();
  });

  it('names the key of a bad value, with its range', () => {
    const p = defaultTrainingParams();
    expect(checkTrainingParams({ ...p, negatives: 0 })).toBe(
      'negatives must be an integer from 1 to 8192 (got "0")',
    );
    expect(checkTrainingParams({ ...p, sampler: 'nope' as TrainingParams['sampler'] })).toBe(
      'sampler must be one of uniform, popularity, log-uniform, in-batch, full (got "nope")',
    );
    expect(checkTrainingParams({ ...p, lr: NaN })).toContain(
      'lr must be a number from 0.00001 to 1',
    );
    expect(checkTrainingParams({ ...p, depth: 1.5 })).toContain('depth must be an integer');
    expect(checkTrainingParams({ ...p, rankingHidden: [0] })).toContain('rankingHidden must be');
    expect(checkTrainingParams({ ...p, backend: 'tpu' as TrainingParams['backend'] })).toContain(
      'backend must be one of auto, webgpu, webgl, wasm, cpu',
    );
  });

  it('names a missing key', () => {
    const p: Partial<TrainingParams> = defaultTrainingParams();
    delete p.weighting;
    expect(checkTrainingParams(p as TrainingParams)).toBe('weighting is missing');
  });

  it('reports the first bad key in table order', () => {
    const p = { ...defaultTrainingParams(), trainSeed: -1, batch: 1 };
    expect(checkTrainingParams(p)).toContain('batch must be');
  });
});

describe('changedKeys', () => {
  it('lists the keys that differ, in table order, comparing by value', () => {
    const a = defaultTrainingParams();
    expect(changedKeys(a, defaultTrainingParams())).toEqual([]);
    const b = {
      ...a,
      trainSeed: 2,
      negatives: 64,
      features: { ...a.features, exampleAge: false },
      rankingHidden: [64],
    };
    expect(changedKeys(a, b)).toEqual(['negatives', 'features', 'rankingHidden', 'trainSeed']);
    expect(changedKeys(b, a)).toEqual(['negatives', 'features', 'rankingHidden', 'trainSeed']);
    // Equal records and lists in fresh objects are not changes.
    expect(
      changedKeys(a, { ...a, features: { ...a.features }, rankingHidden: [...a.rankingHidden] }),
    ).toEqual([]);
  });
});
