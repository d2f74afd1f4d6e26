/**
 * The closed loop's machinery (docs/loop.md): a world whose logs grow round by round
 * ({@link LoopWorld}), what a policy that fills slates must do ({@link Policy}; the policies
 * themselves are in `policies.ts`), and one served round ({@link serveRound}): every user's
 * sessions of the day, a slate from the user's policy, the choice model's answer, the answers
 * logged.
 *
 * Determinism: a user's sessions of a round (how many, when) come from their own stream
 * `SimRng(seed, streams.sessions, round, user)`, the same whatever the policy (common random
 * numbers: policies are compared on the same visits); the clicks from
 * `SimRng(seed, streams.choice, round, user)`; the policy's own draws (exploration, the legacy
 * page) from `SimRng(seed, streams.policy, round, user)`.
 */
import type { ChoiceModel, SlateAnswer } from '../../sim/choice';
import type { Slate } from '../../sim/legacy-slate';
import { appendLogs, RoundWriter } from '../../sim/loop-logs';
import { SimRng } from '../../sim/rng';
import { MAX_SESSIONS_PER_DAY, MIN_WATCH_STEP_MINUTES } from '../../sim/sessions';
import type { Logs, World } from '../../sim/types';

/** The stream ids of one use of {@link serveRound} (the loop's, the A/B test's). */
export interface Streams {
  sessions: number;
  choice: number;
  policy: number;
}

/** A user as a policy sees them within a round. */
export interface UserState {
  /** Everything the user watched, in the logs and this round so far. */
  watched: Set<number>;
  /** The user's last watched video, or −1. */
  lastWatched: number;
  /** Videos shown to the user earlier this round. */
  shown: Set<number>;
}

/** Fills slates. */
export interface Policy {
  /** Called once per round before any slate, with the users it will serve and their sessions. */
  prepare(day: number, users: Int32Array, sessions: Int32Array): Promise<void>;
  /** Called at a user's first session of the round. */
  startDay?(u: number, day: number, sessions: number, rng: SimRng): void;
  /** A slate of (at most) k videos for user u at time t. */
  slate(u: number, t: number, k: number, user: UserState, rng: SimRng): Slate;
}

/**
 * A world whose logs grow: the base world's catalogue and users, its own config (the split
 * day moves to "now") and logs, with what the round simulation keeps per user (what they
 * watched, their last watch, when their last session ended).
 */
export class LoopWorld {
  readonly world: World;
  /** When each user's last session ended (days): the next starts no earlier. */
  readonly free: Float64Array;
  readonly watched: Set<number>[];
  readonly lastWatched: Int32Array;

  constructor(base: World, history: Logs, now: number) {
    this.world = { ...base, config: { ...base.config, splitDay: now }, logs: history };
    const U = base.users.count;
    this.free = new Float64Array(U).fill(-Infinity);
    this.watched = Array.from({ length: U }, () => new Set<number>());
    this.lastWatched = new Int32Array(U).fill(-1);
    const L = history;
    for (let s = 0; s < L.sessions; s++)
      this.free[L.sessionUser[s]] = Math.max(this.free[L.sessionUser[s]], L.sessionTime[s]);
    for (let u = 0; u < U; u++) {
      for (let j = L.userWatchOffsets[u]; j < L.userWatchOffsets[u + 1]; j++) {
        this.watched[u].add(L.watchVideo[j]);
        this.lastWatched[u] = L.watchVideo[j];
        this.free[u] = Math.max(
          this.free[u],
          L.watchTime[j] + Math.max(L.watchMinutes[j], MIN_WATCH_STEP_MINUTES) / 1440,
        );
      }
    }
  }

  /** Appends a round's logs; `now` (days) becomes the split day. */
  append(round: Logs, now: number): void {
    this.world.logs = appendLogs(this.world.logs, round, this.world.users.count);
    this.world.config.splitDay = now;
  }

  /**
   * Runs `f` with the world's logs and split day swapped for `logs` and `splitDay` (the legacy
   * world's, to score held-out examples built from them), then puts them back.
   */
  async with<T>(logs: Logs, splitDay: number, f: () => Promise<T>): Promise<T> {
    const saved = this.world.logs;
    const savedSplit = this.world.config.splitDay;
    this.world.logs = logs;
    this.world.config.splitDay = splitDay;
    try {
      return await f();
    } finally {
      this.world.logs = saved;
      this.world.config.splitDay = savedSplit;
    }
  }
}

/** What one served round gave, per user and per video. */
export class RoundStats {
  readonly impressions: Int32Array;
  /** Watch minutes per user and topic [users × topics]. */
  readonly topicMinutes: Float64Array;
  /** Impressions per user and topic [users × topics]. */
  readonly topicShown: Float64Array;
  readonly userSessions: Int32Array;
  readonly userMinutes: Float64Array;
  readonly userExpected: Float64Array;
  readonly userClicks: Int32Array;
  readonly userClickbait: Int32Array;
  logs: Logs | null = null;

  constructor(readonly world: World) {
    const U = world.users.count;
    this.impressions = new Int32Array(world.videos.count);
    this.topicMinutes = new Float64Array(U * world.config.topics);
    this.topicShown = new Float64Array(U * world.config.topics);
    this.userSessions = new Int32Array(U);
    this.userMinutes = new Float64Array(U);
    this.userExpected = new Float64Array(U);
    this.userClicks = new Int32Array(U);
    this.userClickbait = new Int32Array(U);
  }

