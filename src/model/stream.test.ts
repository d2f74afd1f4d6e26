import { describe, expect, it } from 'vitest';
import { createRng } from '../sim/rng';
import { UniformStream } from './stream';

describe('UniformStream', () => {
  it('draws what createRng draws, and continues bit for bit from a saved position', () => {
    for (const [seed, a] of [
      [1, 0xca9d],
      [42, 0x4a4b],
      [7, 0],
    ]) {
      const r = createRng(seed, a);
      const s = new UniformStream(seed, a);
      for (let i = 0; i < 5000; i++) expect(s.uniform()).toBe(r.uniform());
      const at = s.state;
      const next = [s.uniform(), s.int(1000), s.uniform()];
      const again = new UniformStream(99);
      again.restore(at);
      expect([again.uniform(), again.int(1000), again.uniform()]).toEqual(next);
    }
    expect(() => new UniformStream(1).restore(1)).toThrow(RangeError);
  });
});
