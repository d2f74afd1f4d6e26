/**
 * The closed loop's policies (docs/loop.md): the legacy recommender the world was generated with
 * ({@link LegacyPolicy}) and the ranked-list policies that fill slates from a per-user list made
 * at the round's start — the trained two-stage recommender ({@link ModelPolicy}) and the oracle
 * ({@link OraclePolicy}). The round itself is served by `engine.ts`.
 */
import type { CandidateModel } from '../../model/candidate/model';
import type { RankingModel } from '../../model/ranking/model';
import { exactTopN } from '../../serve/exact';
import { liveMask } from '../../serve/funnel';
import { candidateRankingExamples } from '../../sim/candidate-features';
import { expectedWatchPerImpression } from '../../sim/oracle';
import { LegacySlates, type Slate } from '../../sim/legacy-slate';
import { concatRows, servingExamples } from '../../sim/loop-examples';
import type { SimRng } from '../../sim/rng';
import { ImpressionSource } from '../../sim/types';
import type { LoopWorld, Policy, UserState } from './engine';
import { trainingData, trainModels } from './training-data';

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
