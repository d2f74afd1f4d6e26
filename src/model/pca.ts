/**
 * Principal component analysis of a row-major table by power iteration on its covariance:
 * the projection the Embedding view draws, live, every few hundred milliseconds of training.
 *
 * Why power iteration and not a full eigendecomposition: only the top two components are
 * wanted, and the d×d covariance (d ≤ 1024) is small. Each iteration is one d×d
 * matrix–vector product; the second component is found on the covariance deflated by the
 * first (C − λ₁ v₁v₁ᵀ). Starting from the previous snapshot's components (`init`) makes a
 * live update converge in a handful of iterations and keeps the picture from flipping: the
 * sign of each component is chosen to agree with `init` (an eigenvector's sign is arbitrary).
 *
 * The covariance is estimated on at most `maxRows` evenly spaced rows (forming it costs
 * rows·d²/2 multiply-adds, the dominant cost), then every row is projected. Sums are in
 * double precision.
 */

/** The top principal components of a table and every row's coordinates on them. */
export interface PcaResult {
  /** Components, row-major [k × d], unit length, mutually orthogonal. */
  components: Float64Array;
  /** Variance along each component (eigenvalues of the covariance), descending [k]. */
  variances: number[];
  /** Share of the total variance each component explains, in [0, 1] [k]. */
  explained: number[];
  /** Per-column mean [d] subtracted before projecting. */
  mean: Float64Array;
  /** Coordinates of every row, row-major [rows × k] (centred, unitless). */
  coords: Float32Array;
}

/** Options of {@link pca}. */
export interface PcaOptions {
  /** Number of components (default 2). */
  k: number;
  /** Rows used to estimate the covariance (default 2 000, evenly spaced). */
  maxRows: number;
  /** Power iterations per component (default 100; stops early once converged). */
  iterations: number;
  /** Starting components [k × d] (e.g. the previous snapshot's), also their sign reference. */
  init?: Float64Array;
}

/** The sample covariance [d × d] of the rows `rows` of `x` [n × d] (row-major) about `mean`. */
export function covariance(
  x: ArrayLike<number>,
  n: number,
  d: number,
  rows: ArrayLike<number>,
  mean: Float64Array,
): Float64Array {
  if (x.length < n * d) throw new RangeError(`x holds ${x.length} values, need ${n} × ${d}`);
  const c = new Float64Array(d * d);
  const r = new Float64Array(d);
  for (let t = 0; t < rows.length; t++) {
    const o = rows[t] * d;
    for (let j = 0; j < d; j++) r[j] = x[o + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = r[a];
      if (ra === 0) continue;
      const ca = a * d;
      for (let b = a; b < d; b++) c[ca + b] += ra * r[b];
    }
  }
  const m = Math.max(1, rows.length - 1);
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const v = c[a * d + b] / m;
      c[a * d + b] = v;
      c[b * d + a] = v;
    }
  return c;
}

/** Unit vector of `v` in place; returns its former length. */
function normalise(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const len = Math.sqrt(s);
  if (len > 0) for (let i = 0; i < v.length; i++) v[i] /= len;
  return len;
}

/**
 * Top `k` principal components of `x` [n × d] (row-major) and the coordinates of all n rows.
 * Deterministic: the default start vector is fixed, not random.
 */
export function pca(
  x: ArrayLike<number>,
  n: number,
  d: number,
  options: Partial<PcaOptions> = {},
): PcaResult {
  const k = options.k ?? 2;
  const maxRows = options.maxRows ?? 2000;
  const iterations = options.iterations ?? 100;
  if (x.length < n * d) throw new RangeError(`x holds ${x.length} values, need ${n} × ${d}`);
  const sample = Math.min(n, maxRows);
  const rows = Int32Array.from({ length: sample }, (_, i) => Math.floor((i * n) / sample));
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += x[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(1, sample);
  const c = covariance(x, n, d, rows, mean);
  let total = 0;
  for (let j = 0; j < d; j++) total += c[j * d + j];

  const components = new Float64Array(k * d);
  const variances: number[] = [];
  const next = new Float64Array(d);
  for (let q = 0; q < k; q++) {
    const v = new Float64Array(d);
    if (options.init && options.init.length >= (q + 1) * d)
      v.set(options.init.subarray(q * d, (q + 1) * d));
    if (normalise(v) === 0) for (let j = 0; j < d; j++) v[j] = 1 + ((j * 7919) % 13) / 13;
    normalise(v);
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      // next = (C − Σ_{p<q} λ_p v_p v_pᵀ) v
      for (let a = 0; a < d; a++) {
        let s = 0;
        const ca = a * d;
        for (let b = 0; b < d; b++) s += c[ca + b] * v[b];
        next[a] = s;
      }
      for (let p = 0; p < q; p++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += components[p * d + j] * v[j];
        for (let j = 0; j < d; j++) next[j] -= variances[p] * dot * components[p * d + j];
      }
      lambda = normalise(next);
      if (lambda === 0) break;
      let change = 0;
      for (let j = 0; j < d; j++) change = Math.max(change, Math.abs(next[j] - v[j]));
      v.set(next);
      if (change < 1e-9) break;
    }
    // Sign: agree with the starting component when there is one, else a positive largest entry.
    let ref = 0;
    if (options.init && options.init.length >= (q + 1) * d)
      for (let j = 0; j < d; j++) ref += options.init[q * d + j] * v[j];
    else {
      let big = 0;
      for (let j = 0; j < d; j++) if (Math.abs(v[j]) > Math.abs(big)) big = v[j];
      ref = big;
    }
    if (ref < 0) for (let j = 0; j < d; j++) v[j] = -v[j];
    components.set(v, q * d);
    variances.push(lambda);
  }

  const coords = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let q = 0; q < k; q++) {
      let s = 0;
      const co = q * d;
      for (let j = 0; j < d; j++) s += (x[o + j] - mean[j]) * components[co + j];
      coords[i * k + q] = s;
    }
  }
  return {
    components,
    variances,
    explained: variances.map((v) => (total > 0 ? v / total : 0)),
    mean,
    coords,
  };
}
