/**
 * UMAP's fuzzy simplicial set (the `graph` stage of `umap-layout.ts`) on typed arrays, the same
 * graph as umap-js 1.4 builds, entry for entry and bit for bit.
 *
 * umap-js builds the symmetric graph G = S + Sᵀ − S ∘ Sᵀ (set-op mix ratio 1) from the
 * neighbours' membership strengths S with its general `SparseMatrix`: a `Map` keyed by
 * `"row:col"` strings, rebuilt by each of seven element-wise operations, and a second such
 * matrix for `transform` (which the layout never calls). At the default 5 000 rows × 15
 * neighbours that was about 2 s of the layout's 13. {@link useTypedGraph} swaps those two
 * steps of one `UMAP` instance for {@link symmetricGraph}, which keeps umap-js's own
 * `smoothKNNDistance` and `computeMembershipStrengths` (the arithmetic that gives S) and writes
 * G as compressed rows. Everything after — the cut at max/epochs, the initial positions, the
 * epochs — is umap-js's, reading the graph through the three methods it uses (`getValues`,
 * `map`, `getAll`), so the layout is unchanged to the last bit (tested against umap-js's own
 * path).
 *
 * Tied to umap-js 1.4's internals (the method names above); package.json pins it.
 */
import type { UMAP } from 'umap-js';

/** One stored entry, in umap-js's `SparseMatrix.getAll` shape. */
export interface GraphEntry {
  value: number;
  row: number;
  col: number;
}

/**
 * A square sparse matrix [n × n] in compressed rows, columns ascending within a row: what
 * umap-js's layout reads of its graph. `values` are float64; an entry may hold 0 (umap-js keeps
 * the diagonal's zeros, as here).
 */
export class CsrGraph {
  constructor(
    /** Rows (= columns). */
    readonly nRows: number,
    /** Row r's entries are rowStart[r] … rowStart[r + 1] − 1 [nRows + 1]. */
    readonly rowStart: Int32Array,
    /** Column of each entry [nnz]. */
    readonly cols: Int32Array,
    /** Value of each entry [nnz]. */
    readonly values: Float64Array,
  ) {}

  /** Columns = rows. */
  get nCols(): number {
    return this.nRows;
  }

  /** Every stored value, row by row (umap-js only takes their maximum). */
  getValues(): number[] {
    return Array.from(this.values);
  }

  /** A graph of the same entries with `fn(value, row, col)` as their values. */
  map(fn: (value: number, row: number, col: number) => number): CsrGraph {
    const out = new Float64Array(this.values.length);
    for (let r = 0; r < this.nRows; r++)
      for (let e = this.rowStart[r]; e < this.rowStart[r + 1]; e++)
        out[e] = fn(this.values[e], r, this.cols[e]);
    return new CsrGraph(this.nRows, this.rowStart, this.cols, out);
  }

  /** Every entry ordered by row, then column (umap-js's `getAll()` order). */
  getAll(): GraphEntry[] {
    const all: GraphEntry[] = [];
    for (let r = 0; r < this.nRows; r++)
      for (let e = this.rowStart[r]; e < this.rowStart[r + 1]; e++)
        all.push({ value: this.values[e], row: r, col: this.cols[e] });
    return all;
  }
}

/**
 * G = S + Sᵀ − S ∘ Sᵀ of the membership strengths S given as triplets (`rows`, `cols`, `vals`,
 * one per neighbour slot; a later triplet of the same (row, col) replaces an earlier one, as a
 * `SparseMatrix` built from them keeps the last), n × n. An entry exists where S or Sᵀ has one;
 * its value is (s + t) − s·t with s = S[r][c], t = S[c][r] and a missing one read as 0 — the
 * same float64 operations in the same order as umap-js's element-wise chain (its × 1 and + 0·p
 * leave every value as it is).
 */
