/**
 * Issue 11 items 4–6: the world's `languages` and `demographicEffect` and the ranker's
 * `rankingFeatures` reach the world and the ranker's config from the command line and the URL;
 * a bad value names the knob and its range.
 */
import { describe, expect, it } from 'vitest';
import { rankingConfig } from '../src/protocol/params/configs';
import { DEFAULT_TRAINING_PARAMS } from '../src/protocol/params/training';
import { readUrl } from '../src/state/url';
import { parseArgs } from './args';
import { experimentFromFlags } from './train-flags';

const fromArgs = (argv: string[]) => experimentFromFlags(parseArgs(argv));

describe('languages, demographic effect and ranking features', () => {
  it('reach the world and the ranker from the command line', () => {
    const s = fromArgs([
      '--languages',
      '1',
      '--demographic-effect',
      '0',
      '--ranking-features',
      'sources',
    ]);
    expect(s.world).toMatchObject({ languages: 1, demographicEffect: 0 });
    expect(s.ranking.config.features).toEqual({ language: false, sources: true });
    expect(fromArgs(['--ranking-features', 'none']).ranking.config.features).toEqual({
      language: false,
      sources: false,
    });
    // Defaults: the language group on, the sources group off; the world's own defaults.
    const d = fromArgs([]);
    expect(d.ranking.config.features).toEqual({ language: true, sources: false });
    expect(d.world.languages).toBeUndefined();
  });

  it('reach the world and the ranker from the URL', () => {
    const { state, problems } = readUrl(
      '#seed=7&videos=1000&users=200&languages=3&demographicEffect=0.5&rankingFeatures=language%2Csources',
    );
    expect(problems).toEqual([]);
    expect(state.world).toMatchObject({ languages: 3, demographicEffect: 0.5 });
    const params = { ...DEFAULT_TRAINING_PARAMS, ...state.training };
    expect(rankingConfig(params).features).toEqual({ language: true, sources: true });
  });

  it('names the knob and its range on a bad value', () => {
    expect(() => fromArgs(['--languages', '9'])).toThrow(/languages.*1 to 8/);
    expect(() => fromArgs(['--demographic-effect', '-1'])).toThrow(/demographic/i);
    expect(() => fromArgs(['--ranking-features', 'gender'])).toThrow(
      /rankingFeatures|ranking-features/,
    );
    const bad = readUrl('#languages=0&rankingFeatures=oops');
    expect(bad.problems.map((p) => p.key).sort()).toEqual(['languages', 'rankingFeatures']);
  });
});
