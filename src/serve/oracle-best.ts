/**
 * The funnel's ceiling (funnel.ts): the oracle's own best k live videos for one user at one
 * time, by expected watch minutes per impression — what a perfect two-stage funnel would show.
 * It does not depend on the models, so it is memoised per world, user and time.
 */
import { oracleWatchOf, type UserHistory } from '../sim/candidate-features';
import type { World } from '../sim/types';

/** The oracle's best live videos of one user at one time, best first, and their watch minutes. */
interface OracleTop {
  ids: Int32Array;
  watch: Float32Array;
}

/**
 * The oracle's best live videos per world, by user and time: they do not depend on the models,
 * so a later request (another step, another k) reads them instead of asking the oracle about
 * every live video again. At least {@link ORACLE_KEEP} are kept, so any k of the view is a prefix.
 */
const oracleTops = new WeakMap<World['logs'], Map<string, OracleTop>>();
/** The best kept per user and time (the view's largest k). */
export const ORACLE_KEEP = 50;
/** Entries kept per world before the memo starts again (a few requests' worth of users). */
const ORACLE_ENTRIES = 4096;

/**
 * The oracle's k best live videos by expected watch minutes per impression (ties: lower id) for
 * the history's user at its time; `mask` must be `liveMask(world, h.time)`. The best of a longer
 * list are its prefix (the order is total), so the memo answers every k up to what it holds.
 */
export function oracleBest(
  world: World,
  h: UserHistory,
  mask: Uint8Array,
  k: number,
): { ids: Int32Array; mean: number } {
  let memo = oracleTops.get(world.logs);
  if (!memo) oracleTops.set(world.logs, (memo = new Map()));
  const key = `${h.user} ${h.time}`;
  let top = memo.get(key);
  if (!top || (top.ids.length < k && top.ids.length < countLive(mask))) {
    top = oracleTop(world, h, mask, Math.max(k, ORACLE_KEEP));
    if (memo.size >= ORACLE_ENTRIES) memo.clear();
    memo.set(key, top);
  }
  const keep = Math.min(k, top.ids.length);
  let sum = 0;
  for (let i = 0; i < keep; i++) sum += top.watch[i];
  return { ids: top.ids.slice(0, keep), mean: keep ? sum / keep : 0 };
}

function countLive(mask: Uint8Array): number {
  let count = 0;
  for (let v = 0; v < mask.length; v++) if (mask[v]) count++;
  return count;
}

/** The oracle's k best of the live videos, best first, with their watch minutes per impression. */
function oracleTop(world: World, h: UserHistory, mask: Uint8Array, k: number): OracleTop {
  const count = countLive(mask);
  const ids = new Int32Array(count);
  for (let v = 0, i = 0; v < mask.length; v++) if (mask[v]) ids[i++] = v;
  const watch = oracleWatchOf(world, h, ids);
  // The k best by insertion into a sorted list of at most k (k ≪ live videos): the order of a
  // full sort by (watch descending, id ascending), since ids arrive ascending and a later equal
  // watch goes after the earlier one. A NaN (the oracle gives none) is kept out, after every number.
  const keep = Math.min(k, count);
  const order = new Int32Array(keep);
  let size = 0;
  for (let i = 0; i < count; i++) {
    const w = watch[i];
    if (!(w === w)) continue;
    if (size === keep && !(w > watch[order[size - 1]])) continue;
    let p = size < keep ? size++ : size - 1;
    while (p > 0 && w > watch[order[p - 1]]) {
      order[p] = order[p - 1];
      p--;
    }
    order[p] = i;
  }
  // Fewer than k non-NaN watches: a full sort would put NaNs last, by id.
  for (let i = 0; size < keep && i < count; i++) if (!(watch[i] === watch[i])) order[size++] = i;
  return {
    ids: Int32Array.from(order, (i) => ids[i]),
    watch: Float32Array.from(order, (i) => watch[i]),
  };
}
