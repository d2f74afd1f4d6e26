/**
 * The `labels` lesson: next-watch labels against random held-out labels (§3.4) (docs/lessons.md#the-lessons). Its world, steps and
 * repeats were sized by measurement; its comparisons were fixed before its runs.
 */
import type { LessonSpec } from './spec';
import { SMALL_WORLD } from './worlds';

/** The `labels` lesson. */
export const labels: LessonSpec = {
  id: 'labels',
  title: 'Next-watch labels against random held-out labels',
  paper: {
    source: 'Covington et al. 2016, §3.4, Figure 5',
    claim:
      'Predicting the next watch from watches before it beats predicting a randomly held-out watch from the history around it, which leaks the future; measured on next watches.',
    numbers: [
      { label: 'result', value: 'next-watch labels better in live A/B tests (no figure given)' },
    ],
  },
  base: {
    world: SMALL_WORLD,
    steps: 300,
    evalEvery: 100,
    evalExamples: 2000,
    rankPages: 0,
    models: ['candidate'],
    params: { sampler: 'popularity', negatives: 64, batch: 128 },
  },
  variants: [
    {
      id: 'heldout',
      label: 'random held-out label',
      params: {},
      data: { label: 'heldout' },
      paper: 'worse in live A/B tests',
    },
    {
      id: 'next',
      label: 'next-watch label',
      params: {},
      data: { label: 'next' },
      paper: 'better in live A/B tests',
    },
  ],
  repeats: 3,
  metrics: ['recall@100', 'recall@10', 'msPerStep'],
  comparisons: [
    {
      variant: 'next',
      base: 'heldout',
      metric: 'recall@100',
      expect: 'higher',
      claim: 'next-watch labels predict next watches better',
    },
  ],
  sizing:
    'Measured on seed 7 (5000 videos × 2500 users × 30 days, popularity sampler, K 64, batch 128, 300 steps, 3 repeats, 2,000 held-out next watches): held-out labels 0.215 recall@100, next-watch labels 0.193; next − held-out −0.021 [−0.042, −0.001], bootstrap [−0.031, −0.013]. Our world does not show the paper’s effect offline (see docs/lessons.md#the-lessons).',
};
