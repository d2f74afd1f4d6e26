/**
 * The analysis half of the page ↔ worker protocol: what the Embeddings, Sampled-softmax and
 * Funnel views ask of the running session, and the answers (re-exported by `protocol.ts`).
 * Types and constants only. Every request names its run (`runId`); the worker ignores one for
 * another run, and the page drops an answer about another run. Each is computed between two
 * training steps on the models as they stand, so the answer's `step` says which.
 */
import type { StudySampler } from './params';
import type { StepTrace } from '../model/candidate/step-trace';

export type { StudySampler } from './params';
export { FUNNEL_NS } from './params';

/** Negatives of the sampled-softmax bias sweep (x axis, log scale); K → ∞ is added in closed form. */
export const BIAS_SWEEP_NEGATIVES: readonly number[] = [4, 16, 64, 256, 1024, 4096];

/** Negatives tried by the training sweep when the page does not say. */
export const TRAINING_SWEEP_NEGATIVES: readonly number[] = [4, 16, 64, 256, 1024];

/** Held-out session starts the funnel is served on. */
export const FUNNEL_QUERIES = 40;

/** Items of the Sampled-softmax view's scatter: the user's top items by p plus a stride of the rest. */
export const SOFTMAX_SCATTER_ITEMS = 1500;

// ---- Page → worker ------------------------------------------------------------------------

/**
 * Chooses the user the views follow (the Sampled-softmax view's user, the u drawn in the
 * projection). `user` −1 = the first user with a held-out next watch. The worker answers with
 * a fresh projection carrying that user's u.
 */
export interface FocusRequest {
  type: 'focus';
  runId: number;
  user: number;
}

/** Asks for the focus user's full softmax against sampled softmax's view of it. */
export interface SoftmaxRequest {
  type: 'softmax';
  runId: number;
  /** The user to study (−1: the first held-out user); the worker follows them from then on. */
  user: number;
  /** The sampler studied (the view's own choice; training's sampler is not changed). */
  sampler: StudySampler;
  /** Sampled negatives K ≥ 1. */
  negatives: number;
  /** Exponent α of the popularity sampler. */
  alpha: number;
  logQ: boolean;
}

/**
 * Trains a fresh candidate model for each K of `negatives`, `steps` steps each, from the run's
 * settings and seed, and reports recall@100 and ms per step: the paper's "more negatives"
 * experiment. Training of the run waits meanwhile; progress messages follow, then the result.
 */
export interface NegativesSweepRequest {
  type: 'negativesSweep';
  runId: number;
  negatives: number[];
  steps: number;
}

/** Stops a running negatives sweep (its finished points are still sent). */
export interface CancelSweepRequest {
  type: 'cancelSweep';
  runId: number;
}

/**
 * Serves held-out session starts through the two stages for every N of {@link FUNNEL_NS}:
 * exact retrieval and an IVF index with `nprobe` lists opened, then the ranker's top `k`.
 */
export interface FunnelRequest {
  type: 'funnel';
  runId: number;
  /** The user whose own funnel is shown (−1: the first held-out user). */
  user: number;
  k: number;
  nprobe: number;
}

/** Asks for a copy of the video vectors v_i (and the focus user's u) for a UMAP layout. */
export interface VectorsRequest {
  type: 'vectors';
  runId: number;
  /** The user whose u goes with the vectors (−1: the first held-out user). */
  user: number;
}

/** Batch size B and negatives K of a traced step (docs/step.md): small enough to read. */
export const STEP_TRACE_BATCH = 8;
export const STEP_TRACE_NEGATIVES = 12;
/** Largest B and K a trace may ask for (its matrices are drawn cell by cell). */
export const STEP_TRACE_MAX = 32;

/**
 * Asks for the next candidate-generation step in slow motion (docs/step.md): a trace of one
 * step on the first `batch` rows the next step would draw, with `negatives` negatives, from
 * the model as it stands. The run is not changed (model/candidate/model.ts `traceStep`).
 */
export interface StepTraceRequest {
  type: 'stepTrace';
  runId: number;
  /** Batch size B, 1 … {@link STEP_TRACE_MAX}. */
  batch: number;
  /** Negatives K, 1 … {@link STEP_TRACE_MAX}. */
  negatives: number;
}

