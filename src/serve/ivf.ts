/**
 * An approximate retrieval index (docs/model.md#ivf-index): IVF — an inverted file over a k-means
 * coarse quantizer (Jégou et al. 2011; FAISS's IndexIVFFlat). Build: k-means on a sample puts
 * `lists` centres among the items; every item goes into the list of its nearest centre and the
 * lists are stored one after another. Query: score the centres, open the `nprobe` best lists,
 * and rank the items found there by their exact score q·x_i + b_i. Cost per query: lists·d for
 * the centres plus about (nprobe / lists)·n·d for the items, against n·d for the exact scan.
 *
 * Maximum inner product, not nearest neighbour. k-means groups items by Euclidean distance,
 * but retrieval wants the largest q·x. Two ways to serve it:
 *  - the MIPS→NN reduction (Bachrach et al. 2014): append √(M² − ‖x‖²) to every item (M the
 *    largest norm) and 0 to the query, so that ‖q − x‖² = ‖q‖² + M² − 2 q·x and the nearest
 *    item is the one of largest q·x; then cluster and probe by distance in d + 1 dimensions;
 *  - probe by the centres' own dot product: q·x = q·c + q·(x − c), so a list's centre score
 *    q·c is the mean score of its items, and the lists of highest mean hold most of the top
 *    items when the lists are tight.
 * We use the second. Both were measured (seeded, nprobe 1–64): on 100 000 × 32 clustered
 * vectors (316 lists), on 100 000 × 32 Gaussian ones, and on a CandidateModel of 3000 videos
 * after 0, 100 and 300 steps (55 lists, with and without the bias). Recall@100 differed by
 * up to 0.11 at nprobe 1 and by at most 0.06 from nprobe 2 on, and neither was ahead
 * throughout. The reduction costs an extra coordinate and hinges on the single largest norm
 * M (one long vector makes the extra coordinate large for all the others, and k-means then
 * groups items partly by norm rather than by direction), so the simpler probe is kept.
 *
 * A bias b_i (the model's video bias) is served as one more coordinate: x̃ = [x, b], q̃ = [q, 1],
 * q̃·x̃ = q·x + b. k-means runs on x̃, so the centres carry the lists' mean bias as well.
 */
import { checkShapes, dotAt, type ItemVectors } from './exact';
import { finish, nearestCentroids, trainKMeansSteps, type KMeansInit } from './kmeans';
import { TopNHeap, type TopN } from './topn';

/** Build settings of an {@link IvfIndex}. */
export interface IvfSettings {
  /** Number of inverted lists (k-means centres), 1 ≤ lists ≤ items. */
  lists: number;
  /** Lloyd iterations of the k-means. */
  iterations: number;
  /** Points sampled per list to train the k-means (FAISS: 39–256). */
  samplePerList: number;
  /** Initial centres. */
  init: KMeansInit;
  /** Seed of the k-means sample and initial centres. */
  seed: number;
  /**
   * Centres to start the k-means from instead of `init` [lists × width, width = d + 1 with a
   * bias]: an earlier index's `centroids`, for a warm start on vectors that have moved a little
   * (`lists` is then their count). Absent: a cold start.
   */
  from?: Float32Array;
}

/** Default build settings; `lists` defaults to {@link defaultLists} of the item count. */
export const defaultIvfSettings: Omit<IvfSettings, 'lists'> = {
  iterations: 8,
  samplePerList: 64,
  init: 'kmeans++',
  seed: 1,
};

/** Most lists {@link defaultLists} picks; see there. */
export const MAX_DEFAULT_LISTS = 512;

/**
 * A rule of thumb for the number of lists: about √n (FAISS suggests 4√n–16√n for fast C++
 * builds), at least 1 and at most {@link MAX_DEFAULT_LISTS}: assigning the items costs
 * n · lists · d multiply-adds in plain TypeScript, which took 25 s of a 31 s build for
 * 1 000 000 × 32 items and 512 lists on the slow shared machine this was measured on.
 */
export function defaultLists(n: number): number {
  return Math.max(1, Math.min(n, MAX_DEFAULT_LISTS, Math.round(Math.sqrt(n))));
}

/**
 * Items filed per step of {@link IvfIndex.buildSteps} (the nearest centre of each is
 * independent of the others, so the lists are those of one pass).
 */
export const ASSIGN_ROWS = 2048;

