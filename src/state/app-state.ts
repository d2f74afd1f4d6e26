/**
 * The types of the app's store: the state and actions of every slice, the types they share,
 * and their union {@link AppState}. Types only, so that the slices (which each see the whole
 * state through `get()`) and the store (which builds it from them) import this module and
 * never each other: no import circle in `src/state`.
 *
 * It imports only modules that import no slice and no store (the protocol, the settings
 * tables, the URL's helpers, the worker link, the metric history, the simulator's types).
 */
import type { DatasetInfo, HeldOut } from '../sim/import/data-world';
import type { DataFormat } from '../sim/import/formats';
import type { DataFile } from '../sim/import/parse';
import type {
  BackendReport,
  EmbeddingToPage,
  HealthToPage,
  FunnelMessage,
  NegativesSweepMessage,
  NeighboursMessage,
  ProjectionMessage,
  RequestId,
  RestoreResultMessage,
  SnapshotMessage,
  SoftmaxMessage,
  StepTraceMessage,
  StudySampler,
  TrainingParams,
  TrainingRunToPage,
  TrainingState,
  VectorsMessage,
  VideoMetaMessage,
  ViewErrorMessage,
  ViewToPage,
  WeightSnapshot,
  WorkerToPage,
  WorldBuildStage,
  WorldToPage,
} from '../protocol';
import type { ColorBy, Layout, StudySettings } from '../protocol/params';
import type { WorldSizeEstimate } from '../sim/size-estimate';
import type { WorldSummary } from '../sim/summary-types';
import type { WorldConfig } from '../sim/types';
import type { FunnelSettings, ServingKey } from './funnel-settings';
import type { MetricHistory } from './metric-history';
import type { TrainingSettings, View } from './training-settings';
import type { HashProblem } from './url-hash';
import type { RunStore, SavedRunInfo } from './autosave';
import type { Heartbeat } from './worker-channel';
import type { ConnectWorker } from './worker-client';
import type { WorldDraft, WorldSettings } from './world-settings';

// ---- World (world-slice.ts) ----------------------------------------------------------------

/** What the store needs from its surroundings (the browser, or fakes in tests). */
export interface StoreEnv {
  /** Starts the worker (lazily, on the first request, and again after it died). */
  connect: ConnectWorker;
  /** Writes the settings' hash (without '#') into the URL without adding a history entry. */
  writeHash(hash: string): void;
  /** Where runs are autosaved (IndexedDB in the browser); none: no autosave. */
  runStore?: RunStore;
  /** The heartbeat's clock and timers ({} for the browser's; fakes in tests); none: no heartbeat. */
  heartbeat?: Pick<Heartbeat, 'now' | 'setInterval' | 'clearInterval'>;
}

/** Progress of the world being built. */
export interface WorldProgress {
  /** Fraction done, in [0, 1]. */
  fraction: number;
  stage: WorldBuildStage;
}

/** A message to show; `field` names the setting at fault, when there is one. */
export interface Problem {
  field?: string;
  message: string;
  /** It came from reading the URL (the URL messages can be dismissed together). */
  fromUrl?: boolean;
}

/**
 * A world asked for that is large enough to ask first ({@link WorldSlice.sizeCheck}): its
 * settings and the estimate of its size and build time shown with the question.
 */
export interface WorldSizeCheck {
  settings: WorldSettings;
  estimate: WorldSizeEstimate;
  /** The estimate in words ("about 90 million impressions, 3.4 GB of memory while building…"). */
  text: string;
}

/** State and actions of the world. */
export interface WorldSlice {
  /** Settings of the world on screen, or of the one being built once asked for. */
  settings: WorldSettings;
  /** Summary of the world on screen; null until the first one is ready. */
  summary: WorldSummary | null;
  /** Full settings (defaults filled in) of the world on screen. */
  config: WorldConfig | null;
  /** Progress of the build in flight, or null when none is. */
  progress: WorldProgress | null;
  /** Messages to show (bad settings, a failed build); empty when all is well. */
  problems: Problem[];
  /** A quiet note naming the URL's keys that no setting has (ignored); '' when none. */
  urlNote: string;
  /** Request id of the build in flight; replies to any other request are ignored. */
  pendingRequest: RequestId | null;
  /**
   * A large world waiting for the user's yes (`confirmWorld`) or no (`cancelWorld`); nothing
   * is built, and the world on screen stays, until then. Null when none waits.
   */
  sizeCheck: WorldSizeCheck | null;
  /** What happened to a press of Generate that did not simply start a build; '' when none. */
  worldNotice: string;
  /** What was loaded when the world on screen is your own data; null for a generated world. */
  dataset: DatasetInfo | null;

