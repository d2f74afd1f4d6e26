import { describe, expect, it } from 'vitest';
import { axisFormat, circlePath, logTicks } from './xy-chart';

describe('log axis ticks', () => {
  it('uses 1-2-5 steps over a short range', () => {
    expect(logTicks([8, 2300])).toEqual([10, 20, 50, 100, 200, 500, 1000, 2000]);
  });
  it('falls back to powers of ten over a long range, then every other decade', () => {
    expect(logTicks([1e-5, 0.02])).toEqual([1e-5, 1e-4, 1e-3, 0.01]);
    expect(logTicks([1e-12, 1], 6)).toEqual([1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 0.01, 1]);
  });
  it('writes small values of a log axis as powers of ten, others plainly', () => {
    expect(axisFormat(true, [1e-5, 0.02])(1e-4)).toBe('1e-4');
    expect(axisFormat(true, [10, 2000])(2000)).toBe('2k');
    // Below 1 no SI prefix: 0.1 ms must not read "100m".
    expect(axisFormat(true, [0.01, 100])(0.1)).toBe('0.1');
    expect(axisFormat(false, [0, 1])(0.25)).toBe('0.25');
  });
});

describe('scatter dots as a path', () => {
  it('writes a circle of radius r centred on (cx, cy) as two arcs', () => {
    expect(circlePath(10, 20, 2)).toBe('M8,20a2,2 0 1,0 4,0a2,2 0 1,0 -4,0');
    expect(circlePath(10.04, 20.06, 1.8)).toBe(
      'M8.2,20.1a1.8,1.8 0 1,0 3.6,0a1.8,1.8 0 1,0 -3.6,0',
    );
  });
});
