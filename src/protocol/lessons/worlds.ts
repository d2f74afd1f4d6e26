/**
 * The worlds the training lessons share (docs/lessons.md#sizing): each the smallest at which a
 * lesson's headline interval is narrower than its effect, within about a minute on two cores.
 */

/** The smaller world the retrieval lessons share: big enough for 2,000 held-out next watches. */
export const SMALL_WORLD = { videos: 5000, users: 2500, days: 30 } as const;

/** The negatives lesson's world: fewer videos, so that a full-softmax step stays affordable. */
export const NEG_WORLD = { videos: 2000, users: 2500, days: 30 } as const;

/** The ranker lessons' world: fewer users (they need 2,000 held-out pages, not next watches). */
export const RANK_WORLD = { videos: 3000, users: 1000, days: 30 } as const;
