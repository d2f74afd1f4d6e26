import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  TRAINING_KEYS,
  TRAINING_PARAMS,
  WORLD_ROWS,
  candidateConfig,
  defaultTrainingParams,
  flagOf,
  rankingConfig,
  type Param,
} from '../src/protocol/params';
import { parseArgs } from './args';
import { EXPERIMENT_ROWS, OTHER_FLAGS, TRAIN_SECTIONS, experimentFromFlags } from './train-flags';
import { checkKnown, flagNames, helpText, readFlags, readSwitch } from './flags';

/** The error `f` throws (fails the test when it throws nothing). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

const fromArgs = (argv: string[]) => experimentFromFlags(parseArgs(argv));

describe('parseArgs', () => {
  it('reads --name value, --name=value, --flag and --no-flag', () => {
    expect(parseArgs(['--negatives', '64', '--sampler=uniform', '--json', '--no-logq'])).toEqual({
      negatives: '64',
      sampler: 'uniform',
      json: true,
      logq: false,
    });
    expect(parseArgs(['--help'])).toEqual({ help: true });
    expect(parseArgs(['--alpha', '-1'])).toEqual({ alpha: '-1' });
    expect(() => parseArgs(['64'])).toThrow(
      'unexpected argument "64": flags start with -- and take their value after them, as in --seed 7 (see --help)',
    );
  });

  it('refuses a bare word, a nameless flag and a flag given twice, as ConfigErrors', () => {
    for (const argv of [['foo'], ['-h'], ['--seed', '3', 'extra'], ['--'], ['--=3'], ['--no-']])
      expect(
        thrown(() => parseArgs(argv)),
        argv.join(' '),
      ).toBeInstanceOf(ConfigError);
    expect(() => parseArgs(['--'])).toThrow('unexpected argument "--": a flag needs a name');
    expect(() => parseArgs(['--seed', '3', '--seed=4'])).toThrow('--seed is given twice');
    expect(() => parseArgs(['--logq', '--no-logq'])).toThrow('--logq is given twice');
    expect(parseArgs(['--steps='])).toEqual({ steps: '' });
  });
});

describe('experimentFromFlags', () => {
  it('uses the defaults without flags', () => {
    const s = fromArgs([]);
    expect(s.world).toEqual({});
    expect(s.params).toEqual(defaultTrainingParams());
    expect(s.candidate).toEqual(candidateConfig(defaultTrainingParams()));
    expect(s.ranking).toEqual({ config: rankingConfig(defaultTrainingParams()), steps: 1500 });
    expect(s.steps).toBe(1500);
    expect(s.mfSteps).toBe(1500);
    expect(s.label).toBe('next');
    expect(s.evalExamples).toBe(2000);
    expect(s.oracleExamples).toBe(300);
  });

  it('sets the candidate and ranking config fields and the world settings', () => {
    const s = fromArgs([
      '--negatives',
      '64',
      '--no-logq',
      '--sampler',
      'uniform',
      '--features',
      'searches',
      '--weighting',
      'unweighted',
      '--odds',
      'paper',
      '--videos',
      '500',
      '--steps',
      '10',
    ]);
    const base = candidateConfig(defaultTrainingParams());
    expect(s.candidate).toEqual({
      ...base,
      negatives: 64,
      logQ: false,
      sampler: 'uniform',
      features: { searches: true, demographics: false, exampleAge: false },
    });
    expect(s.ranking.config).toEqual({
      ...rankingConfig(defaultTrainingParams()),
      weighted: false,
      exactOdds: false,
    });
    expect(s.world).toEqual({ videos: 500 });
    expect(s.steps).toBe(10);
    expect(s.mfSteps).toBe(1500);
    expect(s.params).toEqual({
      ...defaultTrainingParams(),
      negatives: 64,
      logQ: false,
      sampler: 'uniform',
      features: { searches: true, demographics: false, exampleAge: false },
      weighting: 'unweighted',
      odds: 'paper',
    });
  });

  it('reads every kind of flag, in both spellings', () => {
    const s = fromArgs([
      '--logq',
      '--no-accidental-hits',
      '--ranking-hidden=64,32',
      '--train-seed',
      '9',
      '--width',
      '0.25',
      '--powers',
      'off',
      '--seed',
      '3',
      '--zipf-exponent',
      '1.5',
      '--label',
      'heldout',
      '--mf-steps',
      '1',
      '--ranking-steps',
      '5',
      '--eval-examples',
      '10',
      '--oracle-examples',
      '0',
      '--json',
    ]);
    expect(s.params.logQ).toBe(true);
    expect(s.candidate.removeAccidentalHits).toBe(false);
    expect(s.candidate.widthFactor).toBe(0.25);
    expect(s.candidate.seed).toBe(9);
    expect(s.ranking).toEqual({
      config: {
        ...rankingConfig(defaultTrainingParams()),
        hidden: [64, 32],
        seed: 9,
        powers: false,
      },
      steps: 5,
    });
    expect(s.world).toEqual({ seed: 3, zipfExponent: 1.5 });
    expect(s.label).toBe('heldout');
    expect(s.mfSteps).toBe(1);
    expect(s.evalExamples).toBe(10);
    expect(s.oracleExamples).toBe(0);
  });

  it('refuses --negatives 0 naming the flag and its range', () => {
    const e = thrown(() => fromArgs(['--negatives', '0']));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toContain('--negatives');
    expect(e.message).toContain('an integer from 1 to 8192');
    expect(e.message).toBe('--negatives: negatives must be an integer from 1 to 8192 (got "0")');
    expect((e as ConfigError).field).toBe('negatives');
  });

  it('refuses an unknown flag, naming it', () => {
    const e = thrown(() => fromArgs(['--frobnicate', '1']));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toContain('unknown flag --frobnicate');
    // A row's key is not its flag when they differ.
    expect(() => fromArgs(['--logQ'])).toThrow('unknown flag --logQ');
    expect(() => fromArgs(['--trainSeed', '3'])).toThrow('unknown flag --trainSeed');
    // Knobs of the page only are not flags.
    expect(() => fromArgs(['--funnel-n', '100'])).toThrow('unknown flag --funnel-n');
  });

  it('refuses a bad boolean, naming on or off', () => {
    const e = thrown(() => fromArgs(['--logq', 'maybe']));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toContain('--logq');
    expect(e.message).toContain('on or off');
  });

  it('refuses a value-less non-boolean flag, naming its range', () => {
    expect(() => fromArgs(['--negatives'])).toThrow(
      '--negatives needs a value: an integer from 1 to 8192',
    );
    expect(() => fromArgs(['--no-sampler'])).toThrow('--sampler needs a value: one of');
  });

  it('refuses bad values of every section', () => {
    expect(() => fromArgs(['--videos', '5'])).toThrow(
      '--videos: videos must be an integer from 100 to 1000000 (got "5")',
    );
    expect(() => fromArgs(['--steps', '-1'])).toThrow(
      '--steps: steps must be an integer from 1 to',
    );
    for (const f of ['--steps', '--mf-steps', '--ranking-steps'])
      expect(() => fromArgs([f, '0']), f).toThrow(`${f}: `);
    expect(() => fromArgs(['--label', 'future'])).toThrow(
      '--label: label must be one of next, heldout',
    );
    expect(() => fromArgs(['--features', 'likes'])).toThrow(
      '--features: features must be a comma list',
    );
  });

  it('refuses what the flags allow one by one but not together, naming the flag', () => {
    expect(() => fromArgs(['--backend', 'webgpu'])).toThrow(
      '--backend must be one of auto, wasm, cpu in Node (webgpu runs only in the browser) (got "webgpu")',
    );
    expect(() => fromArgs(['--backend', 'webgl'])).toThrow(
      '--backend must be one of auto, wasm, cpu',
    );
    expect(fromArgs(['--backend', 'cpu']).params.backend).toBe('cpu');
    expect(() => fromArgs(['--negatives', '8000', '--videos', '200'])).toThrow(
      '--negatives must be fewer than the world\'s 200 videos with sampler popularity: an integer from 1 to 199 (got "8000")',
    );
    expect(() => fromArgs(['--negatives', '200', '--videos', '200'])).toThrow('from 1 to 199');
    expect(fromArgs(['--negatives', '199', '--videos', '200']).params.negatives).toBe(199);
    // The default K (256) is not refused on a world of fewer videos: only a K asked for is.
    expect(fromArgs(['--videos', '200']).params.negatives).toBe(256);
    // In-batch and full softmax draw no negatives: K does not matter.
    expect(
      fromArgs(['--negatives', '8000', '--videos', '200', '--sampler', 'in-batch']).params
        .negatives,
    ).toBe(8000);
    expect(() => fromArgs(['--sampler', 'in-batch', '--batch', '1'])).toThrow(
      '--batch: batch must be an integer from 8 to 4096 (got "1")',
    );
    expect(() => fromArgs(['--sampler', 'full', '--videos', '1000000', '--batch', '512'])).toThrow(
      '--batch × --videos must be at most 134217728 logits (512 MB) with sampler full: a batch from 8 to 134 for 1000000 videos (got "512")',
    );
    expect(() => fromArgs(['--days', '7', '--split-day', '9'])).toThrow(
      '--split-day: splitDay must be an integer from 1 to days − 1 = 6',
    );
    const size = thrown(() =>
      fromArgs(['--users', '100000', '--days', '120', '--sessions-per-day', '20']),
    );
    expect(size).toBeInstanceOf(ConfigError);
    expect(size.message).toMatch(/^this world is too large for this machine/);
  });

  it('readSwitch reads a flag without a value and refuses one with a value', () => {
    expect(readSwitch({ json: true }, 'json')).toBe(true);
    expect(readSwitch({ json: false }, 'json')).toBe(false);
    expect(readSwitch({}, 'json')).toBe(false);
    expect(() => readSwitch({ bench: '0' }, 'bench')).toThrow(
      '--bench takes no value (got "0"): give --bench alone to turn it on, or leave it out',
    );
  });

  it('cuts a long bad value', () => {
    const e = thrown(() => fromArgs(['--negatives', '5'.repeat(10_000)]));
    expect(e.message.length).toBeLessThan(200);
  });
});

describe('flags from rows', () => {
  it('every flag of `npm run train` is distinct, and none is a non-knob flag', () => {
    const names = flagNames(TRAIN_SECTIONS);
    expect(new Set(names).size).toBe(names.length);
    for (const o of OTHER_FLAGS) expect(names).not.toContain(o);
    for (const k of TRAINING_KEYS)
      expect(names).toContain(flagOf(TRAINING_PARAMS[k] as Param<unknown>));
    expect(names).toContain('logq');
    expect(names).toContain('accidental-hits');
  });

  it('readFlags reads only the rows given, by key', () => {
    const rows = Object.values(WORLD_ROWS);
    expect(readFlags({ videos: '500', negatives: '3' }, rows)).toEqual({ videos: 500 });
    expect(readFlags({}, rows)).toEqual({});
  });

  it('checkKnown allows the extra flags', () => {
    expect(() => checkKnown({ json: true }, TRAIN_SECTIONS, OTHER_FLAGS)).not.toThrow();
    expect(() => checkKnown({ json: true }, TRAIN_SECTIONS)).toThrow('unknown flag --json');
  });

  it('ignores prototype keys in the flags', () => {
    const flags = parseArgs(['--constructor', 'x']);
    expect(() => experimentFromFlags(flags)).toThrow('unknown flag --constructor');
  });

  it('helpText lists every row with its flag, range and default', () => {
    const text = helpText('usage: npm run train -- [flags]', TRAIN_SECTIONS);
    const lines = text.split('\n');
    expect(lines[0]).toBe('usage: npm run train -- [flags]');
    for (const s of TRAIN_SECTIONS) expect(lines).toContain(`${s.title}:`);
    const rows: Param<unknown>[] = [
      ...Object.values(TRAINING_PARAMS as unknown as Record<string, Param<unknown>>),
      ...Object.values(WORLD_ROWS),
      ...Object.values(EXPERIMENT_ROWS as unknown as Record<string, Param<unknown>>),
    ];
    for (const row of rows) {
      const name = flagOf(row)!;
      const head = row.kind === 'bool' ? `--${name} / --no-${name}` : `--${name} <value>`;
      const line = lines.find((l) => l.trimStart().startsWith(head + ' '));
      expect(line, name).toBeDefined();
      expect(line, name).toContain(row.help);
      expect(line, name).toContain(row.range);
      expect(line, name).toContain(`(default ${row.format(row.default)})`);
    }
    expect(text).toContain('--logq / --no-logq');
    expect(text).toContain('--negatives <value>');
    expect(text).toContain('an integer from 1 to 8192 (default 256)');
    expect(text).toContain('(default searches,demographics,exampleAge)');
    expect(text).toContain('(default 128,64,32)');
  });
});
