import { describe, expect, it } from 'vitest';
import { SimRng } from './rng';
import {
  belowSigmoid,
  SIGMOID_BUCKETS,
  SIGMOID_LO,
  SIGMOID_SLACK,
  SIGMOID_STEPS_PER_UNIT,
  sigmoidTable,
} from './sigmoid-bounds';

const sigma = (x: number) => 1 / (1 + Math.exp(-x));
const table = sigmoidTable();

describe('sigmoid bounds', () => {
  it('the literals in belowSigmoid are the exported constants', () => {
    expect(SIGMOID_LO).toBe(-16);
    expect(SIGMOID_STEPS_PER_UNIT).toBe(32);
    expect(SIGMOID_BUCKETS).toBe(1024);
    expect(SIGMOID_SLACK).toBe(1.4551915228366852e-11);
  });

  it('σ of every x in a bucket lies within its bounds', () => {
    const rng = new SimRng(1, 2);
    for (let k = 0; k < SIGMOID_BUCKETS; k++) {
      const x0 = SIGMOID_LO + k / SIGMOID_STEPS_PER_UNIT;
      for (let i = 0; i < 50; i++) {
        const x = x0 + rng.next() / SIGMOID_STEPS_PER_UNIT;
        const s = sigma(x);
        expect(s >= table[k] - SIGMOID_SLACK && s <= table[k + 1] + SIGMOID_SLACK).toBe(true);
      }
    }
  });

  it('answers u < σ(x) exactly, at and around σ(x) and the grid, inside and outside the table', () => {
    const rng = new SimRng(3, 4);
    const eps = 2 ** -32; // the stream's uniforms are multiples of 2⁻³²
    const xs: number[] = [NaN, -Infinity, Infinity, -40, -16, -16 - 1e-12, 16, 16 - 1e-12, 0, -0];
    for (let k = 0; k <= SIGMOID_BUCKETS; k += 7) {
      const g = SIGMOID_LO + k / SIGMOID_STEPS_PER_UNIT;
      xs.push(g, g - 1e-13, g + 1e-13);
    }
    for (let i = 0; i < 20_000; i++) xs.push(40 * rng.next() - 20);
    let checked = 0;
    for (const x of xs) {
      const s = sigma(x);
      const onGrid = Number.isFinite(s) ? Math.floor(s / eps) * eps : 0.5;
      const us = [rng.next(), rng.next(), onGrid - eps, onGrid, onGrid + eps, 0, 1 - eps];
      for (const u of us) {
        expect(belowSigmoid(table, u, x), `u ${u}, x ${x}`).toBe(u < s);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100_000);
  });
});