/** Figures of a build. */
export interface IvfStats {
  /** Items indexed. */
  count: number;
  /** Lists (k-means centres). */
  lists: number;
  /** Wall-clock ms of the whole build, of the k-means (with copying in the bias), and of assigning all items. */
  buildMs: number;
  kmeansMs: number;
  assignMs: number;
  /** Bytes the index holds: its copy of the vectors grouped by list, ids, offsets, centres. */
  bytes: number;
  /** Items in the largest list, and lists left empty. */
  largestList: number;
  emptyLists: number;
}

/** One query's result: the top N among the probed lists, and how many items were scored. */
export interface IvfResult extends TopN {
  /** Items whose exact score was computed (the probed lists' sizes, mask not counted). */
  scanned: number;
}

/**
 * An IVF index over a fixed set of item vectors (and bias). It holds its own copy of the
 * vectors, grouped by list, so the caller may go on changing theirs (training): rebuild to
 * see the change. Build with {@link IvfIndex.build}; query with {@link IvfIndex.search}.
 */
export class IvfIndex {
  private constructor(
    /** Width d of item and query vectors. */
    readonly dim: number,
    /** Width of the stored vectors: d, or d + 1 with the bias as the last coordinate. */
    private readonly width: number,
    /** Centres [lists × width] (with the lists' mean bias last when there is a bias). */
    readonly centroids: Float32Array,
    /** Start of list j in `ids` / `vectors` is offsets[j]; offsets[lists] = count. */
    readonly offsets: Int32Array,
    /** Item ids grouped by list [count]. */
    readonly ids: Int32Array,
    /** Item vectors (with bias) grouped by list [count × width]. */
    private readonly vectors: Float32Array,
    /** The bias it was built with (not copied), for the exact reference. */
    readonly bias: Float32Array | undefined,
    /** Build time, memory and list sizes. */
    readonly stats: IvfStats,
  ) {}

  /** Number of lists. */
  get lists(): number {
    return this.offsets.length - 1;
  }

  /**
   * Builds the index over `items` with optional per-item bias b [count] (scored as
   * q·x_i + b_i: the bias is stored as an extra coordinate and the query gets a 1 there).
   */
  static build(
    items: ItemVectors,
    bias?: Float32Array,
    settings: Partial<IvfSettings> = {},
  ): IvfIndex {
    return finish(IvfIndex.buildSteps(items, bias, settings));
  }

  /**
   * {@link build} in steps, for work spread over idle moments (the Funnel view's index,
   * src/worker/funnel-index.ts): the generator pauses where `trainKMeansSteps` does (every few
   * rounds of k-means++, every Lloyd iteration) and after every {@link ASSIGN_ROWS} items
   * filed, and returns the same index. It copies the vectors and bias first (before its first
   * pause), so they may change meanwhile; the stats' times count only the steps' own work,
   * not the pauses. Abandoning it (`return()`) frees what it holds.
   */
  static *buildSteps(
    items: ItemVectors,
    bias?: Float32Array,
    settings: Partial<IvfSettings> = {},
  ): Generator<void, IvfIndex> {
    const t0 = performance.now();
    let paused = 0;
    /** A pause: the time until the generator is resumed is not the build's. */
    const pause = function* (): Generator<void, void> {
      const at = performance.now();
      yield;
      paused += performance.now() - at;
    };
    checkShapes(items, new Float32Array(0), { bias }, 0);
    const { count: n, dim: d } = items;
    if (n < 1) throw new RangeError('an index needs at least one item');
    const s: IvfSettings = { ...defaultIvfSettings, lists: defaultLists(n), ...settings };
    const width = bias ? d + 1 : d;
    const augmented = bias ? new Float32Array(n * width) : items.vectors.subarray(0, n * d);
    if (bias) {
      for (let i = 0; i < n; i++) {
        augmented.set(items.vectors.subarray(i * d, i * d + d), i * width);
        augmented[i * width + d] = bias[i];
      }
    }
    const lists = s.from ? s.from.length / width : Math.max(1, Math.min(n, Math.floor(s.lists)));
    yield* pause();
    const kmeans = trainKMeansSteps(augmented, n, width, {
      k: lists,
      iterations: s.iterations,
      sampleSize: lists * s.samplePerList,
      init: s.init,
      seed: s.seed,
      from: s.from,
    });
    let centroids: Float32Array;
    try {
      for (;;) {
        const r = kmeans.next();
        if (r.done) {
          centroids = r.value;
          break;
        }
        yield* pause();
      }
    } finally {
      kmeans.return(new Float32Array(0)); // abandoned halfway: the k-means frees its tensors
    }
    const k = centroids.length / width;
    const t1 = performance.now() - paused;
    const assign = new Int32Array(n);
    for (let from = 0; from < n; from += ASSIGN_ROWS) {
      if (from > 0) yield* pause();
      const to = Math.min(n, from + ASSIGN_ROWS);
      nearestCentroids(
        augmented.subarray(from * width, to * width),
        to - from,
        width,
        centroids,
        k,
        assign.subarray(from, to),
      );
    }
    const t2 = performance.now() - paused;
    yield* pause();

    // Counting sort of the items by list.
    const offsets = new Int32Array(k + 1);
    for (let i = 0; i < n; i++) offsets[assign[i] + 1]++;
    let largestList = 0;
    let emptyLists = 0;
    for (let j = 0; j < k; j++) {
      largestList = Math.max(largestList, offsets[j + 1]);
      if (offsets[j + 1] === 0) emptyLists++;
      offsets[j + 1] += offsets[j];
    }
    const next = offsets.slice(0, k);
    const ids = new Int32Array(n);
    const vectors = new Float32Array(n * width);
    for (let i = 0; i < n; i++) {
      const p = next[assign[i]]++;
      ids[p] = i;
      vectors.set(augmented.subarray(i * width, i * width + width), p * width);
    }
    const bytes = vectors.byteLength + ids.byteLength + offsets.byteLength + centroids.byteLength;
    const stats: IvfStats = {
      count: n,
      lists: k,
      buildMs: performance.now() - paused - t0,
      kmeansMs: t1 - t0,
      assignMs: t2 - t1,
      bytes,
      largestList,
      emptyLists,
    };
    return new IvfIndex(d, width, centroids, offsets, ids, vectors, bias, stats);
  }

