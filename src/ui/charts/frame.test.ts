import { describe, expect, it } from 'vitest';
import { legendRows } from './frame';

describe('legendRows', () => {
  it('keeps items on one row while they fit', () => {
    expect(legendRows([50, 60, 70], 200)).toEqual([
      [
        [0, 0],
        [1, 50],
        [2, 110],
      ],
    ]);
  });

  it('wraps an item whose label would run past the edge onto a new row', () => {
    // The funnel lesson's three labels at projector width: 160 each in a 320-wide chart.
    expect(legendRows([160, 160, 160], 320)).toEqual([
      [
        [0, 0],
        [1, 160],
      ],
      [[2, 0]],
    ]);
  });

  it('gives an item wider than the chart a row of its own', () => {
    expect(legendRows([400, 50], 320)).toEqual([[[0, 0]], [[1, 0]]]);
  });
});
