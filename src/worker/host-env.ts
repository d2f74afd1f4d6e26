/**
 * What the worker's hosts need from their surroundings (the worker's globals in the page, fakes
 * in Node tests): how to post a message, start a backend, yield to the event loop, read the
 * clock and set a timer. Types only, so the hosts import it and not each other.
 */
import type { BackendReport, BackendRequest, WorkerToPage } from '../protocol';

/** Sends one message to the page, moving `transfer`'s buffers. */
export type Post = (message: WorkerToPage, transfer?: Transferable[]) => void;

/**
 * Starts a tfjs backend for `request` and says which one runs and why faster ones were passed
 * over. `onLost` is called if the device is later lost (WebGPU).
 */
export type ChooseBackend = (
  request: BackendRequest,
  onLost: (why: string) => void,
) => Promise<BackendReport>;

/** What the host needs from its surroundings. */
export interface TrainingHostEnv {
  post: Post;
  chooseBackend: ChooseBackend;
  /** Lets queued messages in (a macrotask turn); a resolved promise would not. */
  yieldToEvents: () => Promise<void>;
  /** Milliseconds (performance.now, or a fake clock). */
  now: () => number;
  /**
   * Calls `run` once after `ms` milliseconds (setTimeout, or fake timers that a test advances)
   * and returns a function that cancels the call if it has not run yet.
   */
  schedule: (run: () => void, ms: number) => () => void;
}
