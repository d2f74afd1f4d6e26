/**
 * The feedback-loop lesson (docs/lessons.md#the-feedback-loop, issue 15): "does the recommender
 * narrow what people watch?" The trained two-stage recommender serves the world's users day
 * after day and retrains on their clicks (the loop of docs/loop.md); its copy that is never
 * retrained serves the same users at the same times (common random numbers), so the difference
 * between the two is what the feedback loop does. The legacy recommender the world was
 * generated with is a third arm, for reference. The other two policies — the model with
 * example age off and with a little exploration — are optional variants (`optional`: off unless
 * the teacher switches them on), since with them the lesson takes more than twice its minute.
 * Each repeat is a whole loop with its own
 * training seed and draws on the one world. The comparisons were written before any run of
 * this lesson; none is tuned to come out.
 */
import type { LessonSpec } from './spec';

/** The feedback-loop lesson. */
export const feedbackLoop: LessonSpec = {
  id: 'feedback-loop',
  title: 'Does the recommender narrow what people watch? (feedback loop)',
  paper: {
    source:
      'Covington et al. 2016, §3.4; Chaney, Stewart & Engelhardt, RecSys 2018; Jiang et al., AIES 2019',
    claim:
      'The paper trains on every YouTube watch, not only on watches of its own recommendations: otherwise new content could hardly surface and the recommender would be overly biased towards exploitation (§3.4). Simulations of recommenders retrained on the data they produced find that users’ consumption grows more alike (homogenisation; Chaney et al. 2018) and that a feedback loop can narrow what each user is shown and watches (degenerate feedback loops; Jiang et al. 2019).',
    numbers: [
      {
        label: 'Covington et al. §3.4',
        value:
          'training on own recommendations only: “overly biased towards exploitation” (no figure)',
      },
      {
        label: 'Chaney et al. 2018',
        value:
          'feedback-loop training raises homogenisation of users’ consumption (simulated; no figure comparable to ours)',
      },
      {
        label: 'Jiang et al. 2019',
        value:
          'degenerate loops narrow users’ interests; exploration and a growing catalogue slow it (theory and simulation)',
      },
    ],
  },
  base: {
    world: {},
    steps: 5,
    evalEvery: 1,
    evalExamples: 0,
    rankPages: 0,
    models: [],
    params: {},
    loop: {
      videos: 1000,
      users: 500,
      steps: 150,
      roundSteps: 40,
      window: 7,
      epsilon: 0.1,
      positionBias: 0.5,
      retrieve: 100,
      evalExamples: 100,
    },
  },
  variants: [
    {
      id: 'model',
      label: 'model, retrained on its own clicks',
      params: {},
      policy: 'model',
      paper: 'the feedback loop: more alike, narrower (Chaney et al.; Jiang et al.)',
    },
    {
      id: 'frozen',
      label: 'the same model, never retrained',
      params: {},
      policy: 'frozen',
      paper: 'no feedback loop',
    },
    {
      id: 'legacy',
      label: 'legacy recommender',
      params: {},
      policy: 'legacy',
      paper: '—',
    },
    {
      id: 'age-off',
      label: 'model with example age off',
      params: {},
      policy: 'ageOff',
      optional: true,
      paper: 'example age lets the model follow fresh uploads (§3.3)',
    },
    {
      id: 'explore',
      label: 'model with a little exploration (ε 0.1)',
      params: {},
      policy: 'explore',
      optional: true,
      paper: 'exploration slows a degenerate loop (Jiang et al. 2019)',
    },
  ],
  repeats: 3,
  metrics: [
    'loopHomogenisation',
    'loopTopics',
    'loopGini',
    'loopCoverage',
    'loopTop1',
    'loopWelfare',
    'loopClickbait',
  ],
  comparisons: [
    {
      variant: 'model',
      base: 'frozen',
      metric: 'loopHomogenisation',
      expect: 'higher',
      claim:
        'retraining on its own users’ clicks makes what they watch more alike than the same model never retrained (Chaney et al. 2018)',
      paper: 'higher under the feedback loop (no figure comparable to ours)',
    },
    {
      variant: 'model',
      base: 'frozen',
      metric: 'loopTopics',
      expect: 'lower',
      claim: 'each user watches fewer topics under the feedback loop (Jiang et al. 2019)',
    },
    {
      variant: 'model',
      base: 'frozen',
      metric: 'loopGini',
      expect: 'higher',
      claim: 'exposure concentrates on fewer videos under the feedback loop',
    },
    {
      variant: 'model',
      base: 'frozen',
      metric: 'loopCoverage',
      expect: 'lower',
      claim: 'the feedback loop shows less of the catalogue',
    },
    {
      variant: 'model',
      base: 'legacy',
      metric: 'loopGini',
      expect: 'higher',
      claim:
        'a learned recommender concentrates exposure more than the legacy mix of popular, fresh and random videos',
    },
    {
      variant: 'model',
      base: 'frozen',
      metric: 'loopWelfare',
      expect: 'higher',
      claim:
        'retraining on the latest days serves more true watch time than a model left as it was',
    },
    // The optional variants' comparisons (run only when switched on), written before any run of
    // them in the lesson, after reading the Feedback loop tab's ten-round figures.
    {
      variant: 'explore',
      base: 'model',
      metric: 'loopCoverage',
      expect: 'higher',
      claim:
        'a little exploration (10% random slots) shows more of the catalogue than the model as is (Jiang et al. 2019)',
    },
    {
      variant: 'explore',
      base: 'model',
      metric: 'loopGini',
      expect: 'lower',
      claim: 'a little exploration spreads exposure over more videos',
    },
    {
      variant: 'explore',
      base: 'model',
      metric: 'loopHomogenisation',
      expect: 'lower',
      claim: 'a little exploration makes what users watch less alike',
    },
    {
      variant: 'model',
      base: 'age-off',
      metric: 'loopWelfare',
      expect: 'higher',
      claim:
        'the example-age feature serves more true watch time than the same model without it (users like fresh videos; §3.3)',
    },
  ],
  sizing:
    'Chosen by time alone, before any verdict: one repeat (model, frozen, legacy) at 1,000 videos × 600 users, 200 initial steps, 50 steps per round and 6 rounds took 25 s of CPU in Node (one repeat has no interval, so no verdict); 500 users, 150 initial steps, 40 steps per round and 5 rounds take about 15 s a repeat, and 3 repeats (the fewest with a t-interval) about 50 s of CPU (121 s wall at load 7–8). Far smaller than the Feedback loop tab’s default (2,000 videos × 1,000 users, 400 steps, 100 per round, 10 rounds), so the later half is rounds 3–5 only. Measured then (3 December 2026): homogenisation, model − frozen, +0.057 [+0.014, +0.100] on seed 7 and −0.001 [−0.014, +0.011] on seed 11. No rule or size was changed after. The optional variants (example age off, a little exploration; off unless switched on) were timed the same way: all five policies took 106–110 s of CPU in Node against 47–49 s for the three (seeds 7 and 11, load 0.8–6.1), more than twice the minute, so they stay optional and the default size is unchanged.',
};
