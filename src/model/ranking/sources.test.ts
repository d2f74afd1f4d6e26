import { beforeAll, describe, expect, it } from 'vitest';
import { buildCandidateExamples } from '../../sim/examples';
import { buildRankingExamples } from '../../sim/ranking-examples';
import { generateWorld } from '../../sim/world';
import { useBackend } from '../backend';
import { defaultCandidateConfig } from '../candidate/config';
import { CandidateModel, labelCounts } from '../candidate/model';
import { attachCandidateSources, pageQueries } from './sources';

beforeAll(async () => {
  await useBackend('wasm');
});

const world = generateWorld({ seed: 5, videos: 600, users: 120, days: 20 });

describe('candidate sources', () => {
  it('queries each page with the history strictly before the session (no label leak)', () => {
    const ex = buildRankingExamples(world, { split: 'train', pagesPerUser: 3 });
    const model = new CandidateModel(world, defaultCandidateConfig, new Float32Array(600));
    const { queries, queryOf } = pageQueries(model, ex);
    const { watchTime, searchTime, userSearchOffsets } = world.logs;
    let bad = 0;
    for (let i = 0; i < ex.count; i++) {
      const q = queryOf[i];
      if (queries.user[q] !== ex.user[i] || queries.time[q] !== ex.time[i]) bad++;
      if (
        queries.bagEnd[q] > queries.bagStart[q] &&
        !(watchTime[queries.bagEnd[q] - 1] < ex.time[i])
      )
        bad++;
      const end = queries.searchEnd[q];
      if (end > userSearchOffsets[ex.user[i]] && !(searchTime[end - 1] < ex.time[i])) bad++;
      if (end < userSearchOffsets[ex.user[i] + 1] && !(searchTime[end] >= ex.time[i])) bad++;
    }
    expect(bad).toBe(0);
    expect(queries.exampleAge.every((a) => a === 0)).toBe(true);
    // One query per page.
    expect(queries.count).toBe(new Set(ex.page).size);
  });

  it('scores each impression by u·v + b and ranks higher scores first', async () => {
    const train = buildCandidateExamples(world, { split: 'train' });
    const model = new CandidateModel(
      world,
      { ...defaultCandidateConfig, batchSize: 64 },
      labelCounts(world, train),
    );
    for (let i = 0; i < 20; i++) await model.trainStep(train);
    const ex = buildRankingExamples(world, { split: 'test', pagesPerUser: 2 });
    await attachCandidateSources(model, ex);
    const { queries, queryOf } = pageQueries(model, ex);
    const rows = Int32Array.from({ length: queries.count }, (_, i) => i);
    const uT = model.userVectors(model.inputs(queries, rows, true));
    const u = (await uT.data()) as Float32Array;
    uT.dispose();
    const d = model.d;
    let worst = 0;
    for (let i = 0; i < ex.count; i++) {
      let s = model.videoBias.weights[ex.video[i]];
      for (let k = 0; k < d; k++)
        s += u[queryOf[i] * d + k] * model.videoOut.weights[ex.video[i] * d + k];
      worst = Math.max(worst, Math.abs(s - ex.sourceScore![i]));
    }
    expect(worst).toBeLessThan(1e-3);
    // log rank ∈ [0, log(videos)], and within a page a higher score never ranks lower.
    let disorder = 0;
    for (let i = 0; i < ex.count; i++) {
      expect(ex.sourceRank![i]).toBeGreaterThanOrEqual(0);
      expect(ex.sourceRank![i]).toBeLessThanOrEqual(Math.log(601));
      for (let j = i + 1; j < ex.count && ex.page[j] === ex.page[i]; j++)
        if ((ex.sourceScore![i] - ex.sourceScore![j]) * (ex.sourceRank![j] - ex.sourceRank![i]) < 0)
          disorder++;
    }
    expect(disorder).toBe(0);
    // The rank spreads: some impressions are near the top, some far down.
    const ranks = Array.from(ex.sourceRank!).sort((a, b) => a - b);
    expect(ranks[ranks.length - 1] - ranks[0]).toBeGreaterThan(2);
  });
});
