/**
 * The models' public state: exportWeights / importWeights (names, order, fresh copies, errors
 * naming the weight) and applyConfig (live fields take effect as if the model had been built
 * with them; structural ones refuse). Run on the CPU backend, where `await v.data()` hands out
 * the backend's own buffer: a missing copy shows up here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCandidateExamples } from '../sim/examples';
import { buildRankingExamples } from '../sim/ranking-examples';
import { generateWorld } from '../sim/world';
import { useBackend } from './backend';
import { defaultCandidateConfig, type CandidateConfig } from './candidate/config';
import { CandidateModel, labelCounts } from './candidate/model';
import { defaultRankingConfig, type RankingConfig } from './ranking/config';
import { RankingModel } from './ranking/model';
import type { NamedWeights } from './weights';

const world = generateWorld({ seed: 7, videos: 400, users: 150 });
const train = buildCandidateExamples(world, { split: 'train' });
const counts = labelCounts(world, train);
const rankTrain = buildRankingExamples(world, { split: 'train' });
const cand: CandidateConfig = { ...defaultCandidateConfig, depth: 2, batchSize: 32, negatives: 16 };
const rank: RankingConfig = { ...defaultRankingConfig, hidden: [16, 8], batchSize: 64 };

beforeAll(async () => {
  expect(await useBackend('cpu')).toBe('cpu');
});

const names = (list: NamedWeights[]) => list.map((w) => w.name);
const layerNames = (n: number) =>
  Array.from({ length: n }, (_, i) => [`layer${i}.w`, `layer${i}.b`]).flat();

describe('exportWeights and importWeights', () => {
  it('candidate model: tables then tower layers, in a fixed order, as fresh copies', async () => {
    const model = new CandidateModel(world, cand, counts);
    await model.trainStep(train);
    const list = await model.exportWeights();
    expect(names(list)).toEqual([
      'videoIn',
      'search',
      'region',
      'device',
      'videoOut',
      'videoBias',
      ...layerNames(3),
    ]);
    const byName = new Map(list.map((w) => [w.name, w.data]));
    expect(byName.get('videoOut')).toEqual(model.videoOut.weights);
    expect(byName.get('videoOut')!.buffer).not.toBe(model.videoOut.weights.buffer);
    expect(byName.get('videoBias')!.length).toBe(400);
    // Scribbling on (or transferring) an export leaves the model as it was.
    for (const w of list) w.data.fill(7);
    const again = await model.exportWeights();
    expect(again.every((w) => w.data.some((x) => x !== 7))).toBe(true);
    model.dispose();
  });

  it('factorisation: the user table and no tower', async () => {
    const mf = new CandidateModel(world, { ...cand, userInput: 'id' }, counts);
    expect(names(await mf.exportWeights())).toEqual([
      'videoIn',
      'search',
      'region',
      'device',
      'user',
      'videoOut',
      'videoBias',
    ]);
    mf.dispose();
  });

  it('round-trips into a fresh model, which then serves the same vectors', async () => {
    const a = new CandidateModel(world, cand, counts);
    for (let s = 0; s < 3; s++) await a.trainStep(train);
    const b = new CandidateModel(world, cand, counts);
    const exported = await a.exportWeights();
    b.importWeights(exported);
    const back = await b.exportWeights();
    expect(names(back)).toEqual(names(exported));
    back.forEach((w, i) => expect(w.data).toEqual(exported[i].data));
    // The import copied: scribbling on what was imported changes nothing in b.
    for (const w of exported) w.data.fill(0);
    const rows = Int32Array.of(0, 5, 9);
    const [ua, ub] = [a, b].map((m) => m.userVectors(m.inputs(train, rows)));
    expect(Array.from(await ub.data())).toEqual(Array.from(await ua.data()));
    ua.dispose();
    ub.dispose();
    a.dispose();
    b.dispose();
  });

  it('names a missing weight or a wrong size, and changes nothing', async () => {
    const model = new CandidateModel(world, cand, counts);
    const list = await model.exportWeights();
    const before = model.videoOut.weights.slice();
    const changed = list.map((w) => ({ name: w.name, data: w.data.map((x) => x + 1) }));
    expect(() => model.importWeights(changed.filter((w) => w.name !== 'layer1.b'))).toThrow(
      /layer1\.b/,
    );
    const short = changed.map((w) =>
      w.name === 'search' ? { ...w, data: w.data.subarray(1) } : w,
    );
    expect(() => model.importWeights(short)).toThrow(/search/);
    expect(model.videoOut.weights).toEqual(before);
    model.dispose();
  });

  it('ranker: the video and language tables then every tower layer, output last; round-trips', async () => {
    const a = new RankingModel(world, rank, rankTrain);
    await a.trainStep(rankTrain);
    const list = await a.exportWeights();
    // The language group is on by default: its table follows the video table.
    expect(names(list)).toEqual(['video', 'language', ...layerNames(3)]);
    expect(list[0].data).toEqual(a.table.weights);
    expect(list[list.length - 1].data.length).toBe(1); // the output bias
    const b = new RankingModel(world, rank, rankTrain, a.quantiles);
    b.importWeights(list);
    const rows = Int32Array.of(1, 2, 3, 50);
    expect(await b.predictLogits(rankTrain, rows)).toEqual(await a.predictLogits(rankTrain, rows));
    expect(() => b.importWeights(list.slice(1))).toThrow(/"video"/);
    a.dispose();
    b.dispose();
  });
});

describe('applyConfig', () => {
  it('candidate: live fields train exactly as a model built with them', async () => {
    const live: CandidateConfig = {
      ...cand,
      learningRate: 0.05,
      sampler: 'log-uniform',
      alpha: 0.5,
      negatives: 24,
      logQ: false,
      removeAccidentalHits: false,
      batchSize: 20,
    };
    const changed = new CandidateModel(world, cand, counts);
    changed.applyConfig(live);
    const built = new CandidateModel(world, live, counts);
    expect(changed.sampler?.kind).toBe('log-uniform');
    expect(changed.config).toEqual(built.config);
    for (let s = 0; s < 3; s++)
      expect((await changed.trainStep(train)).loss).toBe((await built.trainStep(train)).loss);
    expect(changed.videoOut.weights).toEqual(built.videoOut.weights);
    changed.applyConfig({ ...live, sampler: 'full' });
    expect(changed.sampler).toBeNull();
    changed.dispose();
    built.dispose();
  });

  it('candidate: refuses a structural change, naming it, and keeps the config', () => {
    const model = new CandidateModel(world, cand, counts);
    expect(() => model.applyConfig({ ...cand, depth: 1, negatives: 99 })).toThrow(/depth/);
    expect(() =>
      model.applyConfig({ ...cand, features: { ...cand.features, searches: false } }),
    ).toThrow(/features\.searches/);
    expect(() => model.applyConfig({ ...cand, seed: 2 })).toThrow(/seed/);
    expect(model.config.negatives).toBe(cand.negatives);
    model.dispose();
  });

  it('ranker: the weighting and learning rate apply from the next step', async () => {
    const model = new RankingModel(world, rank, rankTrain);
    expect((await model.trainStep(rankTrain)).weightSum).toBeGreaterThan(64); // watch minutes
    model.applyConfig({ ...rank, weighted: false, learningRate: 0.01, batchSize: 50 });
    expect(model.config.weighted).toBe(false);
    expect(model.config.learningRate).toBe(0.01);
    expect((await model.trainStep(rankTrain)).weightSum).toBe(50); // CTR: one per impression
    expect(() => model.applyConfig({ ...rank, hidden: [16] })).toThrow(/hidden/);
    expect(() => model.applyConfig({ ...rank, powers: false })).toThrow(/powers/);
    model.dispose();
  });
});
