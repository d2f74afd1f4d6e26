import { describe, expect, it } from 'vitest';
import { buildCandidateExamples } from '../../sim/examples';
import { generateWorld } from '../../sim/world';
import { evaluationRows, popularRanks, ranksByScore } from './evaluate';

// Retrieval ranks count ties against the label (metrics.ts conventions), so a scorer that
// cannot tell videos apart never earns recall by it.
const world = generateWorld({ seed: 5, videos: 600, users: 200, days: 20 });
const test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
const rows = evaluationRows(test, 100);
const live = (r: number): number => {
  let n = 0;
  for (let v = 0; v < world.videos.count; v++) if (world.videos.uploadTime[v] <= test.time[r]) n++;
  return n;
};

describe('retrieval ranks with ties', () => {
  it('ranks every label last under a constant score', () => {
    const ranks = ranksByScore(world, test, rows, (_, out) => out.fill(0.5));
    rows.forEach((r, i) => expect(ranks[i]).toBe(live(r) - 1));
  });

  it('counts each live video tied with the label once, and not the label itself', () => {
    // Label 3, two other live videos tied with it, one above, the rest below.
    const ranks = ranksByScore(world, test, rows, (r, out) => {
      out.fill(0);
      const label = test.label[r];
      out[label] = 3;
      let tied = 0;
      let above = 0;
      for (let v = 0; v < out.length; v++) {
        if (v === label || world.videos.uploadTime[v] > test.time[r]) continue;
        if (tied < 2) {
          out[v] = 3;
          tied++;
        } else if (above < 1) {
          out[v] = 4;
          above++;
        }
      }
    });
    expect(Array.from(ranks)).toEqual(Array.from(rows, () => 3));
  });

  it('ranks a label with no training watches behind every other unwatched live video (most-popular)', () => {
    const watched = new Uint8Array(world.videos.count);
    const l = world.logs;
    for (let j = 0; j < l.watches; j++)
      if (l.watchTime[j] < world.config.splitDay) watched[l.watchVideo[j]] = 1;
    const ranks = popularRanks(world, test, rows);
    let checked = 0;
    rows.forEach((r, i) => {
      if (watched[test.label[r]]) return;
      checked++;
      // Every other live video scores ≥ 0 = the label's score: all of them rank above it.
      expect(ranks[i]).toBe(live(r) - 1);
    });
    expect(checked).toBeGreaterThan(0);
  });
});
