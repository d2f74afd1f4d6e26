import { beforeAll, describe, expect, it } from 'vitest';
import {
  affinity,
  AFFINITY_SCALE,
  CLICK,
  clickLogitFromAffinity,
  expectedWatchGivenClick,
  expectedWatchPerImpression,
  FRESH_DAYS,
  freshness,
  pClick,
  sigmoid,
  WATCH,
  watchFractionFromAffinity,
} from './oracle';
import type { World } from './types';
import { generateWorld } from './world';

const logit = (p: number) => Math.log(p / (1 - p));

/** A copy of `w` whose video `v` has clickbait flag `flag`, all else equal. */
function withClickbait(w: World, v: number, flag: 0 | 1): World {
  const clickbait = w.videos.clickbait.slice();
  clickbait[v] = flag;
  return { ...w, videos: { ...w.videos, clickbait } };
}

describe('oracle', () => {
  let w: World;
  /** Pairs (user, video, time) with the video uploaded by then. */
  const pairs: [number, number, number][] = [];
  beforeAll(() => {
    // latentDim 6 exercises the unrolled dot product's remainder loop.
    w = generateWorld({ seed: 13, videos: 500, users: 60, days: 14, latentDim: 6 });
    for (let k = 0; k < 400; k++) {
      const u = (k * 7) % w.users.count;
      const v = (k * 131 + 17) % w.videos.count;
      pairs.push([u, v, Math.max(0, w.videos.uploadTime[v]) + (k % 9)]);
    }
  }, 60_000);

  it('affinity is the latent dot product over AFFINITY_SCALE', () => {
    const D = w.config.latentDim;
    for (const [u, v] of pairs.slice(0, 50)) {
      let dot = 0;
      for (let i = 0; i < D; i++) dot += w.users.latent[u * D + i] * w.videos.latent[v * D + i];
      expect(affinity(w, u, v)).toBeCloseTo(dot / AFFINITY_SCALE, 5);
    }
  });

  it('gives P(click) strictly inside (0, 1) and E[watch | click] within the duration', () => {
    for (const [u, v, t] of pairs) {
      const p = pClick(w, u, v, t);
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
      const m = expectedWatchGivenClick(w, u, v);
      expect(m).toBeGreaterThan(0);
      expect(m).toBeLessThan(w.videos.duration[v]);
    }
  });

  it('E[watch per impression] = P(click) × E[watch | click]', () => {
    for (const [u, v, t] of pairs) {
      const e = expectedWatchPerImpression(w, u, v, t);
      expect(e).toBeCloseTo(pClick(w, u, v, t) * expectedWatchGivenClick(w, u, v), 9);
      const ctx = { watched: true };
      expect(expectedWatchPerImpression(w, u, v, t, ctx)).toBeCloseTo(
        pClick(w, u, v, t, ctx) * expectedWatchGivenClick(w, u, v),
        9,
      );
    }
  });

  it('states the click and watch coefficients the design describes', () => {
    expect(CLICK.clickbait).toBeGreaterThan(0);
    expect(WATCH.clickbait).toBeLessThan(0);
    expect(CLICK.affinity).toBeGreaterThan(0);
    expect(WATCH.quality).toBeGreaterThan(0);
    expect(CLICK.rewatch).toBeLessThan(0);
    expect(CLICK.nextEpisode).toBeGreaterThan(0);
  });

  it('clickbait raises P(click) and lowers the watched fraction, all else equal', () => {
    let checked = 0;
    for (const [u, v, t] of pairs) {
      const plain = withClickbait(w, v, 0);
      const bait = withClickbait(w, v, 1);
      const p0 = pClick(plain, u, v, t);
      const p1 = pClick(bait, u, v, t);
      expect(p1).toBeGreaterThan(p0);
      expect(logit(p1) - logit(p0)).toBeCloseTo(CLICK.clickbait, 4);
      const a = affinity(w, u, v);
      const f0 = watchFractionFromAffinity(plain, v, a);
      const f1 = watchFractionFromAffinity(bait, v, a);
      expect(f1).toBeLessThan(f0);
      expect(logit(f1) - logit(f0)).toBeCloseTo(WATCH.clickbait, 4);
      expect(expectedWatchGivenClick(bait, u, v)).toBeLessThan(
        expectedWatchGivenClick(plain, u, v),
      );
      checked++;
    }
    expect(checked).toBe(pairs.length);
  });

  it('a higher affinity raises both P(click) and the watched fraction', () => {
    const [u, v, t] = pairs[0];
    const a = affinity(w, u, v);
    const z0 = clickLogitFromAffinity(w, u, v, t, a);
    const z1 = clickLogitFromAffinity(w, u, v, t, a + 1);
    expect(z1 - z0).toBeCloseTo(CLICK.affinity, 9);
    expect(
      logit(watchFractionFromAffinity(w, v, a + 1)) - logit(watchFractionFromAffinity(w, v, a)),
    ).toBeCloseTo(WATCH.affinity, 6);
  });

  it('context: a rewatch is less likely, the next episode after the previous one more', () => {
    const [u, v, t] = pairs[3];
    const base = logit(pClick(w, u, v, t));
    expect(logit(pClick(w, u, v, t, { watched: true })) - base).toBeCloseTo(CLICK.rewatch, 4);
    expect(logit(pClick(w, u, v, t, { previousEpisodeWatched: true })) - base).toBeCloseTo(
      CLICK.nextEpisode,
      4,
    );
    expect(logit(pClick(w, u, v, t, {})) - base).toBeCloseTo(0, 9);
  });

  it('a video in another language is clicked less', () => {
    const [u, v, t] =
      pairs.find(([uu, vv]) => w.users.language[uu] === w.videos.language[vv]) ?? pairs[0];
    const language = w.videos.language.slice();
    language[v] = (language[v] + 1) % 8;
    const other: World = { ...w, videos: { ...w.videos, language } };
    const a = affinity(w, u, v);
    expect(
      clickLogitFromAffinity(other, u, v, t, a) - clickLogitFromAffinity(w, u, v, t, a),
    ).toBeCloseTo(CLICK.languageMismatch, 9);
  });

  it('freshness decays with age and is 0 before upload', () => {
    const v = pairs.map(([, vv]) => vv).find((vv) => w.videos.viral[vv] === 0)!;
    const up = w.videos.uploadTime[v];
    expect(freshness(w, v, up - 0.5)).toBe(0);
    expect(freshness(w, v, up)).toBeCloseTo(CLICK.fresh, 6);
    expect(freshness(w, v, up + FRESH_DAYS)).toBeCloseTo(CLICK.fresh / Math.E, 5);
    expect(freshness(w, v, up + 1)).toBeGreaterThan(freshness(w, v, up + 2));
    expect(freshness(w, v, up + 1000)).toBe(0);
    // So a fresh video is clicked more than the same video a month later.
    expect(pClick(w, 0, v, Math.max(up, 0) + 0.1)).toBeGreaterThan(
      pClick(w, 0, v, Math.max(up, 0) + 30),
    );
  });

  it('sigmoid', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(2) + sigmoid(-2)).toBeCloseTo(1, 12);
    expect(sigmoid(1)).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });
});
