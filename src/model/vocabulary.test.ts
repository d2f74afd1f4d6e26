import { describe, expect, it } from 'vitest';
import { searchTokenSpace } from '../sim/examples';
import { generateWorld } from '../sim/world';
import {
  outOfVocabMask,
  trainingTokenCounts,
  trainingWatchCounts,
  vocabularies,
  watchedVideoCount,
} from './vocabulary';

const world = generateWorld({ seed: 5, videos: 300, users: 120, days: 20 });

describe('vocabulary', () => {
  it('keeps the top-V ids by count, ties by the lower id', () => {
    expect(Array.from(outOfVocabMask([5, 1, 5, 0, 3], 3)!)).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(outOfVocabMask([2, 2, 2], 2)!)).toEqual([0, 0, 1]);
    expect(outOfVocabMask([1, 2], 0)).toBeNull();
    expect(outOfVocabMask([1, 2], 2)).toBeNull();
    expect(() => outOfVocabMask([1], -1)).toThrow(/vocabulary size/);
  });

  it('counts training watches and search tokens only', () => {
    const watches = trainingWatchCounts(world);
    const split = world.config.splitDay;
    const expected = world.logs.watchTime.filter((t) => t < split).length;
    expect(watches.reduce((a, b) => a + b, 0)).toBe(expected);
    const tokens = trainingTokenCounts(world);
    expect(tokens.length).toBe(searchTokenSpace(world));
    expect(tokens.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('V = the watched videos leaves out exactly the videos never watched in training', () => {
    const n = watchedVideoCount(world);
    expect(n).toBeLessThan(world.videos.count);
    const { video, token } = vocabularies(world, n, 0);
    const watches = trainingWatchCounts(world);
    expect(token).toBeNull();
    for (let v = 0; v < world.videos.count; v++) expect(video![v]).toBe(watches[v] > 0 ? 0 : 1);
  });
});
