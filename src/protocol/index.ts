/**
 * The one protocol between the page and the worker: both sides import these types, so a
 * message that one side sends and the other does not understand is a compile error.
 *
 * Every message is a plain, structured-cloneable object with a string `type` (a
 * discriminated union, as comlink does it). Requests carry a `requestId` chosen by the page;
 * every reply to a request repeats it, so the page can drop replies to requests it has since
 * superseded. Training messages carry a `runId` instead: the page numbers each training run
 * (a reset, a new world) and drops whatever the worker says about an older run.
 *
 * The route tables below name, for every message type, the part of the worker that handles a
 * request ({@link REQUEST_ROUTES}) and the slice of the page that receives a reply
 * ({@link REPLY_ROUTES}). They are typed `Record<type, …>`, so adding a message is one member
 * of a union in `world.ts` / `training.ts` / `views.ts`, one row in each table it concerns,
 * and its handler; a row missing from a table fails to compile.
 *
 * Big numeric payloads (metric deltas, weight snapshots) are typed arrays sent as transferables
 * (`transfer.ts`); metrics go out as deltas (only the points since the last message), at most
 * one message per {@link METRICS_INTERVAL_MS}, never the whole history.
 *
 * Nothing here runs tfjs: types, constants and tables only, so the page may import it without
 * pulling worker code onto the main thread.
 */
import type { HealthRequest, HealthToPage } from './faults';
import type { TrainingRequest, TrainingToPage } from './training';
import type { ViewRequest, ViewToPage } from './views';
import type { GenerateWorldRequest, LoadDataRequest, WorldToPage } from './world';

export type * from './faults';
export type * from './training';
export type * from './views';
export type * from './world';
export {
  BIAS_SWEEP_NEGATIVES,
  FUNNEL_NS,
  FUNNEL_QUERIES,
  SOFTMAX_SCATTER_ITEMS,
  STEP_TRACE_BATCH,
  STEP_TRACE_MAX,
  STEP_TRACE_NEGATIVES,
  TRAINING_SWEEP_NEGATIVES,
} from './views';
export {
  BACKEND_NAMES,
  BACKEND_REQUESTS,
  EVAL_EVERY,
  EVAL_EXAMPLES,
  METRICS_INTERVAL_MS,
  NEIGHBOURS,
  PROJECTION_EVERY,
  RANKING_EVAL_PAGES,
  RECALL_KS,
  SNAPSHOT_EVERY,
} from './training';
export { PROGRESS_INTERVAL_MS, WORLD_PROGRESS_SHARE } from './world';
export { HEARTBEAT_TIMEOUT_MS, LONG_WORK_TIMEOUT_MS, PING_EVERY_MS } from './faults';
export { transferablesOf } from './transfer';

/** Every message the page may send to the worker. */
export type PageToWorker =
  GenerateWorldRequest | LoadDataRequest | TrainingRequest | ViewRequest | HealthRequest;

/** Every message the worker may send to the page. */
export type WorkerToPage = WorldToPage | TrainingToPage | ViewToPage | HealthToPage;

/** The part of the worker that handles a request. */
export type RequestRoute = 'world' | 'training' | 'views' | 'worker';

/**
 * Who handles each request in the worker: `world` (the world host builds it), `training` (the
 * training loop, between two steps), `views` (the analysis views, between two steps) or `worker`
 * (answered at once by the message loop: the heartbeat's ping).
 */
export const REQUEST_ROUTES: Readonly<Record<PageToWorker['type'], RequestRoute>> = {
  generateWorld: 'world',
  loadData: 'world',
  ping: 'worker',
  play: 'training',
  pause: 'training',
  step: 'training',
  reset: 'training',
  setParams: 'training',
  restore: 'training',
  takeSnapshot: 'training',
  neighbours: 'training',
  focus: 'views',
  softmax: 'views',
  negativesSweep: 'views',
  cancelSweep: 'views',
  funnel: 'views',
  vectors: 'views',
  stepTrace: 'views',
};

/** The slice of the page's store that receives a reply. */
export type ReplyRoute = 'world' | 'training' | 'views' | 'analysis' | 'worker';

/**
 * Who receives each worker message in the page: the world slice, the training slice, the
 * Embedding view's slice (`views`), the analysis views' slice or the worker's health (`worker`:
 * heartbeat answers and faults, `faults.ts`).
 */
export const REPLY_ROUTES: Readonly<Record<WorkerToPage['type'], ReplyRoute>> = {
  worldProgress: 'world',
  worldReady: 'world',
  error: 'world',
  trainingStatus: 'training',
  backend: 'training',
  metrics: 'training',
  snapshot: 'training',
  restoreResult: 'training',
  trainingError: 'training',
  videoMeta: 'views',
  projection: 'views',
  neighbours: 'views',
  softmax: 'analysis',
  funnel: 'analysis',
  negativesSweep: 'analysis',
  vectors: 'analysis',
  stepTrace: 'analysis',
  viewError: 'analysis',
  pong: 'worker',
  workerFault: 'worker',
};
