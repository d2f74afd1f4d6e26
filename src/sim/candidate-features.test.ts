import { describe, expect, it } from 'vitest';
import {
  candidateRankingExamples,
  candidateRankingExamplesOf,
  oracleContextOf,
  oracleWatchOf,
  sessionStartRows,
  userHistory,
} from './candidate-features';
import { expectedWatchPerImpression, pClick } from './oracle';
import { buildCandidateExamples } from './examples';
import { buildRankingExamples, NEVER_DAYS, type RankingExamples } from './ranking-examples';
import { generateWorld } from './world';

const world = generateWorld({ seed: 7, videos: 3000, users: 800 });

/** Every column buildRankingExamples computes, compared row by row. */
const COLUMNS = [
  'user',
  'video',
  'time',
  'bagStart',
  'bagEnd',
  'languageMatch',
  'sinceChannel',
  'sinceTopic',
  'previousImpressions',
  'videoAge',
  'logPopularity',
  'oracleClick',
  'oracleWatch',
] as const satisfies readonly (keyof RankingExamples)[];

/** Rows of `ex` grouped by page, in page order. */
function pages(ex: RankingExamples): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < ex.count; i++) {
    const rows = out.get(ex.page[i]) ?? [];
    rows.push(i);
    out.set(ex.page[i], rows);
  }
  return out;
}

/** Recomputes each of (up to) `max` evenly spaced pages of `ex` and compares every column. */
function compareWithLogged(ex: RankingExamples, max: number): number {
  const all = [...pages(ex).entries()];
  const step = Math.max(1, Math.floor(all.length / max));
  let compared = 0;
  for (let p = 0; p < all.length; p += step) {
    const [page, rows] = all[p];
    const r0 = rows[0];
    const got = candidateRankingExamples(
      world,
      ex.user[r0],
      ex.time[r0],
      Int32Array.from(rows, (r) => ex.video[r]),
      ex.options.maxWatches,
      page,
    );
    expect(got.count).toBe(rows.length);
    rows.forEach((r, i) => {
      for (const c of COLUMNS) {
        if (got[c][i] !== ex[c][r]) {
          throw new Error(`page ${page} row ${r} column ${c}: ${got[c][i]} ≠ ${ex[c][r]}`);
        }
      }
      expect(got.page[i]).toBe(page);
    });
    compared += rows.length;
  }
  return compared;
}

describe('candidateRankingExamples', () => {
  it('equals buildRankingExamples column by column on held-out impressions', () => {
    const test = buildRankingExamples(world, { split: 'test', pagesPerUser: 2 });
    const compared = compareWithLogged(test, 400);
    expect(compared).toBeGreaterThan(2000);
    // The comparison is not vacuous: the features vary.
    expect(new Set(test.previousImpressions).size).toBeGreaterThan(2);
    expect(test.sinceChannel.some((x) => x < NEVER_DAYS)).toBe(true);
  });

  it('equals it on training impressions too, and marks the split by time', () => {
    const train = buildRankingExamples(world, { split: 'train', pagesPerUser: 1 });
    expect(compareWithLogged(train, 150)).toBeGreaterThan(500);
    const r = candidateRankingExamples(world, 0, 1.5, Int32Array.of(0, 1));
    expect(r.options.split).toBe('train');
    expect(
      candidateRankingExamples(world, 0, world.config.splitDay, Int32Array.of(0)).options.split,
    ).toBe('test');
  });

  it('fills the label columns of a non-impression and refuses bad ids', () => {
    const r = candidateRankingExamples(world, 3, 40, Int32Array.of(5, 6, 7), 10, 42);
    expect(Array.from(r.clicked)).toEqual([0, 0, 0]);
    expect(Array.from(r.watchMinutes)).toEqual([0, 0, 0]);
    expect(Array.from(r.weight)).toEqual([1, 1, 1]);
    expect(Array.from(r.page)).toEqual([42, 42, 42]);
    expect(r.bagEnd[0] - r.bagStart[0]).toBeLessThanOrEqual(10);
    expect(() => candidateRankingExamples(world, 3, 40, Int32Array.of(-1))).toThrow(RangeError);
    expect(() => candidateRankingExamples(world, 800, 40, Int32Array.of(0))).toThrow(RangeError);
  });

  it('oracleWatchOf agrees with the oracleWatch column', () => {
    const videos = Int32Array.from({ length: 300 }, (_, i) => i * 10);
    const ex = candidateRankingExamples(world, 11, 50, videos);
    expect(oracleWatchOf(world, userHistory(world, 11, 50), videos)).toEqual(ex.oracleWatch);
  });
});

describe('sessionStartRows', () => {
  it('keeps the examples served at a session start, whose bag is the candidate example’s', () => {
    const test = buildCandidateExamples(world, { split: 'test', perUserCap: 5 });
    const rows = sessionStartRows(world, test);
    expect(rows.length).toBeGreaterThan(test.count / 5);
    expect(rows.length).toBeLessThan(test.count);
    const starts = new Set<string>();
    for (let x = 0; x < world.logs.sessions; x++)
      starts.add(`${world.logs.sessionUser[x]}@${world.logs.sessionTime[x]}`);
    const kept = new Set(rows);
    for (let r = 0; r < test.count; r++) {
      expect(starts.has(`${test.user[r]}@${test.time[r]}`)).toBe(kept.has(r));
    }
    for (const r of rows.subarray(0, 200)) {
      const h = userHistory(world, test.user[r], test.time[r], test.options.maxWatches);
      expect([h.bagStart, h.bagEnd]).toEqual([test.bagStart[r], test.bagEnd[r]]);
    }
  });
});

describe('candidateRankingExamplesOf and the oracle', () => {
  it('equal candidateRankingExamples from the history read once, and the oracle’s own functions', () => {
    const test = buildCandidateExamples(world, { split: 'test', perUserCap: 2 });
    const videos = Int32Array.from({ length: 600 }, (_, i) => (i * 5) % world.videos.count);
    for (const r of [0, 7, 40, test.count - 1]) {
      const user = test.user[r];
      const time = test.time[r];
      const h = userHistory(world, user, time, 30);
      const want = candidateRankingExamples(world, user, time, videos, 30, 4);
      const got = candidateRankingExamplesOf(world, h, videos, 4);
      expect(got).toEqual(want);
      const watch = oracleWatchOf(world, h, videos);
      videos.forEach((v, i) => {
        const ctx = oracleContextOf(world, h, v);
        const w = Math.fround(expectedWatchPerImpression(world, user, v, time, ctx));
        expect(watch[i]).toBe(w);
        expect(got.oracleWatch[i]).toBe(w);
        expect(got.oracleClick[i]).toBe(Math.fround(pClick(world, user, v, time, ctx)));
      });
    }
  });
});
