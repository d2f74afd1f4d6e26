import { describe, expect, it } from 'vitest';
import { Growable } from './growable';

describe('Growable', () => {
  it('keeps every value across many doublings', () => {
    const g = new Growable(Int32Array, 1);
    for (let i = 0; i < 1000; i++) g.push(i * 3 - 7);
    expect(g.length).toBe(1000);
    expect(g.get(0)).toBe(-7);
    expect(g.get(999)).toBe(999 * 3 - 7);
    const out = g.finish();
    expect(out).toBeInstanceOf(Int32Array);
    expect(out.length).toBe(1000);
    expect(Array.from(out)).toEqual(Array.from({ length: 1000 }, (_, i) => i * 3 - 7));
  });

  it('finishes to a tight copy of the element type, also when empty or exactly full', () => {
    expect(new Growable(Float32Array, 10).finish()).toEqual(new Float32Array(0));
    const f = new Growable(Float32Array, 16);
    for (let i = 0; i < 16; i++) f.push(i + 0.5);
    expect(f.finish()).toEqual(Float32Array.from({ length: 16 }, (_, i) => i + 0.5));
    const b = new Growable(Uint8Array, 0);
    for (let i = 0; i < 40; i++) b.push(i % 2);
    const bytes = b.finish();
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBe(40);
    expect(bytes[39]).toBe(1);
  });

  it('stores values as its element type does', () => {
    const f = new Growable(Float32Array, 4);
    f.push(0.1);
    expect(f.get(0)).toBe(Math.fround(0.1));
    const u = new Growable(Uint8Array, 4);
    u.push(257);
    expect(u.get(0)).toBe(1);
  });
});
