import { beforeAll, describe, expect, it } from 'vitest';
import { summarizeWorld } from './summary';
import type { WorldSummary } from './summary-types';
import { IMP_CLICKED, IMP_SOURCE, ImpressionSource, watchOfImpression, type World } from './types';
import { generateWorld, videoTitle, type WorldStage } from './world';

/** A small world: generates in well under a second. */
const SMALL = { videos: 2000, users: 400, days: 30 } as const;

/** FNV-1a over the bytes of a typed array, with its length mixed in. */
function hashBytes(a: ArrayBufferView): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return `${b.length}:${(h >>> 0).toString(16)}`;
}

/** Hash of every typed-array column of a table (videos, users or logs), keyed by field. */
function columnHashes(table: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(table)) if (ArrayBuffer.isView(v)) out[k] = hashBytes(v);
  return out;
}

/** Element-wise equality of two typed arrays (fast, and exact for floats incl. −0 / NaN bits). */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

describe('generateWorld: determinism', () => {
  let a: World;
  let b: World;
  let c: World;
  beforeAll(() => {
    a = generateWorld({ ...SMALL, seed: 5 });
    b = generateWorld({ ...SMALL, seed: 5 });
    c = generateWorld({ ...SMALL, seed: 6 });
  }, 60_000);

  it('gives the same arrays for the same seed and settings', () => {
    for (const table of ['videos', 'users', 'logs'] as const) {
      const ha = columnHashes(a[table]);
      expect(Object.keys(ha).length, table).toBeGreaterThan(5);
      expect(columnHashes(b[table]), table).toEqual(ha);
    }
    expect(sameBytes(a.topicCentres, b.topicCentres)).toBe(true);
    expect(b.vocabulary).toEqual(a.vocabulary);
    expect(b.config).toEqual(a.config);
    expect(b.logs.watches).toBe(a.logs.watches);
    // Element-wise, not only by hash, on a few columns of each table.
    expect(b.videos.popularity).toEqual(a.videos.popularity);
    expect(b.videos.latent).toEqual(a.videos.latent);
    expect(b.users.interests).toEqual(a.users.interests);
    expect(b.logs.impVideo).toEqual(a.logs.impVideo);
    expect(b.logs.watchTime).toEqual(a.logs.watchTime);
    expect(b.logs.watchMinutes).toEqual(a.logs.watchMinutes);
  });

  it('gives different arrays for a different seed', () => {
    const differ = (x: ArrayBufferView, y: ArrayBufferView) => !sameBytes(x, y);
    expect(differ(a.topicCentres, c.topicCentres)).toBe(true);
    expect(differ(a.videos.popularity, c.videos.popularity)).toBe(true);
    expect(differ(a.videos.latent, c.videos.latent)).toBe(true);
    expect(differ(a.videos.duration, c.videos.duration)).toBe(true);
    expect(differ(a.videos.topic, c.videos.topic)).toBe(true);
    expect(differ(a.users.latent, c.users.latent)).toBe(true);
    expect(differ(a.users.activity, c.users.activity)).toBe(true);
    expect(differ(a.logs.impVideo, c.logs.impVideo)).toBe(true);
    expect(differ(a.logs.watchVideo, c.logs.watchVideo)).toBe(true);
    expect(differ(a.logs.watchTime, c.logs.watchTime)).toBe(true);
    // Same shapes where the settings fix them.
    expect(c.videos.count).toBe(a.videos.count);
    expect(c.users.count).toBe(a.users.count);
  });

  it('changes the world when any other setting changes', () => {
    const d = generateWorld({ ...SMALL, seed: 5, clickbaitShare: 0.3 });
    expect(sameBytes(a.videos.clickbait, d.videos.clickbait)).toBe(false);
    expect(sameBytes(a.logs.impFlags, d.logs.impFlags)).toBe(false);
  });
});

