/**
 * A worker thread of `generateWorldOnThreads` (scripts/world-threads.ts), loaded by
 * world-thread-boot.mjs: waits for its range (a {@link RangeJob} message: users [from, to) over
 * the shared session context and its window of the shared log columns), simulates the range's
 * sessions into that window, posts the range's logs (views on it; the buffers of columns that
 * outgrew it transferred) and ends.
 */
import { parentPort } from 'node:worker_threads';
import { logBuffers, simulateUserRange } from '../src/sim/sessions';
import type { RangeJob, RangeReply } from './world-threads';

const port = parentPort!;
port.once('message', ({ ctx, from, to, columns }: RangeJob) => {
  try {
    // Written into the range's window of the shared log columns and handed back as views on
    // it; only a column that outgrew its window lies in a buffer of its own (transferred).
    const logs = simulateUserRange(ctx, from, to, undefined, { columns });
    // A SharedArrayBuffer arrives in the other thread as another object over the same memory,
    // so the columns still in the window are named, for the main thread to view on its own.
    const inWindow = (Object.keys(columns) as (keyof typeof columns)[]).filter(
      (k) => logs[k].buffer === columns[k].buffer && logs[k].byteOffset === columns[k].byteOffset,
    );
    port.postMessage({ ok: true, logs, inWindow } satisfies RangeReply, logBuffers(logs));
  } catch (e) {
    port.postMessage({
      ok: false,
      error: e instanceof Error ? e.message : String(e),
    } satisfies RangeReply);
  }
});
