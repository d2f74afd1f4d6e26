/**
 * A seeded uniform stream whose position can be saved and restored, for the models' batch and
 * negative draws (docs/run-files.md#exact-resume). It draws exactly what `createRng(seed, a)`
 * of `src/sim/rng.ts` draws with `uniform()` and `int(n)` (d3-random's `randomLcg` on
 * `mixSeed(seed, a)`), so the models' weights and batches are unchanged by using it.
 *
 * The state is one number in [0, 1): the seed that restarts d3's LCG where it stands. d3's
 * `randomLcg(s)` sets its 32-bit state to `s · 2³²` and returns `state / 2³²` after each step,
 * so the last value drawn, handed back to `randomLcg`, continues the same sequence bit for bit.
 */
import { randomLcg } from 'd3-random';
import { mixSeed } from '../sim/rng';

/** A uniform source with a saveable position. */
export class UniformStream {
  private next: () => number;
  private last: number;

  /** The stream of `createRng(seed, a, b, c)`'s uniform draws. */
  constructor(seed: number, a = 0, b = 0, c = 0) {
    this.last = mixSeed(seed, a, b, c);
    this.next = randomLcg(this.last);
  }

  /** Uniform in [0, 1) (a stable function: it may be handed out and called later). */
  readonly uniform = (): number => (this.last = this.next());

  /** Integer uniform in [0, n), n ≥ 1 (as `Rng.int`). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** The position: a number in [0, 1) that {@link restore} takes back. */
  get state(): number {
    return this.last;
  }

  /** Continues from a position {@link state} returned. Throws a RangeError outside [0, 1). */
  restore(state: number): void {
    if (!(state >= 0 && state < 1))
      throw new RangeError(`a stream state is in [0, 1), got ${state}`);
    this.last = state;
    this.next = randomLcg(state);
  }
}
