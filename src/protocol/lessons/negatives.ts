/**
 * The `negatives` lesson: sampled against full softmax as K grows (§3.1) (docs/lessons.md#the-lessons). Its world, steps and
 * repeats were sized by measurement; its comparisons were fixed before its runs.
 */
import type { LessonSpec } from './spec';
import { NEG_WORLD } from './worlds';

/** The `negatives` lesson. */
export const negatives: LessonSpec = {
  id: 'negatives',
  title: 'Sampled against full softmax as K grows',
  paper: {
    source: 'Covington et al. 2016, §3.1',
    claim:
      'Sampling several thousand negatives with importance weighting (logQ) trains nearly as well as the full softmax, more than 100 times faster on YouTube’s corpus.',
    numbers: [
      { label: 'negatives', value: 'several thousand' },
      { label: 'speed-up over the full softmax', value: '> 100×' },
    ],
  },
  base: {
    world: NEG_WORLD,
    steps: 200,
    evalEvery: 100,
    evalExamples: 2000,
    rankPages: 0,
    models: ['candidate'],
    params: { sampler: 'popularity', logQ: true, batch: 128 },
  },
  variants: [
    { id: 'k8', label: 'K = 8', params: { negatives: 8 } },
    { id: 'k64', label: 'K = 64', params: { negatives: 64 } },
    {
      id: 'k512',
      label: 'K = 512',
      params: { negatives: 512 },
      paper: 'several thousand negatives: close to full softmax',
    },
    {
      id: 'full',
      label: 'full softmax',
      params: { sampler: 'full' },
      paper: '> 100× slower per step than sampled',
    },
  ],
  repeats: 3,
  metrics: ['recall@100', 'recall@10', 'msPerStep'],
  comparisons: [
    {
      variant: 'k512',
      base: 'k8',
      metric: 'recall@100',
      expect: 'higher',
      claim: 'more negatives: recall closer to the full softmax',
    },
    {
      variant: 'full',
      base: 'k8',
      metric: 'recall@100',
      expect: 'higher',
      claim: 'the full softmax beats a few negatives',
    },
    {
      variant: 'k64',
      base: 'full',
      metric: 'msPerStep',
      expect: 'lower',
      claim: 'a sampled step is cheaper than a full-softmax step',
    },
  ],
  sizing:
    'Measured on seed 7 (2000 videos × 2500 users × 30 days, batch 128, logQ on, 200 steps, 3 repeats, 2,000 held-out next watches): recall@100 0.166 (K 8), 0.212 (64), 0.235 (512), 0.249 (full); K 512 vs 8 +0.069 [+0.011, +0.127]. On a quiet machine (load under 3, 3 December 2026) the lesson takes 25 s in the page (21 s in Node); under load 12 it took 423 s. A full-softmax step scores every video (about 4× a K = 512 step here) and K = 512 is about 4× K = 64. Milliseconds per step are wall-clock and swing with other processes on the cores, so the cost comparison is inconclusive on a shared machine.',
};
