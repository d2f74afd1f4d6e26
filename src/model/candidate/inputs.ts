/**
 * Builds the user-tower inputs of a batch in plain TypeScript: each sparse field (watch bag,
 * search bag, region, device, or the user id for factorisation) is averaged from its
 * {@link SparseEmbedding} rows, and the gradient of the average is later spread back onto
 * those rows. Averaging a bag (paper §3.2: better than sum or max) is linear, so doing it
 * here costs O(batch × bag × d) and needs no `tf.gather` gradient.
 */
import { searchBag, watchBag, type CandidateExamples } from '../../sim/examples';
import type { World } from '../../sim/types';
import { LocalIndex, type SparseEmbedding } from '../embedding';
import type { SortedSlots } from '../sorted-slots';
import type { FeatureSet } from './config';

/** One averaged sparse field of a batch. */
export interface BagField {
  table: SparseEmbedding;
  /** Flattened ids of every example's bag. */
  ids: Int32Array;
  /** CSR offsets into `ids`, length batch+1. */
  offsets: Int32Array;
  /** Average of each bag's rows [batch × table.dim]; zeros for an empty bag. */
  mean: Float32Array;
  /**
   * The distinct rows of `ids` in ascending order and each id's slot, when the field was built
   * with them (a training step's fields: {@link csrField}); shared by the average and the
   * gradient, valid until the same {@link SortedSlots} indexes another list.
   */
  sorted?: SortedSlots;
}

/**
 * Number of dense (real-valued) inputs: age, gender, logged-in, and the example age a as a,
 * a² and √a (√a resolves the last few days, where fresh uploads live).
 */
export const DENSE_INPUTS = 6;

/** Builds a field from per-example id lists and averages it. */
export function bagField(table: SparseEmbedding, lists: ArrayLike<number>[]): BagField {
  const B = lists.length;
  const offsets = new Int32Array(B + 1);
  for (let b = 0; b < B; b++) offsets[b + 1] = offsets[b] + lists[b].length;
  const ids = new Int32Array(offsets[B]);
  for (let b = 0; b < B; b++) ids.set(lists[b] as ArrayLike<number>, offsets[b]);
  return csrField(table, ids, offsets);
}

/**
 * A field from its ids in CSR form (bag b is ids[offsets[b] … offsets[b + 1]), kept, not
 * copied), averaged: the same field as {@link bagField} of the same lists. With `sorted`, the
 * ids' distinct rows are also numbered in ascending order (kept in the field for its gradient,
 * `sparse-updates.ts`, so the step's lazy Adam walks the table in ascending row order).
 */
export function csrField(
  table: SparseEmbedding,
  ids: Int32Array,
  offsets: Int32Array,
  sorted?: SortedSlots,
): BagField {
  // `bagMean` averages as `SparseEmbedding.averageInto` does (in WebAssembly SIMD where it runs).
  if (!sorted) return { table, ids, offsets, mean: table.bagMean(ids, offsets) };
  table.sortRows(ids, sorted);
  return { table, ids, offsets, mean: table.bagMean(ids, offsets), sorted };
}

/**
 * A field whose bag b is the range source[starts[b] … ends[b]) (e.g. watch-bag ranges into the
 * watch log, `world.logs.watchVideo`), as {@link csrField} of those bags — the same ids,
 * offsets and averages to the bit — but each distinct range is averaged once: a later bag with
 * the same range gets a copy of the first one's average. Many rows of one user at one time (the
 * ranker's candidates of one request, the impressions of one page) share one watch bag, so this
 * costs O(distinct bags × bag × d + batch × d) instead of O(batch × bag × d).
 */
export function rangeField(
  table: SparseEmbedding,
  source: Int32Array,
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
): BagField {
  const B = starts.length;
  const d = table.dim;
  const offsets = new Int32Array(B + 1);
  for (let b = 0; b < B; b++) offsets[b + 1] = offsets[b] + (ends[b] - starts[b]);
  const ids = new Int32Array(offsets[B]);
  for (let b = 0; b < B; b++) ids.set(source.subarray(starts[b], ends[b]), offsets[b]);
  const mean = new Float32Array(B * d);
  // First bag of each range start, with its end (bags of equal start and end are equal).
  const first = new Map<number, number>();
  for (let b = 0; b < B; b++) {
    const seen = first.get(starts[b]);
    if (seen !== undefined && ends[seen] === ends[b]) {
      mean.copyWithin(b * d, seen * d, seen * d + d);
      continue;
    }
    if (seen === undefined) first.set(starts[b], b);
    table.averageInto(mean, b * d, ids, offsets[b], offsets[b + 1]);
  }
  return { table, ids, offsets, mean };
}

/** Reused by {@link bagGradients} (reset per call; the ids it returns are a fresh array). */
const scratchIndex = new LocalIndex();