/** Every analysis request the page may send. */
export type ViewRequest =
  | StepTraceRequest
  | FocusRequest
  | SoftmaxRequest
  | NegativesSweepRequest
  | CancelSweepRequest
  | FunnelRequest
  | VectorsRequest;

// ---- Worker → page ------------------------------------------------------------------------

/** How far an estimate is from the full softmax p (model/softmax-bias/summary.ts BiasSummary). */
export interface BiasFigures {
  /** Total variation distance, in [0, 1]. */
  tv: number;
  /** KL(p ‖ estimate) in nats. */
  kl: number;
  /** log(estimated mass / true mass) of each popularity decile, least popular first. */
  massLogRatio: number[];
}

/** One point of the bias-against-K sweep (K = Infinity: the closed-form limit). */
export interface BiasSweepPoint {
  negatives: number;
  logQ: boolean;
  /** Bias of p̂ (sampled softmax's view) and of ℓ (what training converges to). */
  estimate: BiasFigures;
  learned: BiasFigures;
}

/** The Sampled-softmax view's figures for the focus user at `step`. */
export interface SoftmaxMessage {
  type: 'softmax';
  runId: number;
  step: number;
  user: number;
  /** The request's settings, echoed. */
  sampler: StudySampler;
  negatives: number;
  alpha: number;
  logQ: boolean;
  /**
   * Scatter items [m ≤ SOFTMAX_SCATTER_ITEMS]: video id, full-softmax p, sampled softmax's p̂,
   * the learned ℓ, and popularity decile (0 = least popular) by training label count.
   */
  items: Int32Array;
  full: Float32Array;
  estimate: Float32Array;
  learned: Float32Array;
  decile: Uint8Array;
  /** How many of `items` are the user's likeliest videos (the rest: an even stride). */
  head: number;
  /** Videos live at the user's serving time (all of them are in `items` when ≤ its length). */
  live: number;
  /** Bias of this setting. */
  bias: { estimate: BiasFigures; learned: BiasFigures };
  /** Label counts bounding each popularity decile [10] (upper bound, inclusive). */
  decileUpper: number[];
  /** The sampling distribution q by rank (descending) at log-spaced ranks: rank (1-based) and q. */
  qRank: Int32Array;
  q: Float32Array;
  /** The training labels' share at the same ranks of *their* order (the data's popularity curve). */
  labelShare: Float32Array;
  /** Bias against K for logQ off and on, then the two K → ∞ limits. */
  sweep: BiasSweepPoint[];
  /** Worker milliseconds for all of it. */
  ms: number;
}

/** One finished point of the negatives sweep. */
export interface NegativesSweepPoint {
  negatives: number;
  steps: number;
  /** recall@100 on the run's held-out next watches after `steps` steps. */
  recall100: number;
  /** Mean wall-clock milliseconds per training step (this backend, this machine). */
  msPerStep: number;
  /** Mean training loss over the last 20 steps (nats; not comparable across K). */
  finalLoss: number;
}

/** Progress or the result of a negatives sweep; `done` when it ended (finished or cancelled). */
export interface NegativesSweepMessage {
  type: 'negativesSweep';
  runId: number;
  /**
   * The sampler the sweep's models use: the run's, except that full softmax and in-batch
   * (which ignore K) are swept with the popularity sampler.
   */
  sampler: string;
  /** Steps trained so far over all K, and in all. */
  progress: number;
  total: number;
  points: NegativesSweepPoint[];
  done: boolean;
  cancelled: boolean;
}

/** Funnel figures of one N, averaged over the queries (serve/funnel.ts FunnelPoint). */
export interface FunnelFigures {
  n: number;
  /** Mean videos actually retrieved (< n when fewer are live). */
  retrieved: number;
  /** recall@N of the next watch, in [0, 1]. */
  recall: number;
  /** Share of queries whose next watch reached the final top k. */
  labelInTopK: number;
  /** Oracle E[watch minutes] per impression of the final top k. */
  watchPerImpression: number;
  /** The same for a random k of the N (no ranker). */
  unrankedWatchPerImpression: number;
  /** Mean ms per query of retrieval, and of ranking the N. */
  retrievalMs: number;
  rankingMs: number;
}

