import { beforeAll, describe, expect, it } from 'vitest';
import {
  fitZipfExponent,
  popularShown,
  seriesForwardShare,
  summarizeWorld,
  userTimeline,
  watchCounts,
} from './summary';
import type { WorldSummary } from './summary-types';
import { IMP_CLICKED, impressionMinutes, type World } from './types';
import { generateWorld } from './world';

/**
 * Every video on the shelf for the whole window (catalogueShare 1), so how often it is shown
 * for its popularity follows the Zipf law alone. With uploads arriving during the window, a
 * top-ranked video uploaded late is shown less, and the fit over ranks 1 … videos/20 wanders
 * by up to ±0.17 from the setting depending on the seed; here it stays within ±0.04 (seeds
 * 100–115, settings 1 and 1.3).
 */
const ZIPF_WORLD = { videos: 2000, users: 400, days: 30, catalogueShare: 1 } as const;

describe('fitZipfExponent', () => {
  it('recovers the exponent of exact power-law counts, in any order', () => {
    for (const s of [0.7, 1, 1.3, 2]) {
      const counts = Array.from({ length: 500 }, (_, i) => 1e6 * Math.pow(i + 1, -s));
      counts.reverse();
      expect(fitZipfExponent(counts)).toBeCloseTo(s, 9);
      expect(fitZipfExponent(counts, 1, 50)).toBeCloseTo(s, 9);
    }
  });

  it('stops at the first zero count and needs two points', () => {
    expect(fitZipfExponent([100, 50, 0, 0, 0])).toBeCloseTo(1, 9);
    expect(fitZipfExponent([5, 0, 0])).toBeNaN();
    expect(fitZipfExponent([])).toBeNaN();
  });
});

describe('summarizeWorld: the effects the world is built to show', () => {
  const zipf: Record<string, WorldSummary> = {};
  beforeAll(() => {
    for (const s of [1, 1.3])
      zipf[s] = summarizeWorld(generateWorld({ ...ZIPF_WORLD, seed: 7, zipfExponent: s }));
  }, 60_000);

  it.each([1, 1.3])('fits a Zipf exponent near the setting %s', (s) => {
    const sum = zipf[s];
    expect(sum.zipfExponentSetting).toBe(s);
    expect(Math.abs(sum.zipfExponent - s)).toBeLessThan(0.15);
    // Watches follow interests as well as popularity: a flatter law than the setting.
    expect(sum.zipfExponentWatches).toBeLessThan(sum.zipfExponent);
    expect(sum.zipfExponentWatches).toBeGreaterThan(0);
  });

  it('a steeper setting gives a steeper fitted law', () => {
    expect(zipf[1.3].zipfExponent).toBeGreaterThan(zipf[1].zipfExponent + 0.15);
  });

  it('audience: own-language watches, thin logged-out histories, device durations', () => {
    const a = zipf[1].audience;
    expect(a.languages).toBe(8);
    expect(a.ownLanguageShare).toBeGreaterThan(0.4); // measured 0.49 on this 2 000-video world
    expect(a.watchesPerUserLoggedOut).toBeLessThan(0.8 * a.watchesPerUserLoggedIn);
    expect(a.watchedDurationByDevice).toHaveLength(4);
    // TV (index 2) watches longer videos than mobile (index 0).
    expect(a.watchedDurationByDevice[2]).toBeGreaterThan(a.watchedDurationByDevice[0]);
    const one = summarizeWorld(generateWorld({ ...ZIPF_WORLD, users: 100, days: 7, languages: 1 }));
    expect(one.audience.ownLanguageShare).toBe(1);
  });

  it('clickbait is clicked more and watched less', () => {
    for (const s of [1, 1.3]) {
      const cb = zipf[s].clickbait;
      expect(cb.share).toBeGreaterThan(0.08);
      expect(cb.share).toBeLessThan(0.16);
      expect(cb.ctr).toBeGreaterThan(1.3 * cb.ctrOther);
      expect(cb.watchFraction).toBeLessThan(0.5 * cb.watchFractionOther);
      expect(cb.watchFraction).toBeGreaterThan(0);
      expect(cb.watchFractionOther).toBeLessThan(1);
    }
  });

  it('series are watched forward', () => {
    for (const s of [1, 1.3]) {
      const series = zipf[s].series;
      expect(series.count).toBeGreaterThan(10);
      expect(series.episodeShare).toBeGreaterThan(0.1);
      expect(series.episodeShare).toBeLessThanOrEqual(0.15);
      expect(series.forwardShare).toBeGreaterThan(0.85);
    }
  });
});