  /**
   * Loads your own files (docs/own-data.md) in the worker and makes them the world: files over
   * the byte limits are refused at once; a bad file or line becomes a problem with field
   * `data` naming the file, line and column, and the world on screen stays.
   */
  loadData(files: readonly DataFile[], format?: DataFormat, heldOut?: HeldOut): void;
  /**
   * Builds the world on screen again in a fresh worker: your data from the same files when it
   * is data, else the generated world of `settings`.
   */
  rebuildWorld(): void;

  /**
   * Builds a world with already-valid settings, and writes them into the URL — unless it is too
   * large for a tab (refused: a problem naming the limit) or large enough to ask first
   * (`sizeCheck`), or the same world is already being built (said in `worldNotice`). The world
   * on screen stays in all three cases. `confirmed`: the user already said yes to its size.
   */
  generate(settings: WorldSettings, confirmed?: boolean): void;
  /** Builds the world waiting in `sizeCheck`. */
  confirmWorld(): void;
  /** Drops the world waiting in `sizeCheck`; the URL goes back to the world on screen. */
  cancelWorld(): void;
  /**
   * Validates the form; on success builds the world, on failure shows the problems and keeps
   * the current world. Returns whether the form was valid.
   */
  submitWorldForm(draft: Partial<WorldDraft>): boolean;
  /**
   * Reads the whole URL hash: the training settings and the view (training slice), then the
   * world settings (bad values reported, defaults used), and builds that world unless it is
   * the one already on screen or being built.
   */
  loadFromHash(hash: string): void;
  /** Handles one world message from the worker. */
  receiveWorld(message: WorldToPage): void;
  /** The worker died: stop waiting for the build in flight and say so. */
  worldFailed(why: string): void;
  /**
   * Stops the world build in flight (the worker is stopped and a fresh one rebuilds the world on
   * screen, which stays on screen throughout). Nothing happens when no build is in flight.
   */
  cancelBuild(): void;
  /** The worker was replaced on purpose: a build in flight is dropped (the caller rebuilds). */
  worldWorkerRestarted(): void;
  /** Writes the app's whole state (every table of knobs, the view) into the URL. */
  writeUrl(): void;
  /** Hides the messages the URL gave rise to (bad values, ignored keys). */
  dismissUrlMessages(): void;
}

// ---- Training (training-slice.ts) ----------------------------------------------------------

/** The run on screen. */
export interface RunState {
  runId: number;
  /** As the worker last said (the page says `preparing` as soon as it asks for a session). */
  state: TrainingState;
  /** Steps taken as of the last status message (the live count is `history.lastStep`). */
  step: number;
  /** What the worker is doing, or why it stopped. */
  detail: string | null;
  backend: BackendReport | null;
  /** The parameters the run's models were built with; null until they exist. */
  built: TrainingParams | null;
  /** Why training stopped, and whether it can resume from the snapshot. */
  error: { message: string; resumable: boolean } | null;
}

/** State and actions of training. */
export interface TrainingSlice {
  view: View;
  /** Training settings set in the URL or by a control (what the URL states). */
  trainingSet: TrainingSettings;
  /** Every hyperparameter in effect: the defaults overlaid with `trainingSet`. */
  trainingParams: TrainingParams;
  /** Bad training values (URL or form), each naming its field and range. */
  trainingProblems: Problem[];
  run: RunState;
  /** The run's latest weight snapshot. */
  snapshot: WeightSnapshot | null;
  /** A note about recovery (a crashed worker replaced), shown until the next reset. */
  notice: string | null;
  /** The run's metrics; mutated in place, announced by `historyVersion`. */
  history: MetricHistory;
  historyVersion: number;

