import { randomLcg } from 'd3-random';
import { describe, expect, it } from 'vitest';
import { accidentalHitMask, countAccidentalHits } from './accidental-hits.ts';

describe('accidentalHitMask', () => {
  it('marks each negative equal to the row label (hand example)', () => {
    const labels = Int32Array.of(4, 7, 2);
    const negatives = Int32Array.of(7, 1, 4, 7);
    const mask = accidentalHitMask(labels, negatives);
    // rows: label 4 → column 2; label 7 → columns 0 and 3; label 2 → none
    expect(Array.from(mask)).toEqual([0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
    expect(countAccidentalHits(mask)).toBe(3);
  });

  it('with in-batch negatives, leaves the diagonal (the positives) unmarked', () => {
    const labels = Int32Array.of(5, 3, 5, 8);
    const mask = accidentalHitMask(labels, labels, { inBatch: true });
    // rows 0 and 2 share label 5: each marks the other's column, not its own
    expect(Array.from(mask)).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => accidentalHitMask(labels, Int32Array.of(1, 2), { inBatch: true })).toThrow(
      RangeError,
    );
  });

  it('reuses a buffer and agrees with a brute-force loop', () => {
    const u = randomLcg(0.31);
    const labels = Int32Array.from({ length: 64 }, () => Math.floor(u() * 30));
    const negatives = Int32Array.from({ length: 100 }, () => Math.floor(u() * 30));
    const out = new Uint8Array(64 * 100).fill(9);
    const mask = accidentalHitMask(labels, negatives, { out });
    expect(mask).toBe(out);
    for (let r = 0; r < 64; r++) {
      for (let j = 0; j < 100; j++)
        expect(mask[r * 100 + j]).toBe(labels[r] === negatives[j] ? 1 : 0);
    }
    expect(() => accidentalHitMask(labels, negatives, { out: new Uint8Array(10) })).toThrow(
      RangeError,
    );
  });
});
