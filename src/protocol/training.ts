/**
 * The training half of the page ↔ worker protocol (re-exported by `protocol.ts`, which is the
 * module both sides import). Types and constants only: nothing here runs tfjs.
 *
 * A training *run* is numbered by the page (`runId`): a reset, a new world or a restore
 * starts a new run, and the page ignores any message about an older one. Play, step and
 * reset carry the full {@link TrainingParams}: when the worker holds no session of that run it
 * builds one from them; when it does, it applies the live knobs among them at once.
 */
import type { EmbeddingToPage, NeighboursRequest } from './embedding';
import type { BackendName, BackendRequest, TrainingParams } from './params';

export type {
  BackendName,
  BackendRequest,
  FeatureChoice,
  SamplerChoice,
  TrainingParams,
  Weighting,
} from './params';
export { BACKEND_NAMES, BACKEND_REQUESTS } from './params';
export type {
  EmbeddingToPage,
  NeighboursMessage,
  NeighboursRequest,
  ProjectionMessage,
  VideoMetaMessage,
} from './embedding';
export { NEIGHBOURS, PROJECTION_EVERY } from './embedding';

/** The k of recall@k reported by every evaluation, in this order. */
export const RECALL_KS = [10, 50, 100, 500] as const;

/** Steps between two evaluations (recall, held-out losses, ranking AUC). */
export const EVAL_EVERY = 50;

/** Held-out next watches in the fixed evaluation sample (kept small so the loop stays smooth). */
export const EVAL_EXAMPLES = 500;

/** Steps between two weight snapshots (what a crashed run resumes from). */
export const SNAPSHOT_EVERY = 100;

/** Held-out pages (sessions) in the rankers' evaluation sample. */
export const RANKING_EVAL_PAGES = 300;

/** Least time in milliseconds between two metric messages (≤ 10 per second). */
export const METRICS_INTERVAL_MS = 100;

// ---- Page → worker ------------------------------------------------------------------------

/** Trains continuously until paused; builds the run's session first when there is none. */
export interface PlayRequest {
  type: 'play';
  runId: number;
  params: TrainingParams;
}

/** Stops after the step in flight. The worker stays alive and keeps everything. */
export interface PauseRequest {
  type: 'pause';
  runId: number;
}

/** Trains `count` steps, then pauses. Ignored while playing. */
export interface StepRequest {
  type: 'step';
  runId: number;
  params: TrainingParams;
  count: number;
}

/** Drops the current models and builds fresh ones from `params` (a new run, step 0). */
export interface ResetRequest {
  type: 'reset';
  runId: number;
  params: TrainingParams;
}

/** Applies the live knobs of `params` to the running session (structural ones wait for a reset). */
export interface SetParamsRequest {
  type: 'setParams';
  runId: number;
  params: TrainingParams;
}

/**
 * Builds the models of `snapshot.params` on the current world and loads the snapshot's state,
 * paused at `snapshot.step`: how a run resumes after a worker crash or a lost GPU device, and
 * how a run file or an autosave is loaded. The new run replaces the current one only once it is
 * built and loaded; the worker answers with a {@link RestoreResultMessage}.
 */
export interface RestoreRequest {
  type: 'restore';
  runId: number;
  snapshot: WeightSnapshot;
}

/**
 * Asks for a snapshot of the run now (between two steps, without pausing it); answered by a
 * {@link SnapshotMessage} with the same `purpose`.
 */
export interface TakeSnapshotRequest {
  type: 'takeSnapshot';
  runId: number;
  purpose: Exclude<SnapshotPurpose, 'periodic'>;
}

/** Every training message the page may send. */
export type TrainingRequest =
  | PlayRequest
  | PauseRequest
  | StepRequest
  | ResetRequest
  | SetParamsRequest
  | RestoreRequest
  | TakeSnapshotRequest
  | NeighboursRequest;

// ---- Worker → page ------------------------------------------------------------------------

/**
 * Where a run stands: `idle` (no session yet), `preparing` (starting the backend, building
 * examples and models), `running`, `paused`, or `failed` (an error stopped it; see the
 * {@link TrainingErrorMessage}).
 */
export type TrainingState = 'idle' | 'preparing' | 'running' | 'paused' | 'failed';