  setView(view: View): void;
  /** Sets one hyperparameter (an already-valid value); live ones reach the running models. */
  setTrainingParam<K extends keyof TrainingParams>(key: K, value: TrainingParams[K]): void;
  /** Validates a control's text; on success sets it, else shows the message. */
  submitTrainingField(key: keyof TrainingParams, text: string): boolean;
  play(): void;
  pause(): void;
  step(count?: number): void;
  /** A new run from the current parameters (rebuilds the models; structural knobs apply). */
  reset(): void;
  /** Resumes from the latest snapshot (after a failed step or a lost device). */
  resume(): void;
  /** Builds the run's models (and shows step 0's figures) if nothing is built yet. */
  prepare(): void;
  /** Takes the training settings and the view read from the URL, and their problems. */
  applyTrainingUrl(settings: TrainingSettings, view: View, problems: HashProblem[]): void;
  /** Handles one training message from the worker. */
  receiveTraining(message: TrainingRunToPage): void;
  /** A new world was asked for: the run on screen ends. */
  worldRequested(): void;
  /** A world is ready. */
  worldBuilt(): void;
  /** The worker died: replace it and resume from the snapshot, or say what was lost. */
  trainingWorkerFailed(why: string): void;
  /**
   * The worker was replaced on purpose (a restart after a stall): rebuild the world in the new
   * one and resume from the snapshot, or start a new run when there is none.
   */
  trainingWorkerRestarted(): void;
  /** A new run id (a reset, a restore, a file loaded): runs are numbered by the page. */
  nextRunId(): number;
}

// ---- Run files (run-file-slice.ts) ---------------------------------------------------------

/** Saving and loading run files, autosave and the runs kept in the browser. */
export interface RunFileSlice {
  /** A run file or autosave being loaded (validated here, waiting for the worker): its name. */
  runLoading: string | null;
  /** Why the last run file or autosave could not be loaded or saved (a named error), or null. */
  runFileError: RunFileProblem | null;
  /** The autosaved run offered after a reload ("continue where you left off"), or null. */
  autosaveOffer: SavedRunInfo | null;
  /** Why the last autosave failed (e.g. a full quota), until the next one succeeds. */
  autosaveError: string | null;
  /** The runs pinned in the browser's storage, oldest first. */
  pinnedRuns: SavedRunInfo[];
  /**
   * A `.recsys-run` file of the run as it is now (a snapshot taken between two steps): its
   * name (seed and step in it) and bytes. Rejects when there is no run to save.
   */
  saveRunFile(): Promise<{ name: string; bytes: Uint8Array }>;
  /**
   * Validates `bytes` as a run file and, if valid, loads it (building its world first when
   * another is on screen). The run on screen stays until the worker has loaded the new one;
   * any problem is set in `runFileError`. Resolves false when the file was refused here.
   */
  loadRunFile(bytes: Uint8Array, name: string): Promise<boolean>;
  /**
   * The run file refused for want of its data (`runFileError.code` 'needs-data'): loads `files`
   * as that data (with its held-out choice) and then the run on it; another data set is refused
   * again, naming the data the run needs.
   */
  loadRunData(files: readonly DataFile[]): void;
  /** Loads the autosaved run offered in `autosaveOffer`. */
  restoreAutosave(): Promise<boolean>;
  /** Hides the autosave offer (the saved run stays until the next autosave). */
  dismissAutosave(): void;
  /** Keeps the run as it is now in the browser's storage (at most MAX_PINNED runs). */
  pinRun(): Promise<boolean>;
  /** Loads a pinned run (as a file). */
  loadPinned(key: string): Promise<boolean>;
  /** Forgets a pinned run. */
  unpinRun(key: string): Promise<void>;
  /** A new run started: a file still being loaded is dropped (training slice). */
  runFileRunStarted(): void;
  /** The worker's answer about a file being loaded; false when it concerns another run. */
  runFileRestoreResult(message: RestoreResultMessage): boolean;
  /** A snapshot arrived: a save waiting for it resolves, or the run is autosaved. */
  runFileSnapshot(message: SnapshotMessage): void;
  /** A reset: the next snapshot is autosaved even at an autosaved step. */
  runFileReset(): void;
  /** A new world was asked for: saves waiting fail; a file waiting for another world is dropped. */
  runFileWorldRequested(): void;
  /** A world is ready: loads the file waiting for it; false when none waits. */
  runFileWorldBuilt(): boolean;
  /** The world build was cancelled: a file waiting for that world is dropped. */
  runFileBuildCancelled(): void;
}

/** A named run-file problem: `code` as `RunFileErrorCode`, or 'save-failed'. */
export interface RunFileProblem {
  code: string;
  message: string;
}

