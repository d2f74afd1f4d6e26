/**
 * Chooses and starts a tfjs backend. In Node (tests, `npm run train`) the fastest backend
 * available here is WASM (tfjs-node cannot install: docs/tfjs-notes.md#wasm-in-node); the CPU
 * backend is the fallback. The browser worker registers WebGPU/WebGL itself and calls
 * {@link useBackend}.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from './backend-names';

export type { BackendName } from './backend-names';

/**
 * Switches tfjs to `name` (or the first of `wasm`, `cpu` that starts) and waits until it is
 * ready. Returns the backend in use. Optimizers must be created after this
 * (docs/tfjs-notes.md#adam-epsilon).
 */
export async function useBackend(name?: BackendName): Promise<BackendName> {
  const order: BackendName[] = name ? [name] : ['wasm', 'cpu'];
  for (const b of order) {
    try {
      if (await tf.setBackend(b)) {
        await tf.ready();
        return b;
      }
    } catch {
      // try the next one
    }
  }
  throw new Error(`no tfjs backend could start (tried ${order.join(', ')})`);
}
