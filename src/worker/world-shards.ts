/**
 * The page's world in shards of users (docs/scale-out.md#in-the-page): the world worker builds
 * the catalogue and the users, then hands contiguous user ranges to helper Web Workers
 * (`world-shard-worker.ts`), each of which simulates its range's sessions from the users' own
 * random streams and sends the logs back; the ranges are joined in order. The logs are the
 * same bit for bit whatever the number of helpers (src/sim/shard.ts, world-hash test).
 */
import type { Vocabulary } from '../sim/catalogue';
import type { Logs, World } from '../sim/types';

export { logBuffers } from '../sim/log-columns';

/** Simulates user ranges of a world on other threads. */
export interface ShardRunner {
  /** Helper threads: ranges run at once. */
  readonly threads: number;
  /**
   * The logs of users [from, to) of `base` (a world whose logs are unset; `vocab` its
   * vocabulary), ids local to the range as `simulateUserRange` gives them. `onProgress` gets
   * the fraction of the range done, from 0 to 1.
   */
  run(
    base: World,
    vocab: Vocabulary,
    from: number,
    to: number,
    onProgress: (fraction: number) => void,
  ): Promise<Logs>;
  /**
   * Starts the helper threads now if they are not running (optional; `run` starts them
   * otherwise), so that their start-up overlaps the catalogue being built.
   */
  prepare?(): void;
  /** Stops the helper threads (a later `run` starts them again). */
  close(): void;
}

/** A request to a helper: simulate users [from, to) of `world`. */
export interface ShardRequest {
  id: number;
  world: World;
  vocab: Vocabulary;
  from: number;
  to: number;
}

/** A helper's answers: progress, the logs (their buffers transferred) or a failure. */
export type ShardReply =
  | { id: number; type: 'progress'; fraction: number }
  | { id: number; type: 'logs'; logs: Logs }
  | { id: number; type: 'error'; message: string };

/** Ranges of users the helpers take: `threads` contiguous ranges of about equal size. */
export function userRanges(users: number, threads: number): [number, number][] {
  const k = Math.max(1, Math.min(users, Math.floor(threads)));
  return Array.from({ length: k }, (_, i) => [
    Math.floor((i * users) / k),
    Math.floor(((i + 1) * users) / k),
  ]);
}

/** The smallest world (users) worth splitting: below it a helper costs more than it saves. */
export const MIN_USERS_TO_SHARD = 500;

/**
 * Helper Web Workers for a world worker in the browser, started on first use and kept for
 * the next world; `null` where the scope has no `Worker` (Node, the unit tests).
 */
export function webWorkerShards(threads = 2): ShardRunner | null {
  if (typeof Worker !== 'function') return null;
  let workers: Worker[] = [];
  let nextId = 0;
  const waiting = new Map<
    number,
    { resolve: (l: Logs) => void; reject: (e: Error) => void; progress: (f: number) => void }
  >();
  const start = (): Worker[] => {
    if (workers.length) return workers;
    workers = Array.from({ length: threads }, () => {
      const w = new Worker(new URL('./world-shard-worker.ts', import.meta.url), {
        type: 'module',
      });
      w.onmessage = (e: MessageEvent<ShardReply>) => {
        const m = e.data;
        const job = waiting.get(m.id);
        if (!job) return;
        if (m.type === 'progress') job.progress(m.fraction);
        else {
          waiting.delete(m.id);
          if (m.type === 'logs') job.resolve(m.logs);
          else job.reject(new Error(m.message));
        }
      };
      w.onerror = (e) => {
        e.preventDefault();
        const why = new Error(`a world shard worker failed: ${e.message || 'unknown error'}`);
        for (const job of waiting.values()) job.reject(why);
        waiting.clear();
      };
      return w;
    });
    return workers;
  };
  return {
    threads,
    prepare() {
      start();
    },
    run(base, vocab, from, to, onProgress) {
      const pool = start();
      const id = nextId++;
      return new Promise<Logs>((resolve, reject) => {
        waiting.set(id, { resolve, reject, progress: onProgress });
        const world: World = { ...base, logs: undefined as unknown as Logs };
        const request: ShardRequest = { id, world, vocab, from, to };
        pool[id % pool.length].postMessage(request);
      });
    },
    close() {
      for (const w of workers) w.terminate();
      workers = [];
      for (const job of waiting.values()) job.reject(new Error('the world shard workers stopped'));
      waiting.clear();
    },
  };
}
