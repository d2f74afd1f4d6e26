/** Scores kept by video for one query (query-scores.ts). */
import { describe, expect, it } from 'vitest';
import { QueryScores } from './query-scores';

const ids = (...xs: number[]) => Int32Array.from(xs);
/** Scores of a list whose z is the id and oracle watch twice the id. */
const scored = (list: Int32Array) => ({
  z: Float32Array.from(list),
  oracle: Float32Array.from(list, (id) => 2 * id),
});

describe('QueryScores', () => {
  it('lists what is left once, reads scores in any list order, forgets on reset', () => {
    const s = new QueryScores(10);
    s.add(ids(3, 1), scored(ids(3, 1)));
    expect(Array.from(s.missing([ids(1, 4, 3, 7), ids(7, 9, 4)]))).toEqual([4, 7, 9]);
    s.add(ids(4, 7, 9), scored(ids(4, 7, 9)));
    expect(s.missing([ids(9, 1, 3)])).toHaveLength(0);
    const got = s.of(ids(9, 1, 4, 3));
    expect(Array.from(got.z)).toEqual([9, 1, 4, 3]);
    expect(Array.from(got.oracle)).toEqual([18, 2, 8, 6]);
    // A video added again keeps its first score.
    s.add(ids(1), { z: Float32Array.of(-5), oracle: Float32Array.of(-5) });
    expect(s.of(ids(1)).z[0]).toBe(1);
    s.reset();
    expect(Array.from(s.missing([ids(3, 1)]))).toEqual([3, 1]);
    expect(() => s.of(ids(3))).toThrow(/not scored/);
  });

  it('grows past its first capacity', () => {
    const s = new QueryScores(5000);
    const all = Int32Array.from({ length: 5000 }, (_, i) => 4999 - i);
    s.add(all.subarray(0, 2500), scored(all.subarray(0, 2500)));
    s.add(all, scored(all));
    expect(Array.from(s.of(all).z)).toEqual(Array.from(all));
  });
});
