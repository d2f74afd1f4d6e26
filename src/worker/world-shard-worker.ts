/**
 * A helper Web Worker of the world worker (`world-shards.ts`): given a world without logs and
 * a range of users, builds the session context and simulates the range's sessions
 * (src/sim/sessions.ts), posting progress at most every PROGRESS_INTERVAL_MS and then the
 * logs, their buffers transferred.
 */
import { PROGRESS_INTERVAL_MS } from '../protocol';
import { sessionContext, simulateUserRange } from '../sim/sessions';
import type { ShardReply, ShardRequest } from './world-shards';
import { logBuffers } from './world-shards';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: ShardReply, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

scope.onmessage = (e: MessageEvent<ShardRequest>) => {
  const { id, world, vocab, from, to } = e.data;
  try {
    let last = -Infinity;
    const logs = simulateUserRange(sessionContext(world, vocab), from, to, (fraction) => {
      const now = performance.now();
      if (now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      post({ id, type: 'progress', fraction });
    });
    post({ id, type: 'logs', logs }, logBuffers(logs));
  } catch (error) {
    post({ id, type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
