/**
 * Candidate generation on the default world (docs/design-notes.md#calibration-targets): the trained
 * model beats most-popular by 2×, logQ correction does not hurt, and example age lets the model
 * follow fresh uploads (paper Figure 4). Each model trains 1000 steps (about a minute here).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCandidateExamples, type CandidateExamples } from '../../sim/examples';
import type { World } from '../../sim/types';
import { generateWorld } from '../../sim/world';
import { useBackend } from '../backend';
import { evaluationRows, groupMass } from './evaluate';
import { popularBaseline, trainCandidate, type CandidateRun } from './train';

const STEPS = 1000;
let world: World;
let train: CandidateExamples;
let test: CandidateExamples;
let base: CandidateRun;

beforeAll(async () => {
  await useBackend('wasm');
  world = generateWorld({ seed: 7 });
  train = buildCandidateExamples(world, { split: 'train' });
  test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
  base = await trainCandidate(world, train, test, {}, STEPS);
}, 300_000);

describe('candidate generation on the default world', () => {
  it('reaches at least twice the recall@100 of most-popular', () => {
    const popular = popularBaseline(world, test);
    if (process.env.CANDIDATE_FIGURES)
      console.log(JSON.stringify({ model: base.metrics.recallAt, popular: popular.recallAt }));
    expect(popular.recallAt[100]).toBeGreaterThan(0.02);
    expect(base.metrics.recallAt[100]).toBeGreaterThanOrEqual(2 * popular.recallAt[100]);
    // Recall grows with k and MAP is a proper fraction.
    expect(base.metrics.recallAt[500]).toBeGreaterThan(base.metrics.recallAt[100]);
    expect(base.metrics.map).toBeGreaterThan(0);
    expect(base.metrics.map).toBeLessThan(1);
  });

  it('logQ correction does not lower recall with the popularity sampler', async () => {
    const off = await trainCandidate(world, train, test, { logQ: false }, STEPS);
    off.model.dispose();
    if (process.env.CANDIDATE_FIGURES)
      console.log(
        JSON.stringify({ logQ: base.metrics.recallAt[100], noLogQ: off.metrics.recallAt[100] }),
      );
    // Same seed, batches and negatives: only the correction differs. Allow sampling noise of
    // one standard error of a recall near 0.13 over 2000 examples (≈ 0.0075).
    expect(base.metrics.recallAt[100]).toBeGreaterThanOrEqual(off.metrics.recallAt[100] - 0.0075);
  }, 300_000);

  it('follows fresh uploads with example age, and predicts the window average without it', async () => {
    const split = world.config.splitDay;
    // Videos uploaded in the last 5 training days.
    const fresh = Uint8Array.from(world.videos.uploadTime, (t) =>
      t >= split - 5 && t < split ? 1 : 0,
    );
    // Empirical share of training labels that are these videos: over the whole window, and
    // in the last 5 days (where they are new and rising).
    let all = 0;
    let recent = 0;
    let recentAll = 0;
    for (let i = 0; i < train.count; i++) {
      const f = fresh[train.label[i]];
      all += f;
      if (train.time[i] >= split - 5) {
        recentAll++;
        recent += f;
      }
    }
    const windowShare = all / train.count;
    const recentShare = recent / recentAll;
    expect(recentShare).toBeGreaterThan(3 * windowShare);

    const rows = evaluationRows(test, 600);
    const withAge = await groupMass(base.model, test, rows, fresh);
    const noAge = await trainCandidate(
      world,
      train,
      test,
      { features: { searches: true, demographics: true, exampleAge: false } },
      STEPS,
      200,
    );
    const withoutAge = await groupMass(noAge.model, test, rows, fresh);
    noAge.model.dispose();
    if (process.env.CANDIDATE_FIGURES)
      console.log(JSON.stringify({ windowShare, recentShare, withAge, withoutAge }));
    // With example age (0 at serving) the model gives fresh videos clearly more mass, closer
    // to their recent share than the model without it.
    expect(withAge).toBeGreaterThan(1.25 * withoutAge);
    expect(Math.abs(Math.log(withAge / recentShare))).toBeLessThan(
      Math.abs(Math.log(withoutAge / recentShare)),
    );
  }, 300_000);
});
