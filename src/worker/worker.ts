/**
 * The module worker: builds the world and trains on it off the main thread. Started by the
 * page's worker client as
 * `new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' })`;
 * speaks only the messages of `protocol.ts`. Its message loop (`message-loop.ts`) reports every
 * error as a fault and answers the page's heartbeat pings at once (`WorldHost.handle`).
 */
import { chooseBrowserBackend } from './backend-choice';
import type { PageToWorker, WorkerToPage } from '../protocol';
import { runMessageLoop } from './message-loop';
import { TrainingHost } from './training-host';
import { WorldHost } from './world-host';
import { yieldToEvents } from './yield';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const post = (message: WorkerToPage, transfer: Transferable[] = []) =>
  scope.postMessage(message, transfer);
const now = () => performance.now();

const training = new TrainingHost({
  post,
  chooseBackend: chooseBrowserBackend,
  yieldToEvents,
  now,
  schedule: (run, ms) => {
    const id = setTimeout(run, ms);
    return () => clearTimeout(id);
  },
});
const host = new WorldHost(post, now, training);

// Every error becomes a `workerFault` naming the message it happened on; the worker goes on.
runMessageLoop<PageToWorker>(
  scope,
  (message) => host.handle(message),
  (cause, message) => post({ type: 'workerFault', cause, message }),
);
