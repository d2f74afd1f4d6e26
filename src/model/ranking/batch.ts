/**
 * A ranker batch as the tower reads it and as its gradient goes back, without per-field
 * arrays: {@link RankingBatch.write} fills the tower's input rows [B × width] in place (the
 * impression's embedding, the watch bag's average, the two language embeddings, the dense
 * inputs — the concatenation of `rankingInputs`'s fields, value for value), and
 * {@link RankingBatch.tableGradients} splits the gradient of that input by column slices into
 * one merged sparse gradient per shared table — `sharedTableGradients` of `bagGradients` of
 * each field, to the bit. Its arrays are kept and reused from step to step.
 *
 * The gradient of a row read by both fields of one table is (0 + first field's sum) + second
 * field's sum, each sum accumulated in float32 in batch order (the watch bag's through
 * `SparseEmbedding.spreadBagGradients`, gMean[b] / |bag| in float64), exactly as the fields'
 * separate gradients were merged before.
 */
import type { RankingExamples } from '../../sim/ranking-examples';
import type { World } from '../../sim/types';
import type { SparseEmbedding } from '../embedding';
import type { RankingFeatureSet } from './config';
import { denseInto, denseWidth, type FeatureQuantiles } from './features';
import { RowSlots } from './row-slots';

/** The merged gradient of one table: distinct rows `ids` and their gradients [ids.length × dim]. */
export interface TableGradient {
  ids: Int32Array;
  grads: Float32Array;
}

/** `a` if it holds n values, else a larger Int32Array (contents not kept). */
function ints(a: Int32Array, n: number): Int32Array {
  return a.length >= n ? a : new Int32Array(Math.max(n, 2 * a.length));
}

/** `a` if it holds n values, else a larger Float32Array (contents not kept). */
function floats(a: Float32Array, n: number): Float32Array {
  return a.length >= n ? a : new Float32Array(Math.max(n, 2 * a.length));
}

/** One ranker's batch buffers: write a batch, run the tower, then take its table gradients. */
export class RankingBatch {
  /** Rows of the last {@link write}. */
  batch = 0;
  /** Width of the last written rows: 2·videoDim (+ 2·languageDim) + denseWidth. */
  width = 0;
  private x: Float32Array = new Float32Array(0);
  /** Per row of the last write: impression video and languages. */
  private videos: Int32Array = new Int32Array(0);
  private userLanguage: Int32Array = new Int32Array(0);
  private videoLanguage: Int32Array = new Int32Array(0);
  /** iota[b] = b: the video's language field as bags of one (its offsets, and each row's bag). */
  private iota: Int32Array = new Int32Array(0);
  /** The distinct watch bags of the last write in CSR form, and each row's bag. */
  private bagIds: Int32Array = new Int32Array(0);
  private bagOffsets: Int32Array = new Int32Array(1);
  private bagOf: Int32Array = new Int32Array(0);
  /** Gradient scratch: slots of the first field's rows and of the second field's ids. */
  private firstSlots: Int32Array = new Int32Array(0);
  private secondSlots: Int32Array = new Int32Array(0);
  private secondOffsets: Int32Array = new Int32Array(1);
  private gSecond: Float32Array = new Float32Array(0);
  private gFirst: Float32Array = new Float32Array(0);
  private videoSlots: RowSlots | undefined;
  private languageSlots: RowSlots | undefined;
  /** Whether the last write had the language fields. */
  private withLanguage = false;

  /**
   * @param videoTable the shared video-id table (impression and watch bag).
   * @param languageTable with the language group: the table of the user's and video's language.
   */
  constructor(
    readonly world: World,
    readonly videoTable: SparseEmbedding,
    readonly languageTable: SparseEmbedding | undefined,
  ) {}

