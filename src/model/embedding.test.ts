import { describe, expect, it } from 'vitest';
import { createRng } from '../sim/rng';
import { defaultAdam, LocalIndex, SparseEmbedding } from './embedding';

describe('LocalIndex', () => {
  it('numbers ids in first-seen order and finds repeats', () => {
    const local = new LocalIndex();
    expect([7, 3, 7, 0, 3, 12].map((id) => local.add(id))).toEqual([0, 1, 0, 2, 1, 3]);
    expect(local.ids).toEqual([7, 3, 0, 12]);
    expect(local.size).toBe(4);
  });

  it('keeps every id through the growth of its hash table', () => {
    const local = new LocalIndex();
    const rng = createRng(3, 1);
    const ids = Array.from({ length: 20_000 }, () => rng.int(1_000_000));
    const expected = new Map<number, number>();
    for (const id of ids) if (!expected.has(id)) expected.set(id, expected.size);
    expect(ids.map((id) => local.add(id))).toEqual(ids.map((id) => expected.get(id)));
    expect(local.ids).toEqual([...expected.keys()]);
  });

  it('forgets on reset and leaves the ids it handed out alone', () => {
    const local = new LocalIndex();
    local.add(5);
    local.add(9);
    const before = local.ids;
    local.reset();
    expect(local.size).toBe(0);
    expect(local.add(9)).toBe(0);
    expect(before).toEqual([5, 9]);
    expect(local.ids).toEqual([9]);
  });

  it('rejects an id outside [0, 2^31) by name', () => {
    const local = new LocalIndex();
    expect(() => local.add(-1)).toThrow(/id -1/);
    expect(() => local.add(2.5)).toThrow(/whole number/);
  });
});

/** Lazy Adam written out on separate m and v arrays, as the table did before interleaving. */
function referenceAdam(
  w: Float32Array,
  m: Float32Array,
  v: Float32Array,
  d: number,
  ids: number[],
  grads: Float32Array,
  step: number,
): void {
  const { learningRate, beta1, beta2, epsilon } = defaultAdam;
  const lr = (learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
  ids.forEach((id, i) => {
    for (let k = 0; k < d; k++) {
      const g = grads[i * d + k];
      const j = id * d + k;
      const mj = (m[j] = beta1 * m[j] + (1 - beta1) * g);
      const vj = (v[j] = beta2 * v[j] + (1 - beta2) * g * g);
      w[j] -= (lr * mj) / (Math.sqrt(vj) + epsilon);
    }
  });
}

describe('SparseEmbedding', () => {
  const rows = 50;
  const d = 4;
  const table = () => new SparseEmbedding(rows, d, createRng(1, 2).uniform);

  it('updates only the touched rows, exactly as lazy Adam on separate moments', () => {
    const t = table();
    const w = t.weights.slice();
    const m = new Float32Array(rows * d);
    const v = new Float32Array(rows * d);
    const rng = createRng(2, 2);
    for (let step = 1; step <= 5; step++) {
      const ids = [step, 40 - step, 7];
      const grads = Float32Array.from({ length: ids.length * d }, () => rng.uniform() - 0.5);
      t.applyGradients(ids, grads, defaultAdam);
      referenceAdam(w, m, v, d, ids, grads, step);
    }
    expect(Array.from(t.weights)).toEqual(Array.from(w));
    const state = t.exportState();
    expect(Array.from(state.m)).toEqual(Array.from(m));
    expect(Array.from(state.v)).toEqual(Array.from(v));
    expect(state.step).toBe(5);
    expect(state.m.subarray(0, d).every((x) => x === 0)).toBe(true); // row 0 never touched
  });

  it('continues identically after exportState → importState', () => {
    const a = table();
    const grads = Float32Array.from({ length: 2 * d }, (_, i) => (i - 3) / 10);
    a.applyGradients([3, 8], grads, defaultAdam);
    const b = table();
    b.weights.set(a.weights);
    b.importState(a.exportState());
    a.applyGradients([8, 9], grads, defaultAdam);
    b.applyGradients([8, 9], grads, defaultAdam);
    expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
    expect(Array.from(b.exportState().v)).toEqual(Array.from(a.exportState().v));
  });

  it('rejects moments of the wrong size, naming them', () => {
    const t = table();
    const s = t.exportState();
    expect(() => t.importState({ ...s, v: new Float32Array(3) })).toThrow(/moment v has 3/);
  });

  it('skips frozen rows', () => {
    const t = table();
    const mask = new Uint8Array(rows);
    mask[2] = 1;
    t.freezeRows(mask, 0.5);
    t.applyGradients([2, 3], new Float32Array(2 * d).fill(1), defaultAdam);
    expect(Array.from(t.weights.subarray(2 * d, 3 * d))).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(
      t
        .exportState()
        .m.subarray(2 * d, 3 * d)
        .every((x) => x === 0),
    ).toBe(true);
    expect(t.exportState().m[3 * d]).not.toBe(0);
  });
});