export function symmetricGraph(
  n: number,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  vals: ArrayLike<number>,
): CsrGraph {
  // S as compressed rows, columns ascending, the last triplet of a duplicate kept.
  const count = new Int32Array(n + 1);
  for (let i = 0; i < rows.length; i++) count[rows[i] + 1]++;
  for (let r = 0; r < n; r++) count[r + 1] += count[r];
  const fill = count.slice(0, n);
  const sCol = new Int32Array(rows.length);
  const sVal = new Float64Array(rows.length);
  const sAt = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const p = fill[rows[i]]++;
    sCol[p] = cols[i];
    sVal[p] = vals[i];
    sAt[p] = i;
  }
  const sStart = new Int32Array(n + 1);
  let nnz = 0;
  const order: number[] = [];
  for (let r = 0; r < n; r++) {
    order.length = 0;
    for (let p = count[r]; p < count[r + 1]; p++) order.push(p);
    // By column, then by triplet position so that the last of a duplicate comes last.
    order.sort((a, b) => sCol[a] - sCol[b] || sAt[a] - sAt[b]);
    const start = nnz;
    const tmpCol: number[] = [];
    const tmpVal: number[] = [];
    for (const p of order) {
      if (tmpCol.length && tmpCol[tmpCol.length - 1] === sCol[p])
        tmpVal[tmpVal.length - 1] = sVal[p];
      else {
        tmpCol.push(sCol[p]);
        tmpVal.push(sVal[p]);
      }
    }
    for (let j = 0; j < tmpCol.length; j++) {
      sCol[start + j] = tmpCol[j];
      sVal[start + j] = tmpVal[j];
    }
    nnz = start + tmpCol.length;
    sStart[r + 1] = nnz;
  }
  // Sᵀ's rows: for column c, the rows r with S[r][c], ascending (r runs in order).
  const tCount = new Int32Array(n + 1);
  for (let e = 0; e < nnz; e++) tCount[sCol[e] + 1]++;
  for (let c = 0; c < n; c++) tCount[c + 1] += tCount[c];
  const tFill = tCount.slice(0, n);
  const tCol = new Int32Array(nnz);
  const tVal = new Float64Array(nnz);
  for (let r = 0; r < n; r++)
    for (let e = sStart[r]; e < sStart[r + 1]; e++) {
      const p = tFill[sCol[e]]++;
      tCol[p] = r;
      tVal[p] = sVal[e];
    }
  // Merge row r of S and of Sᵀ (both ascending).
  const rowStart = new Int32Array(n + 1);
  const gCol = new Int32Array(2 * nnz);
  const gVal = new Float64Array(2 * nnz);
  let g = 0;
  for (let r = 0; r < n; r++) {
    let a = sStart[r];
    let b = tCount[r];
    const aEnd = sStart[r + 1];
    const bEnd = tCount[r + 1];
    while (a < aEnd || b < bEnd) {
      let col: number;
      let s = 0;
      let t = 0;
      if (b >= bEnd || (a < aEnd && sCol[a] < tCol[b])) {
        col = sCol[a];
        s = sVal[a++];
      } else if (a >= aEnd || tCol[b] < sCol[a]) {
        col = tCol[b];
        t = tVal[b++];
      } else {
        col = sCol[a];
        s = sVal[a++];
        t = tVal[b++];
      }
      gCol[g] = col;
      gVal[g] = s + t - s * t;
      g++;
    }
    rowStart[r + 1] = g;
  }
  return new CsrGraph(n, rowStart, gCol.slice(0, g), gVal.slice(0, g));
}

/** The umap-js internals {@link useTypedGraph} reads and replaces (umap-js 1.4). */
interface UmapInternals {
  knnIndices?: number[][];
  knnDistances?: number[][];
  localConnectivity: number;
  setOpMixRatio: number;
  smoothKNNDistance(
    distances: number[][],
    k: number,
    localConnectivity: number,
  ): { sigmas: number[]; rhos: number[] };
  computeMembershipStrengths(
    indices: number[][],
    distances: number[][],
    sigmas: number[],
    rhos: number[],
  ): { rows: number[]; cols: number[]; vals: number[] };
  fuzzySimplicialSet(X: unknown[], nNeighbors: number, setOpMixRatio: number): unknown;
  makeSearchGraph(X: unknown[]): unknown;
}

/**
 * Makes `umap` (set up with `setPrecomputedKNN`, not yet `initializeFit`) build its graph with
 * {@link symmetricGraph} instead of its `SparseMatrix` chain, and skip the search graph that
 * only `transform` reads (calling `transform` afterwards is not supported). Set-op mix ratio 1
 * only (umap-js's default; any other is refused with a RangeError when the graph is built).
 */
export function useTypedGraph(umap: UMAP): void {
  const u = umap as unknown as UmapInternals;
  u.fuzzySimplicialSet = (X, nNeighbors, setOpMixRatio) => {
    if (setOpMixRatio !== 1)
      throw new RangeError(`useTypedGraph: set-op mix ratio ${setOpMixRatio}, only 1 is built`);
    const distances = u.knnDistances ?? [];
    const indices = u.knnIndices ?? [];
    const { sigmas, rhos } = u.smoothKNNDistance(distances, nNeighbors, u.localConnectivity);
    const { rows, cols, vals } = u.computeMembershipStrengths(indices, distances, sigmas, rhos);
    return symmetricGraph(X.length, rows, cols, vals);
  };
  u.makeSearchGraph = () => null;
}
