/**
 * Yielding to the event loop between training steps, so that a `pause` (or any message) sent
 * by the page is handled before the next step. A resolved promise would not do: it runs as a
 * microtask, before any message. A MessageChannel round trip is a macrotask without the 4 ms
 * clamp of nested `setTimeout(0)`.
 */

/** Resolves on a later turn of the event loop (after pending messages). */
export function yieldToEvents(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
