/**
 * The closed loop's machinery (docs/loop.md): a world whose logs grow round by round
 * ({@link LoopWorld}), the policies that fill slates (the trained two-stage recommender,
 * {@link ModelPolicy}, and the legacy recommender the world was generated with,
 * {@link LegacyPolicy}), and one served round ({@link serveRound}): every user's sessions of
 * the day, a slate from the user's policy, the choice model's answer, the answers logged.
 *
 * Determinism: a user's sessions of a round (how many, when) come from their own stream
 * `SimRng(seed, streams.sessions, round, user)`, the same whatever the policy (common random
 * numbers: policies are compared on the same visits); the clicks from
 * `SimRng(seed, streams.choice, round, user)`; the policy's own draws (exploration, the legacy
 * page) from `SimRng(seed, streams.policy, round, user)`.
 */
import type { CandidateModel } from '../../model/candidate/model';
import { labelCounts } from '../../model/candidate/model';
import type { RankingModel } from '../../model/ranking/model';
import { exactTopN } from '../../serve/exact';
import { liveMask } from '../../serve/funnel';
import { candidateRankingExamples } from '../../sim/candidate-features';
import { expectedWatchPerImpression } from '../../sim/oracle';
import type { ChoiceModel, SlateAnswer } from '../../sim/choice';
import { buildCandidateExamples } from '../../sim/examples';
import { LegacySlates, type Slate } from '../../sim/legacy-slate';
import {
  candidateRows,
  concatRows,
  rankingRows,
  rowsFrom,
  servingExamples,
} from '../../sim/loop-examples';
import { appendLogs, RoundWriter } from '../../sim/loop-logs';
import { buildRankingExamples } from '../../sim/ranking-examples';
import { SimRng } from '../../sim/rng';
import { MAX_SESSIONS_PER_DAY, MIN_WATCH_STEP_MINUTES } from '../../sim/sessions';
import { ImpressionSource, type Logs, type World } from '../../sim/types';

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

/** The legacy recommender as a policy. */
export class LegacyPolicy implements Policy {
  private readonly slates: LegacySlates;

  constructor(lw: LoopWorld) {
    this.slates = new LegacySlates(lw.world);
  }

  async prepare(): Promise<void> {}

  startDay(u: number, day: number, sessions: number, rng: SimRng): void {
    this.slates.startDay(u, day, sessions, rng);
  }

  slate(u: number, t: number, k: number, user: UserState, rng: SimRng): Slate {
    return this.slates.slate(u, t, k, user, rng);
  }
}

/** Options of a {@link ModelPolicy}. */
export interface ModelPolicyOptions {
  /** Candidates retrieved per user (at least enough for the user's slates of the round). */
  retrieve: number;
  /** Share of slate slots given to a random live video. */
  epsilon: number;
}

/**
 * A policy that ranks a list of videos per user at the round's start (`rank`) and fills each
 * session's slate with the next k of the list the user has neither watched nor been shown this
 * round, each slot replaced with probability ε by a random live video (also when the list runs
 * out).
 */
export abstract class RankedListPolicy implements Policy {
  private lists = new Map<number, Int32Array>();
  private cursor = new Map<number, number>();

  constructor(
    readonly lw: LoopWorld,
    readonly options: ModelPolicyOptions,
  ) {}

  /**
   * The ranked lists of `users` at time `day` (their live, unwatched videos; `need[i]` is the
   * fewest user i needs).
   */
  protected abstract rank(day: number, users: Int32Array, need: Int32Array): Promise<Int32Array[]>;

  async prepare(day: number, users: Int32Array, sessions: Int32Array): Promise<void> {
    this.lists.clear();
    this.cursor.clear();
    if (users.length === 0) return;
    const k = this.lw.world.config.impressionsPerSession;
    const need = Int32Array.from(sessions, (n) => Math.max(this.options.retrieve, k * n));
    const lists = await this.rank(day, users, need);
    users.forEach((u, i) => {
      this.lists.set(u, lists[i]);
      this.cursor.set(u, 0);
    });
  }