/** The run's state changed. */
export interface TrainingStatusMessage {
  type: 'trainingStatus';
  runId: number;
  state: TrainingState;
  /** Steps taken by the run. */
  step: number;
  /** What is being done (while preparing) or why it stopped. */
  detail?: string;
  /** The parameters the run's models were built with (present once the session exists). */
  params?: TrainingParams;
}

/** A faster backend that was not taken, and why. */
export interface PassedOver {
  name: BackendName;
  reason: string;
}

/** The backend in use and how it was chosen. */
export interface BackendReport {
  name: BackendName;
  requested: BackendRequest;
  /** Faster backends passed over, fastest first, each with its reason. */
  passedOver: PassedOver[];
  /** Extra facts (e.g. "SIMD, 2 threads" for WASM, the adapter for WebGPU). */
  note?: string;
}

/** The backend of the run's session (sent once per session, after it starts). */
export interface BackendMessage {
  type: 'backend';
  runId: number;
  backend: BackendReport;
}

/**
 * One evaluation on the fixed sample of held-out next watches (and held-out impressions).
 * `recall`, `mfRecall`, `popularRecall` are aligned with {@link RECALL_KS}.
 */
export interface EvalPoint {
  step: number;
  /** recall@k of the candidate model. */
  recall: number[];
  /** recall@k of the matrix-factorisation baseline (user-id embedding, no tower). */
  mfRecall: number[];
  /** recall@k of most-popular (videos by watches in the last week of training). */
  popularRecall: number[];
  /**
   * Mean average precision of the held-out next watch (one relevant video, so the mean of
   * 1/(rank + 1)) for the candidate model, the factorisation baseline and most-popular, on the
   * same examples as recall. Absent from evaluations of runs saved before it existed.
   */
  map?: number;
  mfMap?: number;
  popularMap?: number;
  /**
   * Share of the evaluated held-out next watches whose video is outside the candidate model's
   * video vocabulary (each counted as a miss in recall and MAP), in [0, 1]; 0 with no
   * vocabulary. Absent from evaluations of runs saved before it existed.
   */
  outOfVocab?: number;
  /** Sampled-softmax loss of the candidate model on a held-out batch (nats). */
  heldOutLoss: number;
  /** Held-out ranking figures; null when the ranker is not evaluated. */
  ranking: {
    /** ROC AUC of the logit against clicks. */
    auc: number;
    /** The paper's weighted per-user loss (mispredicted watch time share), in [0, 1]. */
    weightedPerUserLoss: number;
    /** Held-out weighted logistic loss under the run's weighting (nats per unit weight). */
    loss: number;
  } | null;
  /**
   * The weighted and the unweighted (CTR) ranker on the same held-out pages (Watch-time
   * view); null when the ranker is not evaluated.
   */
  watchTime?: {
    weighted: RankerSide;
    unweighted: RankerSide;
    /**
     * The odds the weighted ranker was trained with at this evaluation (the `odds` knob):
     * `exact` (clicks also weight-1 negatives, e^z ≈ E[T]) or `paper` (e^z ≈ E[T]/(1 − P)).
     * Absent from runs saved before it existed.
     */
    odds?: 'exact' | 'paper';
  } | null;
  /** Milliseconds the evaluation took. */
  ms: number;
}

/** One ranker's end-to-end figures on the held-out pages (model/ranking/evaluate.ts). */
export interface RankerSide {
  /** Oracle E[watch minutes] per impression of each page's top 3 by the ranker's score. */
  watchPerImpression: number;
  /** Share of clickbait videos in those top 3, in [0, 1]. */
  clickbaitShare: number;
  /** The paper's weighted per-user loss, in [0, 1] (lower is better). */
  weightedPerUserLoss: number;
  /** Reliability bins: mean predicted e^z against mean oracle E[T] (minutes per impression). */
  calibration: { predicted: number; actual: number }[];
  /**
   * The same bins of e^z against Σ E[T] / Σ (1 − P) over the bin (P the oracle's click
   * probability): the target of the paper's odds, where exact odds target E[T] itself
   * (docs/model.md#what-the-odds-estimate). Absent from runs saved before it existed.
   */
  oddsCalibration?: { predicted: number; actual: number }[];
  /** Oracle E[T] per impression of the oracle's own top 3 (the ceiling), and of a random order. */
  oracleWatchPerImpression: number;
  randomWatchPerImpression: number;
}

/**
 * New metric points since the previous message of the run (a delta). Per-step arrays are
 * aligned: point i is step `steps[i]`.
 */
