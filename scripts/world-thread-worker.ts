/**
 * A worker thread of `generateWorldOnThreads` (scripts/world-threads.ts), loaded by
 * world-thread-boot.mjs: waits for its range (a {@link RangeJob} message: users [from, to) over
 * the shared session context), simulates the range's sessions, posts the range's logs (buffers
 * transferred) and ends.
 */
import { parentPort } from 'node:worker_threads';
import { logBuffers, simulateUserRange } from '../src/sim/sessions';
import type { RangeJob, RangeReply } from './world-threads';

const port = parentPort!;
port.once('message', ({ ctx, from, to }: RangeJob) => {
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
});
