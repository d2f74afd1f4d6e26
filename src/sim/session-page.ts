/**
 * The session loop's page (range-simulator.ts) and the layout its hot methods write as literals: one
 * page being assembled, its videos as slots of the session context (session-context.ts), and
 * the check that the literals still match the exported layout constants.
 */
import {
  REC_CLICK,
  REC_DURATION,
  REC_ID,
  REC_LANGUAGE,
  REC_LOG_DURATION,
  REC_LOG_POPULARITY_N,
  REC_NEXT_EPISODE,
  REC_POPULARITY,
  REC_PREV_EPISODE,
  REC_STRIDE,
  REC_UPLOAD,
  REC_VIRAL,
  REC_WATCH,
  TOPIC_GUIDE_BITS,
} from './session-context';
import type { SimRng } from './rng';
import type { ImpressionSource } from './types';

/** Per-slot scratch stamps of the session loop: STAMP_STRIDE words per video (sessions.ts). */
export const STAMP_STRIDE = 4;
/** Word of a slot's stamps (STAMP_STRIDE per video) holding the session that shows it. */
export const STAMP_SESSION = 0;
/** Word of a slot's stamps holding the last user who watched it. */
export const STAMP_WATCHED = 1;
/** Word of a video's stamps holding the refresh epoch that last drew it as a pool candidate. */
export const STAMP_POOL = 2;

/**
 * LAYOUT_LITERALS: the hot methods of range-simulator.ts (and `LegacyPool.refresh`) write the record's
 * and the stamps' strides and fields as literals or function-local constants. Bundled (esbuild
 * turns a module's `const` into `var`) or imported from another module, a constant is loaded
 * from its module and checked at every use, which cost about a fifth of the loop's instructions
 * (docs/performance.md#world-generation). `checkLayout` (called when a range starts) fails
 * loudly if the layout changes without them.
 */
export function checkLayout(): void {
  const expected: [number, number][] = [
    [REC_STRIDE, 16],
    [REC_UPLOAD, 0],
    [REC_CLICK, 1],
    [REC_WATCH, 2],
    [REC_LOG_DURATION, 3],
    [REC_VIRAL, 4],
    [REC_DURATION, 5],
    [REC_LANGUAGE, 6],
    [REC_PREV_EPISODE, 7],
    [REC_ID, 8],
    [REC_NEXT_EPISODE, 9],
    [REC_POPULARITY, 10],
    [REC_LOG_POPULARITY_N, 12],
    [STAMP_STRIDE, 4],
    [STAMP_SESSION, 0],
    [STAMP_WATCHED, 1],
    [STAMP_POOL, 2],
    [TOPIC_GUIDE_BITS, 7],
  ];
  for (const [value, literal] of expected)
    if (value !== literal)
      throw new Error(
        'the session record layout changed: update its literals in range-simulator.ts',
      );
}

/**
 * One page being assembled: its videos (as slots of the session context) and their sources, at
 * most `ips`, distinct within the session (stamped with the session id) and uploaded by the
 * session's time.
 */
export class Page {
  n = 0;
  sid = 0;
  t = 0;
  readonly slots: Int32Array;
  readonly source: Uint8Array;
  /** The user's true affinity for each slot's video when already computed, else NaN. */
  readonly affinity: Float64Array;
  /**
   * @param stamps per-slot stamps [STAMP_STRIDE · videos]
   * @param record the session context's records by slot (upload time at REC_UPLOAD)
   */
  constructor(
    readonly ips: number,
    readonly stamps: Int32Array,
    readonly record: Float32Array,
  ) {
    this.slots = new Int32Array(ips);
    this.source = new Uint8Array(ips);
    this.affinity = new Float64Array(ips);
  }

  /** Starts session `sid` at time t (days) with an empty page. */
  start(sid: number, t: number): void {
    this.n = 0;
    this.sid = sid;
    this.t = t;
  }

  /**
   * Adds v unless the page is full, v < 0, v is already on it or not yet uploaded; `a` is the
   * user's affinity for v when known (NaN when not).
   */
  add(v: number, src: ImpressionSource, a: number): boolean {
    const m = 4 * v; // STAMP_STRIDE · v + STAMP_SESSION (literals: see LAYOUT_LITERALS)
    if (this.n >= this.ips || v < 0 || this.stamps[m] === this.sid) return false;
    if (!(this.record[16 * v] <= this.t)) return false; // REC_STRIDE · v + REC_UPLOAD
    this.stamps[m] = this.sid;
    this.slots[this.n] = v;
    this.affinity[this.n] = a;
    this.source[this.n++] = src;
    return true;
  }

  /** Shuffles the page in place (Fisher–Yates from the end, one `rng.int` per position). */
  shuffle(rng: SimRng): void {
    const { slots, source, affinity } = this;
    for (let i = this.n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const v = slots[i];
      slots[i] = slots[j];
      slots[j] = v;
      const src = source[i];
      source[i] = source[j];
      source[j] = src;
      const a = affinity[i];
      affinity[i] = affinity[j];
      affinity[j] = a;
    }
  }
}