  /**
   * The approximate top N for one query [d]: the best N by exact score among the items of the
   * `nprobe` lists whose centres score best (nprobe is clamped to [1, lists]; nprobe = lists
   * scans everything and equals the exact top N). `mask` [count], by item id: item i may be
   * returned iff mask[i] ≠ 0.
   */
  search(query: Float32Array, n: number, nprobe: number, mask?: Uint8Array): IvfResult {
    if (query.length !== this.dim)
      throw new RangeError(`query has ${query.length} values, need d = ${this.dim}`);
    return this.searchBatch(query, n, nprobe, mask)[0];
  }

  /** {@link search} for each query of a batch [m × d], in query order. */
  searchBatch(queries: Float32Array, n: number, nprobe: number, mask?: Uint8Array): IvfResult[] {
    const { dim: d, width } = this;
    checkShapes(
      { vectors: this.vectors, count: this.stats.count, dim: width },
      new Float32Array(0),
      { mask },
      n,
    );
    if (queries.length % d !== 0)
      throw new RangeError(`queries hold ${queries.length} values, not a multiple of d = ${d}`);
    const lists = this.lists;
    const probes = Math.max(1, Math.min(lists, Math.floor(nprobe)));
    const m = queries.length / d;
    const q = new Float32Array(width);
    const listHeap = new TopNHeap(probes);
    const heap = new TopNHeap(n);
    const out: IvfResult[] = [];
    for (let qi = 0; qi < m; qi++) {
      q.set(queries.subarray(qi * d, qi * d + d));
      if (width > d) q[d] = 1;
      listHeap.reset();
      for (let j = 0; j < lists; j++) {
        if (this.offsets[j + 1] === this.offsets[j]) continue;
        listHeap.offer(j, dotAt(q, 0, this.centroids, j * width, width));
      }
      const probed = listHeap.result().ids;
      heap.reset();
      let scanned = 0;
      for (const j of probed) {
        const start = this.offsets[j];
        const end = this.offsets[j + 1];
        scanned += end - start;
        for (let p = start; p < end; p++) {
          const id = this.ids[p];
          if (mask && mask[id] === 0) continue;
          // The same sum as the exact scan (d products, then the bias), so equal items score equally.
          let score = dotAt(q, 0, this.vectors, p * width, d);
          if (width > d) score += this.vectors[p * width + d];
          if (score >= heap.threshold) heap.offer(id, score);
        }
      }
      out.push({ ...heap.result(), scanned });
    }
    return out;
  }
}