describe('summarizeWorld: consistency with the logs', () => {
  let w: World;
  let s: WorldSummary;
  beforeAll(() => {
    w = generateWorld({ videos: 2000, users: 400, days: 30, seed: 3 });
    s = summarizeWorld(w, 1234);
  }, 60_000);

  it('counts what the logs hold', () => {
    const l = w.logs;
    expect(s).toMatchObject({
      seed: 3,
      videos: 2000,
      users: 400,
      days: 30,
      watches: l.watches,
      impressions: l.impressions,
      sessions: l.sessions,
      searches: l.searches,
      genMs: 1234,
    });
    expect(s.watchesPerVideo).toBeCloseTo(l.watches / 2000, 12);
    expect(s.watchesPerUser).toBeCloseTo(l.watches / 400, 12);
    expect(s.ctr).toBeCloseTo(l.watches / l.impressions, 12);
  });

  it('recounts clickbait CTR and watched fraction by brute force', () => {
    const l = w.logs;
    const v = w.videos;
    const shown = [0, 0];
    const clicks = [0, 0];
    const frac = [0, 0];
    const minutes = impressionMinutes(l);
    for (let i = 0; i < l.impressions; i++) {
      const cb = v.clickbait[l.impVideo[i]];
      shown[cb]++;
      if (l.impFlags[i] & IMP_CLICKED) {
        clicks[cb]++;
        frac[cb] += minutes[i] / v.duration[l.impVideo[i]];
      }
    }
    expect(s.clickbait.ctr).toBeCloseTo(clicks[1] / shown[1], 9);
    expect(s.clickbait.ctrOther).toBeCloseTo(clicks[0] / shown[0], 9);
    expect(s.clickbait.watchFraction).toBeCloseTo(frac[1] / clicks[1], 6);
    expect(s.clickbait.watchFractionOther).toBeCloseTo(frac[0] / clicks[0], 6);
  });

  it('counts forward and backward series steps', () => {
    expect(s.series.forwardShare).toBe(seriesForwardShare(w));
    expect(s.series.forwardShare).toBeGreaterThan(0.85);
  });

  it('adds up shares, histograms and per-video counts', () => {
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(Object.values(s.impressionSources))).toBeCloseTo(1, 9);
    expect(sum(s.topics.map((t) => t.videoShare))).toBeCloseTo(1, 9);
    expect(sum(s.topics.map((t) => t.watchShare))).toBeCloseTo(1, 9);
    expect(s.topics.length).toBe(w.config.topics);
    expect(sum(s.durationHistogram.map(([, , c]) => c))).toBe(2000);
    expect(sum(Array.from(watchCounts(w)))).toBe(w.logs.watches);
    expect(sum(Array.from(popularShown(w)))).toBeCloseTo(
      s.impressionSources.Popular * w.logs.impressions,
      6,
    );
    // Popularity by rank: increasing ranks, non-increasing counts, starting at rank 1.
    const ranks = s.popularityByRank.map(([r]) => r);
    const counts = s.popularityByRank.map(([, c]) => c);
    expect(ranks[0]).toBe(1);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(new Set(ranks).size).toBe(ranks.length);
  });

  it('keeps every timeline to at most 400 impressions', () => {
    const over: string[] = [];
    let sampled = 0;
    for (let u = 0; u < w.users.count; u++) {
      const t = userTimeline(w, u);
      const n = t.impressions.length;
      if (n > 400) over.push(`user ${u}: ${n}`);
      if (t.impressionsNotClicked > n) {
        sampled++;
        // The sample is strided, so it reaches the end of the window rather than stopping early.
        expect(t.impressions.at(-1)!.time).toBeGreaterThan(w.config.days - 10);
      }
    }
    expect(over.slice(0, 5)).toEqual([]);
    // Heavy users do have more than 400 unclicked impressions: the cap is exercised.
    expect(sampled).toBeGreaterThan(0);
  });

  it("gives a user's timeline in time order", () => {
    const l = w.logs;
    const t = userTimeline(w, 5);
    expect(t.user).toBe(5);
    expect(t.watches.length).toBe(l.userWatchOffsets[6] - l.userWatchOffsets[5]);
    expect(t.searches.length).toBe(l.userSearchOffsets[6] - l.userSearchOffsets[5]);
    expect(t.topInterests.length).toBe(3);
    expect(t.topInterests[0][1]).toBeGreaterThanOrEqual(t.topInterests[1][1]);
    const times = t.searches.map((x) => x.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // The default timeline is of the median user by watches.
    const off = l.userWatchOffsets;
    const n = w.users.count;
    const byWatches = Array.from({ length: n }, (_, u) => off[u + 1] - off[u]).sort(
      (a, b) => a - b,
    );
    expect(s.timeline.watches.length).toBe(byWatches[n >> 1]);
    // It survives JSON (it crosses from the worker as JSON).
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
    expect(JSON.parse(JSON.stringify(s)).timeline.user).toBe(s.timeline.user);
  });
});
