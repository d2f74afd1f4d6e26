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
    steps: 100,
    evalEvery: 50,
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
  sizing:
    'Measured on seed 7 (5000 videos × 2500 users × 30 days, popularity sampler with logQ, batch 128, N = 100, k = 3, 300 held-out session starts; 300 steps evaluated every 100, repeats 0 and 1 in full, load 11–14): end-to-end watch minutes per impression at steps 100 / 200 / 300 — weak pair 1.62 / 1.58 / 1.68 and 1.58 / 1.54 / 1.70; K 512 retrieval 1.69 / 1.98 / 2.22 and 2.02 / 2.04 / 2.08; watch-time ranker 3.03 / 3.45 / 4.27 and 2.66 / 3.79 / 4.04. Retrieval recall@100 of the next watch: K 8 0.11 / 0.13 / 0.19, K 512 0.17 / 0.20 / 0.22. The ranker’s gain is over 0.6 minutes per impression from step 100 on, the retrieval’s recall gain about +0.06: 100 steps is enough, and the K 512 arm, the slowest, is the lesson’s cost.',
};
