/**
 * The lessons: one experiment per finding of the paper (issue 13), each with the paper's claim
 * and numbers (DESIGN §10) to print beside ours. World sizes, steps, examples and repeats were
 * chosen by measurement (docs/lessons.md#sizing): the smallest at which the interval of the
 * headline difference is narrower than the difference, within about a minute on two cores.
 * A lesson whose effect our world does not show says so through its verdict; no rule or
 * threshold here is tuned to make a verdict come out.
 */
import { TABLE1_ABLATIONS, TABLE1_TOWERS } from '../../model/ranking/config';
import type { LessonSpec } from './spec';

/** The smaller world most lessons share: big enough for 2,000 held-out next watches. */
const SMALL_WORLD = { videos: 5000, users: 2500 } as const;

const logq: LessonSpec = {
  id: 'logq',
  title: 'logQ correction of sampled softmax',
  paper: {
    source: 'Yi et al., RecSys 2019 (sampling-bias-corrected two-tower), §3–4, Table 2',
    claim:
      'Subtracting log q (the sampling probability) from each logit removes the popularity bias of sampled negatives and raises recall.',
    numbers: [
      { label: 'Wikipedia recall@10 (plain → corrected)', value: '0.0643 → 0.1065' },
      { label: 'Wikipedia recall@50', value: '0.2423 → 0.3079' },
      { label: 'Wikipedia recall@100', value: '0.3746 → 0.4664' },
      { label: 'YouTube offline recall@50', value: '0.4586 → 0.5322' },
    ],
  },
  base: {
    world: SMALL_WORLD,
    steps: 300,
    evalEvery: 100,
    evalExamples: 2000,
    rankPages: 0,
    models: ['candidate'],
    params: { sampler: 'popularity', negatives: 256 },
  },
  variants: [
    { id: 'off', label: 'logQ off', params: { logQ: false } },
    { id: 'on', label: 'logQ on', params: { logQ: true } },
  ],
  repeats: 3,
  metrics: ['recall@10', 'recall@50', 'recall@100', 'msPerStep'],
  comparisons: [
    {
      variant: 'on',
      base: 'off',
      metric: 'recall@100',
      expect: 'higher',
      claim: 'logQ correction raises recall@100',
    },
    {
      variant: 'on',
      base: 'off',
      metric: 'recall@10',
      expect: 'higher',
      claim: 'logQ correction raises recall@10',
    },
  ],
  sizing: 'to be measured',
};

const negatives: LessonSpec = {
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
    world: SMALL_WORLD,
    steps: 300,
    evalEvery: 100,
    evalExamples: 2000,
    rankPages: 0,
    models: ['candidate'],
    params: { sampler: 'popularity', logQ: true },
  },
  variants: [
    { id: 'k16', label: 'K = 16', params: { negatives: 16 } },
    { id: 'k64', label: 'K = 64', params: { negatives: 64 } },
    { id: 'k256', label: 'K = 256', params: { negatives: 256 } },
    { id: 'k1024', label: 'K = 1024', params: { negatives: 1024 } },
    { id: 'full', label: 'full softmax', params: { sampler: 'full' } },
  ],
  repeats: 3,
  metrics: ['recall@100', 'recall@10', 'msPerStep'],
  comparisons: [
    {
      variant: 'k1024',
      base: 'k16',
      metric: 'recall@100',
      expect: 'higher',
      claim: 'more negatives: recall closer to the full softmax',
    },
    {
      variant: 'full',
      base: 'k16',
      metric: 'recall@100',
      expect: 'higher',
      claim: 'the full softmax beats a few negatives',
    },
    {
      variant: 'k256',
      base: 'full',
      metric: 'msPerStep',
      expect: 'lower',
      claim: 'a sampled step is cheaper than a full-softmax step',
    },
  ],
  sizing: 'to be measured',
};

const labels: LessonSpec = {
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
    params: {},
  },
  variants: [
    { id: 'heldout', label: 'random held-out label', params: {}, data: { label: 'heldout' } },
    { id: 'next', label: 'next-watch label', params: {}, data: { label: 'next' } },
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
  sizing: 'to be measured',
};

const towers = TABLE1_TOWERS;
const widthId = (h: readonly number[]) => (h.length ? h.join('-') : 'none');

const rankingTowers: LessonSpec = {
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
    world: SMALL_WORLD,
    steps: 300,
    evalEvery: 100,
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
    })),
    {
      id: 'no-powers',
      label: '128→64→32 without x̃², √x̃',
      params: { rankingHidden: [128, 64, 32], powers: false },
    },
    {
      id: 'unweighted',
      label: '128→64→32 unweighted',
      params: { rankingHidden: [128, 64, 32], weighting: 'unweighted' },
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
    },
    {
      variant: '128',
      base: 'none',
      metric: 'weightedPerUserLoss',
      expect: 'lower',
      claim: 'one hidden layer beats none (41.6% → 35.8%)',
    },
    {
      variant: '128-64-32',
      base: '128',
      metric: 'weightedPerUserLoss',
      expect: 'lower',
      claim: 'depth beats one layer of the same first width (35.8% → 34.6%)',
    },
    {
      variant: 'unweighted',
      base: '128-64-32',
      metric: 'weightedPerUserLoss',
      expect: 'higher',
      claim: 'unweighted training costs weighted per-user loss (+4.1%)',
    },
    {
      variant: 'no-powers',
      base: '128-64-32',
      metric: 'weightedPerUserLoss',
      expect: 'higher',
      claim: 'dropping x̃², √x̃ costs a little (+0.2%)',
    },
  ],
  sizing: 'to be measured',
};

const watchTime: LessonSpec = {
  id: 'watch-time',
  title: 'Weighted by watch time against click-through rate',
  paper: {
    source: 'Covington et al. 2016, §4.2',
    claim:
      'Ranking by click probability promotes clickbait; weighted logistic regression (positives weighted by watch time) learns odds ≈ expected watch time, and ranking by it serves more watch time.',
    numbers: [
      { label: 'unweighted vs weighted, weighted per-user loss (Table 1)', value: '+4.1%' },
    ],
  },
  base: {
    world: SMALL_WORLD,
    steps: 300,
    evalEvery: 100,
    evalExamples: 0,
    rankPages: 2000,
    models: ['ranker'],
    params: {},
  },
  variants: [
    { id: 'ctr', label: 'CTR (unweighted)', params: { weighting: 'unweighted' } },
    { id: 'weighted', label: 'weighted by watch time', params: { weighting: 'weighted' } },
  ],
  repeats: 3,
  metrics: ['watchPerImpression', 'clickbaitShare', 'weightedPerUserLoss'],
  comparisons: [
    {
      variant: 'weighted',
      base: 'ctr',
      metric: 'watchPerImpression',
      expect: 'higher',
      claim: 'weighting by watch time serves more watch time per impression',
    },
    {
      variant: 'weighted',
      base: 'ctr',
      metric: 'clickbaitShare',
      expect: 'lower',
      claim: 'and less clickbait',
    },
    {
      variant: 'weighted',
      base: 'ctr',
      metric: 'weightedPerUserLoss',
      expect: 'lower',
      claim: 'and a lower weighted per-user loss (Table 1: unweighted +4.1%)',
    },
  ],
  sizing: 'to be measured',
};

/** Every lesson, in teaching order. */
export const LESSONS: readonly LessonSpec[] = [logq, negatives, labels, rankingTowers, watchTime];

/** The lesson of `id`, or undefined. */
export function lessonById(id: string): LessonSpec | undefined {
  return LESSONS.find((l) => l.id === id);
}
