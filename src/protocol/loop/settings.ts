/**
 * The closed loop's settings (docs/loop.md#settings; the A/B test's are in ab-settings.ts): one row per knob, built
 * with the parameter table's builders, so the command line (`npm run loop`), the page's form and
 * the worker refuse a bad value in the same words ("rounds must be an integer from 1 to 30
 * (got "0")"). Pure: no tfjs, no DOM.
 */
import { ConfigError, numeric, switches, type Param } from '../params/spec';

/** The loop's policies, in display order. */
export const POLICY_IDS = ['model', 'ageOff', 'explore', 'frozen', 'legacy', 'oracle'] as const;

/** One policy of the loop. */
export type PolicyId = (typeof POLICY_IDS)[number];

/** What each policy is, in words. */
export const POLICY_LABELS: Record<PolicyId, string> = {
  model: 'model as is',
  ageOff: 'example age off',
  explore: 'model + ε exploration',
  frozen: 'model, never retrained',
  legacy: 'legacy recommender',
  oracle: 'oracle (control)',
};

/**
 * What each policy is, in a sentence (the page's legend and docs/loop.md#policies). `frozen`
 * and `oracle` are controls: without retraining there is no feedback loop, and the oracle
 * shows what the catalogue allows as users use up the videos they like best.
 */
export const POLICY_HELP: Record<PolicyId, string> = {
  model: 'the trained two-stage recommender, retrained after every round on its own users’ clicks',
  ageOff: 'the same, its candidate model trained without the example-age feature',
  explore: 'the model as is, each slate slot given to a random live video with probability ε',
  frozen: 'the model as first trained, never retrained (no feedback loop)',
  legacy:
    'the recommender the world’s logs were generated with (popular, fresh, random and a pool by true affinity, shuffled)',
  oracle:
    'each user’s live videos by the oracle’s expected watch minutes (the best a slate can do)',
};

/**
 * The loop's world: `LOOP_WORLD_DAYS` days drawn by the generator (catalogue uploads spread
 * over all of them); the legacy logs before `LOOP_START_DAY` are the history the models first
 * train on, and the loop's rounds (one day each) replace the days after it. The legacy logs
 * from `LOOP_START_DAY` on are the held-out next watches of the offline recall.
 */
export const LOOP_WORLD_DAYS = 60;
/** First day served by the loop (and of the A/B test). */
export const LOOP_START_DAY = 30;

/** Settings of the closed loop. */
export interface LoopSettings {
  seed: number;
  rounds: number;
  policies: Record<PolicyId, boolean>;
  videos: number;
  users: number;
  steps: number;
  roundSteps: number;
  window: number;
  epsilon: number;
  positionBias: number;
  retrieve: number;
  evalExamples: number;
}

const int = (
  key: string,
  min: number,
  max: number,
  dflt: number,
  label: string,
  help: string,
): Param<number> =>
  numeric(key, { default: dflt, min, max, integer: true, live: false, label, help });

/** The loop's knobs. Defaults: `npm run loop -- --rounds 10` in a few minutes on two cores. */
export const LOOP_PARAMS = {
  seed: int('seed', 0, 4294967295, 7, 'Seed', 'seed of the world and of every draw of the loop'),
  rounds: int(
    'rounds',
    1,
    LOOP_WORLD_DAYS - LOOP_START_DAY,
    10,
    'Rounds',
    'rounds (days) served by each policy; the models retrain after each',
  ),
  policies: switches('policies', POLICY_IDS, {
    default: { model: true, ageOff: true, explore: true, frozen: true, legacy: true, oracle: true },
    live: false,
    label: 'Policies',
    help: 'policies compared',
  }),
  videos: int('videos', 200, 20000, 2000, 'Videos', 'videos in the world'),
  users: int('users', 50, 20000, 1000, 'Users', 'users in the world (every one in the loop)'),
  steps: int(
    'steps',
    1,
    5000,
    400,
    'Initial steps',
    'training steps of the candidate model and the ranker on the history before the loop',
  ),
  roundSteps: int(
    'roundSteps',
    0,
    2000,
    100,
    'Steps per round',
    'training steps of each model after each round (warm start)',
  ),
  window: int(
    'window',
    1,
    LOOP_START_DAY,
    7,
    'Window (days)',
    'each round trains on the examples of this many latest days',
  ),
  epsilon: numeric('epsilon', {
    default: 0.1,
    min: 0,
    max: 1,
    integer: false,
    live: false,
    label: 'ε',
    help: 'share of the exploring policy’s slate slots filled with a random live video',
  }),
  positionBias: numeric('positionBias', {
    default: 0.5,
    min: 0,
    max: 3,
    integer: false,
    live: false,
    label: 'Position bias η',
    help: 'slot i of a slate is examined with probability (1 + i)^−η (0 = no position bias)',
  }),
  retrieve: int(
    'retrieve',
    10,
    1000,
    100,
    'Retrieve N',
    'candidates retrieved per user before the ranker picks the slate',
  ),
  evalExamples: int(
    'evalExamples',
    100,
    5000,
    1000,
    'Evaluation examples',
    'next watches scored for the offline recall each round',
  ),
} as const;

/** Every loop knob's default. */
export function defaultLoopSettings(): LoopSettings {
  const out: Record<string, unknown> = {};
  for (const [k, row] of Object.entries(LOOP_PARAMS)) out[k] = structuredCopy(row.default);
  return out as unknown as LoopSettings;
}

function structuredCopy<T>(v: T): T {
  return typeof v === 'object' && v !== null ? ({ ...v } as T) : v;
}

/** The policies switched on, in display order. */
export function policiesOn(s: Pick<LoopSettings, 'policies'>): PolicyId[] {
  return POLICY_IDS.filter((p) => s.policies[p]);
}

type AnyRow = Param<unknown>;

/**
 * Checks every value of `s` against its row (numbers given as numbers): returns the settings or
 * throws a {@link ConfigError} naming the first bad knob and its range. At least one policy.
 */
export function checkLoopSettings(s: LoopSettings): LoopSettings {
  for (const [k, row] of Object.entries(LOOP_PARAMS) as [keyof LoopSettings, AnyRow][])
    row.parse(row.format(s[k]));
  if (policiesOn(s).length === 0)
    throw new ConfigError(
      'policies',
      `policies must name at least one of ${POLICY_IDS.join(', ')}`,
    );
  return s;
}
