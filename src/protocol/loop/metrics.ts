/**
 * What the closed loop measures each round (docs/loop.md#metrics): pure functions of counts,
 * no tfjs, shared by the loop's runner, its tests and the page.
 *
 * - coverage: the share of the live catalogue shown at least once;
 * - exposure Gini: G = Σ_i (2i − n − 1)·x_(i) / (n·Σ x) over the n live videos' impression
 *   counts x sorted ascending (i = 1 … n): 0 when every video is shown equally, → 1 when one
 *   video gets every impression;
 * - top-1% share: the share of impressions that go to the ⌈n/100⌉ most-shown live videos;
 * - homogenisation: the mean pairwise cosine similarity of users' consumption vectors (watch
 *   minutes per topic), over every pair of users who watched something:
 *   (‖Σ_u x̂_u‖² − m) / (m·(m − 1)) for m users with unit vectors x̂_u — 1 when everyone watches
 *   the same mix, 0 when no two users share a topic;
 * - topic diversity per user: the mean over those users of exp(entropy) of their own minutes
 *   per topic (the effective number of topics a user watches).
 */

/** Gini coefficient of non-negative values (0 when all are equal or all are 0). */
export function gini(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  const x = Float64Array.from(values).sort();
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    if (!(x[i] >= 0)) throw new RangeError(`gini needs values ≥ 0 (got ${x[i]})`);
    total += x[i];
    weighted += (2 * (i + 1) - n - 1) * x[i];
  }
  return total > 0 ? weighted / (n * total) : 0;
}

/** Share of the total held by the ⌈fraction · n⌉ largest values (0 when the total is 0). */
export function topShare(values: ArrayLike<number>, fraction = 0.01): number {
  const n = values.length;
  if (n === 0) return 0;
  const x = Float64Array.from(values).sort();
  const k = Math.max(1, Math.ceil(fraction * n));
  let total = 0;
  let top = 0;
  for (let i = 0; i < n; i++) {
    total += x[i];
    if (i >= n - k) top += x[i];
  }
  return total > 0 ? top / total : 0;
}

/** Share of the entries of `counts` where `live` is 1 (all when absent) that are above 0. */
export function coverage(counts: ArrayLike<number>, live?: ArrayLike<number>): number {
  let shown = 0;
  let n = 0;
  for (let v = 0; v < counts.length; v++) {
    if (live && !live[v]) continue;
    n++;
    if (counts[v] > 0) shown++;
  }
  return n > 0 ? shown / n : 0;
}

/** The values of `counts` where `live` is 1, in order. */
export function liveValues(counts: ArrayLike<number>, live: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let v = 0; v < counts.length; v++) if (live[v]) out.push(counts[v]);
  return Float64Array.from(out);
}

/**
 * Mean pairwise cosine similarity of the non-zero rows of `x` [rows × width] (row-major), and
 * how many rows took part: (‖Σ x̂‖² − m) / (m(m − 1)) over the m non-zero rows (NaN for m < 2).
 */
export function meanPairwiseCosine(
  x: ArrayLike<number>,
  rows: number,
  width: number,
): { value: number; rows: number } {
  const sum = new Float64Array(width);
  let m = 0;
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let k = 0; k < width; k++) norm += x[r * width + k] * x[r * width + k];
    if (norm === 0) continue;
    const s = 1 / Math.sqrt(norm);
    for (let k = 0; k < width; k++) sum[k] += x[r * width + k] * s;
    m++;
  }
  if (m < 2) return { value: NaN, rows: m };
  let sq = 0;
  for (let k = 0; k < width; k++) sq += sum[k] * sum[k];
  return { value: (sq - m) / (m * (m - 1)), rows: m };
}

/** Mean over the non-zero rows of `x` [rows × width] of exp(entropy) of the row as a distribution. */
export function meanEffectiveCount(x: ArrayLike<number>, rows: number, width: number): number {
  let total = 0;
  let m = 0;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < width; k++) s += x[r * width + k];
    if (s <= 0) continue;
    let h = 0;
    for (let k = 0; k < width; k++) {
      const p = x[r * width + k] / s;
      if (p > 0) h -= p * Math.log(p);
    }
    total += Math.exp(h);
    m++;
  }
  return m > 0 ? total / m : NaN;
}
