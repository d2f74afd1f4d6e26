import { randomLcg } from 'd3-random';
import { describe, expect, it } from 'vitest';
import { AliasTable, makeSampler, SAMPLER_KINDS } from './samplers.ts';
import type { NegativeSampler, SamplerKind } from './samplers.ts';

/** A source that replays fixed values, for hand-checked draws. */
const replay = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

/** Probability of each outcome implied by an alias table: (keep[i] + Σ_{alias[j]=i} (1 − keep[j])) / n. */
const implied = (t: AliasTable) => {
  const p = new Float64Array(t.size);
  for (let j = 0; j < t.size; j++) {
    p[j] += t.keep[j] / t.size;
    p[t.alias[j]] += (1 - t.keep[j]) / t.size;
  }
  return Array.from(p);
};

describe('AliasTable', () => {
  it('builds the hand-computed table for weights 1, 1, 2, 4', () => {
    // scaled n·p = 0.5, 0.5, 1, 2. Vose: column 1 borrows from 3 (3 → 1.5), column 0 borrows
    // from 3 (3 → 1.0); 2 and 3 keep themselves.
    const t = new AliasTable(Float64Array.of(1, 1, 2, 4));
    expect(Array.from(t.p)).toEqual([0.125, 0.125, 0.25, 0.5]);
    expect(Array.from(t.keep)).toEqual([0.5, 0.5, 1, 1]);
    expect(Array.from(t.alias)).toEqual([3, 3, 2, 3]);
    expect(implied(t)).toEqual([0.125, 0.125, 0.25, 0.5]);
    // column ⌊0.3·4⌋ = 1; coin 0.4 < 0.5 keeps 1, coin 0.6 jumps to alias 3
    expect(t.draw(replay([0.3, 0.4]))).toBe(1);
    expect(t.draw(replay([0.3, 0.6]))).toBe(3);
    expect(t.draw(replay([0.99, 0.99]))).toBe(3);
  });

  it('implies exactly the normalised weights, zero weights never drawn', () => {
    const w = Float32Array.of(1, 2, 3, 4, 0, 10, 0.5);
    const t = new AliasTable(w);
    const implP = implied(t);
    for (let i = 0; i < w.length; i++) expect(implP[i]).toBeCloseTo(w[i] / 20.5, 14);
    expect(t.keep[4]).toBe(0);
    expect(Array.from(t.alias)).not.toContain(4);
  });

  it('rejects negative, non-finite and all-zero weights', () => {
    expect(() => new AliasTable([1, -1])).toThrow(RangeError);
    expect(() => new AliasTable([1, NaN])).toThrow(RangeError);
    expect(() => new AliasTable([1, Infinity])).toThrow(RangeError);
    expect(() => new AliasTable([0, 0])).toThrow(RangeError);
    expect(() => new AliasTable([])).toThrow(RangeError);
  });
});

const N = 50;
/** Zipf-ish counts in a shuffled id order, with a few unseen items. */
const counts = Float32Array.from({ length: N }, (_, i) =>
  (i * 17) % N < 5 ? 0 : Math.floor(1000 / (1 + ((i * 17) % N))),
);

const build = (kind: SamplerKind) => makeSampler(kind, { numItems: N, counts, alpha: 0.75 });

/** Draws `draws` ids in chunks of 256 (the in-batch sampler gets batches of labels drawn ∝ q). */
const frequencies = (s: NegativeSampler, seed: number, draws: number) => {
  const rng = randomLcg(seed);
  const labels = new AliasTable(s.probabilities());
  const batch = new Int32Array(256);
  const out = new Int32Array(256);
  const freq = new Float64Array(N);
  for (let done = 0; done < draws; done += 256) {
    if (s.kind === 'in-batch') for (let i = 0; i < 256; i++) batch[i] = labels.draw(rng);
    s.sample(256, rng, out, batch);
    for (const id of out) freq[id] += 1 / draws;
  }
  return freq;
};

