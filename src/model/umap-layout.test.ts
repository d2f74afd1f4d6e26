import { describe, expect, it } from 'vitest';
import { createRng } from '../sim/rng';
import { UmapCancelledError, defaultUmapEpochs, umapLayout, type UmapStage } from './umap-layout';

/**
 * `rows` vectors of `dim` numbers in `clusters` groups (row i in group i mod clusters): each
 * row is its group's centre (N(0, 1) per coordinate) times a random length in [0.5, 3] plus
 * N(0, noise²) per coordinate. With `noise` 0.15 the groups are clearly separated by angle
 * (the varying length does not matter to the cosine distance); the labels are the groups.
 */
function clustered(rows: number, dim: number, clusters: number, noise: number, seed: number) {
  const rng = createRng(seed);
  const centres = Float64Array.from({ length: clusters * dim }, () => rng.normal());
  const vectors = new Float32Array(rows * dim);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const g = i % clusters;
    labels[i] = g;
    const scale = 0.5 + 2.5 * rng.uniform();
    for (let j = 0; j < dim; j++)
      vectors[i * dim + j] = scale * centres[g * dim + j] + noise * rng.normal();
  }
  return { vectors, labels };
}

/** Pure noise: N(0, 1) per coordinate, with labels i mod `clusters` that mean nothing. */
function noise(rows: number, dim: number, clusters: number, seed: number) {
  const rng = createRng(seed);
  return {
    vectors: Float32Array.from({ length: rows * dim }, () => rng.normal()),
    labels: Int32Array.from({ length: rows }, (_, i) => i % clusters),
  };
}

/**
 * Mean over rows of the share of a row's `k` nearest neighbours in the 2-D layout (Euclidean,
 * the row itself excluded) that carry its label: ≈ 1 when groups lie apart, ≈ 1/groups when
 * the layout ignores them.
 */
function neighbourPurity(coords: Float32Array, labels: Int32Array, k = 10): number {
  const n = labels.length;
  let total = 0;
  const d = new Float64Array(n);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++)
      d[j] = (coords[2 * i] - coords[2 * j]) ** 2 + (coords[2 * i + 1] - coords[2 * j + 1]) ** 2;
    d[i] = Infinity;
    order.sort((a, b) => d[a] - d[b]);
    let same = 0;
    for (let z = 0; z < k; z++) if (labels[order[z]] === labels[i]) same++;
    total += same / k;
  }
  return total / n;
}

const allFinite = (a: Float32Array) => a.every((v) => Number.isFinite(v));

