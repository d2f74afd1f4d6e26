/**
 * The glossary (docs/glossary.md): every term the page shows, explained in a sentence or two for
 * a class. Pure data; the panel (Glossary.tsx) lists it and `?` help links into it by id.
 */

/** One term. */
export interface GlossaryTerm {
  /** Anchor id (`glossary-<id>`), lower-case words with dashes. */
  id: string;
  term: string;
  text: string;
}

/** Every term, alphabetical by `term`. */
export const GLOSSARY: readonly GlossaryTerm[] = [
  {
    id: 'ab-test',
    term: 'A/B test (simulated)',
    text: 'Two models serve randomised halves of the users for a few days (Feedback loop tab); the difference of a per-user metric between the halves, with its 95% interval, is the online effect, which may disagree with the models’ offline numbers.',
  },
  {
    id: 'accidental-hit',
    term: 'accidental hit',
    text: 'A sampled negative that is the example’s own positive (the video actually watched next). Left in, the same video would be pushed up as the positive and down as a negative; it is masked out of the softmax (its logit set to −10⁹).',
  },
  {
    id: 'auc',
    term: 'AUC',
    text: 'Area under the ROC curve: the chance that the ranker scores a clicked impression above a non-clicked one. 0.5 is guessing, 1 is perfect.',
  },
  {
    id: 'bootstrap',
    term: 'bootstrap interval',
    text: 'An interval from resampling the held-out examples with replacement 1,000 times and recomputing the difference: how much the result depends on which examples were picked.',
  },
  {
    id: 'candidate-generation',
    term: 'candidate generation (retrieval)',
    text: 'The first stage: from the whole catalogue, pick a few hundred videos the user might watch, by the dot product of a user vector and each video’s vector.',
  },
  {
    id: 'clickbait',
    term: 'clickbait share',
    text: 'The share of videos shown in the top slots whose thumbnails draw clicks but whose watches end early. A ranker trained for clicks shows more of them.',
  },
  {
    id: 'confidence-interval',
    term: '95% interval (CI)',
    text: 'The range that would hold the true difference in 95 of 100 repeated experiments. When it excludes 0, the effect is larger than the noise of the measurement.',
  },
  {
    id: 'e-z',
    term: 'e^z (odds)',
    text: 'The exponential of the ranker’s logit z. Trained with watch-time weights, e^z estimates the expected watch time of an impression, so ranking by it ranks by minutes.',
  },
  {
    id: 'embedding',
    term: 'embedding',
    text: 'A short vector of numbers learned for each video (or search word, country, …). Similar videos end up with nearby vectors.',
  },
  {
    id: 'example-age',
    term: 'example age',
    text: 'How long before the end of training an example happened, fed to the model as an input. At serving it is set to 0, so the model predicts what is popular now, not on average over the training window (the paper’s Figure 4).',
  },
  {
    id: 'exposure-gini',
    term: 'exposure Gini',
    text: 'The Gini coefficient of how often each live video was shown: 0 when every video is shown equally, near 1 when a few videos get almost every impression.',
  },
  {
    id: 'feedback-loop',
    term: 'feedback loop',
    text: 'The recommender’s slates decide what users can click, and those clicks become its next training data; the Feedback loop tab runs it for rounds of simulated days.',
  },
  {
    id: 'full-softmax',
    term: 'full softmax',
    text: 'The softmax over every video of the catalogue at each training step: exact, but its cost grows with the catalogue.',
  },
  {
    id: 'funnel',
    term: 'funnel',
    text: 'The two stages together: retrieval narrows the catalogue to N candidates, the ranker orders them and shows the top k.',
  },
  {
    id: 'homogenisation',
    term: 'homogenisation',
    text: 'How alike users’ consumption is: the mean cosine similarity, over every pair of users, of their watch minutes per topic. 1 when everyone watches the same mix, 0 when no two users share a topic.',
  },
  {
    id: 'ivf',
    term: 'IVF index',
    text: 'Inverted-file index: the video vectors are split into k-means lists, and a query scans only the nprobe lists nearest to it instead of every video. Faster, sometimes missing a video.',
  },
  {
    id: 'kl',
    term: 'KL divergence',
    text: 'KL(p ‖ p̂), in nats: how far a sampled estimate p̂ of the softmax is from the full softmax p. 0 when they agree.',
  },
  {
    id: 'logq',
    term: 'logQ correction',
    text: 'Sampled negatives are picked more often the more popular they are. Subtracting log q (their sampling probability) from their logits removes that bias, so the model does not learn to push popular videos down.',
  },
  {
    id: 'map',
    term: 'MAP',
    text: 'Mean average precision; with one right answer per example it is the mean of 1 / (rank + 1) of that answer. Rewards putting it at the very top.',
  },
  {
    id: 'negatives',
    term: 'negatives (K)',
    text: 'The K videos, other than the one watched, that sampled softmax scores at each example. More negatives: closer to the full softmax, but slower.',
  },
  {
    id: 'next-watch',
    term: 'next-watch label',
    text: 'Training each example to predict the video the user watched next, from what came before it only. The alternative, a random held-out watch, lets the model see the future.',
  },
  {
    id: 'nprobe',
    term: 'nprobe',
    text: 'How many lists of the IVF index a query opens. More lists: closer to the exact scan, slower.',
  },
  {
    id: 'position-bias',
    term: 'position bias',
    text: 'Lower slots of a slate are looked at less: in the Feedback loop’s choice model slot i is examined with probability (1 + i)^−η, so a video clicked on top might have been ignored lower down.',
  },
  {
    id: 'ranker',
    term: 'ranker',
    text: 'The second stage: scores each of the N candidates with many more features (what the user saw and watched of the video’s channel, time since last watch, …) and shows the best k.',
  },
  {
    id: 'recall-at-k',
    term: 'recall@k',
    text: 'The share of held-out next watches that the model ranks among its top k videos. recall@100 = 0.2 means one next watch in five was among the model’s 100 best guesses.',
  },
  {
    id: 'repeats',
    term: 'repeats',
    text: 'A lesson trains every variant several times with different training seeds; the spread between repeats gives the interval. Every variant of a repeat sees the same batches.',
  },
  {
    id: 'sampled-softmax',
    term: 'sampled softmax',
    text: 'Training the softmax over the catalogue on the watched video and a sample of K other videos (negatives) instead of all of them: much cheaper per step.',
  },
  {
    id: 'series-forward',
    term: 'series forward share',
    text: 'Of the moves between neighbouring episodes of a series, the share that go forward (episode k to k + 1). Near 1 when users watch series in order.',
  },
  {
    id: 'softmax',
    term: 'softmax',
    text: 'Turns one score per video into probabilities that sum to 1: p_i = e^(s_i) / Σ e^(s_j). The candidate model predicts the next watch as a softmax over the catalogue.',
  },
  {
    id: 'users-needed',
    term: 'users needed',
    text: 'How many users per arm an A/B test needs to detect a difference δ with power 0.8 at α 0.05: n = 2·(1.96 + 0.84)²·σ²/δ², σ the per-user standard deviation.',
  },
  {
    id: 'verdict',
    term: 'verdict',
    text: 'A lesson’s conclusion, computed from its numbers: reproduced (every interval on the paper’s side of 0), not-reproduced (every interval on the other side) or inconclusive.',
  },
  {
    id: 'watch-bag',
    term: 'watch bag',
    text: 'The user’s recent watches, each video’s embedding averaged into one vector: the candidate model’s main input.',
  },
  {
    id: 'watch-time',
    term: 'watch time per impression',
    text: 'Expected minutes watched per video shown, from the world’s own model: what the funnel is for.',
  },
  {
    id: 'weighted-per-user-loss',
    term: 'weighted per-user loss',
    text: 'The paper’s ranker metric (Table 1): over every pair of a clicked and a non-clicked impression on one page, the clicked one’s watch time counts as lost when the non-clicked one scores higher; lost watch time over all watch time. 0 is perfect, about 0.5 is random. Lower is better.',
  },
  {
    id: 'weighted-logistic',
    term: 'weighted logistic regression',
    text: 'The ranker’s training: clicked impressions weighted by their watch time, others by 1. Its odds e^z then estimate watch time instead of click probability.',
  },
  {
    id: 'zipf',
    term: 'Zipf exponent',
    text: 'Popularity falls as a power of rank: the r-th most popular video gets about 1/r^s of the top one’s watches. On log-log axes that is a straight line of slope −s; s near 1 means a few hits and a long tail.',
  },
];

