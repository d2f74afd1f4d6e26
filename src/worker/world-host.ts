/**
 * The worker's state and message handling, kept free of worker globals so that Node tests
 * can drive it directly: `worker.ts` only wires it to `self`.
 *
 * It holds the current {@link World} in memory and answers {@link PageToWorker} messages with
 * `WorkerToPage` ones through `post`; training messages go to its {@link TrainingHost},
 * which learns of every new world.
 */
import { ConfigError } from '../sim/config';
import { joinLogs, simulateLogs } from '../sim/sessions';
import { summarizeWorld } from '../sim/summary';
import type { World } from '../sim/types';
import { generateWorldBase } from '../sim/world';
import { worldFromInteractions, type DatasetInfo } from '../sim/import/data-world';
import { DataError } from '../sim/import/formats';
import { parseDataFiles } from '../sim/import/parse';
import {
  PROGRESS_INTERVAL_MS,
  REQUEST_ROUTES,
  WORLD_PROGRESS_SHARE,
  type GenerateWorldRequest,
  type LoadDataRequest,
  type PageToWorker,
  type PingRequest,
  type WorldBuildStage,
} from '../protocol';
import { throttle } from './throttle';
import type { Post } from './host-env';
import type { TrainingHost } from './training-host';
import { MIN_USERS_TO_SHARD, userRanges, webWorkerShards, type ShardRunner } from './world-shards';

export type { Post };

/** The worker's state: the current world, and the handler of page messages. */
export class WorldHost {
  /** The world of the last successful `generateWorld`, or null before the first one. */
  world: World | null = null;
  /** The request id of the build in flight on the shard helpers (a later request wins). */
  private building = -1;

  /**
   * @param post sends a message to the page
   * @param now clock in milliseconds for throttling progress (a fake one in tests)
   * @param training the training loop, told of every new world (absent: training messages
   *   are answered with an error)
   * @param shards helper threads that simulate ranges of users (in the browser: two Web
   *   Workers; null where there are none, as in Node: the world is built in this thread)
   */
  constructor(
    private readonly post: Post,
    private readonly now: () => number = () => performance.now(),
    private readonly training: TrainingHost | null = null,
    private readonly shards: ShardRunner | null = webWorkerShards(),
  ) {}

  /** Handles one message from the page. Never throws: failures become `error` messages. */
  handle(message: PageToWorker): void {
    const route = Object.hasOwn(REQUEST_ROUTES, message.type)
      ? REQUEST_ROUTES[message.type]
      : undefined;
    if (route === 'world' && message.type === 'loadData') void this.loadData(message);
    else if (route === 'world') this.generate(message as GenerateWorldRequest);
    // The heartbeat: answered now, not queued behind the training loop's requests.
    else if (route === 'worker' && message.type === 'ping')
      this.post({ type: 'pong', seq: message.seq });
    else if (route === 'training' || route === 'views') {
      const m = message as Exclude<
        PageToWorker,
        GenerateWorldRequest | LoadDataRequest | PingRequest
      >;
      if (this.training) this.training.handle(m);
      else this.post({ type: 'error', message: 'this worker does not train' });
    } else {
      this.post({
        type: 'error',
        message: `the worker does not understand the message type ${JSON.stringify((message as { type?: unknown }).type)}`,
      });
    }
  }

  /**
   * Makes `requestId` the build in progress (a later one supersedes it) and gives its progress
   * poster: (fraction of the whole build in [0, 1], stage), throttled to one post per
   * PROGRESS_INTERVAL_MS.
   */
  private begin(requestId: number) {
    this.building = requestId;
    return throttle(
      (fraction: number, stage: WorldBuildStage) =>
        this.post({ type: 'worldProgress', requestId, fraction, stage }),
      PROGRESS_INTERVAL_MS,
      this.now,
    );
  }

