import { describe, expect, it } from 'vitest';
import { createRng } from '../sim/rng';
import { SortedSlots } from './sorted-slots';

describe('SortedSlots', () => {
  it('numbers the distinct rows in ascending order, each entry pointing at its row', () => {
    const s = new SortedSlots().index([7, 3, 7, 0, 3, 3]);
    expect(s.size).toBe(3);
    expect(Array.from(s.rows.subarray(0, 3))).toEqual([0, 3, 7]);
    expect(Array.from(s.slots.subarray(0, 6))).toEqual([2, 1, 2, 0, 1, 1]);
  });

  it('agrees with a set and a sort for random ids of every size, reused across lists', () => {
    const rng = createRng(4);
    const s = new SortedSlots();
    for (const [n, max] of [
      [0, 10],
      [1, 1],
      [500, 2048],
      [5000, 1 << 22],
      [20_000, 0x7fffffff],
      [300, 5],
    ]) {
      const ids = Array.from({ length: n }, () => rng.int(max));
      s.index(ids);
      const rows = [...new Set(ids)].sort((a, b) => a - b);
      expect(Array.from(s.rows.subarray(0, s.size))).toEqual(rows);
      for (let i = 0; i < n; i++) expect(s.rows[s.slots[i]]).toBe(ids[i]);
    }
  });

  it('refuses ids that are not whole numbers in [0, 2^31)', () => {
    expect(() => new SortedSlots().index([1, -1])).toThrow(RangeError);
    expect(() => new SortedSlots().index([0.5])).toThrow(RangeError);
    expect(() => new SortedSlots().index([2 ** 31])).toThrow(RangeError);
  });
});