  /**
   * Writes the tower's input rows of examples `rows` of `ex` and returns them, [rows.length ×
   * width] row-major: a view of this batch's buffer, valid until the next write. Rows of one
   * watch bag in a row (one user's candidates) average it once.
   */
  write(
    ex: RankingExamples,
    rows: ArrayLike<number>,
    quantiles: FeatureQuantiles,
    powers: boolean,
    features: RankingFeatureSet,
  ): Float32Array {
    const B = rows.length;
    const table = this.videoTable;
    const d = table.dim;
    const lang = features.language ? this.languageTable : undefined;
    const ld = lang ? lang.dim : 0;
    const width = 2 * d + 2 * ld + denseWidth(powers, features);
    this.batch = B;
    this.width = width;
    this.withLanguage = lang !== undefined;
    const x = (this.x = floats(this.x, B * width)).subarray(0, B * width);
    const videos = (this.videos = ints(this.videos, B));
    const bagOf = (this.bagOf = ints(this.bagOf, B));
    let offsets = (this.bagOffsets = ints(this.bagOffsets, B + 1));
    let ids = this.bagIds;
    const wv = this.world.logs.watchVideo;
    const w = table.weights;
    // The impression, a bag of one averaged as bagMean does ((0 + row) / 1: +0 for a −0), and
    // the distinct watch bags' ids.
    let bags = 0;
    let n = 0;
    let lastStart = -1;
    let lastEnd = -1;
    for (let b = 0; b < B; b++) {
      const r = rows[b];
      const v = (videos[b] = ex.video[r]);
      for (let k = 0, o = b * width, i = v * d; k < d; k++) x[o + k] = w[i + k] + 0;
      const s = ex.bagStart[r];
      const e = ex.bagEnd[r];
      if (s !== lastStart || e !== lastEnd) {
        lastStart = s;
        lastEnd = e;
        if (n + e - s > ids.length) {
          const grown = new Int32Array(Math.max(n + e - s, 2 * ids.length));
          grown.set(ids.subarray(0, n));
          ids = grown;
        }
        for (let i = s; i < e; i++) ids[n++] = wv[i];
        offsets[++bags] = n;
      }
      bagOf[b] = bags - 1;
    }
    this.bagIds = ids;
    offsets = offsets.subarray(0, bags + 1);
    const means = table.bagMean(ids.subarray(0, n), offsets);
    for (let b = 0; b < B; b++)
      for (let k = 0, o = b * width + d, i = bagOf[b] * d; k < d; k++) x[o + k] = means[i + k];
    if (lang) {
      const ul = (this.userLanguage = ints(this.userLanguage, B));
      const vl = (this.videoLanguage = ints(this.videoLanguage, B));
      const users = this.world.users.language;
      const vls = this.world.videos.language;
      const lw = lang.weights;
      for (let b = 0; b < B; b++) {
        ul[b] = users[ex.user[rows[b]]];
        vl[b] = vls[videos[b]];
        const o = b * width + 2 * d;
        for (let k = 0, i = ul[b] * ld; k < ld; k++) x[o + k] = lw[i + k] + 0;
        for (let k = 0, i = vl[b] * ld; k < ld; k++) x[o + ld + k] = lw[i + k] + 0;
      }
    }
    denseInto(ex, rows, quantiles, powers, features, x, width, 2 * d + 2 * ld);
    return x;
  }

  /**
   * The merged gradients of the tables from `dx` [batch × width], the gradient of the last
   * written rows: the video table's (impression + watch bag), and with the language fields the
   * language table's (user's + video's language). Ready for `SparseEmbedding.applyGradients`.
   */
  tableGradients(dx: Float32Array): { video: TableGradient; language?: TableGradient } {
    const B = this.batch;
    const table = this.videoTable;
    const d = table.dim;
    const video = this.shared(
      table,
      (this.videoSlots ??= new RowSlots(table.rows)),
      this.videos,
      0,
      this.bagIds,
      this.bagOffsets,
      this.bagOf,
      d,
      dx,
    );
    if (!this.withLanguage || !this.languageTable) return { video };
    const lt = this.languageTable;
    if (this.iota.length < B + 1) this.iota = Int32Array.from({ length: B + 1 }, (_, i) => i);
    const language = this.shared(
      lt,
      (this.languageSlots ??= new RowSlots(lt.rows)),
      this.userLanguage,
      2 * d,
      this.videoLanguage,
      this.iota,
      this.iota,
      2 * d + lt.dim,
      dx,
    );
    return { video, language };
  }

