/**
 * A worker thread of `generateWorldOnThreads` (scripts/world-threads.ts): simulates the
 * sessions of one range of users over the shared session context it is started with, posts the
 * range's logs (buffers transferred) and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { logBuffers, simulateUserRange } from '../src/sim/sessions';
import type { RangeJob, RangeReply } from './world-threads';

const { ctx, from, to } = (workerData as { job: RangeJob }).job;
const port = parentPort!;
try {
  // Views, not tight copies: the join copies these logs into the first range's buffers and
  // releases them, so a copy here would only raise the peak.
  const logs = simulateUserRange(ctx, from, to, undefined, to, true);
  port.postMessage({ ok: true, logs } satisfies RangeReply, logBuffers(logs));
} catch (e) {
  port.postMessage({
    ok: false,
    error: e instanceof Error ? e.message : String(e),
  } satisfies RangeReply);
}
