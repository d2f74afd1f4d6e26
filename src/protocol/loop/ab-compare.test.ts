import { describe, expect, it } from 'vitest';
import { offlineVsOnline } from './ab-compare';
import type { AbArm, AbResult } from './result';
import { abMean } from './ab-stats';

/** An A/B result with the given offline figures and per-user minutes. */
function result(a: AbArm['offline'], b: AbArm['offline'], ma: number[], mb: number[]): AbResult {
  const arm = (id: 'A' | 'B', offline: AbArm['offline']): AbArm => ({
    id,
    label: id,
    users: 4,
    activeUsers: 4,
    offline,
  });
  const m = abMean(ma, mb);
  return {
    arms: [arm('A', a), arm('B', b)],
    metrics: { minutes: m, welfare: m, clicks: m, clickbaitShare: m },
  } as unknown as AbResult;
}

describe('offline against online', () => {
  it('says which offline differences point the way watch time does', () => {
    const r = result(
      { recall100: 0.2, map: 0.02, auc: 0.78, clickbaitTop3: 0.1 },
      { recall100: 0.2, map: 0.03, auc: 0.7, clickbaitTop3: 0.05 },
      [10, 11, 12, 13],
      [20, 21, 22, 23],
    );
    const c = offlineVsOnline(r);
    expect(c.online.value).toBe(10);
    expect(c.onlineSide).toBe(1);
    expect(c.rows.map((x) => [x.key, x.agrees])).toEqual([
      ['recall100', null],
      ['map', true],
      ['auc', false],
    ]);
    expect(c.rows[2].diff).toBeCloseTo(-0.08, 12);
    expect(c.sentence).toContain('(B better)');
    expect(c.sentence).toContain('MAP +0.0100 (agrees), ranker AUC −0.0800 (disagrees)');
  });

  it('makes no call when the online interval holds 0', () => {
    const r = result(
      { recall100: 0.2, map: 0.02, auc: 0.7, clickbaitTop3: 0.1 },
      { recall100: 0.3, map: 0.03, auc: 0.8, clickbaitTop3: 0.1 },
      [10, 20, 10, 20],
      [11, 19, 12, 18],
    );
    const c = offlineVsOnline(r);
    expect(c.onlineSide).toBe(0);
    expect(c.rows.every((x) => x.agrees === null)).toBe(true);
    expect(c.sentence).toContain('(the interval holds 0)');
  });
});
