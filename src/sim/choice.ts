/**
 * The choice model of the closed loop (docs/loop.md#the-choice-model): how a simulated user
 * answers a slate — an ordered list of videos — shown by ANY policy, built on the oracle that
 * generated the world (oracle.ts), so a policy's slates are judged by the same truth as the
 * logs the models learned from.
 *
 * The user reads the slate top to bottom. Slot i (0-based) is examined with probability
 *
 *   e_i = (1 + i)^(−η)          (position bias; η = 0: every slot is examined, as in the world's
 *                                own pages, which the generator shuffles and never discounts)
 *
 * and an examined video is clicked with the oracle's P(click) = σ(click logit) at the session's
 * start time, in the context of what the user has watched so far (a rewatch is less likely, the
 * next episode of a watched series more: the oracle's CLICK.rewatch and CLICK.nextEpisode). So
 * slot i is clicked with probability e_i · σ(logit), from one uniform per slot; not clicking is
 * always possible, and a session ends without a click with probability Π_i (1 − e_i·σ_i). A
 * click is watched for duration · frac minutes, frac ~ Beta(f·c, (1 − f)·c) with the oracle's
 * mean watched fraction f (watchFractionOf) and c = WATCH_CONCENTRATION, exactly as the
 * generator draws it (sessions.ts); the clock advances by the minutes watched.
 *
 * Every number is the oracle's own function (affinityAt, clickLogitOf, freshnessAt,
 * watchFractionOf) and every draw comes from the {@link SimRng} the caller passes, so the same
 * user, slate, time, history and stream give the same clicks and minutes, bit for bit.
 */
import {
  affinityAt,
  clickLogitOf,
  freshnessAt,
  oracleTerms,
  sigmoid,
  watchFractionOf,
  type OracleTerms,
} from './oracle';
import type { SimRng } from './rng';
import { MIN_WATCH_STEP_MINUTES, WATCH_CONCENTRATION } from './sessions';
import type { World } from './types';

/** The default position-bias exponent η: slot 4 is examined half as often as slot 1. */
export const DEFAULT_POSITION_BIAS = 0.5;

/** Probability that slot `slot` (0-based) of a slate is examined: (1 + slot)^(−η). */
export function examination(slot: number, eta: number): number {
  return eta === 0 ? 1 : Math.pow(1 + slot, -eta);
}

/** What a user has watched, as the choice model reads and writes it (a `Set<number>` will do). */
export interface WatchedSet {
  has(v: number): boolean;
  add(v: number): unknown;
}

/** The user's answer to one slate; arrays have one entry per slot. */
export interface SlateAnswer {
  /** 1 where the slot was clicked. */
  clicked: Uint8Array;
  /** Minutes watched (0 where not clicked). */
  minutes: Float32Array;
  /** When each watch started (days; the session's start plus the minutes watched before it). */
  watchTime: Float64Array;
  /**
   * The expected minutes of each slot given the user's state on reaching it:
   * e_i · σ(logit) · duration · f. Their sum has the same expectation as the minutes drawn and a
   * smaller variance (the "true watch time" of docs/loop.md#metrics).
   */
  expected: Float32Array;
  /** The probability that the slot was clicked, e_i · σ(logit). */
  pClick: Float32Array;
  /** When the session ended (days): after the last watch, at least the start. */
  end: number;
}

/** The choice model of one world: the oracle's cached terms and each episode's previous one. */
export class ChoiceModel {
  private readonly terms: OracleTerms;
  private readonly prevEpisode: Int32Array;

  /**
   * @param positionBias the exponent η of the examination probability (≥ 0; 0 = no position bias)
   */
  constructor(
    readonly world: World,
    readonly positionBias = DEFAULT_POSITION_BIAS,
  ) {
    if (!(positionBias >= 0 && Number.isFinite(positionBias)))
      throw new RangeError(`positionBias must be a number ≥ 0 (got ${positionBias})`);
    this.terms = oracleTerms(world);
    const { nextEpisode, count } = world.videos;
    this.prevEpisode = new Int32Array(count).fill(-1);
    for (let v = 0; v < count; v++) if (nextEpisode[v] >= 0) this.prevEpisode[nextEpisode[v]] = v;
  }

  /**
   * User u's answer to `slate` (video ids, top first) in a session starting at time t (days),
   * given what u watched before (`watched`, updated with every click), drawing from `rng`: one
   * uniform per slot for the click, then a Beta draw for each click's minutes.
   */
  answer(
    u: number,
    slate: ArrayLike<number>,
    t: number,
    watched: WatchedSet,
    rng: SimRng,
  ): SlateAnswer {
    const { world, terms, prevEpisode } = this;
    const vid = world.videos;
    const d = world.config.latentDim;
    const n = slate.length;
    const out: SlateAnswer = {
      clicked: new Uint8Array(n),
      minutes: new Float32Array(n),
      watchTime: new Float64Array(n),
      expected: new Float32Array(n),
      pClick: new Float32Array(n),
      end: t,
    };
    const language = world.users.language[u];
    const durationWeight = terms.durationPreference[u];
    let clock = t;
    for (let i = 0; i < n; i++) {
      const v = slate[i];
      const a = affinityAt(world.users.latent, u * d, vid.latent, v * d, d);
      const prev = prevEpisode[v];
      const logit = clickLogitOf(
        terms.click[v],
        a,
        freshnessAt(t - vid.uploadTime[v], vid.viral[v]),
        durationWeight * terms.logDuration[v],
        vid.language[v] !== language,
        prev >= 0 && watched.has(prev),
        watched.has(v),
      );
      const p = examination(i, this.positionBias) * sigmoid(logit);
      const f = watchFractionOf(terms.watch[v], a);
      out.pClick[i] = p;
      out.expected[i] = p * vid.duration[v] * f;
      if (rng.next() < p) {
        const frac = rng.beta(f * WATCH_CONCENTRATION, (1 - f) * WATCH_CONCENTRATION);
        const minutes = vid.duration[v] * frac;
        out.clicked[i] = 1;
        out.minutes[i] = minutes;
        out.watchTime[i] = clock;
        clock += Math.max(minutes, MIN_WATCH_STEP_MINUTES) / 1440;
        watched.add(v);
      }
    }
    out.end = clock;
    return out;
  }
}