  /** 1 for the `live` videos user u has not watched, and how many there are. */
  protected allowed(u: number, live: Uint8Array, liveCount: number) {
    const mask = live.slice();
    let n = liveCount;
    for (const v of this.lw.watched[u])
      if (mask[v]) {
        mask[v] = 0;
        n--;
      }
    return { mask, n };
  }

  slate(u: number, t: number, k: number, user: UserState, rng: SimRng): Slate {
    const world = this.lw.world;
    const up = world.videos.uploadTime;
    const N = world.videos.count;
    const list = this.lists.get(u) ?? new Int32Array(0);
    let at = this.cursor.get(u) ?? 0;
    const videos: number[] = [];
    const sources: number[] = [];
    const ok = (v: number) =>
      up[v] <= t && !user.watched.has(v) && !user.shown.has(v) && !videos.includes(v);
    const random = (): number => {
      for (let i = 0; i < 20; i++) {
        const v = rng.int(N);
        if (ok(v)) return v;
      }
      return -1;
    };
    while (videos.length < k) {
      let v = -1;
      let src: number = ImpressionSource.Legacy;
      if (this.options.epsilon > 0 && rng.next() < this.options.epsilon) {
        v = random();
        src = ImpressionSource.Random;
      }
      if (v < 0) {
        while (at < list.length && !ok(list[at])) at++;
        if (at < list.length) {
          v = list[at++];
          src = ImpressionSource.Legacy;
        } else {
          v = random();
          src = ImpressionSource.Random;
        }
      }
      if (v < 0) break;
      videos.push(v);
      sources.push(src);
    }
    this.cursor.set(u, at);
    return { videos: Int32Array.from(videos), sources: Uint8Array.from(sources) };
  }
}

/**
 * The two-stage recommender as a policy: at the round's start each user's u (history before
 * the day, example age 0), the top N live videos the user has not watched by u·v + b (exact
 * scan; N = max(retrieve, k × the user's sessions of the round)), ranked by the ranker's logit.
 */
export class ModelPolicy extends RankedListPolicy {
  constructor(
    lw: LoopWorld,
    readonly candidate: CandidateModel,
    readonly ranker: RankingModel,
    options: ModelPolicyOptions,
  ) {
    super(lw, options);
  }

  protected async rank(day: number, users: Int32Array, need: Int32Array): Promise<Int32Array[]> {
    const world = this.lw.world;
    const { candidate, ranker } = this;
    const d = candidate.d;
    const live = liveMask(world, day);
    const liveCount = live.reduce((a, m) => a + m, 0);
    const items = { vectors: candidate.videoOut.weights, count: world.videos.count, dim: d };
    const bias = candidate.videoBias.weights;
    const out: Int32Array[] = [];
    const CHUNK = 256;
    for (let c = 0; c < users.length; c += CHUNK) {
      const part = users.subarray(c, Math.min(users.length, c + CHUNK));
      const ex = servingExamples(world, part, day);
      const uT = candidate.userVectors(
        candidate.inputs(
          ex,
          Int32Array.from(part, (_, i) => i),
          true,
        ),
      );
      const u = (await uT.data()) as Float32Array;
      uT.dispose();
      const parts = [];
      const ids: Int32Array[] = [];
      for (let i = 0; i < part.length; i++) {
        const { mask, n } = this.allowed(part[i], live, liveCount);
        const top = exactTopN(items, u.subarray(i * d, (i + 1) * d), Math.min(n, need[c + i]), {
          bias,
          mask,
        });
        ids.push(top.ids);
        parts.push(candidateRankingExamples(world, part[i], day, top.ids, 50, i));
      }
      const z = await ranker.predictLogits(concatRows(parts));
      let at = 0;
      for (const list of ids) {
        const zi = z.subarray(at, at + list.length);
        at += list.length;
        const order = Array.from(list.keys()).sort((a, b) => zi[b] - zi[a] || list[a] - list[b]);
        out.push(Int32Array.from(order, (j) => list[j]));
      }
    }
    return out;
  }

