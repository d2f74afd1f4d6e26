/**
 * The one link of the page to the worker, shared by the slices: started on the first message,
 * replaced after the worker dies. Every message of the worker goes to `onMessage`; a failure
 * (a crash, an unreadable message) to `onFailure`, once, after which the next `send` starts a
 * fresh worker.
 */
import type { PageToWorker, WorkerToPage } from '../protocol';
import type { ConnectWorker, WorkerLink } from './worker-client';

/** Sends to the worker, starting it when none is running. */
export interface WorkerChannel {
  send(message: PageToWorker): void;
  /** True while a worker is running. */
  readonly live: boolean;
}

/** Creates the channel; nothing starts until the first `send`. */
export function createWorkerChannel(
  connect: ConnectWorker,
  onMessage: (message: WorkerToPage) => void,
  onFailure: (why: string) => void,
): WorkerChannel {
  let link: WorkerLink | null = null;
  return {
    send(message) {
      if (!link) {
        const fresh: WorkerLink = connect(onMessage, (why) => {
          if (link !== fresh) return; // a late report of a worker already replaced
          fresh.dispose();
          link = null;
          onFailure(why);
        });
        link = fresh;
      }
      link.send(message);
    },
    get live() {
      return link !== null;
    },
  };
}