describe('generateWorld: shapes and invariants of the logs', () => {
  let w: World;
  const stages: [number, WorldStage][] = [];
  beforeAll(() => {
    w = generateWorld({ ...SMALL, seed: 11 }, (f, s) => stages.push([f, s]));
  }, 60_000);

  it('reports progress from 0 to 1 through the stages', () => {
    expect(stages[0]).toEqual([0, 'catalogue']);
    expect(stages.at(-1)).toEqual([1, 'done']);
    const fractions = stages.map(([f]) => f);
    expect(fractions).toEqual([...fractions].sort((x, y) => x - y));
    expect(new Set(stages.map(([, s]) => s))).toEqual(
      new Set(['catalogue', 'users', 'sessions', 'done']),
    );
  });

  it('sizes every column by its count', () => {
    const { videos: v, users: u, logs: l, config } = w;
    expect(v.count).toBe(2000);
    expect(u.count).toBe(400);
    for (const col of [
      v.topic,
      v.language,
      v.channel,
      v.popularity,
      v.uploadTime,
      v.duration,
      v.quality,
      v.clickbait,
      v.viral,
      v.series,
      v.episode,
      v.nextEpisode,
    ])
      expect(col.length).toBe(v.count);
    expect(v.latent.length).toBe(v.count * config.latentDim);
    expect(v.titleOffsets.length).toBe(v.count + 1);
    expect(u.interests.length).toBe(u.count * config.topics);
    expect(u.latent.length).toBe(u.count * config.latentDim);
    expect(l.sessionImpOffsets.length).toBe(l.sessions + 1);
    expect(l.sessionImpOffsets[l.sessions]).toBe(l.impressions);
    expect(l.impVideo.length).toBe(l.impressions);
    expect(l.userWatchOffsets.length).toBe(u.count + 1);
    expect(l.userWatchOffsets[u.count]).toBe(l.watches);
    expect(l.userSearchOffsets[u.count]).toBe(l.searches);
    expect(l.searchTokenOffsets.length).toBe(l.searches + 1);
    expect(l.searchTokenOffsets[l.searches]).toBe(l.searchTokens.length);
    expect(w.topicNames.length).toBe(config.topics);
  });

  it('has videos within their stated ranges', () => {
    const v = w.videos;
    let popSum = 0;
    const bad: number[] = [];
    let links = 0;
    for (let i = 0; i < v.count; i++) {
      popSum += v.popularity[i];
      const ok =
        v.quality[i] >= 0 &&
        v.quality[i] <= 1 &&
        v.duration[i] >= 0.5 &&
        v.duration[i] <= 180 &&
        v.uploadTime[i] >= -365 &&
        v.topic[i] < w.config.topics &&
        v.channel[i] < v.channels;
      let seriesOk = true;
      if (v.nextEpisode[i] >= 0) {
        links++;
        const n = v.nextEpisode[i];
        seriesOk =
          v.series[n] === v.series[i] &&
          v.episode[n] === v.episode[i] + 1 &&
          v.uploadTime[n] > v.uploadTime[i] &&
          v.clickbait[i] === 0;
      }
      if (!ok || !seriesOk) bad.push(i);
    }
    expect(bad).toEqual([]);
    expect(links).toBeGreaterThan(50);
    expect(popSum).toBeCloseTo(1, 4);
    expect(videoTitle(w, 0).split(' ').length).toBeGreaterThanOrEqual(3);
  });

  it('has sessions ordered by user and time, and impressions of uploaded videos', () => {
    const l = w.logs;
    let unordered = 0;
    for (let s = 1; s < l.sessions; s++) {
      const u0 = l.sessionUser[s - 1];
      const u1 = l.sessionUser[s];
      if (!(u1 > u0 || (u1 === u0 && l.sessionTime[s] >= l.sessionTime[s - 1]))) unordered++;
    }
    expect(unordered).toBe(0);
    let tooMany = 0;
    let repeated = 0;
    let unuploaded = 0;
    for (let s = 0; s < l.sessions; s++) {
      if (l.sessionImpOffsets[s + 1] - l.sessionImpOffsets[s] > w.config.impressionsPerSession)
        tooMany++;
      const seen = new Set<number>();
      for (let i = l.sessionImpOffsets[s]; i < l.sessionImpOffsets[s + 1]; i++) {
        const v = l.impVideo[i];
        if (seen.has(v)) repeated++;
        seen.add(v);
        if (w.videos.uploadTime[v] > l.sessionTime[s]) unuploaded++;
      }
    }
    expect({ tooMany, repeated, unuploaded }).toEqual({ tooMany: 0, repeated: 0, unuploaded: 0 });
    expect(l.sessions).toBeGreaterThan(1000);
  });

  it('has one watch per clicked impression, in order, for that video, in that user', () => {
    const l = w.logs;
    let clicked = 0;
    let otherBits = 0;
    for (let i = 0; i < l.impressions; i++) {
      clicked += l.impFlags[i] >>> 7;
      if ((l.impFlags[i] & ~(IMP_CLICKED | IMP_SOURCE)) !== 0) otherBits++;
    }
    expect(l.watches).toBe(clicked);
    expect(otherBits).toBe(0);
    let unordered = 0;
    for (let j = 1; j < l.watches; j++)
      if (!(l.watchImpression[j] > l.watchImpression[j - 1])) unordered++;
    expect(unordered).toBe(0);
    const impUser = new Int32Array(l.impressions);
    for (let s = 0; s < l.sessions; s++)
      for (let i = l.sessionImpOffsets[s]; i < l.sessionImpOffsets[s + 1]; i++)
        impUser[i] = l.sessionUser[s];
    const bad = { notClicked: 0, otherVideo: 0, otherUser: 0, notFound: 0, longerThanVideo: 0 };
    const used = new Uint8Array(l.impressions);
    for (let u = 0; u < w.users.count; u++) {
      for (let j = l.userWatchOffsets[u]; j < l.userWatchOffsets[u + 1]; j++) {
        const i = l.watchImpression[j];
        used[i]++;
        if (!(l.impFlags[i] & IMP_CLICKED)) bad.notClicked++;
        if (l.impVideo[i] !== l.watchVideo[j]) bad.otherVideo++;
        if (impUser[i] !== u) bad.otherUser++;
        if (watchOfImpression(l, i) !== j) bad.notFound++;
        if (l.watchMinutes[j] > w.videos.duration[l.watchVideo[j]]) bad.longerThanVideo++;
      }
    }
    expect(bad).toEqual({
      notClicked: 0,
      otherVideo: 0,
      otherUser: 0,
      notFound: 0,
      longerThanVideo: 0,
    });
    expect(used.every((x) => x <= 1)).toBe(true);
  });

  it("keeps each user's searches in time order", () => {
    const l = w.logs;
    let unordered = 0;
    for (let u = 0; u < w.users.count; u++)
      for (let k = l.userSearchOffsets[u] + 1; k < l.userSearchOffsets[u + 1]; k++)
        if (!(l.searchTime[k] >= l.searchTime[k - 1])) unordered++;
    expect(unordered).toBe(0);
    expect(l.searches).toBeGreaterThan(100);
  });

  it("keeps each user's watches in strictly increasing time order", () => {
    // The example builders roll history back by index (bag = the watches before the label's
    // index) and binary-search watch times, so a user's watch list must be sorted by time,
    // with no two watches at the same time.
    const l = w.logs;
    const bad: string[] = [];
    for (let u = 0; u < w.users.count; u++)
      for (let j = l.userWatchOffsets[u] + 1; j < l.userWatchOffsets[u + 1]; j++)
        if (!(l.watchTime[j] > l.watchTime[j - 1]))
          bad.push(`user ${u} watch ${j}: ${l.watchTime[j - 1]} then ${l.watchTime[j]}`);
    expect(bad.slice(0, 5)).toEqual([]);
  });
});

