/**
 * The `ranking-towers` lesson: the ranker's hidden layers (Table 1) (docs/lessons.md#the-lessons). Its world, steps and
 * repeats were sized by measurement; its comparisons were fixed before its runs.
 */
import { TABLE1_ABLATIONS, TABLE1_TOWERS } from '../../model/ranking/config';
import type { LessonSpec } from './spec';
import { RANK_WORLD } from './worlds';

const towers = TABLE1_TOWERS;
const widthId = (h: readonly number[]) => (h.length ? h.join('-') : 'none');

/** The `ranking-towers` lesson. */
export const rankingTowers: LessonSpec = {
  id: 'ranking-towers',
  title: 'Ranker hidden layers (Table 1)',
  paper: {
    source: 'Covington et al. 2016, §4.3, Table 1',
    claim:
      'Wider and deeper ReLU towers lower the weighted per-user loss on next-day held-out impressions; dropping x̃², √x̃ costs a little, weighting positives and negatives equally costs much more.',
    numbers: [
      ...towers.map((t) => ({ label: t.paperLabel, value: `${t.paperLossPercent}%` })),
      { label: 'best tower without x̃², √x̃', value: `+${TABLE1_ABLATIONS.withoutPowers}%` },
      { label: 'best tower, unweighted', value: `+${TABLE1_ABLATIONS.unweighted}%` },
    ],
  },
  base: {
    world: RANK_WORLD,
    steps: 150,
    evalEvery: 50,
    evalExamples: 0,
    rankPages: 2000,
    models: ['ranker'],
    params: {},
  },
  variants: [
    ...towers.map((t) => ({
      id: widthId(t.hidden),
      label: `${t.paperLabel} (ours ${t.hidden.length ? t.hidden.join('→') : 'none'})`,
      params: { rankingHidden: [...t.hidden] },
      paper: `${t.paperLossPercent}%`,
    })),
    {
      id: 'no-powers',
      label: '128→64→32 without x̃², √x̃',
      params: { rankingHidden: [128, 64, 32], powers: false },
      paper: `+${TABLE1_ABLATIONS.withoutPowers}% over the best`,
    },
    {
      id: 'unweighted',
      label: '128→64→32 unweighted',
      params: { rankingHidden: [128, 64, 32], weighting: 'unweighted' },
      paper: `+${TABLE1_ABLATIONS.unweighted}% over the best`,
    },
  ],
  repeats: 3,
  metrics: ['weightedPerUserLoss', 'auc', 'msPerStep'],
  comparisons: [
    {
      variant: '128-64-32',
      base: 'none',
      metric: 'weightedPerUserLoss',
      expect: 'lower',
      claim: 'the deepest tower beats no hidden layer (41.6% → 34.6%)',
      paper: '−7.0 points, −16.8% relative',
    },
    {
      variant: '128',
      base: 'none',
      metric: 'weightedPerUserLoss',
      expect: 'lower',
      claim: 'one hidden layer beats none (41.6% → 35.8%)',
      paper: '−5.8 points, −13.9% relative (1024 ReLU)',
    },
    {
      variant: '128-64-32',
      base: '128',
      metric: 'weightedPerUserLoss',
      expect: 'lower',
      claim: 'depth beats one layer of the same first width (35.8% → 34.6%)',
      paper: '−1.2 points, −3.4% relative',
    },
    {
      variant: 'unweighted',
      base: '128-64-32',
      metric: 'weightedPerUserLoss',
      expect: 'higher',
      claim: 'unweighted training costs weighted per-user loss (+4.1%)',
      paper: '+4.1 points, +11.8% relative',
    },
    {
      variant: 'no-powers',
      base: '128-64-32',
      metric: 'weightedPerUserLoss',
      expect: 'higher',
      claim: 'dropping x̃², √x̃ costs a little (+0.2%)',
      paper: '+0.2 points, +0.6% relative',
    },
  ],
  sizing:
    'Measured on seed 7 (3000 videos × 1000 users × 30 days, 2,000 held-out pages, 3 repeats, 150 steps, batches paired across towers; 195 s under load 9–11): deepest vs none −0.036 [−0.068, −0.003] (−16% relative; paper −17%); one layer (128) vs none −0.034 [−0.066, −0.002]; deepest vs one layer −0.001 [−0.010, +0.007]; unweighted +0.025 [+0.016, +0.033]; without x̃², √x̃ +0.004 [−0.014, +0.021]. The no-hidden-layer ranker varies most between seeds, which sets the width of the headline interval. At 300 steps (none, 128 and deepest only) deepest vs none is −0.035 [−0.052, −0.018] and deepest vs one layer +0.001 [−0.003, +0.004]: more steps narrow the interval but show no gain from depth. Before the ranker batches were paired, 150 steps left the headline inconclusive (−0.039 [−0.080, +0.001]). Nine variants × 3 repeats take 56 s in the page and 60 s in Node on a quiet machine (load under 3, 3 December 2026), just inside the minute; under load 9–11 the same run took 195 s.',
};
