/**
 * Every worker's message loop (docs/architecture.md#faults): hands each message to its handler
 * and turns whatever would otherwise escape — a throw, a rejected promise, an `error` or
 * `unhandledrejection` event, a message that cannot be read — into one fault report naming the
 * message type it happened on and the error's text. The worker goes on with the next message;
 * an error event is cancelled, so the page does not take it for a dead worker.
 */

/** The events a worker's global scope (or a fake port in tests) delivers. */
export interface LoopScope {
  addEventListener(
    type: 'message' | 'messageerror' | 'error' | 'unhandledrejection',
    listener: (event: Event) => void,
  ): void;
}

/**
 * Reports one fault: `cause` is the type of the message being handled ('unknown' when there is
 * none, e.g. an unreadable message), `text` the error's text, `request` the message itself
 * (null when unknown), so a worker with request ids can answer the request that failed.
 */
export type ReportFault<In> = (cause: string, text: string, request: In | null) => void;

/** The error's message, or its name, or its string form. */
export function faultText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  if (typeof e === 'object' && e !== null && 'message' in e) return String(e.message);
  return String(e);
}

/** The `type` of a message, or 'unknown'. */
function typeOf(message: unknown): string {
  if (typeof message === 'object' && message !== null && 'type' in message) {
    const t = (message as { type: unknown }).type;
    if (typeof t === 'string') return t;
  }
  return 'unknown';
}

/**
 * Wires `scope`'s messages to `handle`. A handler may return a promise: its rejection is
 * reported under the message's type. An `error` or `unhandledrejection` event (an error of work
 * a handler started and did not await) is reported under the type of the message that started
 * the work still running when it came, else the last message received.
 */
export function runMessageLoop<In>(
  scope: LoopScope,
  handle: (message: In) => void | Promise<void>,
  report: ReportFault<In>,
): void {
  /** The message whose handling last started (the likeliest cause of an event's error). */
  let last: In | null = null;
  const safeReport = (cause: string, e: unknown, request: In | null) => {
    try {
      report(cause, faultText(e), request);
    } catch {
      // nothing more can be said: posting itself failed
    }
  };

  scope.addEventListener('message', (event) => {
    const message = (event as MessageEvent<In>).data;
    last = message;
    const cause = typeOf(message);
    try {
      const done = handle(message);
      if (done && typeof done.then === 'function')
        done.then(undefined, (e: unknown) => safeReport(cause, e, message));
    } catch (e) {
      safeReport(cause, e, message);
    }
  });
  scope.addEventListener('messageerror', () =>
    safeReport('unknown', 'a message from the page could not be read', null),
  );
  scope.addEventListener('error', (event) => {
    event.preventDefault();
    const e = event as ErrorEvent;
    safeReport(typeOf(last), e.error ?? e.message ?? 'an error', last);
  });
  scope.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    safeReport(typeOf(last), (event as PromiseRejectionEvent).reason, last);
  });
}
