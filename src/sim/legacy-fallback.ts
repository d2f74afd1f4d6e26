/**
 * The legacy recommender's fallback (docs/model.md#sessions): when the user's pool left the page
 * short (its entries watched already or on the page), up to 50 draws of a topic the user likes
 * and a popular video of it in the user's language go on the page until it is full.
 */
import type { SimRng } from './rng';
import type { SessionContext } from './session-context';
import type { Page } from './session-page';
import { ImpressionSource } from './types';

/**
 * Fills `page` (of at most `page.ips` videos) for user u from topics drawn from `cdf` (the
 * user's interest cdf over topics; `guide` its `topicGuide`) and videos drawn by
 * `drawTopicalSlot` in `language`, skipping videos whose stamps ([STAMP_STRIDE · videos], word
 * STAMP_WATCHED) say u watched them; at most 50 draws. `drawTopicGuided` and `drawTopicalSlot`
 * are written out on a local copy of the stream's state, stored back at the end: the same draws
 * in the same order (most of them find a video the user watched already, so the loop is mostly
 * draws; docs/performance.md#world-generation).
 */
export function legacyFallback(
  page: Page,
  rng: SimRng,
  ctx: SessionContext,
  cdf: Float64Array,
  guide: Int32Array,
  language: number,
  u: number,
  stamps: Int32Array,
): void {
  const { topical, topicalByLanguage } = ctx;
  const L = ctx.languages | 0;
  language |= 0;
  const ips = page.ips | 0;
  const last = cdf.length - 1;
  const total = cdf[last];
  let st = rng.state;
  for (let i = 0; page.n < ips && i < 50; i++) {
    st = (Math.imul(0x19660d, st) + 0x3c6ef35f) | 0;
    const word = st >>> 0;
    const x = 2.3283064365386963e-10 * word * total; // LCG_EPS · word · total
    let topic = guide[word >>> 25]; // 32 − TOPIC_GUIDE_BITS (LAYOUT_LITERALS)
    while (topic < last && cdf[topic] <= x) topic++;
    let s = topicalByLanguage;
    let key = topic * L + language;
    if (s.offsets[key + 1] === s.offsets[key]) {
      s = topical;
      key = topic;
    }
    const o = s.offsets[key];
    const n = s.offsets[key + 1] - o;
    if (n === 0) continue; // an empty topic: no video, no draw
    st = (Math.imul(0x19660d, st) + 0x3c6ef35f) | 0;
    const e = 3 * (o + Math.min(n - 1, (2.3283064365386963e-10 * (st >>> 0) * n) | 0));
    st = (Math.imul(0x19660d, st) + 0x3c6ef35f) | 0;
    const table = s.table;
    const v = st >>> 0 < table[e] >>> 0 ? table[e + 1] : table[e + 2];
    if (stamps[4 * v + 1] !== u) page.add(v, ImpressionSource.Legacy, NaN); // STAMP_WATCHED
  }
  rng.state = st;
}