  /**
   * Builds the world, posting throttled progress as it goes, then the summary. With shard
   * helpers and at least MIN_USERS_TO_SHARD users, the catalogue and users are built here and
   * the sessions of each range of users on a helper (docs/scale-out.md#in-the-page: the same
   * world as one thread builds); otherwise all of it here, synchronously (a worker's
   * postMessage reaches the page while the worker is still busy). On failure the previous world
   * stays current; a later request supersedes one still on the helpers.
   */
  private generate({ requestId, settings }: GenerateWorldRequest): void {
    const progress = this.begin(requestId);
    try {
      const t0 = this.now();
      // The helpers load their code while this worker builds the catalogue and users.
      this.shards?.prepare?.();
      const base = generateWorldBase(settings, (f, stage) =>
        progress(f * WORLD_PROGRESS_SHARE, stage),
      );
      const users = base.world.users.count;
      if (!this.shards || users < MIN_USERS_TO_SHARD) {
        const world = base.world;
        world.logs = simulateLogs(world, base.vocab, (f) =>
          progress((0.15 + 0.85 * f) * WORLD_PROGRESS_SHARE, 'sessions'),
        );
        return this.ready(requestId, world, this.now() - t0, progress);
      }
      const ranges = userRanges(users, this.shards.threads);
      const done = new Float64Array(ranges.length);
      const parts = ranges.map(([from, to], i) =>
        this.shards!.run(base.world, base.vocab, from, to, (f) => {
          done[i] = f * (to - from);
          const fraction = 0.15 + (0.85 * done.reduce((a, b) => a + b, 0)) / users;
          progress(fraction * WORLD_PROGRESS_SHARE, 'sessions');
        }),
      );
      Promise.all(parts).then(
        (logs) => {
          if (this.building !== requestId) return;
          const world = base.world;
          world.logs = logs.length === 1 ? logs[0] : joinLogs(logs, { release: true });
          this.ready(requestId, world, this.now() - t0, progress);
        },
        (e: unknown) => {
          if (this.building === requestId) this.fail(requestId, e);
        },
      );
    } catch (e) {
      this.fail(requestId, e);
    }
  }

  /**
   * Loads your own interactions (docs/own-data.md): the byte limits are checked before a byte
   * is read, the files parsed here in chunks (papaparse), then the data's world built and made
   * current like a generated one. A bad file is an error with field `data` naming the file,
   * line and column; the world on screen stays. A later request supersedes this one.
   */
  private async loadData({ requestId, files, format, heldOut }: LoadDataRequest): Promise<void> {
    const progress = this.begin(requestId);
    try {
      const t0 = this.now();
      const interactions = await parseDataFiles(files, format, (read, total) =>
        progress((0.9 * read * WORLD_PROGRESS_SHARE) / Math.max(1, total), 'catalogue'),
      );
      if (this.building !== requestId) return;
      const { world, info } = worldFromInteractions(interactions, heldOut);
      this.ready(requestId, world, this.now() - t0, progress, info);
    } catch (e) {
      if (this.building !== requestId) return;
      const message = e instanceof Error ? e.message : String(e);
      const known = e instanceof DataError;
      this.post({
        type: 'error',
        requestId,
        field: 'data',
        message: known ? message : `loading the data failed: ${message}`,
      });
    }
  }

  /** The world is built: summarise it, make it current, tell the training loop and the page. */
  private ready(
    requestId: number,
    world: World,
    genMs: number,
    progress: (fraction: number, stage: WorldBuildStage) => void,
    dataset?: DatasetInfo,
  ): void {
    try {
      progress(WORLD_PROGRESS_SHARE, 'summary');
      const summary = summarizeWorld(world, genMs);
      this.world = world;
      this.training?.setWorld(world);
      this.post({
        type: 'worldReady',
        requestId,
        summary,
        config: world.config,
        ...(dataset ? { dataset } : {}),
      });
    } catch (e) {
      this.fail(requestId, e);
    }
  }

  /** A build failed: a bad setting names its field, anything else says what failed. */
  private fail(requestId: number, e: unknown): void {
    if (e instanceof ConfigError) {
      this.post({ type: 'error', requestId, field: e.field, message: e.message });
    } else {
      const why = e instanceof Error ? e.message : String(e);
      this.post({ type: 'error', requestId, message: `building the world failed: ${why}` });
    }
  }
}
