/**
 * The world-only columns kept between the Funnel view's requests (candidate-cache.ts): every
 * call gives the rows candidateRankingExamples computes, column for column, whatever was kept
 * before (overlapping lists, repeated ids, a query dropped by the bound).
 */
import { describe, expect, it } from 'vitest';
import { candidateRankingExamples, userHistory } from '../sim/candidate-features';
import type { RankingExamples } from '../sim/ranking-examples';
import { generateWorld } from '../sim/world';
import {
  CACHED_QUERIES,
  CACHED_ROWS,
  cachedCandidateExamples,
  cachedHistory,
  cachedRows,
} from './candidate-cache';

const world = generateWorld({ seed: 5, videos: 1500, users: 300, days: 30 });

const COLUMNS = [
  'user',
  'video',
  'page',
  'time',
  'clicked',
  'watchMinutes',
  'weight',
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

function expectSameRows(got: RankingExamples, want: RankingExamples): void {
  expect(got.count).toBe(want.count);
  expect(got.options).toEqual(want.options);
  for (const c of COLUMNS) expect(Array.from(got[c]), c).toEqual(Array.from(want[c]));
}

/** `count` distinct video ids from `from` on, stepping by `step` (mod the catalogue). */
function ids(from: number, count: number, step: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => (from + i * step) % world.videos.count);
}

describe('cachedCandidateExamples', () => {
  it('gives the rows of candidateRankingExamples, call after call', () => {
    const time = 25.5;
    const lists = [ids(0, 300, 7), ids(150, 300, 7), ids(3, 200, 11), Int32Array.of(5, 5, 9, 5)];
    for (const user of [0, 17, 123])
      for (const list of lists)
        expectSameRows(
          cachedCandidateExamples(world, user, time, 50, list),
          candidateRankingExamples(world, user, time, list, 50),
        );
  });

  it('keeps each query history and drops the least recently used beyond the bound', () => {
    const h = cachedHistory(world, 9, 22.25, 50);
    expect(cachedHistory(world, 9, 22.25, 50)).toBe(h);
    expect(h).toEqual(userHistory(world, 9, 22.25, 50));
    for (let u = 0; u < CACHED_QUERIES; u++) cachedHistory(world, 100 + u, 22.25, 50);
    expect(cachedHistory(world, 9, 22.25, 50)).not.toBe(h);
    // And the rows after it came back are still the computed ones.
    const list = ids(1, 250, 13);
    expectSameRows(
      cachedCandidateExamples(world, 9, 22.25, 50, list),
      candidateRankingExamples(world, 9, 22.25, list, 50),
    );
  });

  it('starts a query again empty past the bound on its videos, with the same rows', () => {
    const big = generateWorld({ seed: 6, videos: CACHED_ROWS + 2_000, users: 60, days: 12 });
    const half = (CACHED_ROWS >> 1) + 500;
    const first = Int32Array.from({ length: half }, (_, i) => i);
    const second = Int32Array.from({ length: half }, (_, i) => half + i);
    const third = Int32Array.of(1, half + 1, 2 * half + 3);
    for (const list of [first, second, third]) {
      expectSameRows(
        cachedCandidateExamples(big, 3, 11.5, 50, list),
        candidateRankingExamples(big, 3, 11.5, list, 50),
      );
      expect(Math.max(...cachedRows(big))).toBeLessThanOrEqual(CACHED_ROWS);
    }
    // The second list did not fit beside the first: the query kept only the second's, then
    // the third's two new videos.
    expect(cachedRows(big)).toEqual([half + 2]);
  });
});
