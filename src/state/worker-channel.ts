/**
 * The one link of the page to the worker, shared by the slices: started on the first message,
 * replaced after the worker dies. Every message of the worker goes to `onMessage`; a failure
 * (a crash, an unreadable message) to `onFailure`, once, after which the next `send` starts a
 * fresh worker.
 *
 * The heartbeat (docs/architecture.md#faults): while a worker runs, the channel pings it every
 * PING_EVERY_MS; any message from it counts as a sign of life. A ping unanswered (and no other
 * word) for longer than
 * HEARTBEAT_TIMEOUT_MS (LONG_WORK_TIMEOUT_MS while `longWork()` says it does synchronous work
 * that answers no ping: a world build, a run being prepared, a first step), it is called stuck once
 * (`onStalled`); a word from it afterwards withdraws that (`onAlive`).
 */
import {
  HEARTBEAT_TIMEOUT_MS,
  LONG_WORK_TIMEOUT_MS,
  PING_EVERY_MS,
  type PageToWorker,
  type WorkerToPage,
} from '../protocol';
import type { ConnectWorker, WorkerLink } from './worker-client';

/** Sends to the worker, starting it when none is running. */
export interface WorkerChannel {
  send(message: PageToWorker): void;
  /** True while a worker is running. */
  readonly live: boolean;
  /**
   * Stops the worker (without reporting a failure) and forgets it; the next `send` starts a
   * fresh one, which knows no world and no run.
   */
  restart(): void;
}

/** The heartbeat's hooks and clock (fakes in tests). */
export interface Heartbeat {
  /** True while the worker does long synchronous work (a world build, a run being prepared). */
  longWork(): boolean;
  /** The worker said nothing for `silentMs`: stuck or dead. Called once per silence. */
  onStalled(silentMs: number): void;
  /** A stalled worker spoke again. */
  onAlive(): void;
  now?: () => number;
  setInterval?: (f: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

/** The silence after which a worker is called stuck (ms). */
export function silenceLimit(longWork: boolean): number {
  return longWork ? LONG_WORK_TIMEOUT_MS : HEARTBEAT_TIMEOUT_MS;
}

/** Creates the channel; nothing starts until the first `send`. */
export function createWorkerChannel(
  connect: ConnectWorker,
  onMessage: (message: WorkerToPage) => void,
  onFailure: (why: string) => void,
  heartbeat?: Heartbeat,
): WorkerChannel {
  let link: WorkerLink | null = null;
  const now = heartbeat?.now ?? (() => Date.now());
  const every = heartbeat?.setInterval ?? ((f: () => void, ms: number) => setInterval(f, ms));
  const stop =
    heartbeat?.clearInterval ??
    ((h: unknown) => clearInterval(h as ReturnType<typeof setInterval>));
  let timer: unknown = null;
  let lastHeard = 0;
  /**
   * When the first ping still unanswered was sent (null: the worker spoke since). Silence is
   * counted from it, not from the last message: a background tab's throttled timers may tick
   * once a minute, and an idle worker says nothing between two pings.
   */
  let askedAt: number | null = null;
  let stalled = false;
  let seq = 0;

  const stopBeats = () => {
    if (timer !== null) stop(timer);
    timer = null;
    stalled = false;
  };

  const startBeats = (fresh: WorkerLink) => {
    if (!heartbeat) return;
    lastHeard = now();
    askedAt = null;
    seq = 0;
    stalled = false;
    timer = every(() => {
      if (link !== fresh) return;
      const t = now();
      if (askedAt === null) askedAt = t;
      else if (!stalled && t - askedAt > silenceLimit(heartbeat.longWork())) {
        stalled = true;
        heartbeat.onStalled(t - lastHeard);
      }
      fresh.send({ type: 'ping', seq: ++seq });
    }, PING_EVERY_MS);
  };

  const drop = () => {
    stopBeats();
    link?.dispose();
    link = null;
  };

  return {
    send(message) {
      if (!link) {
        const fresh: WorkerLink = connect(
          (m) => {
            if (link !== fresh) return; // a stopped worker's last words
            lastHeard = now();
            askedAt = null;
            if (stalled) {
              stalled = false;
              heartbeat?.onAlive();
            }
            if (m.type !== 'pong') onMessage(m);
          },
          (why) => {
            if (link !== fresh) return; // a late report of a worker already replaced
            drop();
            onFailure(why);
          },
        );
        link = fresh;
        startBeats(fresh);
      }
      link.send(message);
    },
    get live() {
      return link !== null;
    },
    restart: drop,
  };
}
