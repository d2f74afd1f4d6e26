/**
 * The messages between the page and the loop worker (src/worker/loop-worker.ts), which runs the
 * closed loop or the A/B test of the Feedback loop tab (docs/loop.md#in-the-page). One job at a
 * time per worker; a job is cancelled by its id. Pure types.
 */
import type { BackendReport } from '../training';
import type { AbResult, LoopProgress, LoopResult, RoundMetrics } from './result';
import type { AbSettings } from './ab-types';
import type { LoopSettings, PolicyId } from './settings';

/** Page → worker. */
export type PageToLoopWorker =
  | { type: 'runLoop'; jobId: number; settings: LoopSettings }
  | { type: 'runAb'; jobId: number; settings: AbSettings }
  | { type: 'cancelLoop'; jobId: number };

/** Worker → page. */
export type LoopWorkerToPage =
  | { type: 'loopBackend'; jobId: number; backend: BackendReport }
  | { type: 'loopProgress'; jobId: number; progress: LoopProgress }
  | { type: 'loopRound'; jobId: number; policy: PolicyId; metrics: RoundMetrics }
  | { type: 'loopDone'; jobId: number; result: LoopResult }
  | { type: 'abDone'; jobId: number; result: AbResult }
  | { type: 'loopFailed'; jobId: number; message: string; cancelled: boolean };