  add(u: number, slate: Int32Array, a: SlateAnswer): void {
    const { videos, config } = this.world;
    this.userSessions[u]++;
    for (let i = 0; i < slate.length; i++) {
      const v = slate[i];
      this.impressions[v]++;
      this.topicShown[u * config.topics + videos.topic[v]]++;
      this.userExpected[u] += a.expected[i];
      if (!a.clicked[i]) continue;
      this.userClicks[u]++;
      this.userClickbait[u] += videos.clickbait[v];
      this.userMinutes[u] += a.minutes[i];
      this.topicMinutes[u * config.topics + videos.topic[v]] += a.minutes[i];
    }
  }
}

/** Users' sessions of one round: how many each has and when (common to every policy). */
export interface RoundVisits {
  /** Users with at least one session, ascending. */
  users: Int32Array;
  /** Their session counts. */
  counts: Int32Array;
  /** Their session start times, sorted, user after user (CSR by `offsets`). */
  times: Float64Array;
  offsets: Int32Array;
}

/** Draws the round's sessions of every user: Poisson(activity) sessions at day + U(0, 1). */
export function roundVisits(
  world: World,
  seed: number,
  stream: number,
  round: number,
  day: number,
): RoundVisits {
  const U = world.users.count;
  const users: number[] = [];
  const counts: number[] = [];
  const times: number[] = [];
  const offsets = [0];
  for (let u = 0; u < U; u++) {
    const rng = new SimRng(seed, stream, round, u);
    const k = Math.min(MAX_SESSIONS_PER_DAY, rng.poisson(world.users.activity[u]));
    if (k === 0) continue;
    const t = Array.from({ length: k }, () => day + rng.next()).sort((a, b) => a - b);
    users.push(u);
    counts.push(k);
    times.push(...t);
    offsets.push(times.length);
  }
  return packVisits(users, counts, times, offsets);
}

/** Visits built in plain arrays, as the typed columns of {@link RoundVisits}. */
function packVisits(
  users: number[],
  counts: number[],
  times: number[],
  offsets: number[],
): RoundVisits {
  return {
    users: Int32Array.from(users),
    counts: Int32Array.from(counts),
    times: Float64Array.from(times),
    offsets: Int32Array.from(offsets),
  };
}

/** The visits of the users for whom `include` is true (their draws unchanged). */
export function visitsOf(visits: RoundVisits, include: (u: number) => boolean): RoundVisits {
  const users: number[] = [];
  const counts: number[] = [];
  const times: number[] = [];
  const offsets = [0];
  visits.users.forEach((u, i) => {
    if (!include(u)) return;
    users.push(u);
    counts.push(visits.counts[i]);
    for (let s = visits.offsets[i]; s < visits.offsets[i + 1]; s++) times.push(visits.times[s]);
    offsets.push(times.length);
  });
  return packVisits(users, counts, times, offsets);
}

/**
 * Serves one round (day `day`, 0-based `round`) to every user with sessions (only those for
 * whom `include` is true, when given: an A/B arm's world serves its own users): user u gets
 * slates from `policyOf(u)`, answers them through `choice`, and the answers are appended to
 * the world's logs (the split day becomes day + 1). Returns the round's statistics.
 */
export async function serveRound(
  lw: LoopWorld,
  choice: ChoiceModel,
  seed: number,
  streams: Streams,
  round: number,
  day: number,
  policyOf: (u: number) => Policy,
  include?: (u: number) => boolean,
): Promise<RoundStats> {
  const world = lw.world;
  const k = world.config.impressionsPerSession;
  const all = roundVisits(world, seed, streams.sessions, round, day);
  const visits = include ? visitsOf(all, include) : all;
  // Each policy prepares for its own users.
  const byPolicy = new Map<Policy, number[]>();
  visits.users.forEach((u, i) => {
    const p = policyOf(u);
    if (!byPolicy.has(p)) byPolicy.set(p, []);
    byPolicy.get(p)!.push(i);
  });
  for (const [p, idx] of byPolicy)
    await p.prepare(
      day,
      Int32Array.from(idx, (i) => visits.users[i]),
      Int32Array.from(idx, (i) => visits.counts[i]),
    );
  const stats = new RoundStats(world);
  const writer = new RoundWriter(world.users.count, visits.times.length, k);
  for (let i = 0; i < visits.users.length; i++) {
    const u = visits.users[i];
    const policy = policyOf(u);
    const prng = new SimRng(seed, streams.policy, round, u);
    const crng = new SimRng(seed, streams.choice, round, u);
    policy.startDay?.(u, day, visits.counts[i], prng);
    const state: UserState = {
      watched: lw.watched[u],
      lastWatched: lw.lastWatched[u],
      shown: new Set(),
    };
    for (let s = visits.offsets[i]; s < visits.offsets[i + 1]; s++) {
      const t = Math.max(visits.times[s], lw.free[u]);
      const slate = policy.slate(u, t, k, state, prng);
      const answer = choice.answer(u, slate.videos, t, state.watched, crng);
      writer.session(u, t, slate.videos, slate.sources, answer);
      stats.add(u, slate.videos, answer);
      for (let j = 0; j < slate.videos.length; j++) {
        state.shown.add(slate.videos[j]);
        if (answer.clicked[j]) state.lastWatched = slate.videos[j];
      }
      lw.free[u] = answer.end + MIN_WATCH_STEP_MINUTES / 1440;
    }
    lw.lastWatched[u] = state.lastWatched;
  }
  stats.logs = writer.finish();
  lw.append(stats.logs, day + 1);
  return stats;
}
