/**
 * Worker faults and the heartbeat (docs/architecture.md#faults). Types and constants only.
 *
 * A worker's message loop (`src/worker/message-loop.ts`) turns every error that would
 * otherwise end its handling of a message — a throw, a rejected promise, an `error` or
 * `unhandledrejection` event — into one {@link WorkerFaultMessage}, so the page can say what
 * failed while everything on screen stays. The page pings the training worker every
 * {@link PING_EVERY_MS}; the worker answers between two steps. Any message from the worker
 * counts as a sign of life; none for {@link HEARTBEAT_TIMEOUT_MS} (or, while it builds a
 * world, prepares a run or takes the first step after Play — long synchronous work — for
 * {@link LONG_WORK_TIMEOUT_MS}) means
 * it is stuck or dead, and the page offers to restart it from the last snapshot.
 */

/** Milliseconds between two pings of the page. */
export const PING_EVERY_MS = 2000;

/**
 * Milliseconds without a word from the worker, while it trains or waits, after which the page
 * calls it stuck. Generous: a step or an evaluation on a loaded machine takes well under this.
 */
export const HEARTBEAT_TIMEOUT_MS = 10_000;

/**
 * The same while the worker builds a world, prepares a run (examples, models) or takes the
 * first step after Play (a GPU backend compiles its kernels): synchronous work that answers no
 * ping, only progress and status messages.
 */
export const LONG_WORK_TIMEOUT_MS = 120_000;

/** The page asks the worker for a sign of life; answered by a {@link PongMessage}. */
export interface PingRequest {
  type: 'ping';
  /** Counts up from 1 per worker. */
  seq: number;
}

/** The worker's answer to a {@link PingRequest}, with the same `seq`. */
export interface PongMessage {
  type: 'pong';
  seq: number;
}

/**
 * An error the worker's message loop caught: while handling a message of type `cause`
 * (`'unknown'` when it cannot tell, e.g. an error event between two messages), with the
 * error's text. The worker goes on; the page shows it and keeps what is on screen.
 */
export interface WorkerFaultMessage {
  type: 'workerFault';
  /** The type of the message being handled when it failed, or 'unknown'. */
  cause: string;
  /** The error's message (its name when it has none). */
  message: string;
}

/** Page → worker messages of the heartbeat. */
export type HealthRequest = PingRequest;

/** Worker → page messages of faults and the heartbeat. */
export type HealthToPage = PongMessage | WorkerFaultMessage;