// ---- Views (views-slice.ts) ----------------------------------------------------------------

/** The worker messages the views slice handles. */
export type ViewsMessage = EmbeddingToPage;

/** State and actions of the Embedding view. */
export interface ViewsSlice {
  /** Per-video topic, popularity rank, age, clickbait, titles (of the run's world). */
  videoMeta: VideoMetaMessage | null;
  /** The latest projection of the run's video vectors. */
  projection: ProjectionMessage | null;
  projectionVersion: number;
  colorBy: ColorBy;
  /** The clicked video, and its neighbours once the worker answers. */
  selectedVideo: number | null;
  neighbours: NeighboursMessage | null;
  setColorBy(colorBy: ColorBy): void;
  /** Selects `video` and asks the worker for its nearest neighbours. */
  askNeighbours(video: number): void;
  /** Handles one of the views' worker messages. */
  receiveViews(message: ViewsMessage): void;
}

// ---- Analysis (analysis-slice.ts) ----------------------------------------------------------

/** What the Sampled-softmax view studies (its own choice; training is not changed). */
export interface SoftmaxStudy {
  sampler: StudySampler;
  negatives: number;
  alpha: number;
  logQ: boolean;
}

/** One kind of live analysis the worker answers. */
export type LiveAnalysis = 'softmax' | 'funnel';

/** State and actions of the analysis views. */
export interface AnalysisSlice {
  /** The user the views follow (−1: the first held-out user; the worker names them). */
  focusUser: number;
  /** Serving settings that were set (URL or control), and the settings in effect. */
  funnelSet: Partial<FunnelSettings>;
  /** The study's knobs that were set (URL or control): what the URL states. */
  studySet: Partial<StudySettings>;
  funnel: FunnelSettings;
  softmaxStudy: SoftmaxStudy | null;
  softmax: SoftmaxMessage | null;
  funnelResult: FunnelMessage | null;
  sweep: NegativesSweepMessage | null;
  /** Requests in flight (at most one of each). */
  pending: { softmax: boolean; funnel: boolean };
  /** The last failure of each view, naming what failed. */
  analysisProblems: Partial<Record<'softmax' | 'funnel' | 'sweep' | 'focus' | 'umap', Problem>>;

  /**
   * Takes what the URL says of the views: serving and study knobs, and their problems.
   */
  applyAnalysisUrl(
    serving: Partial<FunnelSettings>,
    study: Partial<StudySettings>,
    problems: { serving: HashProblem[]; study: HashProblem[] },
  ): void;
  /** Sets N (one of FUNNEL_NS); the view reads its figures from the last answer. */
  setFunnelN(n: number): void;
  /**
   * Validates a serving knob's text (k, nprobe); on success asks for a new funnel. N needs no
   * new answer (every N is computed), so it goes through {@link setFunnelN}.
   */
  submitServingField(key: ServingKey, text: string): boolean;
  /** Validates k's text; on success asks for a new funnel. */
  submitFunnelK(text: string): boolean;
  /** Validates a user id's text ('' = automatic); on success follows that user. */
  submitFocusUser(text: string): boolean;
  /**
   * Follows the user a link names. Before the world is known the id is taken as it is (the
   * worker refuses one out of range, and the views go back to the automatic user).
   */
  applyUrlFocus(user: number | undefined): void;
  setSoftmaxStudy(study: Partial<SoftmaxStudy>): void;
  /** Asks for a fresh answer of `kind` now (unless one is in flight). */
  request(kind: LiveAnalysis): void;
  /** Asks for a fresh answer of `kind` when the last one is older than the latest evaluation. */
  refresh(kind: LiveAnalysis): void;
  startSweep(negatives?: number[], steps?: number): void;
  cancelSweep(): void;
  /** Shows `message` as the problem of `key` (null clears it). */
  setAnalysisProblem(key: keyof AnalysisSlice['analysisProblems'], message: string | null): void;
  /** Handles one analysis answer of the worker. */
  receiveAnalysis(message: ViewToPage): void;
  /** A new run started: its answers start afresh (the focus user and settings stay). */
  analysisRunStarted(): void;
  /** A new world was asked for: its users are others, so the focus goes back to automatic. */
  analysisWorldChanged(): void;
}

// ---- UMAP layout (umap-slice.ts) -----------------------------------------------------------

