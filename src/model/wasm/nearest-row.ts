/**
 * The exact nearest-row scan of the UMAP placing in WebAssembly SIMD (nearest-row.wat): the
 * same float64 dot products as `dot` (umap-knn.ts) and the same answer as a scan in
 * JavaScript — the row with the largest dot product, the first of equals — about three times
 * faster. Pure TypeScript around a 639-byte module compiled synchronously; no tfjs.
 */
import { lazyModule } from './compile';
import { WASM_BASE64 } from './nearest-row-wasm';

/** The module's export. */
interface NearestExports {
  memory: WebAssembly.Memory;
  nearest: (q: number, nq: number, u: number, m: number, d: number, out: number) => void;
}

/** The compiled module, or null where WebAssembly or its SIMD is missing. */
const nearestModule = lazyModule(WASM_BASE64);

/**
 * The table `u` [m × d] (float64 rows, d a positive multiple of 4) copied into a WebAssembly
 * instance's memory, ready for {@link WasmNearestRow.nearest}. Build with
 * {@link WasmNearestRow.create}, which answers null when it cannot run here.
 */
export class WasmNearestRow {
  private readonly exports: NearestExports;
  private readonly uOffset = 0;
  private readonly qOffset: number;
  private readonly outOffset: number;

  private constructor(
    module: WebAssembly.Module,
    readonly m: number,
    readonly d: number,
    u: Float64Array,
    /** Most queries one {@link nearest} call takes. */
    readonly maxQueries: number,
  ) {
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as NearestExports;
    const tableBytes = m * d * 8;
    this.qOffset = tableBytes;
    this.outOffset = tableBytes + maxQueries * d * 8;
    const need = this.outOffset + maxQueries * 4;
    const pages = Math.ceil(need / 65536) - this.exports.memory.buffer.byteLength / 65536;
    if (pages > 0) this.exports.memory.grow(pages);
    new Float64Array(this.exports.memory.buffer, 0, m * d).set(u.subarray(0, m * d));
  }

  /**
   * A scanner of `u` [m × d] taking up to `maxQueries` queries per call, or null where
   * WebAssembly SIMD is missing, d is not a positive multiple of 4, m < 1, or the memory would
   * pass 1 GiB.
   */
  static create(u: Float64Array, m: number, d: number, maxQueries: number): WasmNearestRow | null {
    if (!(m >= 1 && d >= 4 && d % 4 === 0 && maxQueries >= 1)) return null;
    if ((m + maxQueries) * d * 8 + maxQueries * 4 > 2 ** 30) return null;
    const module = nearestModule();
    return module ? new WasmNearestRow(module, m, d, u, maxQueries) : null;
  }

  /**
   * The query buffer [maxQueries × d] in the module's memory: write query rows here, then call
   * {@link nearest}. A fresh view each time (valid until the next call of this object).
   */
  queries(): Float64Array {
    return new Float64Array(this.exports.memory.buffer, this.qOffset, this.maxQueries * this.d);
  }

  /**
   * For the first `count` rows of {@link queries}, the index of the table row with the largest
   * dot product (the first of equals), written into `out[0 … count)`.
   */
  nearest(count: number, out: Int32Array): void {
    if (!(count >= 0 && count <= this.maxQueries))
      throw new RangeError(`count ${count} must be in [0, ${this.maxQueries}]`);
    this.exports.nearest(this.qOffset, count, this.uOffset, this.m, this.d, this.outOffset);
    out.set(new Int32Array(this.exports.memory.buffer, this.outOffset, count));
  }
}
