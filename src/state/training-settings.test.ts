import { describe, expect, it } from 'vitest';
import type { TrainingParams } from '../protocol';
import {
  DEFAULT_TRAINING_PARAMS,
  TRAINING_KEYS,
  TRAINING_PARAMS,
  appHash,
  effectiveParams,
  parseTrainingField,
  readTrainingHash,
  trainingHash,
} from './training-settings';

describe('training settings', () => {
  it('has a URL row, a default and a range for every hyperparameter', () => {
    expect(TRAINING_KEYS).toEqual([
      'trainSeed',
      'lr',
      'batch',
      'negatives',
      'sampler',
      'alpha',
      'logQ',
      'accidentalHits',
      'depth',
      'width',
      'features',
      'weighting',
      'rankingLr',
      'backend',
    ]);
    for (const k of TRAINING_KEYS) {
      const spec = TRAINING_PARAMS[k];
      expect(spec.range, k).not.toBe('');
      // The default parses back to itself.
      expect(spec.parse(spec.format(spec.default as never)), k).toEqual(spec.default);
    }
  });

  it('round-trips every setting through the hash', () => {
    const set: Partial<TrainingParams> = {
      trainSeed: 9,
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
      rankingLr: 0.01,
      backend: 'wasm',
    };
    const hash = trainingHash(set);
    expect(hash).toBe(
      'trainSeed=9&lr=0.005&batch=128&negatives=1024&sampler=log-uniform&alpha=0.5&logQ=off&accidentalHits=off&depth=3&width=0.25&features=demographics&weighting=unweighted&rankingLr=0.01&backend=wasm',
    );
    expect(readTrainingHash('#' + hash)).toEqual({ settings: set, view: 'world', problems: [] });
    expect(readTrainingHash('#features=none').settings.features).toEqual({
      searches: false,
      demographics: false,
      exampleAge: false,
    });
  });

  it('rejects bad values naming the field and range, keeping the rest', () => {
    const { settings, problems } = readTrainingHash(
      '#depth=7&sampler=random&logQ=maybe&features=likes&backend=tpu&negatives=64&view=map',
    );
    expect(settings).toEqual({ negatives: 64 });
    expect(problems.map((p) => p.message)).toEqual([
      'sampler must be one of uniform, popularity, log-uniform, in-batch, full (got "random") in the URL; using the default popularity',
      'logQ must be on or off (got "maybe") in the URL; using the default on',
      'depth must be an integer from 0 to 4 (got "7") in the URL; using the default 0',
      'features must be a comma list of searches, demographics, exampleAge, or none (got "likes") in the URL; using the default searches,demographics,exampleAge',
      'backend must be one of auto, webgpu, webgl, wasm, cpu (got "tpu") in the URL; using the default auto',
      'view must be one of world, training, projection, softmax, funnel, watchtime (got "map") in the URL; using the default world',
    ]);
    expect(effectiveParams(settings)).toEqual({ ...DEFAULT_TRAINING_PARAMS, negatives: 64 });
    expect(parseTrainingField('batch', '12.5')).toEqual({
      ok: false,
      message: 'batch must be an integer from 8 to 4096 (got "12.5")',
    });
    expect(parseTrainingField('alpha', ' 1.5 ')).toEqual({ ok: true, value: 1.5 });
  });

  it('writes the world first, then the set training settings, then a non-default view', () => {
    const world = { seed: 7, videos: 2000, users: 1500 };
    expect(appHash(world, {}, 'world')).toBe('seed=7&videos=2000&users=1500');
    expect(appHash(world, { lr: 0.1 }, 'training')).toBe(
      'seed=7&videos=2000&users=1500&lr=0.1&view=training',
    );
  });
});
