/**
 * The module worker: builds the world (and, in later issues, trains on it) off the main
 * thread. Started by the page's worker client as
 * `new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' })`;
 * speaks only the messages of `protocol.ts`.
 */
import type { PageToWorker, WorkerToPage } from './protocol';
import { WorldHost } from './world-host';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const host = new WorldHost((message: WorkerToPage) => scope.postMessage(message));

scope.addEventListener('message', (event: MessageEvent<PageToWorker>) => host.handle(event.data));
