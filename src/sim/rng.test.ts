import { describe, expect, it } from 'vitest';
import { randomLcg, randomNormal, randomPoisson } from 'd3-random';
import { createRng, LCG_EPS, LCG_INC, LCG_MUL, mixSeed, SimRng } from './rng';

describe('seeded random sources', () => {
  it('mixes a seed and stream ids into a number in [0, 1), the same each time', () => {
    for (let seed = 0; seed < 50; seed++) {
      const x = mixSeed(seed, 5, seed * 31);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    expect(mixSeed(7, 1, 2, 3)).toBe(mixSeed(7, 1, 2, 3));
    expect(mixSeed(7, 1, 2, 3)).not.toBe(mixSeed(7, 1, 2, 4));
  });

  it('gives distinct streams for distinct (seed, stream) pairs', () => {
    // The stages of a world draw from createRng(seed, stream); two worlds with nearby seeds
    // must not share a stream (e.g. seed 6's topic centres and seed 7's videos).
    const seen = new Map<number, string>();
    const clashes: string[] = [];
    for (let seed = 0; seed < 16; seed++)
      for (let a = 0; a < 8; a++) {
        const x = mixSeed(seed, a);
        const prev = seen.get(x);
        if (prev !== undefined && clashes.length < 5)
          clashes.push(`mixSeed(${seed}, ${a}) = mixSeed(${prev})`);
        seen.set(x, `${seed}, ${a}`);
      }
    expect(clashes).toEqual([]);
  });

  it('repeats every shape for the same seed and stream, and differs across streams', () => {
    const draw = (seed: number, stream: number) => {
      const r = createRng(seed, stream);
      return [
        r.uniform(),
        r.int(10),
        r.normal(),
        r.gamma(0.5),
        r.beta(2, 3),
        r.logNormal(0, 1),
        r.poisson(3),
        r.poisson(40),
      ];
    };
    expect(draw(7, 1)).toEqual(draw(7, 1));
    expect(draw(7, 1)).not.toEqual(draw(7, 2));
    expect(draw(7, 1)).not.toEqual(draw(8, 1));
  });

  it('has roughly the stated moments', () => {
    const r = createRng(42, 9);
    const n = 20000;
    const mean = (f: () => number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += f();
      return s / n;
    };
    expect(mean(r.uniform)).toBeCloseTo(0.5, 1);
    expect(mean(r.normal)).toBeCloseTo(0, 1);
    expect(mean(() => r.gamma(2))).toBeCloseTo(2, 1);
    expect(mean(() => r.beta(2, 6))).toBeCloseTo(0.25, 1);
    expect(mean(() => r.poisson(1.5))).toBeCloseTo(1.5, 1);
    expect(mean(() => r.poisson(30)) / 30).toBeCloseTo(1, 1);
    expect(r.poisson(0)).toBe(0);
    for (let i = 0; i < 1000; i++) {
      const k = r.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
  });

  it("SimRng draws d3-random's numbers: randomLcg uniforms, randomNormal, randomPoisson from 20", () => {
    const seed = mixSeed(7, 5, 123);
    const r = new SimRng(7, 5, 123);
    const lcg = randomLcg(seed);
    for (let i = 0; i < 1000; i++) expect(r.next()).toBe(lcg());
    const r2 = new SimRng(7, 5, 123);
    const normal = randomNormal.source(randomLcg(seed))(0, 1);
    for (let i = 0; i < 1001; i++) expect(r2.normal()).toBe(normal());
    const r3 = new SimRng(9, 1);
    const poisson = randomPoisson.source(randomLcg(mixSeed(9, 1)))(35);
    for (let i = 0; i < 200; i++) expect(r3.poisson(35)).toBe(poisson());
  });

  it('createRng is SimRng behind detached functions: the same stream shape for shape', () => {
    const a = createRng(3, 2, 1);
    const b = new SimRng(3, 2, 1);
    const { uniform, normal } = a;
    for (let i = 0; i < 300; i++) {
      expect(uniform()).toBe(b.next());
      expect(a.int(11)).toBe(b.int(11));
      expect(normal()).toBe(b.normal());
      expect(a.gamma(0.3 + (i % 5))).toBe(b.gamma(0.3 + (i % 5)));
      expect(a.beta(0.7, 2.1)).toBe(b.beta(0.7, 2.1));
      expect(a.logNormal(0.1, 0.9)).toBe(b.logNormal(0.1, 0.9));
      expect(a.poisson(i % 3 === 0 ? 20 : 1.7)).toBe(b.poisson(i % 3 === 0 ? 20 : 1.7));
    }
  });

  it('nextU32 is the same step as next, its word: next() = nextU32() · 2⁻³²', () => {
    const a = new SimRng(7, 3, 11);
    const b = new SimRng(7, 3, 11);
    for (let i = 0; i < 1000; i++) {
      const w = a.nextU32();
      expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
      expect(LCG_EPS * w).toBe(b.next());
    }
  });

  it('next() steps with LCG_MUL and LCG_INC and scales by LCG_EPS (its literals are these)', () => {
    expect(LCG_EPS).toBe(2.3283064365386963e-10);
    const r = new SimRng(3);
    const state = new SimRng(3).nextU32();
    const after = (Math.imul(LCG_MUL, state | 0) + LCG_INC) | 0;
    r.next();
    expect(r.next()).toBe(LCG_EPS * (after >>> 0));
  });
});
