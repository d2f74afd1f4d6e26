/**
 * `generateWorld` on Node worker threads (`npm run world`, `npm run bench:world`): the worker
 * threads start first (they bundle and load their code meanwhile), then the catalogue,
 * the users and the session context (the catalogue's indexes, src/sim/session-context.ts) are
 * built once in this thread, the context straight into shared memory (`SharedArrayBuffer`) and
 * the users moved there; then `threads` contiguous user ranges are simulated at once — the first
 * in this thread, each other on a worker thread that reads the shared context without copying
 * it (the session loop reads the catalogue through the context alone, so the workers are not
 * sent the video table), each writing its logs into its window of log columns in shared memory
 * — and the windows are joined in order by moving each down onto the end of the one before
 * (`joinLogs`, no copy between buffers). Each user draws from a random stream of its
 * own, so the world is the one `generateWorld` builds, bit for bit, whatever the number of
 * threads (scripts/world-threads.test.ts; docs/performance.md#world-generation).
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import type { Vocabulary } from '../src/sim/catalogue';
import { validateWorldConfig, type WorldMaxima } from '../src/sim/config';
import {
  cutWindows,
  expectedSessions,
  projectedRoom,
  rangeRoom,
  sharedColumns,
  type LogArrayKey,
  type LogArrays,
} from '../src/sim/log-room';
import { RangeSimulator } from '../src/sim/range-simulator';
import { joinLogs, sessionContext, simulateUserRange } from '../src/sim/sessions';
import { latentByIdInPlace, type SessionContext } from '../src/sim/session-context';
import { shardRange } from '../src/sim/shard';
import type { Logs, World, WorldConfig } from '../src/sim/types';
import { generateWorldBase } from '../src/sim/world';

/** Below this many users a world is built in one thread unless threads are asked for. */
export const MIN_USERS_PER_THREAD = 250;

/**
 * The pilot that sizes the log windows (`generateWorldOnThreads`): this share of the first
 * range's users, at least PILOT_USERS of them, simulated before the workers are sent their
 * ranges (they wait that long: ~0.5% of the work).
 */
const PILOT_SHARE = 0.005;
const PILOT_USERS = 32;

/** What a range's worker thread is sent (`world-thread-worker.ts`). */
export interface RangeJob {
  /** The session context, its arrays in shared memory. */
  ctx: SessionContext;
  /** Users [from, to). */
  from: number;
  to: number;
  /** The range's window of the shared log columns (log-room.ts `sharedColumns`). */
  columns: LogArrays;
}

/**
 * A range worker's answer: the range's logs (ids local to it) or why it failed. The columns
 * still in the range's window come back as views on another `SharedArrayBuffer` object over the
 * same memory (every thread has its own), so they are named, and the main thread takes its own
 * views on the window instead: the join recognises them as lying in its shared columns.
 */
export type RangeReply =
  | {
      ok: true;
      logs: Logs;
      /** The columns of `logs` that lie at the start of the range's window (`RangeJob.columns`). */
      inWindow: LogArrayKey[];
    }
  | { ok: false; error: string };

/**
 * Moves every typed array reachable from `root` through plain objects into shared memory, in
 * place: each distinct `ArrayBuffer` is copied once into a `SharedArrayBuffer` and every view
 * on it replaced by the same view on the copy (so views sharing a buffer still share it).
 * Arrays of strings and other non-plain objects are left as they are. Returns `root`.
 */
export function shareArrays<T extends object>(root: T): T {
  const copies = new Map<ArrayBufferLike, SharedArrayBuffer>();
  const seen = new Set<object>();
  const visit = (o: Record<string, unknown>): void => {
    if (seen.has(o)) return;
    seen.add(o);
    for (const [k, v] of Object.entries(o)) {
      if (ArrayBuffer.isView(v)) {
        if (!(v.buffer instanceof ArrayBuffer)) continue;
        let sab = copies.get(v.buffer);
        if (!sab) {
          sab = new SharedArrayBuffer(v.buffer.byteLength);
          new Uint8Array(sab).set(new Uint8Array(v.buffer));
          copies.set(v.buffer, sab);
        }
        const View = v.constructor as new (b: ArrayBufferLike, at: number, n: number) => typeof v;
        const n =
          v.byteLength / ((v as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1);
        o[k] = new View(sab, v.byteOffset, n);
      } else if (
        v !== null &&
        typeof v === 'object' &&
        Object.getPrototypeOf(v) === Object.prototype
      )
        visit(v as Record<string, unknown>);
    }
  };
  visit(root as Record<string, unknown>);
  return root;
}

/** A range worker thread started before its range is known (`startRangeWorker`). */
interface RangeWorker {
  /** Sends the worker its range; resolves to the range's logs (rejects if the worker fails). */
  run(job: RangeJob): Promise<Logs>;
  /** Ends the worker (a build that failed before its ranges were sent). */
  stop(): void;
}

/**
 * Starts a range worker (world-thread-boot.mjs, which bundles world-thread-worker.ts with esbuild
 * and loads it in its own thread) to be given its range later: started before the catalogue is
 * built, the worker's bundling and start-up (~0.3 s) overlap the main thread's work.
 */
function startRangeWorker(): RangeWorker {
  const w = new Worker(new URL('./world-thread-boot.mjs', import.meta.url));
  let range = 'not yet given';
  let window: LogArrays | undefined;
  const logs = new Promise<Logs>((resolve, reject) => {
    let answered = false;
    w.once('message', (m: RangeReply) => {
      answered = true;
      if (m.ok) {
        // This thread's own views on the window (see RangeReply), the worker's let go of.
        const own = m.logs as unknown as Record<LogArrayKey, ArrayBufferView>;
        for (const k of m.inWindow) own[k] = window![k].subarray(0, m.logs[k].length);
        resolve(m.logs);
      } else reject(new Error(m.error));
      void w.terminate();
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (!answered) reject(new Error(`the world thread for users ${range} exited (${code})`));
    });
  });
  // Keep a failure from being reported as unhandled before `run` hands the promise out.
  logs.catch(() => {});
  return {
    run(job) {
      range = `${job.from}–${job.to - 1}`;
      window = job.columns;
      w.postMessage(job);
      return logs;
    },
    stop() {
      void w.terminate();
    },
  };
}

/**
 * What a range's worker needs of `ctx`: the context itself (its arrays already shared) over a
 * world of the configuration, the users and the number of videos only — the session loop reads
 * the catalogue through the context (records, latent rows by slot), never the video table.
 */
export function workerContext(ctx: SessionContext): SessionContext {
  const { config, topicNames, vocabulary, topicCentres, users, videos } = ctx.world;
  const world = {
    config,
    topicNames,
    vocabulary,
    topicCentres,
    users,
    videos: { count: videos.count } as World['videos'],
  } as World;
  return { ...ctx, world };
}

let gc: (() => void) | undefined;

/**
 * Collects garbage after the join has let go of a large column (≥ 32 MiB): the worker threads'
 * logs, once copied after the first range's, are otherwise kept until the engine next collects,
 * which a join that allocates nothing does not prompt — at 1M videos × 100k users that held
 * ~0.5 GB at the peak. `gc` is V8's, exposed by flag at run time.
 */
function collectLarge(bytes: number): void {
  if (bytes < 32 * 2 ** 20) return;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** The phases `generateWorldOnThreads` reports as it passes them (for memory by phase). */
export type WorldPhase = 'base' | 'context' | 'first range' | 'ranges' | 'joined';

/** How many threads `generateWorldOnThreads` uses for `users` users when none are asked for. */
export function defaultThreads(users: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(users / MIN_USERS_PER_THREAD)));
}