  /**
   * Warm-started retraining at time `now` (days): the candidate model's next-watch examples and
   * the ranker's impressions of the latest `window` days of the logs, `steps` steps each; the
   * sampler's label counts are those of the new examples.
   */
  async learn(
    now: number,
    window: number,
    steps: number,
    between?: (step: number) => Promise<void>,
  ): Promise<void> {
    if (steps <= 0) return;
    const { train, rankTrain } = trainingData(this.lw.world, now, window);
    await trainModels(this.candidate, this.ranker, train, rankTrain, steps, between);
  }
}

/**
 * The oracle as a policy (a control, docs/loop.md#policies): each user's live, unwatched videos
 * sorted by the oracle's expected watch minutes per impression at the round's start (with the
 * next-episode context of what they watched). No model can do better in expectation on a
 * slate's first slot; its welfare over the rounds shows what the catalogue itself allows
 * (users run out of the videos they like best).
 */
export class OraclePolicy extends RankedListPolicy {
  protected async rank(day: number, users: Int32Array, need: Int32Array): Promise<Int32Array[]> {
    const world = this.lw.world;
    const live = liveMask(world, day);
    const liveCount = live.reduce((a, m) => a + m, 0);
    const prev = new Int32Array(world.videos.count).fill(-1);
    for (let v = 0; v < world.videos.count; v++)
      if (world.videos.nextEpisode[v] >= 0) prev[world.videos.nextEpisode[v]] = v;
    return Array.from(users, (u, i) => {
      const { mask, n } = this.allowed(u, live, liveCount);
      const watched = this.lw.watched[u];
      const ids: number[] = [];
      const score = new Float64Array(world.videos.count);
      for (let v = 0; v < mask.length; v++) {
        if (!mask[v]) continue;
        ids.push(v);
        score[v] = expectedWatchPerImpression(world, u, v, day, {
          previousEpisodeWatched: prev[v] >= 0 && watched.has(prev[v]),
        });
      }
      ids.sort((a, b) => score[b] - score[a] || a - b);
      return Int32Array.from(ids.slice(0, Math.min(n, need[i])));
    });
  }
}

/**
 * The training examples of the latest `window` days before `now` of a world's logs: candidate
 * examples (no per-user cap; labels the next watch, or a random held-out watch with `label`
 * `heldout`, paper §3.4) and the ranker's impressions (every page), with the world's split day
 * set to `now` (the example age is counted from it).
 */
export function trainingData(
  world: World,
  now: number,
  window: number,
  label: 'next' | 'heldout' = 'next',
) {
  world.config.splitDay = now;
  const all = buildCandidateExamples(world, { split: 'train', perUserCap: 0, label });
  const train = candidateRows(all, rowsFrom(all.time, now - window));
  const ranks = buildRankingExamples(world, { split: 'train', pagesPerUser: 0 });
  const rankTrain = rankingRows(ranks, rowsFrom(ranks.time, now - window));
  return { train, rankTrain };
}

/** `steps` steps of both models on the examples (the sampler's counts from `train`). */
export async function trainModels(
  candidate: CandidateModel | null,
  ranker: RankingModel | null,
  train: ReturnType<typeof trainingData>['train'],
  rankTrain: ReturnType<typeof trainingData>['rankTrain'],
  steps: number,
  between?: (step: number) => Promise<void>,
): Promise<void> {
  if (candidate) {
    if (train.count === 0) throw new Error('no next-watch examples to train on');
    candidate.setLabelCounts(labelCounts(candidate.world, train));
  }
  if (ranker && rankTrain.count === 0) throw new Error('no impressions to train the ranker on');
  for (let s = 1; s <= steps; s++) {
    if (candidate) await candidate.trainStep(train);
    if (ranker) await ranker.trainStep(rankTrain);
    if (between) await between(s);
  }
}
