/**
 * L8, the funnel (docs/lessons.md#the-funnel): retrieval keeps N of the catalogue, the ranker
 * orders them and shows k. Three arms trained side by side on one world: a weak pair (few
 * negatives, a ranker trained for clicks), the same with a better retrieval (more negatives: a
 * few points of retrieval recall@N), and the same with a better ranker (weighted by watch
 * time). The verdict rule was fixed before measuring: the better ranker serves more end-to-end
 * watch time per impression than the better retrieval (paired difference over repeats > 0).
 */
import type { LessonSpec } from './spec';

/** The retrieval lessons' world (as `logq`). */
const WORLD = { videos: 5000, users: 2500, days: 30 } as const;

export const funnel: LessonSpec = {
  id: 'funnel',
  title: 'The funnel: retrieval recall against a better ranker',
  paper: {
    source: 'Covington et al. 2016, §2, Figure 2 (and §4.2)',
    claim:
      'Candidate generation narrows millions of videos to hundreds with broad personalisation; the ranker, with many more features, orders those hundreds for what the user will watch. Offline retrieval metrics guide development, but what counts is watch time at the end of the funnel, and that is set by the ranker.',
    numbers: [
      { label: 'corpus → candidates → shown', value: 'millions → hundreds → dozens' },
      { label: 'final objective', value: 'expected watch time per impression (§4.2)' },
    ],
  },
  base: {
    world: WORLD,
    steps: 200,
    evalEvery: 100,
    evalExamples: 0,
    rankPages: 0,
    models: ['candidate', 'ranker'],
    params: { sampler: 'popularity', logQ: true, batch: 128, negatives: 8 },
    funnel: { n: 100, k: 3, queries: 300 },
  },
  variants: [
    {
      id: 'weak',
      label: 'K = 8 retrieval, CTR ranker',
      params: { weighting: 'unweighted' },
    },
    {
      id: 'retrieval',
      label: 'K = 512 retrieval, CTR ranker',
      params: { negatives: 512, weighting: 'unweighted' },
    },
    {
      id: 'ranker',
      label: 'K = 8 retrieval, watch-time ranker',
      params: { weighting: 'weighted' },
    },
  ],
  repeats: 3,
  metrics: ['funnelWatch', 'funnelRecall', 'msPerStep'],
  comparisons: [
    {
      variant: 'ranker',
      base: 'retrieval',
      metric: 'funnelWatch',
      expect: 'higher',
      claim:
        'a better ranker adds more end-to-end watch time than a few points of retrieval recall',
    },
    {
      variant: 'retrieval',
      base: 'weak',
      metric: 'funnelRecall',
      expect: 'higher',
      claim: 'more negatives retrieve more next watches',
    },
    {
      variant: 'ranker',
      base: 'weak',
      metric: 'funnelWatch',
      expect: 'higher',
      claim: 'the watch-time ranker serves more watch time from the same candidates',
    },
    {
      variant: 'retrieval',
      base: 'weak',
      metric: 'funnelWatch',
      expect: 'higher',
      claim: 'better retrieval serves more watch time',
    },
  ],
  sizing: 'Not measured yet.',
};