/** The term of `id`, or undefined. */
export function glossaryTerm(id: string): GlossaryTerm | undefined {
  return GLOSSARY.find((t) => t.id === id);
}

/**
 * The glossary term each knob's `?` help links to (knob key → term id), for knobs whose name is
 * a term of the glossary.
 */
export const KNOB_TERMS: Readonly<Record<string, string>> = {
  negatives: 'negatives',
  sampler: 'sampled-softmax',
  logQ: 'logq',
  label: 'next-watch',
  features: 'example-age',
  weighting: 'weighted-logistic',
  odds: 'e-z',
  nprobe: 'nprobe',
  zipfExponent: 'zipf',
};

/** The glossary term of each lesson metric (metric id → term id). */
export const METRIC_TERMS: Readonly<Record<string, string>> = {
  'recall@10': 'recall-at-k',
  'recall@50': 'recall-at-k',
  'recall@100': 'recall-at-k',
  'recall@500': 'recall-at-k',
  map: 'map',
  freshShare: 'example-age',
  freshGap: 'example-age',
  weightedPerUserLoss: 'weighted-per-user-loss',
  auc: 'auc',
  watchPerImpression: 'watch-time',
  clickbaitShare: 'clickbait',
  funnelRecall: 'funnel',
  funnelWatch: 'watch-time',
  loopHomogenisation: 'homogenisation',
  loopShownHomogenisation: 'homogenisation',
  loopTopics: 'feedback-loop',
  loopGini: 'exposure-gini',
  loopCoverage: 'exposure-gini',
  loopTop1: 'exposure-gini',
  loopWelfare: 'watch-time',
  loopClickbait: 'clickbait',
};