/** The UMAP layout of the Embeddings view. */
export interface UmapState {
  status: 'idle' | 'copying' | 'running' | 'done' | 'failed';
  fraction: number;
  stage: string;
  /** Coordinates [videos × 2] of the step `step`, and where the focus user's u is drawn. */
  coords: Float32Array | null;
  userCoords: [number, number] | null;
  /** The user whose u was copied with the vectors. */
  user: number;
  step: number;
  ms: number;
  sampled: number;
  error: string | null;
}

/** Starts a UMAP layout in its own worker (state/umap-client.ts in the app, a fake in tests). */
export type StartUmap = (
  request: { vectors: Float32Array; rows: number; dim: number; seed: number },
  onProgress: (fraction: number, stage: string) => void,
) => {
  result: Promise<{ coords: Float32Array; ms: number; sampled: number }>;
  cancel(): void;
};

/** State and actions of the UMAP layout. */
export interface UmapSlice {
  umap: UmapState;
  layout: Layout;
  /** Asks the worker for the vectors, then lays them out in the UMAP worker. */
  startUmap(): void;
  cancelUmap(): void;
  setLayout(layout: Layout): void;
  /** The worker's vectors (or its failure to copy them), for a layout or a projector export. */
  receiveUmap(message: VectorsMessage | ViewErrorMessage): void;
  /**
   * A copy of the video vectors for the Embedding Projector export, once the worker sent it
   * (null before and after the page saved it).
   */
  projectorVectors: VectorsMessage | null;
  /** Asks the worker for a copy of the video vectors for the projector export. */
  exportProjector(): void;
  /** The export was saved: drops the copy. */
  projectorSaved(): void;
  /** A new run: its embeddings are others, so any layout in progress or done is dropped. */
  umapRunStarted(): void;
}

// ---- The worker's health (worker-health-slice.ts) -------------------------------------------

/** A fault the worker's message loop caught: the message type it happened on, and the error. */
export interface WorkerFault {
  cause: string;
  message: string;
}

/** Faults and the heartbeat of the training worker (docs/architecture.md#faults). */
export interface WorkerHealthSlice {
  /** The last fault the worker reported (it went on), until dismissed; null when none. */
  workerFault: WorkerFault | null;
  /** The worker has said nothing for `silentMs`: stuck or dead; null while it answers. */
  workerStalled: { silentMs: number } | null;
  /** Handles a heartbeat answer or a fault report. */
  receiveWorker(message: HealthToPage): void;
  dismissWorkerFault(): void;
  /** The heartbeat found the worker silent for `silentMs` (the restart offer shows). */
  workerStalledFor(silentMs: number): void;
  /** The silent worker spoke again (the offer goes). */
  workerAlive(): void;
  /**
   * Stops the worker and starts a fresh one: it rebuilds the world on screen and resumes the
   * run from its last snapshot (a new run when there is none). What is on screen stays.
   */
  restartWorker(): void;
}

// ---- The whole store (store.ts) ------------------------------------------------------------

/** Routing of the worker's messages, and of its failure, to the slices. */
export interface WorkerRouting {
  /** Hands one worker message to the slice it concerns. */
  receive(message: WorkerToPage): void;
}

// ---- Step in slow motion (step-slice.ts) ---------------------------------------------------

/** State and actions of the "Step in slow motion" view (docs/step.md). */
export interface StepSlice {
  /** The last trace the worker sent (of any run: the view shows it only for the current run). */
  stepTrace: StepTraceMessage | null;
  /** A trace request is in flight. */
  stepTracePending: boolean;
  /** Why the last trace failed (the worker's message), or null. */
  stepTraceProblem: string | null;
  /** The phase shown, 0 … STEP_PHASES.length − 1. */
  stepPhase: number;
  /** Asks the worker for a trace of the next step of the current run (B, K as given). */
  requestStepTrace(batch?: number, negatives?: number): void;
  /** Moves to phase `phase` (clamped to the phases). */
  setStepPhase(phase: number): void;
  /** Handles the worker's trace, or its error about a trace. */
  receiveStepTrace(message: StepTraceMessage | ViewErrorMessage): void;
}

/** The whole state of the app: the union of its slices. */
export type AppState = WorldSlice &
  TrainingSlice &
  RunFileSlice &
  WorkerHealthSlice &
  ViewsSlice &
  AnalysisSlice &
  UmapSlice &
  StepSlice &
  WorkerRouting;
