import { beforeAll, describe, expect, it } from 'vitest';
import {
  bigramId,
  buildCandidateExamples,
  type CandidateExamples,
  searchBag,
  searchTokenSpace,
  watchBag,
} from './examples';
import type { World } from './types';
import { generateWorld } from './world';

/** The watch indices in example i's bag (the range minus the skipped one). */
function bagIndices(ex: CandidateExamples, i: number): number[] {
  const out: number[] = [];
  for (let j = ex.bagStart[i]; j < ex.bagEnd[i]; j++) if (j !== ex.bagSkip[i]) out.push(j);
  return out;
}

/** Examples per user. */
function perUser(w: World, ex: CandidateExamples): Int32Array {
  const c = new Int32Array(w.users.count);
  for (let i = 0; i < ex.count; i++) c[ex.user[i]]++;
  return c;
}

describe('candidate-generation examples', () => {
  let w: World;
  let split: number;
  beforeAll(() => {
    w = generateWorld({ seed: 3, videos: 2000, users: 400, days: 30 });
    split = w.config.splitDay;
  }, 60_000);

  describe.each(['train', 'test'] as const)("label 'next', %s split", (which) => {
    let ex: CandidateExamples;
    beforeAll(() => {
      ex = buildCandidateExamples(w, { split: which, label: 'next', perUserCap: 0 });
    }, 60_000);

    it('has one example per watch of the split, its label that watch', () => {
      const l = w.logs;
      let inSplit = 0;
      for (let j = 0; j < l.watches; j++)
        if (l.watchTime[j] < split === (which === 'train')) inSplit++;
      expect(ex.count).toBe(inSplit);
      expect(ex.count).toBeGreaterThan(1000);
      let bad = 0;
      for (let i = 0; i < ex.count; i++) {
        const j = ex.labelWatch[i];
        if (
          l.watchVideo[j] !== ex.label[i] ||
          l.watchTime[j] !== ex.time[i] ||
          j < l.userWatchOffsets[ex.user[i]] ||
          j >= l.userWatchOffsets[ex.user[i] + 1]
        )
          bad++;
      }
      expect(bad).toBe(0);
    });

    it('splits by day', () => {
      let wrong = 0;
      for (let i = 0; i < ex.count; i++) if (ex.time[i] < split !== (which === 'train')) wrong++;
      expect(wrong).toBe(0);
      for (let i = 0; i < ex.count; i += 97) {
        if (which === 'train') expect(ex.exampleAge[i]).toBeCloseTo(split - ex.time[i], 5);
        else expect(ex.exampleAge[i]).toBe(0);
      }
    });

    it('never puts a watch at or after the label time in the watch bag', () => {
      const { watchTime, userWatchOffsets } = w.logs;
      const bad = { notBefore: 0, otherUser: 0, containsLabel: 0, tooLong: 0, notNewest: 0 };
      const examples: string[] = [];
      for (let i = 0; i < ex.count; i++) {
        const u = ex.user[i];
        const bag = bagIndices(ex, i);
        if (bag.length > 50) bad.tooLong++;
        // The newest watches before the label: the full history up to 50.
        if (bag.length !== Math.min(50, ex.labelWatch[i] - userWatchOffsets[u])) bad.notNewest++;
        for (const j of bag) {
          if (j === ex.labelWatch[i]) bad.containsLabel++;
          if (j < userWatchOffsets[u] || j >= userWatchOffsets[u + 1]) bad.otherUser++;
          if (!(watchTime[j] < ex.time[i])) {
            bad.notBefore++;
            if (examples.length < 3)
              examples.push(`example ${i}: watch ${j} at ${watchTime[j]}, label at ${ex.time[i]}`);
          }
        }
      }
      expect({ ...bad, examples }).toEqual({
        notBefore: 0,
        otherUser: 0,
        containsLabel: 0,
        tooLong: 0,
        notNewest: 0,
        examples: [],
      });
    });

    it('never puts a search at or after the label time in the search context', () => {
      const { searchTime, userSearchOffsets } = w.logs;
      let notBefore = 0;
      let outOfRange = 0;
      let withSearches = 0;
      for (let i = 0; i < ex.count; i++) {
        const u = ex.user[i];
        const s0 = userSearchOffsets[u];
        if (ex.searchEnd[i] < s0 || ex.searchEnd[i] > userSearchOffsets[u + 1]) outOfRange++;
        if (ex.searchEnd[i] > s0) withSearches++;
        for (let s = s0; s < ex.searchEnd[i]; s++) if (!(searchTime[s] < ex.time[i])) notBefore++;
        // …and every earlier search of the user is in it (rolled back, not dropped).
        const next = ex.searchEnd[i];
        if (next < userSearchOffsets[u + 1] && searchTime[next] < ex.time[i]) notBefore += 1000;
      }
      expect({ notBefore, outOfRange }).toEqual({ notBefore: 0, outOfRange: 0 });
      expect(withSearches).toBeGreaterThan(ex.count / 4);
    });

    it('reads bags through watchBag and searchBag within their sizes', () => {
      const out = new Int32Array(50);
      const sOut = new Int32Array(50);
      const space = searchTokenSpace(w);
      for (let i = 0; i < ex.count; i += 13) {
        const n = watchBag(w, ex, i, out);
        const idx = bagIndices(ex, i);
        expect(n).toBe(idx.length);
        expect(Array.from(out.subarray(0, n))).toEqual(idx.map((j) => w.logs.watchVideo[j]));
        const m = searchBag(w, ex.user[i], ex.searchEnd[i], sOut);
        expect(m).toBeLessThanOrEqual(50);
        if (ex.searchEnd[i] > w.logs.userSearchOffsets[ex.user[i]]) expect(m).toBeGreaterThan(0);
        else expect(m).toBe(0);
        for (let k = 0; k < m; k++) expect(sOut[k] >= 0 && sOut[k] < space).toBe(true);
      }
    });
  });

  it("the search bag starts with the newest query's unigrams, then its bigrams", () => {
    const l = w.logs;
    // A user whose newest search has three tokens.
    let u = 0;
    let s = -1;
    for (; u < w.users.count; u++) {
      const last = l.userSearchOffsets[u + 1] - 1;
      if (
        last >= l.userSearchOffsets[u] &&
        l.searchTokenOffsets[last + 1] - l.searchTokenOffsets[last] === 3
      ) {
        s = last;
        break;
      }
    }
    expect(s).toBeGreaterThanOrEqual(0);
    const [a, b, c] = l.searchTokens.subarray(l.searchTokenOffsets[s], l.searchTokenOffsets[s + 1]);
    const out = new Int32Array(5);
    expect(searchBag(w, u, s + 1, out)).toBe(5);
    expect(Array.from(out)).toEqual([a, b, c, bigramId(w, a, b), bigramId(w, b, c)]);
    expect(bigramId(w, a, b)).toBeGreaterThanOrEqual(w.vocabulary.length);
  });

  describe("label 'heldout' (the paper's counter-example)", () => {
    let ex: CandidateExamples;
    beforeAll(() => {
      ex = buildCandidateExamples(w, { split: 'train', label: 'heldout', perUserCap: 0 });
    }, 60_000);

    it('leaks the future: many bags hold watches after the label', () => {
      const { watchTime, searchTime, userSearchOffsets } = w.logs;
      let leaky = 0;
      let leakySearch = 0;
      for (let i = 0; i < ex.count; i++) {
        if (bagIndices(ex, i).some((j) => watchTime[j] > ex.time[i])) leaky++;
        const s0 = userSearchOffsets[ex.user[i]];
        if (ex.searchEnd[i] > s0 && searchTime[ex.searchEnd[i] - 1] > ex.time[i]) leakySearch++;
      }
      expect(leaky / ex.count).toBeGreaterThan(0.5);
      expect(leakySearch).toBeGreaterThan(0);
    });

    it('never holds the label watch itself, and stays in the training window', () => {
      const { watchTime } = w.logs;
      const bad = { containsLabel: 0, tooLong: 0, afterSplit: 0 };
      for (let i = 0; i < ex.count; i++) {
        const bag = bagIndices(ex, i);
        if (bag.includes(ex.labelWatch[i])) bad.containsLabel++;
        if (bag.length > 50) bad.tooLong++;
        for (const j of bag) if (watchTime[j] >= split) bad.afterSplit++;
      }
      expect(bad).toEqual({ containsLabel: 0, tooLong: 0, afterSplit: 0 });
      // The label was in the latest window for some: those are the examples that skip it.
      let skipped = 0;
      for (let i = 0; i < ex.count; i++)
        if (ex.bagSkip[i] >= 0) {
          skipped++;
          expect(ex.bagSkip[i]).toBe(ex.labelWatch[i]);
        }
      expect(skipped).toBeGreaterThan(0);
    });

    it('has the same labels as the next-watch examples, only the context differs', () => {
      const next = buildCandidateExamples(w, { split: 'train', label: 'next', perUserCap: 0 });
      expect(ex.count).toBe(next.count);
      expect(ex.labelWatch).toEqual(next.labelWatch);
    });
  });

  describe('per-user cap', () => {
    it('holds for the default and a small cap', () => {
      for (const cap of [50, 10]) {
        for (const which of ['train', 'test'] as const) {
          const ex = buildCandidateExamples(w, { split: which, perUserCap: cap });
          const all = buildCandidateExamples(w, { split: which, perUserCap: 0 });
          const capped = perUser(w, ex);
          const uncapped = perUser(w, all);
          for (let u = 0; u < w.users.count; u++)
            expect(capped[u]).toBe(Math.min(cap, uncapped[u]));
          expect(ex.options.perUserCap).toBe(cap);
        }
      }
    });

    it('without it, the heaviest users dominate', () => {
      const all = perUser(w, buildCandidateExamples(w, { perUserCap: 0 }));
      const capped = perUser(w, buildCandidateExamples(w, { perUserCap: 50 }));
      const max = Math.max(...all);
      expect(max).toBeGreaterThan(50);
      expect(max).toBeGreaterThan(3 * 50);
      // Share of the top 4 users (1%) with and without the cap.
      const top = (c: Int32Array) => {
        const sorted = Array.from(c).sort((a, b) => b - a);
        return (sorted[0] + sorted[1] + sorted[2] + sorted[3]) / sorted.reduce((a, b) => a + b, 0);
      };
      expect(top(all)).toBeGreaterThan(2 * top(capped));
    });

    it('subsamples in label-time order, deterministically for a seed', () => {
      const a = buildCandidateExamples(w, { perUserCap: 10, seed: 4 });
      const b = buildCandidateExamples(w, { perUserCap: 10, seed: 4 });
      const c = buildCandidateExamples(w, { perUserCap: 10, seed: 5 });
      expect(b.labelWatch).toEqual(a.labelWatch);
      expect(c.labelWatch).not.toEqual(a.labelWatch);
      for (let i = 1; i < a.count; i++)
        if (a.user[i] === a.user[i - 1])
          expect(a.labelWatch[i]).toBeGreaterThan(a.labelWatch[i - 1]);
    });
  });
});
