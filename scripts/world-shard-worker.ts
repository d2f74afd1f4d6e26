/**
 * A worker thread of `npm run world -- --out DIR --shards N` (scripts/world-shards.ts): builds
 * the catalogue and users once, then simulates and writes the shards the main thread hands it,
 * one at a time, and answers each with its row counts and time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runShard, type ShardJob, type WorkerInit } from './world-shards';

const init = workerData as WorkerInit;
const port = parentPort!;
const run = runShard(init);
port.on('message', (job: ShardJob | null) => {
  if (job === null) {
    port.close();
    return;
  }
  try {
    port.postMessage({ ok: true, result: run(job.shard) });
  } catch (e) {
    port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
port.postMessage({ ready: true });
