/**
 * What the ranker and the oracle said of each video for one query, within one funnel request
 * (funnel.ts): the timed requests' rankings are kept by video id and only the videos none of
 * them ranked are scored afterwards, each once. The ranker scores every row on its own (a
 * video's logit does not depend on the other rows of its batch) and the oracle's watch is a
 * function of the user's history and the video, so a kept score is the one a new ranking would
 * give (funnel.test.ts compares the figures with requests served in full).
 */

/** The ranker's logit z and the oracle's watch minutes per impression of each id of a list. */
export interface Scored {
  z: Float32Array;
  oracle: Float32Array;
}

/**
 * Scores by video id for one query at a time: {@link add} what a ranking scored,
 * {@link missing} lists what is left, {@link of} reads a list's scores; {@link reset} before
 * the next query. Holds one slot per video [videos] and grows with the videos scored.
 */
export class QueryScores {
  /** Each video's entry in `z` / `oracle`, or −1 when not scored for this query. */
  private readonly slot: Int32Array;
  /** Videos scored for this query, in the order they were added. */
  private ids = new Int32Array(1024);
  private z = new Float32Array(1024);
  private oracle = new Float32Array(1024);
  private size = 0;

  constructor(videos: number) {
    this.slot = new Int32Array(videos).fill(-1);
  }

  /** Forgets every score (the next query's). */
  reset(): void {
    for (let i = 0; i < this.size; i++) this.slot[this.ids[i]] = -1;
    this.size = 0;
  }

  /** Keeps the scores of `ids` [n] (a video already kept keeps its first score). */
  add(ids: Int32Array, scored: Scored): void {
    this.reserve(this.size + ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (this.slot[id] >= 0) continue;
      const j = this.size++;
      this.slot[id] = j;
      this.ids[j] = id;
      this.z[j] = scored.z[i];
      this.oracle[j] = scored.oracle[i];
    }
  }

  /** The distinct ids of `lists` not scored yet, in the order first met. */
  missing(lists: readonly Int32Array[]): Int32Array {
    let total = 0;
    for (const ids of lists) total += ids.length;
    const out = new Int32Array(total);
    let count = 0;
    for (const ids of lists)
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        if (this.slot[id] !== -1) continue; // scored, or met already
        this.slot[id] = -2;
        out[count++] = id;
      }
    for (let i = 0; i < count; i++) this.slot[out[i]] = -1;
    return out.slice(0, count);
  }

  /** The kept scores of `ids` [n], in its order; every id must have been added. */
  of(ids: Int32Array): Scored {
    const z = new Float32Array(ids.length);
    const oracle = new Float32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const j = this.slot[ids[i]];
      if (j < 0) throw new Error(`video ${ids[i]} was not scored for this query`);
      z[i] = this.z[j];
      oracle[i] = this.oracle[j];
    }
    return { z, oracle };
  }

  private reserve(size: number): void {
    if (size <= this.ids.length) return;
    const cap = Math.max(size, this.ids.length * 2);
    const grow = <T extends Int32Array | Float32Array>(a: T, b: T): T => (b.set(a), b);
    this.ids = grow(this.ids, new Int32Array(cap));
    this.z = grow(this.z, new Float32Array(cap));
    this.oracle = grow(this.oracle, new Float32Array(cap));
  }
}
