/**
 * The worker's state and message handling, kept free of worker globals so that Node tests
 * can drive it directly: `worker.ts` only wires it to `self`.
 *
 * It holds the current {@link World} in memory and answers {@link PageToWorker} messages with
 * `WorkerToPage` ones through `post`; training messages go to its {@link TrainingHost},
 * which learns of every new world.
 */
import { ConfigError } from '../sim/config';
import { summarizeWorld } from '../sim/summary';
import type { World } from '../sim/types';
import { generateWorld } from '../sim/world';
import {
  PROGRESS_INTERVAL_MS,
  REQUEST_ROUTES,
  WORLD_PROGRESS_SHARE,
  type GenerateWorldRequest,
  type PageToWorker,
  type PingRequest,
  type WorldBuildStage,
} from '../protocol';
import { throttle } from './throttle';
import type { Post } from './host-env';
import type { TrainingHost } from './training-host';

export type { Post };

/** The worker's state: the current world, and the handler of page messages. */
export class WorldHost {
  /** The world of the last successful `generateWorld`, or null before the first one. */
  world: World | null = null;

  /**
   * @param post sends a message to the page
   * @param now clock in milliseconds for throttling progress (a fake one in tests)
   * @param training the training loop, told of every new world (absent: training messages
   *   are answered with an error)
   */
  constructor(
    private readonly post: Post,
    private readonly now: () => number = () => performance.now(),
    private readonly training: TrainingHost | null = null,
  ) {}

  /** Handles one message from the page. Never throws: failures become `error` messages. */
  handle(message: PageToWorker): void {
    const route = Object.hasOwn(REQUEST_ROUTES, message.type)
      ? REQUEST_ROUTES[message.type]
      : undefined;
    if (route === 'world') this.generate(message as GenerateWorldRequest);
    // The heartbeat: answered now, not queued behind the training loop's requests.
    else if (route === 'worker' && message.type === 'ping')
      this.post({ type: 'pong', seq: message.seq });
    else if (route === 'training' || route === 'views') {
      const m = message as Exclude<PageToWorker, GenerateWorldRequest | PingRequest>;
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
   * Builds the world synchronously, posting throttled progress as it goes (a worker's
   * postMessage is delivered to the page while the worker is still busy), then the summary.
   * On failure the previous world stays current.
   */
  private generate({ requestId, settings }: GenerateWorldRequest): void {
    const progress = throttle(
      (fraction: number, stage: WorldBuildStage) =>
        this.post({ type: 'worldProgress', requestId, fraction, stage }),
      PROGRESS_INTERVAL_MS,
      this.now,
    );
    try {
      const t0 = this.now();
      const world = generateWorld(settings, (f, stage) =>
        progress(f * WORLD_PROGRESS_SHARE, stage),
      );
      const genMs = this.now() - t0;
      progress(WORLD_PROGRESS_SHARE, 'summary');
      const summary = summarizeWorld(world, genMs);
      this.world = world;
      this.training?.setWorld(world);
      this.post({ type: 'worldReady', requestId, summary, config: world.config });
    } catch (e) {
      if (e instanceof ConfigError) {
        this.post({ type: 'error', requestId, field: e.field, message: e.message });
      } else {
        const why = e instanceof Error ? e.message : String(e);
        this.post({ type: 'error', requestId, message: `building the world failed: ${why}` });
      }
    }
  }
}
