import { beforeAll, describe, expect, it } from 'vitest';
import { buildCandidateExamples } from './examples';
import { LegacySlates } from './legacy-slate';
import { candidateRows, concatRows, rowsFrom, servingExamples } from './loop-examples';
import { buildRankingExamples } from './ranking-examples';
import { SimRng } from './rng';
import type { World } from './types';
import { generateWorld } from './world';

describe('loop examples and the legacy slate', () => {
  let w: World;
  beforeAll(() => {
    w = generateWorld({ seed: 4, videos: 500, users: 60, days: 20 });
  }, 60_000);

  it("serving examples hold each user's watches and searches before the time", () => {
    const users = Int32Array.from([0, 5, 17]);
    const ex = servingExamples(w, users, 12.5);
    const L = w.logs;
    for (let i = 0; i < users.length; i++) {
      const u = users[i];
      let end = L.userWatchOffsets[u];
      while (end < L.userWatchOffsets[u + 1] && L.watchTime[end] < 12.5) end++;
      expect(ex.bagEnd[i]).toBe(end);
      expect(ex.bagStart[i]).toBe(Math.max(L.userWatchOffsets[u], end - 50));
      for (let s = L.userSearchOffsets[u]; s < ex.searchEnd[i]; s++)
        expect(L.searchTime[s]).toBeLessThan(12.5);
      expect(ex.exampleAge[i]).toBe(0);
    }
  });

  it('picks and joins rows of columnar examples', () => {
    const ex = buildCandidateExamples(w, { split: 'train', perUserCap: 0 });
    const rows = rowsFrom(ex.time, 10);
    expect(rows.length).toBeGreaterThan(0);
    const sub = candidateRows(ex, rows);
    expect(sub.count).toBe(rows.length);
    expect(Array.from(sub.label)).toEqual(Array.from(rows, (r) => ex.label[r]));
    for (const t of sub.time) expect(t).toBeGreaterThanOrEqual(10);
    const r = buildRankingExamples(w, { split: 'test' });
    const both = concatRows([r, r]);
    expect(both.count).toBe(2 * r.count);
    expect(Array.from(both.video.subarray(r.count))).toEqual(Array.from(r.video));
  });

  it('legacy pages: distinct, uploaded, unwatched pool videos, the same for the same stream', () => {
    const slates = new LegacySlates(w);
    const watched = new Set<number>();
    for (let j = w.logs.userWatchOffsets[3]; j < w.logs.userWatchOffsets[4]; j++)
      watched.add(w.logs.watchVideo[j]);
    slates.startDay(3, 20, 2, new SimRng(1, 1));
    const a = slates.slate(3, 20.3, 10, { watched, lastWatched: -1 }, new SimRng(1, 2));
    expect(a.videos.length).toBe(10);
    expect(new Set(a.videos).size).toBe(10);
    for (const v of a.videos) expect(w.videos.uploadTime[v]).toBeLessThanOrEqual(20.3);
    const again = new LegacySlates(w);
    again.startDay(3, 20, 2, new SimRng(1, 1));
    const b = again.slate(3, 20.3, 10, { watched, lastWatched: -1 }, new SimRng(1, 2));
    expect(Array.from(b.videos)).toEqual(Array.from(a.videos));
  });
});