  /**
   * The merged gradient of two fields of `table`: a bag of one per row (`first[b]`, its
   * gradient at column `firstCol` of dx) and a bag per row (row b's bag: ids[offsets[bagOf[b]]
   * … offsets[bagOf[b] + 1]), its gradient at column `secondCol`). Slots: the first field's
   * rows in batch order, then the second's new ones.
   */
  private shared(
    table: SparseEmbedding,
    slots: RowSlots,
    first: Int32Array,
    firstCol: number,
    ids: Int32Array,
    offsets: Int32Array,
    bagOf: Int32Array,
    secondCol: number,
    dx: Float32Array,
  ): TableGradient {
    const B = this.batch;
    const W = this.width;
    const d = table.dim;
    slots.reset();
    const fs = (this.firstSlots = ints(this.firstSlots, B));
    for (let b = 0; b < B; b++) fs[b] = slots.add(first[b]);
    const nFirst = slots.size;
    let total = 0;
    for (let b = 0; b < B; b++) total += offsets[bagOf[b] + 1] - offsets[bagOf[b]];
    const ss = (this.secondSlots = ints(this.secondSlots, total));
    const so = (this.secondOffsets = ints(this.secondOffsets, B + 1));
    const g2 = (this.gSecond = floats(this.gSecond, B * d));
    for (let b = 0, j = 0; b < B; b++) {
      const bag = bagOf[b];
      if (b > 0 && bag === bagOf[b - 1]) {
        // The row before's bag (one user's candidates): its slots again.
        ss.copyWithin(j, so[b - 1], so[b]);
        j += so[b] - so[b - 1];
      } else for (let i = offsets[bag]; i < offsets[bag + 1]; i++) ss[j++] = slots.add(ids[i]);
      so[b + 1] = j;
      for (let k = 0, o = b * W + secondCol; k < d; k++) g2[b * d + k] = dx[o + k];
    }
    const grads = table.spreadBagGradients(
      ss.subarray(0, total),
      so.subarray(0, B + 1),
      g2.subarray(0, B * d),
      slots.size,
    );
    // The first field's sums (float32, batch order), then added to the second's.
    const g1 = (this.gFirst = floats(this.gFirst, nFirst * d));
    g1.fill(0, 0, nFirst * d);
    for (let b = 0; b < B; b++)
      for (let k = 0, o = b * W + firstCol, t = fs[b] * d; k < d; k++) g1[t + k] += dx[o + k];
    for (let i = 0; i < nFirst * d; i++) grads[i] += g1[i];
    return { ids: slots.rowsCopy(), grads };
  }
}

/**
 * The tower's input rows of examples `rows` [rows.length × width], a fresh array: each row the
 * impression's embedding, the watch bag's average, with the language group (and
 * `languageTable`) the user's and the video's language embeddings, then the dense inputs — the
 * concatenation of `rankingInputs`'s fields, value for value, without building them (a watch
 * bag shared by consecutive rows, as one user's candidates share theirs, averaged once).
 * width = 2·videoTable.dim (+ 2·languageTable.dim) + denseWidth.
 */
export function rankingInputRows(
  world: World,
  ex: RankingExamples,
  rows: ArrayLike<number>,
  videoTable: SparseEmbedding,
  quantiles: FeatureQuantiles,
  powers: boolean,
  features: RankingFeatureSet,
  languageTable?: SparseEmbedding,
): Float32Array {
  // A batch of its own: its buffer, exactly rows × width, is handed out.
  return new RankingBatch(world, videoTable, languageTable).write(
    ex,
    rows,
    quantiles,
    powers,
    features,
  );
}
