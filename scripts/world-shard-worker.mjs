// Worker threads do not inherit tsx's loader in time for their first import: register it here,
// then load the TypeScript worker (scripts/world-shard-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./world-shard-worker.ts');
