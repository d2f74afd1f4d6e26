import { beforeAll, describe, expect, it } from 'vitest';
import { ChoiceModel, examination, type WatchedSet } from './choice';
import { affinity, pClick, watchFractionFromAffinity } from './oracle';
import { SimRng } from './rng';
import type { World } from './types';
import { generateWorld } from './world';

/** A watched set that never changes (the oracle's context stays fixed along the slate). */
const fixed = (set: Set<number>): WatchedSet => ({ has: (v) => set.has(v), add: () => undefined });

describe('choice model', () => {
  let w: World;
  let slate: Int32Array;
  const t = 10.5;
  beforeAll(() => {
    w = generateWorld({ seed: 5, videos: 400, users: 40, days: 14 });
    // Ten videos uploaded by t.
    const live: number[] = [];
    for (let v = 0; v < w.videos.count && live.length < 10; v++)
      if (w.videos.uploadTime[v] <= t) live.push(v);
    slate = Int32Array.from(live);
  }, 60_000);

  it('examines slot i with probability (1 + i)^(−η)', () => {
    expect(examination(0, 0.5)).toBe(1);
    expect(examination(3, 0.5)).toBeCloseTo(0.5, 12);
    expect(examination(9, 1)).toBeCloseTo(0.1, 12);
    expect(examination(7, 0)).toBe(1);
  });

  it("is the oracle's P(click) times the examination probability, in the oracle's context", () => {
    const watched = new Set([slate[2]]);
    for (const eta of [0, 0.5, 1]) {
      const m = new ChoiceModel(w, eta);
      const a = m.answer(3, slate, t, fixed(watched), new SimRng(1, 2, 3));
      for (let i = 0; i < slate.length; i++) {
        const ctx = { watched: watched.has(slate[i]) };
        expect(a.pClick[i]).toBeCloseTo(examination(i, eta) * pClick(w, 3, slate[i], t, ctx), 6);
        const f = watchFractionFromAffinity(w, slate[i], affinity(w, 3, slate[i]));
        expect(a.expected[i]).toBeCloseTo(a.pClick[i] * w.videos.duration[slate[i]] * f, 4);
      }
    }
  });

  it('gives the same answer for the same stream, and updates what was watched', () => {
    const m = new ChoiceModel(w, 0.5);
    const s1 = new Set<number>();
    const s2 = new Set<number>();
    const a = m.answer(7, slate, t, s1, new SimRng(9, 1, 7));
    const b = m.answer(7, slate, t, s2, new SimRng(9, 1, 7));
    expect(Array.from(a.clicked)).toEqual(Array.from(b.clicked));
    expect(Array.from(a.minutes)).toEqual(Array.from(b.minutes));
    expect(a.end).toBe(b.end);
    const clicked = Array.from(slate).filter((_, i) => a.clicked[i]);
    expect([...s1].sort()).toEqual(clicked.sort());
    // Watches start in order, within the session, and last no longer than the video.
    let last = t;
    for (let i = 0; i < slate.length; i++) {
      if (!a.clicked[i]) {
        expect(a.minutes[i]).toBe(0);
        continue;
      }
      expect(a.watchTime[i]).toBeGreaterThanOrEqual(last);
      last = a.watchTime[i];
      expect(a.minutes[i]).toBeGreaterThan(0);
      expect(a.minutes[i]).toBeLessThanOrEqual(w.videos.duration[slate[i]]);
    }
    expect(a.end).toBeGreaterThanOrEqual(last);
  });

  it('a rewatch within the slate is less likely than the first showing', () => {
    const v = slate[0];
    const twice = Int32Array.from([v, v]);
    const m = new ChoiceModel(w, 0);
    // Draw until the first slot is clicked; the second slot then sees v as watched.
    for (let s = 0; s < 200; s++) {
      const a = m.answer(1, twice, t, new Set(), new SimRng(3, s));
      if (!a.clicked[0]) continue;
      expect(a.pClick[1]).toBeLessThan(a.pClick[0]);
      return;
    }
    throw new Error('no click in 200 sessions');
  });

  it('clicks each slot as often as its probability says, and sometimes not at all', () => {
    const m = new ChoiceModel(w, 1);
    const n = 4000;
    const clicks = new Float64Array(slate.length);
    let p0 = new Float64Array(slate.length);
    let noClick = 0;
    let expectNoClick = 0;
    for (let s = 0; s < n; s++) {
      // Each session from a fresh history, so the slots' probabilities are the same every time
      // up to the rewatch/next-episode context of earlier clicks in the same slate.
      const a = m.answer(11, slate, t, fixed(new Set()), new SimRng(17, s));
      p0 = Float64Array.from(a.pClick);
      let none = 1;
      for (let i = 0; i < slate.length; i++) {
        clicks[i] += a.clicked[i];
        none *= 1 - a.pClick[i];
      }
      expectNoClick += none;
      if (a.clicked.every((c) => c === 0)) noClick++;
    }
    for (let i = 0; i < slate.length; i++) {
      const p = p0[i];
      const sd = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(clicks[i] / n - p)).toBeLessThan(4 * sd + 1e-9);
    }
    const q = expectNoClick / n;
    expect(q).toBeGreaterThan(0);
    expect(Math.abs(noClick / n - q)).toBeLessThan(4 * Math.sqrt((q * (1 - q)) / n));
  });

  it('refuses a negative position bias', () => {
    expect(() => new ChoiceModel(w, -1)).toThrow(/positionBias/);
  });
});
