/**
 * Languages and demographics change the world (docs/model.md#language,
 * docs/model.md#demographics), and switching them off (`languages: 1`, `demographicEffect: 0`)
 * makes them change nothing.
 */
import { describe, expect, it } from 'vitest';
import { catalogueLanguageShares } from './catalogue';
import { clickLogitFromAffinity } from './oracle';
import type { World } from './types';
import { generateWorld } from './world';

const SMALL = { seed: 4, videos: 3000, users: 800, days: 20 };

/** Share of watches whose video is in the watcher's language. */
function ownLanguageShare(w: World): number {
  const { logs, users, videos } = w;
  let same = 0;
  for (let u = 0; u < users.count; u++)
    for (let j = logs.userWatchOffsets[u]; j < logs.userWatchOffsets[u + 1]; j++)
      if (videos.language[logs.watchVideo[j]] === users.language[u]) same++;
  return same / logs.watches;
}

/** Watches per user of logged-out [0] and logged-in [1] users. */
function watchesByLogin(w: World): [number, number] {
  const sum = [0, 0];
  const n = [0, 0];
  for (let u = 0; u < w.users.count; u++) {
    const k = w.users.loggedIn[u];
    n[k]++;
    sum[k] += w.logs.userWatchOffsets[u + 1] - w.logs.userWatchOffsets[u];
  }
  return [sum[0] / n[0], sum[1] / n[1]];
}

/** Geometric mean duration (minutes) of the videos watched by users on `device`. */
function watchedDuration(w: World, device: number): number {
  let s = 0;
  let n = 0;
  for (let u = 0; u < w.users.count; u++) {
    if (w.users.device[u] !== device) continue;
    for (let j = w.logs.userWatchOffsets[u]; j < w.logs.userWatchOffsets[u + 1]; j++) {
      s += Math.log(w.videos.duration[w.logs.watchVideo[j]]);
      n++;
    }
  }
  return Math.exp(s / n);
}

/** Total variation distance between the mean interests of the youngest and oldest buckets. */
function ageInterestGap(w: World): number {
  const T = w.config.topics;
  const mean = (bucket: number) => {
    const m = new Float64Array(T);
    let n = 0;
    for (let u = 0; u < w.users.count; u++) {
      if (w.users.ageBucket[u] !== bucket) continue;
      n++;
      for (let t = 0; t < T; t++) m[t] += w.users.interests[u * T + t];
    }
    return m.map((x) => x / n);
  };
  const a = mean(1);
  const b = mean(4);
  let d = 0;
  for (let t = 0; t < T; t++) d += Math.abs(a[t] - b[t]);
  return d / 2;
}

describe('languages', () => {
  const w = generateWorld(SMALL);
  const one = generateWorld({ ...SMALL, languages: 1 });

  it('splits the catalogue by the language shares, renormalised to the first few', () => {
    expect(Array.from(catalogueLanguageShares(1))).toEqual([1]);
    const three = catalogueLanguageShares(3);
    expect(three.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(three[0]).toBeCloseTo(0.55 / 0.72, 12);
  });

  it('makes users watch mostly their own language', () => {
    const share = ownLanguageShare(w);
    // Measured 0.61 here (seed 4, 3000 videos, 800 users, 20 days); 0.69 on the default world.
    expect(share).toBeGreaterThan(0.55);
  });

  it('with one language, gives every user and video language 0', () => {
    expect(one.users.language.every((l) => l === 0)).toBe(true);
    expect(one.videos.language.every((l) => l === 0)).toBe(true);
    expect(ownLanguageShare(one)).toBe(1);
  });

  it('keeps every language id below `languages`', () => {
    const three = generateWorld({ ...SMALL, users: 200, days: 7, languages: 3 });
    expect(Math.max(...three.users.language)).toBeLessThan(3);
    expect(Math.max(...three.videos.language)).toBeLessThan(3);
    expect(new Set(three.users.language).size).toBe(3);
  });
});

describe('demographics', () => {
  const on = generateWorld(SMALL);
  const off = generateWorld({ ...SMALL, demographicEffect: 0 });

  it('age buckets like different topics, and not at all when switched off', () => {
    const gapOn = ageInterestGap(on);
    const gapOff = ageInterestGap(off);
    // Measured 0.46 on and 0.17 off (sampling noise of ~150 sparse users per bucket).
    expect(gapOn).toBeGreaterThan(0.35);
    expect(gapOff).toBeLessThan(0.25);
  });

  it('logged-out users have thinner histories, and the same when switched off', () => {
    const [outOn, inOn] = watchesByLogin(on);
    const [outOff, inOff] = watchesByLogin(off);
    expect(outOn / inOn).toBeLessThan(0.75);
    expect(outOff / inOff).toBeGreaterThan(0.8);
    expect(outOff / inOff).toBeLessThan(1.25);
  });

  it('TV users watch longer videos than phone users, and the same when switched off', () => {
    const mobile = 0;
    const tv = 2;
    expect(watchedDuration(on, tv) / watchedDuration(on, mobile)).toBeGreaterThan(1.08);
    const ratioOff = watchedDuration(off, tv) / watchedDuration(off, mobile);
    expect(Math.abs(ratioOff - 1)).toBeLessThan(0.06);
  });

  it("adds the device's duration term to the click logit, scaled by the strength", () => {
    const long = on.videos.duration.findIndex((d) => d > 30);
    const mobileUser = on.users.device.indexOf(0);
    const tvUser = on.users.device.indexOf(2);
    const logit = (w: World, u: number) => clickLogitFromAffinity(w, u, long, 19, 0);
    const lang = (w: World, u: number) => (w.videos.language[long] === w.users.language[u] ? 0 : 1);
    // Same affinity and time: the two users differ only by device (and maybe language).
    const diffOn = logit(on, tvUser) - logit(on, mobileUser);
    const diffOff = logit(off, tvUser) - logit(off, mobileUser);
    const langTerm = -2 * (lang(on, tvUser) - lang(on, mobileUser));
    expect(diffOn - langTerm).toBeCloseTo(1.1 * Math.log(on.videos.duration[long] / 8), 4);
    expect(diffOff - langTerm).toBeCloseTo(0, 6);
  });
});