/**
 * The world of `settings` (merged over the defaults and validated; `ConfigError` on a bad value,
 * `maxima` raising the limits) with its sessions simulated on `threads` threads (this one and
 * threads − 1 workers; at most one per user). The same world as `generateWorld(settings)`, bit
 * for bit, for any number of threads; its catalogue and users live in shared memory.
 */
export async function generateWorldOnThreads(
  settings: Partial<WorldConfig> = {},
  opts: { threads?: number; maxima?: WorldMaxima; onPhase?: (phase: WorldPhase) => void } = {},
): Promise<World> {
  const U = validateWorldConfig(settings, opts.maxima).users;
  const k = Math.max(1, Math.min(U, Math.floor(opts.threads ?? defaultThreads(U))));
  // The workers start now and load their code while this thread builds the catalogue.
  const workers = Array.from({ length: k - 1 }, startRangeWorker);
  let ctx: SessionContext;
  let world: World;
  try {
    let vocab: Vocabulary;
    ({ world, vocab } = generateWorldBase(settings, undefined, opts.maxima));
    opts.onPhase?.('base');
    ctx = sessionContext(world, vocab, { shared: k > 1 });
    // The sessions read the context's latent rows (by slot) only: the world's own copy (by id)
    // goes while they run and comes back from the context's, permuted in place, at the end.
    const bytes = world.videos.latent.byteLength;
    world.videos.latent = new Float32Array(0);
    collectLarge(bytes);
    opts.onPhase?.('context');
  } catch (e) {
    for (const w of workers) w.stop();
    throw e;
  }
  if (k === 1) {
    world.logs = simulateUserRange(ctx, 0, U);
    world.videos.latent = latentByIdInPlace(ctx);
    return world;
  }
  const job = shareArrays(workerContext(ctx)); // the users' arrays move to shared memory
  // Every range writes its logs into a window of shared columns reserved for all of them
  // (address space until written); the join then moves each range down onto the end of the
  // one before it instead of copying the workers' logs (log-room.ts). It touches what a window
  // leaves empty, so the windows are cut after a pilot: this thread simulates the first users
  // of its range, and every window but the last gets the room their rates project.
  const ranges = Array.from({ length: k }, (_, i) => shardRange(U, i, k));
  const generous = ranges.map(([a, b]) => rangeRoom(world, a, b));
  const { whole, windows: fallback } = sharedColumns(generous);
  const [from, to] = ranges[0];
  const first = new RangeSimulator(ctx, from, to, whole, true);
  const pilotTo = Math.min(to, from + Math.max(PILOT_USERS, Math.ceil(PILOT_SHARE * (to - from))));
  let windows: LogArrays[];
  try {
    for (let u = from; u < pilotTo; u++) first.user(u);
    const pilot = first.columns.written();
    const pilotExpected = expectedSessions(world, from, pilotTo);
    const projected = ranges
      .slice(0, -1)
      .map(([a, b]) => projectedRoom(world, a, b, pilot, pilotExpected, pilotTo - from));
    windows = cutWindows(whole, projected, generous[k - 1]) ?? fallback;
    first.columns.rewindow(windows[0]);
  } catch (e) {
    for (const w of workers) w.stop();
    throw e;
  }
  const others = workers.map((w, i) => {
    const [a, b] = ranges[i + 1];
    return w.run({ ctx: job, from: a, to: b, columns: windows[i + 1] });
  });
  for (let u = pilotTo; u < to; u++) first.user(u);
  opts.onPhase?.('first range');
  const parts = [first.finish(), ...(await Promise.all(others))];
  opts.onPhase?.('ranges');
  world.logs = joinLogs(parts, { release: true, into: whole, onReleased: collectLarge });
  world.videos.latent = latentByIdInPlace(ctx);
  opts.onPhase?.('joined');
  return world;
}