describe('the default world (docs/design-notes.md#calibration)', () => {
  let w: World;
  let s: WorldSummary;
  beforeAll(() => {
    w = generateWorld();
    s = summarizeWorld(w);
  }, 60_000);

  it('has the default sizes', () => {
    expect(s.videos).toBe(20000);
    expect(s.users).toBe(5000);
    expect(s.days).toBe(60);
    expect(s.seed).toBe(7);
  });

  it('has 50+ watches per video, so ID embeddings can be learned', () => {
    expect(s.watchesPerVideo).toBeGreaterThanOrEqual(50);
    expect(s.watches).toBe(w.logs.watches);
    expect(s.watchesPerVideo).toBeCloseTo(w.logs.watches / 20000, 10);
  });

  it('has a click-through rate between 0.1 and 0.5', () => {
    expect(s.ctr).toBeGreaterThan(0.1);
    expect(s.ctr).toBeLessThan(0.5);
  });

  it('shows the designed effects: Zipf popularity, clickbait, forward series', () => {
    expect(Math.abs(s.zipfExponent - 1)).toBeLessThan(0.15);
    expect(s.clickbait.ctr).toBeGreaterThan(1.2 * s.clickbait.ctrOther);
    expect(s.clickbait.watchFraction).toBeLessThan(0.5 * s.clickbait.watchFractionOther);
    expect(s.series.forwardShare).toBeGreaterThan(0.85);
  });

  it('has heavy-tailed user activity: the top 1% of users watch far more than their share', () => {
    const off = w.logs.userWatchOffsets;
    const perUser = Array.from({ length: w.users.count }, (_, u) => off[u + 1] - off[u]).sort(
      (x, y) => y - x,
    );
    const top = perUser.slice(0, 50).reduce((x, y) => x + y, 0);
    expect(top / w.logs.watches).toBeGreaterThan(0.05);
    expect(perUser[0]).toBeGreaterThan(5 * perUser[2500]);
  });

  it('shows impressions from every source', () => {
    const sources = s.impressionSources;
    for (const name of Object.keys(ImpressionSource))
      expect(sources[name], name).toBeGreaterThan(0);
    const total = Object.values(sources).reduce((x, y) => x + y, 0);
    expect(total).toBeCloseTo(1, 9);
  });
});
