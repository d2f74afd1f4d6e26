/**
 * The lesson module worker: runs one job of a lesson's experiment (src/worker/experiment/
 * runner.ts) off the main thread and reports progress per run. Started by
 * `state/lessons-client.ts` as
 * `new Worker(new URL('../worker/lesson-worker.ts', import.meta.url), { type: 'module' })`, one
 * worker per job; speaks only the messages of `protocol/experiment.ts`. The backend is chosen
 * as for training (WebGPU on a real GPU, else WASM), once per worker.
 */
import { lessonById } from '../protocol/lessons/lessons';
import type { LessonWorkerToPage, PageToLessonWorker } from '../protocol/experiment';
import { chooseBrowserBackend } from './backend-choice';
import { runExperiment } from './experiment/runner';
import { runMessageLoop } from './message-loop';
import { yieldToEvents } from './yield';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: LessonWorkerToPage) => scope.postMessage(message);

/** The running job's cancel. */
const jobs = new Map<number, AbortController>();

/** How long between two progress reports of the same run without an evaluation (ms). */
const PROGRESS_EVERY_MS = 250;

async function run(request: Extract<PageToLessonWorker, { type: 'runLesson' }>): Promise<void> {
  const { jobId } = request;
  const abort = new AbortController();
  jobs.set(jobId, abort);
  try {
    const spec = lessonById(request.lesson);
    if (!spec) throw new Error(`no lesson "${request.lesson}"`);
    const backend = await chooseBrowserBackend('auto', () =>
      abort.abort('the GPU device was lost'),
    );
    post({ type: 'lessonBackend', jobId, backend });
    let lastAt = -Infinity;
    const result = await runExperiment(spec, {
      seed: request.seed,
      variants: request.variants,
      steps: request.steps,
      repeats: request.repeats,
      signal: abort.signal,
      between: yieldToEvents,
      onProgress(p) {
        const now = performance.now();
        if (!p.point && !p.finished && now - lastAt < PROGRESS_EVERY_MS) return;
        lastAt = now;
        post({
          type: 'lessonProgress',
          jobId,
          variant: p.variant,
          repeat: p.repeat,
          step: p.step,
          steps: p.steps,
          runsDone: p.runsDone,
          runs: p.runs,
          ...(p.point ? { point: p.point } : {}),
          ...(p.finished ? { finished: p.finished } : {}),
        });
      },
    });
    post({ type: 'lessonDone', jobId, result });
  } catch (e) {
    const cancelled = abort.signal.aborted;
    const message = cancelled ? 'cancelled' : e instanceof Error ? e.message : String(e);
    post({ type: 'lessonFailed', jobId, message, cancelled });
  } finally {
    jobs.delete(jobId);
  }
}

// Whatever escapes is answered as the failure of the job it happened on (message-loop.ts).
runMessageLoop<PageToLessonWorker>(
  scope,
  (m) => {
    if (m.type === 'runLesson') return run(m);
    if (m.type === 'cancelLesson') jobs.get(m.jobId)?.abort('cancelled');
  },
  (cause, message, m) =>
    post({
      type: 'lessonFailed',
      jobId: m?.jobId ?? -1,
      message: `${cause}: ${message}`,
      cancelled: false,
    }),
);
