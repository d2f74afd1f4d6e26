/**
 * The loop worker: runs the closed loop or the simulated A/B test of the Feedback loop tab
 * (src/worker/loop/runner.ts) off the main thread, reporting progress and each policy's rounds
 * as they are measured. Started by `state/loop-store.ts` as
 * `new Worker(new URL('../worker/loop-worker.ts', import.meta.url), { type: 'module' })`;
 * speaks only the messages of `protocol/loop/messages.ts`. The backend is chosen as for
 * training (WebGPU on a real GPU, else WASM), once per worker.
 */
import type { LoopWorkerToPage, PageToLoopWorker } from '../protocol/loop/messages';
import { chooseBrowserBackend } from './backend-choice';
import { runAb } from './loop/ab';
import { runLoop, type LoopRunOptions } from './loop/runner';
import { runMessageLoop } from './message-loop';
import { yieldToEvents } from './yield';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: LoopWorkerToPage) => scope.postMessage(message);

/** The running jobs' cancels. */
const jobs = new Map<number, AbortController>();

/** How long between two progress reports without a round (ms). */
const PROGRESS_EVERY_MS = 250;

async function run(request: Exclude<PageToLoopWorker, { type: 'cancelLoop' }>): Promise<void> {
  const { jobId } = request;
  const abort = new AbortController();
  jobs.set(jobId, abort);
  try {
    const backend = await chooseBrowserBackend('auto', () =>
      abort.abort('the GPU device was lost'),
    );
    post({ type: 'loopBackend', jobId, backend });
    let lastAt = -Infinity;
    const opts: LoopRunOptions = {
      signal: abort.signal,
      between: yieldToEvents,
      onProgress(progress) {
        const now = performance.now();
        if (now - lastAt < PROGRESS_EVERY_MS && progress.fraction < 1) return;
        lastAt = now;
        post({ type: 'loopProgress', jobId, progress });
      },
      onRound: (policy, metrics) => post({ type: 'loopRound', jobId, policy, metrics }),
    };
    if (request.type === 'runLoop')
      post({ type: 'loopDone', jobId, result: await runLoop(request.settings, opts) });
    else post({ type: 'abDone', jobId, result: await runAb(request.settings, opts) });
  } catch (e) {
    const cancelled = abort.signal.aborted;
    const message = cancelled ? 'cancelled' : e instanceof Error ? e.message : String(e);
    post({ type: 'loopFailed', jobId, message, cancelled });
  } finally {
    jobs.delete(jobId);
  }
}

// Whatever escapes is answered as the failure of the job it happened on (message-loop.ts).
runMessageLoop<PageToLoopWorker>(
  scope,
  (m) => {
    if (m.type === 'cancelLoop') jobs.get(m.jobId)?.abort('cancelled');
    else return run(m);
  },
  (cause, message, m) =>
    post({
      type: 'loopFailed',
      jobId: m?.jobId ?? -1,
      message: `${cause}: ${message}`,
      cancelled: false,
    }),
);
