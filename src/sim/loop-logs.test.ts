import { beforeAll, describe, expect, it } from 'vitest';
import { ChoiceModel } from './choice';
import { buildCandidateExamples } from './examples';
import { appendLogs, logsBefore, logsBetween, RoundWriter } from './loop-logs';
import { buildRankingExamples } from './ranking-examples';
import { SimRng } from './rng';
import { IMP_CLICKED, ImpressionSource, type Logs, type World } from './types';
import { generateWorld } from './world';

/** Every column of `logs` as plain arrays, for deep equality. */
function plain(logs: Logs): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(logs).map(([k, v]) => [
      k,
      typeof v === 'number' ? v : Array.from(v as ArrayLike<number>),
    ]),
  );
}

describe('loop logs', () => {
  let w: World;
  beforeAll(() => {
    w = generateWorld({ seed: 3, videos: 600, users: 80, days: 20 });
  }, 60_000);

  it('copies the whole log unchanged', () => {
    expect(plain(logsBefore(w.logs, w.users.count, Infinity))).toEqual(plain(w.logs));
  });

  it('cuts at a time: only sessions before it, with their watches and searches', () => {
    const cut = logsBefore(w.logs, w.users.count, 12);
    expect(cut.sessions).toBeGreaterThan(0);
    expect(cut.sessions).toBeLessThan(w.logs.sessions);
    for (let s = 0; s < cut.sessions; s++) expect(cut.sessionTime[s]).toBeLessThan(12);
    let sessions = 0;
    let watches = 0;
    let searches = 0;
    for (let s = 0; s < w.logs.sessions; s++)
      if (w.logs.sessionTime[s] < 12) {
        sessions++;
        if (w.logs.sessionSearch[s] >= 0) searches++;
        for (let i = w.logs.sessionImpOffsets[s]; i < w.logs.sessionImpOffsets[s + 1]; i++)
          watches += w.logs.impFlags[i] >>> 7;
      }
    expect(cut.sessions).toBe(sessions);
    expect(cut.watches).toBe(watches);
    expect(cut.searches).toBe(searches);
    // Every watch points at a clicked impression of its video.
    for (let j = 0; j < cut.watches; j++) {
      const imp = cut.watchImpression[j];
      expect(cut.impFlags[imp] & IMP_CLICKED).toBe(IMP_CLICKED);
      expect(cut.impVideo[imp]).toBe(cut.watchVideo[j]);
    }
  });

  it('a cut and the rest appended give the original logs, and the same examples', () => {
    const U = w.users.count;
    const joined = appendLogs(logsBefore(w.logs, U, 9), logsBetween(w.logs, U, 9, Infinity), U);
    expect(plain(joined)).toEqual(plain(w.logs));
    const again = { ...w, logs: joined };
    const a = buildCandidateExamples(w, { split: 'train' });
    const b = buildCandidateExamples(again, { split: 'train' });
    expect(Array.from(b.label)).toEqual(Array.from(a.label));
    const ra = buildRankingExamples(w, { split: 'test' });
    const rb = buildRankingExamples(again, { split: 'test' });
    expect(Array.from(rb.logPopularity)).toEqual(Array.from(ra.logPopularity));
  });

  it('writes served sessions and appends them after the history', () => {
    const U = w.users.count;
    const T = w.config.days;
    const choice = new ChoiceModel(w, 0.5);
    const writer = new RoundWriter(U, U, 5);
    const slate = Int32Array.from([0, 1, 2, 3, 4]);
    let clicks = 0;
    for (let u = 0; u < U; u += 3) {
      const a = choice.answer(u, slate, T + 0.5, new Set(), new SimRng(1, u));
      clicks += a.clicked.reduce((x, c) => x + c, 0);
      writer.session(u, T + 0.5, slate, ImpressionSource.Legacy, a);
    }
    const round = writer.finish();
    expect(round.sessions).toBe(Math.ceil(U / 3));
    expect(round.watches).toBe(clicks);
    expect(round.userWatchOffsets[U]).toBe(clicks);
    const all = appendLogs(w.logs, round, U);
    expect(all.sessions).toBe(w.logs.sessions + round.sessions);
    expect(all.watches).toBe(w.logs.watches + round.watches);
    // Per user, watch times stay in order and the new watches come last.
    for (let u = 0; u < U; u++)
      for (let j = all.userWatchOffsets[u] + 1; j < all.userWatchOffsets[u + 1]; j++)
        expect(all.watchTime[j]).toBeGreaterThanOrEqual(all.watchTime[j - 1]);
    // Appending sessions that start before the history's last one is refused.
    expect(() => appendLogs(round, w.logs, U)).toThrow(/start before/);
  });
});