describe('makeSampler', () => {
  it.each(SAMPLER_KINDS)('%s: exp(logQ) sums to 1 and matches probabilities()', (kind) => {
    const s = build(kind);
    const q = s.probabilities();
    let sum = 0;
    for (let i = 0; i < N; i++) {
      sum += Math.exp(s.logQ(i));
      expect(Math.exp(s.logQ(i))).toBeCloseTo(q[i], 14);
      expect(Number.isFinite(s.logQ(i))).toBe(true);
    }
    expect(sum).toBeCloseTo(1, 12);
    const logQ = s.logQInto(Int32Array.of(0, 7, 49), new Float32Array(3));
    expect(logQ[1]).toBeCloseTo(s.logQ(7), 5);
  });

  it.each(SAMPLER_KINDS)('%s: 200k draws match q within 5 standard errors', (kind) => {
    const s = build(kind);
    const q = s.probabilities();
    const draws = 256 * 782; // ≈ 200k
    const freq = frequencies(s, 0.25, draws);
    for (let i = 0; i < N; i++) {
      expect(Math.abs(freq[i] - q[i])).toBeLessThan(
        5 * Math.sqrt((q[i] * (1 - q[i])) / draws) + 1e-6,
      );
    }
  });

  it.each(SAMPLER_KINDS)('%s: the same seeded source draws the same negatives', (kind) => {
    const s = build(kind);
    expect(Array.from(frequencies(s, 0.5, 2560))).toEqual(Array.from(frequencies(s, 0.5, 2560)));
    if (kind !== 'in-batch') {
      const a = s.sample(100, randomLcg(0.9), new Int32Array(100));
      const b = s.sample(100, randomLcg(0.9), new Int32Array(100));
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(Array.from(a)).not.toEqual(
        Array.from(s.sample(100, randomLcg(0.1), new Int32Array(100))),
      );
    }
  });

  it('gives the hand-computed q of each kind', () => {
    const c = Float32Array.of(0, 3, 8); // popularity order: 2, 1, 0
    const uni = makeSampler('uniform', { numItems: 3 });
    expect(uni.logQ(1)).toBeCloseTo(Math.log(1 / 3), 14);
    const pop = makeSampler('popularity', { numItems: 3, counts: c, alpha: 0.5 });
    expect(Array.from(pop.probabilities())).toEqual(
      [1 / 6, 2 / 6, 3 / 6].map((x) => expect.closeTo(x, 14)),
    );
    const lu = makeSampler('log-uniform', { numItems: 3, counts: c });
    const [q0, q1, q2] = lu.probabilities(); // ranks 2, 1, 0 → log(4/3), log(3/2), log 2 over log 4
    expect([q2, q1, q0]).toEqual(
      [Math.log(2), Math.log(1.5), Math.log(4 / 3)].map((x) => expect.closeTo(x / Math.log(4), 14)),
    );
    const luById = makeSampler('log-uniform', { numItems: 3 }).probabilities();
    expect(luById[0]).toBeCloseTo(0.5, 14);
    const ib = makeSampler('in-batch', { numItems: 3, counts: c });
    expect(Array.from(ib.probabilities())).toEqual(
      [1 / 14, 4 / 14, 9 / 14].map((x) => expect.closeTo(x, 14)),
    );
    // log-uniform inverse CDF: u = 0.6 → ⌊4^0.6⌋ − 1 = 1 → rank 1 = item 1; u = 0.1 → rank 0 = item 2
    expect(Array.from(lu.sample(2, replay([0.6, 0.1]), new Int32Array(2)))).toEqual([1, 2]);
  });

  it('in-batch returns the batch labels; logQ lowers popular items more', () => {
    const s = build('in-batch');
    const labels = Int32Array.of(3, 1, 4, 1, 5);
    expect(Array.from(s.sample(5, () => 0, new Int32Array(5), labels))).toEqual([3, 1, 4, 1, 5]);
    expect(() => s.sample(6, () => 0, new Int32Array(6), labels)).toThrow(RangeError);
    expect(() => s.sample(2, () => 0, new Int32Array(2))).toThrow(RangeError);
    // The logQ correction is logit − log q: the most popular item must be pushed down most.
    const pop = build('popularity');
    const top = counts.indexOf(Math.max(...counts));
    const unseen = counts.indexOf(0);
    expect(-pop.logQ(top)).toBeLessThan(-pop.logQ(unseen));
  });

  it('validates its settings and ids', () => {
    expect(() => makeSampler('popularity', { numItems: 3 })).toThrow(/needs item counts/);
    expect(() => makeSampler('in-batch', { numItems: 3 })).toThrow(/needs item counts/);
    expect(() => makeSampler('uniform', { numItems: 0 })).toThrow(RangeError);
    expect(() => makeSampler('uniform', { numItems: 3, counts: [1, 2] })).toThrow(RangeError);
    expect(() => makeSampler('popularity', { numItems: 2, counts: [1, -2] })).toThrow(RangeError);
    expect(() => makeSampler('popularity', { numItems: 2, counts: [1, 2], alpha: -1 })).toThrow(
      RangeError,
    );
    const s = makeSampler('uniform', { numItems: 3 });
    expect(() => s.logQ(3)).toThrow(RangeError);
    expect(() => s.sample(4, () => 0, new Int32Array(3))).toThrow(RangeError);
  });
});