/**
 * Spreads the gradient of the bag averages `gMean` [batch × dim] onto the rows used:
 * each row gets Σ over bags containing it of gMean[b] / |bag b|. Returns distinct ids and
 * their summed gradients, ready for `SparseEmbedding.applyGradients`.
 */
export function bagGradients(
  field: BagField,
  gMean: Float32Array,
): { ids: number[]; grads: Float32Array } {
  const local = scratchIndex;
  local.reset();
  const slot = new Int32Array(field.ids.length);
  for (let i = 0; i < field.ids.length; i++) slot[i] = local.add(field.ids[i]);
  // gMean[b] / |bag b| in float64 onto each row of the bag (WebAssembly SIMD where it runs).
  const grads = field.table.spreadBagGradients(slot, field.offsets, gMean, local.size);
  return { ids: local.ids, grads };
}

/** Tables the user tower reads. `user` exists only for factorisation (user-id input). */
export interface InputTables {
  videoIn: SparseEmbedding;
  search: SparseEmbedding;
  region: SparseEmbedding;
  device: SparseEmbedding;
  user?: SparseEmbedding;
}

/** A batch's tower inputs. */
export interface UserInputs {
  batch: number;
  fields: BagField[];
  /** Dense inputs [batch × DENSE_INPUTS], each in [0, 1]. */
  dense: Float32Array;
}

/**
 * Inputs of examples `rows` of `ex`. With `serving`, the example age is 0 (paper §3.3: the
 * model is asked about the end of the training window). Features switched off are left out
 * (empty bags, zero dense values), so the same network shape serves every feature set. With
 * `slots` (one {@link SortedSlots} per field, in field order: a training step's), each field's
 * distinct rows are numbered in ascending order and kept for its gradient (see {@link csrField}).
 */
export function userInputs(
  world: World,
  ex: CandidateExamples,
  rows: ArrayLike<number>,
  tables: InputTables,
  features: FeatureSet,
  serving: boolean,
  slots?: readonly SortedSlots[],
): UserInputs {
  const B = rows.length;
  const u = world.users;
  if (tables.user) {
    const ids = new Int32Array(B);
    const offsets = new Int32Array(B + 1);
    for (let b = 0; b < B; b++) {
      ids[b] = ex.user[rows[b]];
      offsets[b + 1] = b + 1;
    }
    return {
      batch: B,
      fields: [csrField(tables.user, ids, offsets, slots?.[0])],
      dense: new Float32Array(B * DENSE_INPUTS),
    };
  }
  // Every bag written straight into CSR buffers (at most maxWatches / maxSearchTokens each).
  const wbuf = new Int32Array(ex.options.maxWatches);
  const sbuf = new Int32Array(ex.options.maxSearchTokens);
  const watchIds = new Int32Array(B * wbuf.length);
  const watchOffsets = new Int32Array(B + 1);
  const searchIds = new Int32Array(features.searches ? B * sbuf.length : 0);
  const searchOffsets = new Int32Array(B + 1);
  const demo = features.demographics;
  const regionIds = new Int32Array(demo ? B : 0);
  const deviceIds = new Int32Array(demo ? B : 0);
  const demoOffsets = new Int32Array(B + 1);
  const dense = new Float32Array(B * DENSE_INPUTS);
  const days = world.config.days;
  for (let b = 0; b < B; b++) {
    const r = rows[b];
    const user = ex.user[r];
    const nw = watchBag(world, ex, r, wbuf);
    for (let j = 0, at = watchOffsets[b]; j < nw; j++) watchIds[at + j] = wbuf[j];
    watchOffsets[b + 1] = watchOffsets[b] + nw;
    const ns = features.searches ? searchBag(world, user, ex.searchEnd[r], sbuf) : 0;
    for (let j = 0, at = searchOffsets[b]; j < ns; j++) searchIds[at + j] = sbuf[j];
    searchOffsets[b + 1] = searchOffsets[b] + ns;
    const o = b * DENSE_INPUTS;
    if (demo) {
      regionIds[b] = u.country[user];
      deviceIds[b] = u.device[user];
      demoOffsets[b + 1] = b + 1;
      dense[o] = u.ageBucket[user] / 5;
      dense[o + 1] = u.gender[user];
      dense[o + 2] = u.loggedIn[user];
    }
    if (features.exampleAge && !serving) {
      const a = Math.min(1, ex.exampleAge[r] / days);
      dense[o + 3] = a;
      dense[o + 4] = a * a;
      dense[o + 5] = Math.sqrt(a);
    }
  }
  return {
    batch: B,
    fields: [
      csrField(tables.videoIn, watchIds.subarray(0, watchOffsets[B]), watchOffsets, slots?.[0]),
      csrField(tables.search, searchIds.subarray(0, searchOffsets[B]), searchOffsets, slots?.[1]),
      csrField(tables.region, regionIds, demoOffsets, slots?.[2]),
      csrField(tables.device, deviceIds, demoOffsets, slots?.[3]),
    ],
    dense,
  };
}