/** The focus user's funnel at one N: what was shown. */
export interface FunnelExample {
  n: number;
  /** Position of the next watch among the N retrieved (exact), or −1. */
  labelRank: number;
  /** The ranker's top k ids, and their oracle E[watch minutes] per impression. */
  topK: number[];
  topKWatch: number[];
}

/** The Funnel view's figures at `step`. */
export interface FunnelMessage {
  type: 'funnel';
  runId: number;
  step: number;
  k: number;
  nprobe: number;
  queries: number;
  /**
   * Requests served in full and timed at each N and retrieval, each by another query where
   * there are enough (serve/latency-plan.ts): the latencies' sample.
   */
  latencyQueries: number;
  /** The oracle's own top k among all live videos (minutes per impression): the ceiling. */
  oracleWatchPerImpression: number;
  /** User tower ms per query. */
  towerMs: number;
  /** One point per N of {@link FUNNEL_NS}, exact retrieval and the IVF index. */
  exact: FunnelFigures[];
  approx: FunnelFigures[];
  /**
   * recall@N of the exact scan alone for N from 10 up to the whole corpus (1-2-5 steps, then
   * the corpus size): retrieval without ranking, so it can go as far as every video.
   */
  recallCurve: { n: number; recall: number }[];
  /** recall@100 of the index's top 100 against the exact top 100 (same queries). */
  indexRecall100: number;
  /**
   * The IVF index: lists, build ms, bytes held; `warm` when its k-means started from the
   * centres of the index built at step `from` (`iterations` Lloyd iterations on the current
   * vectors, every video filed again; the chain began with a cold build at step `cold`), absent
   * for a cold build (k-means++ and 8 iterations). Worker: funnel-index.ts.
   */
  index: {
    lists: number;
    buildMs: number;
    bytes: number;
    warm?: { from: number; cold: number; iterations: number };
  };
  /** The focus user's query, per N. */
  example: { user: number; label: number; perN: FunnelExample[] } | null;
  ms: number;
}

/** A copy of the candidate model's video vectors [videos × dim] and the focus user's u [dim]. */
export interface VectorsMessage {
  type: 'vectors';
  runId: number;
  step: number;
  vectors: Float32Array;
  rows: number;
  dim: number;
  user: number;
  u: Float32Array;
  /**
   * The user's 10 best videos by u·v + b among those live at their serving time, best first
   * (absent: the page ranks by u·v alone).
   */
  best?: Int32Array;
}

/** A view request failed (a bad setting, or an error computing it); nothing else changed. */
export interface ViewErrorMessage {
  type: 'viewError';
  runId: number;
  request: ViewRequest['type'];
  /** Human-readable; for a bad setting it names the field and the allowed range. */
  message: string;
}

/**
 * A 2-D picture of a traced step: PCA of the vectors the step touches (the B user vectors u_b,
 * the B positives v_y and the K negatives v_j, stacked in that order: n = 2B + K points), and
 * each point's gradient-descent direction −∂L/∂x projected on the same two components (no
 * centring: a direction, not a point).
 */
export interface StepProjection {
  /** Points [n × 2] (centred on the points' mean) and arrows −gradient [n × 2]. */
  coords: Float32Array;
  arrows: Float32Array;
  /** Share of the points' variance on each component. */
  explained: [number, number];
}

/** The trace of the next step (answer to {@link StepTraceRequest}). */
export interface StepTraceMessage {
  type: 'stepTrace';
  runId: number;
  /** The run's step when traced (the traced step would be step + 1). */
  step: number;
  trace: StepTrace;
  projection: StepProjection;
  /** Worker milliseconds. */
  ms: number;
}

/** Every analysis answer of the worker. */
export type ViewToPage =
  | SoftmaxMessage
  | NegativesSweepMessage
  | FunnelMessage
  | VectorsMessage
  | StepTraceMessage
  | ViewErrorMessage;
