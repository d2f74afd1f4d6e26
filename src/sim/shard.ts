/**
 * One shard of a world: the catalogue and users (the same in every shard) and the logs of a
 * contiguous range of users (docs/scale-out.md). Each user draws from a stream of its own, so a
 * shard's logs are exactly that range's part of the whole world's logs, whatever the number of
 * shards and wherever a shard runs (a worker thread, a Spark or Ray task).
 */
import { sessionContext, simulateUserRange, type SessionContext } from './sessions';
import type { Logs, World } from './types';

/**
 * Users [from, to) of shard `shard` of `shards`: contiguous ranges covering 0 … users−1, cut
 * as `simulateLogs` cuts them. Throws a RangeError unless 0 ≤ shard < shards ≤ users.
 */
export function shardRange(users: number, shard: number, shards: number): [number, number] {
  if (!Number.isInteger(shards) || shards < 1 || shards > users)
    throw new RangeError(`shards must be an integer from 1 to users = ${users} (got ${shards})`);
  if (!Number.isInteger(shard) || shard < 0 || shard >= shards)
    throw new RangeError(`shard must be an integer from 0 to ${shards - 1} (got ${shard})`);
  return [Math.floor((shard * users) / shards), Math.floor(((shard + 1) * users) / shards)];
}

/**
 * A range's logs (from `simulateUserRange`, user CSR offsets of length to − from + 1) padded to
 * the whole user table: `userWatchOffsets` and `userSearchOffsets` get users + 1 entries, users
 * outside [from, to) with empty ranges. Session, impression, watch and search ids stay local
 * to the shard. The result is a valid `Logs` of a world in which only the range was active, so
 * every reader of `World` (examples, bags) works on a shard unchanged.
 */
export function padUserOffsets(part: Logs, from: number, to: number, users: number): Logs {
  const pad = (local: Int32Array): Int32Array => {
    const out = new Int32Array(users + 1);
    out.set(local, from);
    out.fill(local[to - from], to + 1);
    return out;
  };
  return {
    ...part,
    userWatchOffsets: pad(part.userWatchOffsets),
    userSearchOffsets: pad(part.userSearchOffsets),
  };
}

/** A world whose logs hold one shard's users only, and the range it covers. */
export interface ShardWorld {
  world: World;
  from: number;
  to: number;
  shard: number;
  shards: number;
}

/**
 * Simulates shard `shard` of `shards` over `base` (a world without logs, from
 * `generateWorldBase`; `ctx` its session context, built once per process and reused for
 * every shard it runs). The returned world shares base's catalogue and users; its logs are
 * padded with {@link padUserOffsets}.
 */
export function simulateShard(
  base: World,
  ctx: SessionContext,
  shard: number,
  shards: number,
): ShardWorld {
  const [from, to] = shardRange(base.users.count, shard, shards);
  const part = simulateUserRange(ctx, from, to);
  const logs = padUserOffsets(part, from, to, base.users.count);
  return { world: { ...base, logs }, from, to, shard, shards };
}

export { sessionContext };

/**
 * The largest world the sharded command line writes (`npm run world -- --out DIR --shards N`):
 * the paper's order of corpus size. Each worker holds the catalogue, the users and one shard's
 * logs, never the whole world's logs.
 */
export const SCALE_OUT_MAXIMA = { videos: 10_000_000, users: 1_000_000 } as const;
