/**
 * What the closed loop and the A/B test report (docs/loop.md#metrics): plain data, shared by the
 * runner (src/worker/loop), the command line and the page. Pure.
 */
import type { AbMetric } from './ab-stats';
import type { AbSettings } from './ab-types';
import type { LoopSettings, PolicyId } from './settings';

/** One policy's measurements of one round (one simulated day). */
export interface RoundMetrics {
  /** 1-based round. */
  round: number;
  /** The day served (days since the world's start). */
  day: number;
  /** Users with at least one session this round. */
  activeUsers: number;
  sessions: number;
  impressions: number;
  clicks: number;
  /** The oracle's expected watch minutes of what was shown, per active user ("true" welfare). */
  welfare: number;
  /** Minutes actually drawn, per active user. */
  minutes: number;
  clicksPerUser: number;
  /** Clicks per impression. */
  ctr: number;
  /** Share of the videos live at the round's start shown at least once. */
  coverage: number;
  /** Gini coefficient of impressions over the live videos. */
  gini: number;
  /** Share of impressions on the top 1% most-shown live videos. */
  top1Share: number;
  /** Mean pairwise cosine similarity of users' watch minutes per topic this round. */
  homogenisation: number;
  /** The same of what users were shown (impressions per topic). */
  shownHomogenisation: number;
  /** Mean over users of exp(entropy) of their own minutes per topic this round. */
  topicsPerUser: number;
  /** Share of clicks on clickbait videos. */
  clickbaitShare: number;
  /**
   * recall@100 of the candidate model (as trained before the round) on the round's own next
   * watches — the offline metric a team would read the next day; null for the legacy policy.
   */
  recallNext: number | null;
  /**
   * recall@100 of the candidate model (as trained before the round) on the legacy world's
   * held-out next watches from the loop's first day on: the same examples every round and for
   * every policy; null for the legacy policy.
   */
  recallHeldout: number | null;
  /** Wall-clock seconds of the round (serving, simulation, metrics, retraining). */
  seconds: number;
}

/** The metrics of {@link RoundMetrics} drawn as curves and tabulated, with their labels. */
export const ROUND_METRICS = [
  { key: 'welfare', label: 'true watch min / user', digits: 1 },
  { key: 'coverage', label: 'coverage', digits: 3 },
  { key: 'gini', label: 'exposure Gini', digits: 3 },
  { key: 'top1Share', label: 'top-1% share', digits: 3 },
  { key: 'homogenisation', label: 'homogenisation (watched)', digits: 3 },
  { key: 'shownHomogenisation', label: 'homogenisation (shown)', digits: 3 },
  { key: 'topicsPerUser', label: 'topics / user', digits: 2 },
  { key: 'clickbaitShare', label: 'clickbait share', digits: 3 },
  { key: 'recallNext', label: 'recall@100 (own logs)', digits: 3 },
  { key: 'recallHeldout', label: 'recall@100 (held-out)', digits: 3 },
] as const satisfies readonly { key: keyof RoundMetrics; label: string; digits: number }[];

/** A charted metric's key. */
export type RoundMetricKey = (typeof ROUND_METRICS)[number]['key'];

/** One policy's run. */
export interface PolicyRun {
  id: PolicyId;
  label: string;
  /** recall@100 on the held-out next watches after the initial training (null: legacy). */
  initialRecallHeldout: number | null;
  rounds: RoundMetrics[];
}

/** The whole loop. */
export interface LoopResult {
  settings: LoopSettings;
  backend: string;
  world: {
    videos: number;
    users: number;
    startDay: number;
    historyWatches: number;
    /**
     * The users' own interests' homogenisation: the mean pairwise cosine of their topic
     * mixtures (the world's truth), the level the loop's would have if everyone watched
     * exactly what they like.
     */
    interestHomogenisation: number;
  };
  policies: PolicyRun[];
  seconds: number;
}

/** Progress of the loop or the A/B test. */
export interface LoopProgress {
  phase: 'world' | 'train' | 'round' | 'ab';
  /** Done so far, in [0, 1]. */
  fraction: number;
  /** What is happening, in words. */
  message: string;
}

/** One arm of the A/B test. */
export interface AbArm {
  id: 'A' | 'B';
  label: string;
  /** Where a run arm came from, in words (the run's world and step; retrained here). */
  note?: string;
  /** Users randomised into the arm, and those with at least one session. */
  users: number;
  activeUsers: number;
  /** The arm's models offline, on the legacy world's held-out data. */
  offline: {
    recall100: number;
    map: number;
    /** The ranker's AUC of clicks on held-out pages. */
    auc: number;
    /** Clickbait share of the ranker's top 3 of held-out pages. */
    clickbaitTop3: number;
  };
}

/** The online metrics of the A/B test, each per active user (clickbait share: of clicks). */
export const AB_METRICS = [
  { key: 'minutes', label: 'watch minutes / user' },
  { key: 'welfare', label: 'true watch minutes / user' },
  { key: 'clicks', label: 'clicks / user' },
  { key: 'clickbaitShare', label: 'clickbait share of clicks' },
] as const;

/** An online metric's key. */
export type AbMetricKey = (typeof AB_METRICS)[number]['key'];

/** The A/B test. */
export interface AbResult {
  settings: AbSettings;
  /** The arms: a preset, or two lesson variants `lesson:variant,lesson:variant`. */
  ab: string;
  backend: string;
  world: { videos: number; users: number; startDay: number; days: number };
  arms: [AbArm, AbArm];
  metrics: Record<AbMetricKey, AbMetric>;
  seconds: number;
}
