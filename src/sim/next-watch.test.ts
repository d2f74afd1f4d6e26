import { beforeAll, describe, expect, it } from 'vitest';
import { buildCandidateExamples } from './examples';
import {
  drawPage,
  firstClickProbabilities,
  gaussLegendre01,
  nextWatchProbabilities,
  watchStateBefore,
} from './next-watch';
import { affinity } from './oracle';
import { createRng } from './rng';
import type { World } from './types';
import { generateWorld } from './world';

describe('gaussLegendre01', () => {
  it('integrates x^k over [0, 1] exactly up to degree 2m − 1', () => {
    for (const m of [1, 3, 6, 9]) {
      const { x, w } = gaussLegendre01(m);
      for (let k = 0; k <= 2 * m - 1; k++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += w[i] * x[i] ** k;
        expect(s).toBeCloseTo(1 / (k + 1), 12);
      }
    }
  });
});

describe('firstClickProbabilities', () => {
  it('equals the enumeration over every page order and click outcome', () => {
    const p = [0.3, 0.9, 0.05, 0.5];
    const n = p.length;
    // Brute force: each of the n! orders equally likely; the first clicked slot in the order.
    const brute = new Float64Array(n);
    const perms = (a: number[]): number[][] =>
      a.length <= 1
        ? [a]
        : a.flatMap((x, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map((r) => [x, ...r]));
    const all = perms([0, 1, 2, 3]);
    for (const order of all) {
      let none = 1;
      for (const i of order) {
        brute[i] += (none * p[i]) / all.length;
        none *= 1 - p[i];
      }
    }
    const got = firstClickProbabilities(p, n, gaussLegendre01(3), new Float64Array(n));
    for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(brute[i], 12);
    const sum = got.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1 - p.reduce((a, q) => a * (1 - q), 1), 12);
  });
});

describe('nextWatchProbabilities', () => {
  let w: World;
  beforeAll(() => {
    w = generateWorld({ seed: 3, videos: 2000, users: 400, days: 30 });
  }, 60_000);

  it('is a distribution over uploaded videos, deterministic for a seed', () => {
    const t = 25.3;
    const p = nextWatchProbabilities(w, 17, t, { samples: 200 });
    let sum = 0;
    let upcoming = 0;
    for (let v = 0; v < p.length; v++) {
      expect(p[v]).toBeGreaterThanOrEqual(0);
      sum += p[v];
      if (w.videos.uploadTime[v] > t) upcoming += p[v];
    }
    expect(sum).toBeCloseTo(1, 9);
    expect(upcoming).toBe(0);
    expect(nextWatchProbabilities(w, 17, t, { samples: 200 })).toEqual(p);
    expect(nextWatchProbabilities(w, 17, t, { samples: 200, seed: 2 })).not.toEqual(p);
  });

  it('draws pages like the logged ones (src/sim/sessions.ts): size, freshness, popularity, affinity', () => {
    // Logged pages of the test days against pages drawn for the same user and start time.
    const l = w.logs;
    const stats = () => ({ n: 0, pages: 0, fresh: 0, logPop: 0, aff: 0, watched: 0 });
    const logged = stats();
    const drawn = stats();
    const rng = createRng(9);
    const T = w.config.topics;
    const note = (
      s: ReturnType<typeof stats>,
      u: number,
      t: number,
      v: number,
      seen: Set<number>,
    ) => {
      s.n++;
      if (t - w.videos.uploadTime[v] < 3) s.fresh++;
      s.logPop += Math.log(w.videos.popularity[v] * w.videos.count);
      s.aff += affinity(w, u, v);
      if (seen.has(v)) s.watched++;
    };
    for (let x = 0; x < l.sessions; x += 11) {
      const u = l.sessionUser[x];
      const t = l.sessionTime[x];
      if (t < w.config.splitDay) continue;
      const state = watchStateBefore(w, u, t);
      logged.pages++;
      for (let i = l.sessionImpOffsets[x]; i < l.sessionImpOffsets[x + 1]; i++)
        note(logged, u, t, l.impVideo[i], state.watched);
      const cdf = new Float64Array(T);
      let acc = 0;
      for (let k = 0; k < T; k++) cdf[k] = acc += w.users.interests[u * T + k];
      for (let r = 0; r < 4; r++) {
        drawn.pages++;
        for (const v of drawPage(w, u, t, state, rng, cdf)) note(drawn, u, t, v, state.watched);
      }
    }
    if (process.env.NEXT_WATCH_FIGURES) console.log(JSON.stringify({ logged, drawn }));
    expect(logged.pages).toBeGreaterThan(300);
    // Measured: 9.87 vs 9.79 videos per page, fresh 0.169 vs 0.152, log(N·popularity) −0.257
    // vs −0.270, already watched 0.095 vs 0.088. Mean affinity 0.42 drawn vs 0.35 logged: a
    // logged pool has lived for several sessions, and the user clicked its best members first
    // (they are then skipped); a drawn pool is new (a known bias of the oracle, next-watch.ts).
    expect(Math.abs(drawn.n / drawn.pages - logged.n / logged.pages)).toBeLessThan(0.15);
    expect(Math.abs(drawn.fresh / drawn.n - logged.fresh / logged.n)).toBeLessThan(0.03);
    expect(Math.abs(drawn.logPop / drawn.n - logged.logPop / logged.n)).toBeLessThan(0.1);
    expect(Math.abs(drawn.aff / drawn.n - logged.aff / logged.n)).toBeLessThan(0.1);
    expect(Math.abs(drawn.watched / drawn.n - logged.watched / logged.n)).toBeLessThan(0.02);
  });

  it('puts the held-out next watch in its top 100 far more often than most-popular does', () => {
    const test = buildCandidateExamples(w, { split: 'test', perUserCap: 1 });
    let hits = 0;
    let popHits = 0;
    const byPop = Int32Array.from(w.videos.popularity.keys()).sort(
      (a, b) => w.videos.popularity[b] - w.videos.popularity[a],
    );
    const n = Math.min(120, test.count);
    for (let i = 0; i < n; i++) {
      const r = Math.floor((i * test.count) / n);
      const p = nextWatchProbabilities(w, test.user[r], test.time[r], { samples: 300 });
      const label = test.label[r];
      let above = 0;
      for (let v = 0; v < p.length; v++) if (v !== label && p[v] >= p[label]) above++;
      if (p[label] > 0 && above < 100) hits++;
      if (byPop.subarray(0, 100).includes(label)) popHits++;
    }
    expect(hits / n).toBeGreaterThan(0.5);
    expect(hits).toBeGreaterThan(2 * popHits);
  }, 60_000);
});
