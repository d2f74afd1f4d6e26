import { describe, expect, it } from 'vitest';
import { fixed, int, small } from './format';

describe('figure formats', () => {
  it('writes bare numbers, n/a when not finite', () => {
    expect(int(1234.6)).toBe('1235');
    expect(fixed(0.23149, 3)).toBe('0.231');
    expect(fixed(NaN, 3)).toBe('n/a');
  });
  it('keeps two significant digits of tiny values as plain decimals', () => {
    expect(small(3.4e-4)).toBe('0.00034');
    expect(small(4.4e-6)).toBe('0.0000044');
    expect(small(0.0123)).toBe('0.0123');
    expect(small(0)).toBe('0.0000');
    expect(small(Infinity)).toBe('n/a');
  });
});