export interface MetricsMessage {
  type: 'metrics';
  runId: number;
  /** Step numbers of the new training points (ascending). */
  steps: Int32Array;
  /** Candidate model's training loss at each of those steps (nats). */
  loss: Float32Array;
  /** Factorisation baseline's training loss (nats). */
  mfLoss: Float32Array;
  /** Ranking model's training loss (weighted logistic, nats per unit weight). */
  rankingLoss: Float32Array;
  /** Evaluations finished since the last message. */
  evals: EvalPoint[];
  /** Candidate training examples per second over the recent steps (all three models train per step). */
  examplesPerSec: number;
  /** Loop steps per second over the recent steps. */
  stepsPerSec: number;
}

/** Named weights of one model: tables and tower layers, in a fixed order per model. */
export interface ModelWeights {
  name: string;
  data: Float32Array;
}

/**
 * Everything a run needs to continue bit for bit on the same backend (docs/run-files.md): a
 * copy of every model's weights, optimiser moments and counters at a step. Names are
 * '{model}.{name}' with model `candidate`, `mf` (factorisation baseline), `ranker` or `twin`
 * (the contrast ranker), and the names of `src/model/weights.ts` (`ModelState`).
 */
export interface WeightSnapshot {
  runId: number;
  step: number;
  /** The parameters in effect (structural ones as built, live ones as last applied). */
  params: TrainingParams;
  /** Embedding tables and tower layers, row-major float32. */
  weights: ModelWeights[];
  /** Optimiser moments ('{model}.{table}.m', '{model}.layer0.w.v', …), float32. */
  slots: ModelWeights[];
  /**
   * Counters, finite numbers: lazy-Adam steps ('{model}.{table}.t'), the towers' Adam step and
   * running β powers ('{model}.adam.iterations', '.adam.beta1Power', '.adam.beta2Power'), the
   * batch streams' positions ('{model}.rng', in [0, 1)) and steps ('{model}.steps').
   */
  counters: Record<string, number>;
  /** The backend the state was computed on (resume is bit-identical on the same one); null: unknown. */
  backend: BackendName | null;
  /** Fingerprint of the world trained on (`worldFingerprint`); a restore on another world is refused. */
  world: string;
}

/** Why a snapshot was sent: every {@link SNAPSHOT_EVERY} steps, or asked for (a save, an autosave). */
export type SnapshotPurpose = 'periodic' | 'save' | 'autosave';

/**
 * A fresh snapshot: every {@link SNAPSHOT_EVERY} steps, or the answer to a
 * {@link TakeSnapshotRequest}; the page keeps the latest.
 */
export interface SnapshotMessage {
  type: 'snapshot';
  runId: number;
  snapshot: WeightSnapshot;
  purpose: SnapshotPurpose;
}

/**
 * Why a run could not be loaded (a restore request): the snapshot is of another world, its
 * parameters are refused, or its arrays do not fit the models they name. The run on screen
 * is untouched.
 */
export type LoadErrorCode = 'world-mismatch' | 'bad-params' | 'bad-state';

/**
 * The answer to a {@link RestoreRequest}: `ok` once the new run is in place (its status and
 * metrics follow under `runId`), or the reason it was refused, in which case the previous run
 * goes on as it was.
 */
export interface RestoreResultMessage {
  type: 'restoreResult';
  runId: number;
  ok: boolean;
  error?: { code: LoadErrorCode; message: string };
}

/**
 * Training stopped on an error: a failed step, a lost GPU device, a diverging loss, a backend
 * that would not start. `resumable`: a snapshot exists and a restore may continue from it.
 */
export interface TrainingErrorMessage {
  type: 'trainingError';
  runId: number;
  step: number;
  message: string;
  resumable: boolean;
  /**
   * The GPU device was lost: the page resumes from its snapshot by itself, once, and the worker
   * starts a fresh backend for it (docs/architecture.md#faults).
   */
  lostDevice?: true;
}

/** The training run's own messages (the training slice receives them). */
export type TrainingRunToPage =
  | TrainingStatusMessage
  | BackendMessage
  | MetricsMessage
  | SnapshotMessage
  | RestoreResultMessage
  | TrainingErrorMessage;

/** Every training message the worker may send. */
export type TrainingToPage = TrainingRunToPage | EmbeddingToPage;