describe('umapLayout', () => {
  it('is deterministic: same seed and vectors give the same coordinates, another seed others', async () => {
    const { vectors } = clustered(300, 16, 5, 0.3, 1);
    const options = { seed: 7, epochs: 60 };
    const a = await umapLayout(vectors, 300, 16, options);
    const b = await umapLayout(vectors, 300, 16, options);
    const c = await umapLayout(vectors, 300, 16, { ...options, seed: 8 });
    expect(a.coords).toHaveLength(600);
    expect(a.sampled).toBe(300);
    expect(a.ms).toBeGreaterThan(0);
    expect(allFinite(a.coords)).toBe(true);
    expect(b.coords).toEqual(a.coords);
    expect(c.coords).not.toEqual(a.coords);
  });

  it('keeps 10 separated clusters apart, and does not invent clusters in noise', async () => {
    const rows = 500;
    const dim = 32;
    const data = clustered(rows, dim, 10, 0.15, 2);
    const layout = await umapLayout(data.vectors, rows, dim, { seed: 3, epochs: 150 });
    expect(neighbourPurity(layout.coords, data.labels)).toBeGreaterThan(0.9);

    const control = noise(rows, dim, 10, 2);
    const controlLayout = await umapLayout(control.vectors, rows, dim, { seed: 3, epochs: 150 });
    expect(neighbourPurity(controlLayout.coords, control.labels)).toBeLessThan(0.3);
  });

  it.each(['exact', 'ivf'] as const)(
    'lays out a seeded sample above maxPoints (no aliasing with the row order) and places every other row beside its cluster (%s search)',
    async (placement) => {
      const rows = 1500;
      const dim = 32;
      const data = clustered(rows, dim, 10, 0.15, 4);
      const layout = await umapLayout(data.vectors, rows, dim, {
        seed: 5,
        maxPoints: 300,
        epochs: 100,
        placement,
      });
      expect(layout.sampled).toBe(300);
      expect(layout.coords).toHaveLength(rows * 2);
      expect(allFinite(layout.coords)).toBe(true);
      // Placed rows sit with their own cluster (rows i ≡ g mod 10), not on top of one another.
      expect(neighbourPurity(layout.coords, data.labels)).toBeGreaterThan(0.9);
      const distinct = new Set<string>();
      for (let i = 0; i < rows; i++)
        distinct.add(`${layout.coords[2 * i]},${layout.coords[2 * i + 1]}`);
      expect(distinct.size).toBe(rows);
    },
  );

  it('reports progress that never goes back, through every stage in order, ending at exactly 1', async () => {
    const rows = 600;
    const { vectors } = clustered(rows, 8, 4, 0.3, 6);
    const fractions: number[] = [];
    const stages: UmapStage[] = [];
    await umapLayout(vectors, rows, 8, {
      seed: 1,
      maxPoints: 200,
      epochs: 40,
      onProgress: (fraction, stage) => {
        fractions.push(fraction);
        if (stages.at(-1) !== stage) stages.push(stage);
      },
    });
    expect(stages).toEqual(['neighbours', 'graph', 'layout', 'placing']);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.filter((f) => f === 1)).toHaveLength(1);
    for (let i = 1; i < fractions.length; i++)
      expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    // At least one report per epoch.
    expect(fractions.length).toBeGreaterThan(40);
  });

  it('stops early with a UmapCancelledError once shouldStop() says so', async () => {
    const rows = 400;
    const { vectors } = clustered(rows, 8, 4, 0.3, 7);
    let layoutReports = 0;
    let stop = false;
    const run = umapLayout(vectors, rows, 8, {
      seed: 1,
      epochs: 500,
      onProgress: (_fraction, stage) => {
        if (stage === 'layout' && ++layoutReports === 10) stop = true;
      },
      shouldStop: () => stop,
    });
    await expect(run).rejects.toBeInstanceOf(UmapCancelledError);
    await expect(run).rejects.toThrow(/cancelled/);
    expect(layoutReports).toBe(10); // stopped at once, long before the 500 epochs
  });

  it('rejects short or non-finite input, and needs no layout for fewer than 3 rows', async () => {
    await expect(umapLayout(new Float32Array(5), 2, 3, { seed: 1 })).rejects.toThrow(RangeError);
    const bad = Float32Array.from({ length: 40 * 4 }, (_, i) => (i === 17 ? NaN : i % 7));
    await expect(umapLayout(bad, 40, 4, { seed: 1 })).rejects.toThrow(/not finite/);
    const two = await umapLayout(Float32Array.from([1, 0, 0, 1]), 2, 2, { seed: 1 });
    expect(Array.from(two.coords)).toEqual([0, 0, 1, 0]);
    expect((await umapLayout(new Float32Array(0), 0, 4, { seed: 1 })).coords).toHaveLength(0);
  });

  it('copes with fewer rows than nNeighbors', async () => {
    const { vectors } = clustered(8, 4, 2, 0.1, 9);
    const r = await umapLayout(vectors, 8, 4, { seed: 1, epochs: 30 });
    expect(r.coords).toHaveLength(16);
    expect(allFinite(r.coords)).toBe(true);
  });

  it('chooses 500 epochs for small samples, fewer for larger ones, never under 200', () => {
    expect(defaultUmapEpochs(100)).toBe(500);
    expect(defaultUmapEpochs(2000)).toBe(500);
    expect(defaultUmapEpochs(4000)).toBe(250);
    expect(defaultUmapEpochs(5000)).toBe(200);
    expect(defaultUmapEpochs(50_000)).toBe(200);
  });
});
