/**
 * The candidate model's vocabulary (docs/model.md#vocabulary) and its embedding knobs: ids out
 * of vocabulary read a zero row that training never moves, out-of-vocabulary videos are out of
 * the softmax and their held-out next watches count as misses; the widths and the pretrained
 * embeddings reach the tables.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCandidateExamples, type CandidateExamples } from '../../sim/examples';
import type { World } from '../../sim/types';
import { generateWorld } from '../../sim/world';
import { useBackend } from '../backend';
import { pretrainedEmbeddings } from '../pretrain';
import { vocabularies, watchedVideoCount } from '../vocabulary';
import { defaultCandidateConfig, OOV_BIAS, type CandidateConfig } from './config';
import { evaluationRows, MISS_RANK, modelRanks } from './evaluate';
import { CandidateModel, labelCounts } from './model';
import { modelRetrieval } from './train';

let world: World;
let train: CandidateExamples;
let test: CandidateExamples;

beforeAll(async () => {
  await useBackend('cpu');
  world = generateWorld({ seed: 5, videos: 300, users: 120, days: 20 });
  train = buildCandidateExamples(world, { split: 'train' });
  test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
});

const config = (c: Partial<CandidateConfig>): CandidateConfig => ({
  ...defaultCandidateConfig,
  negatives: 40,
  batchSize: 64,
  ...c,
});

async function trained(c: Partial<CandidateConfig>, steps = 15): Promise<CandidateModel> {
  const m = new CandidateModel(world, config(c), labelCounts(world, train));
  for (let s = 0; s < steps; s++) await m.trainStep(train);
  return m;
}

const row = (w: Float32Array, d: number, i: number) => Array.from(w.subarray(i * d, i * d + d));

describe('video and token vocabularies', () => {
  it('V = every video is the model without a vocabulary (the default changes nothing)', async () => {
    const a = await trained({});
    const b = await trained({ videoVocab: world.videos.count });
    expect(b.outOfVocab).toBeNull();
    expect(b.videoOut.weights).toEqual(a.videoOut.weights);
    expect(b.tables.videoIn.weights).toEqual(a.tables.videoIn.weights);
    a.dispose();
    b.dispose();
  });

  it('keeps out-of-vocabulary rows at zero (bias OOV_BIAS) and never trains on their labels', async () => {
    const V = 100;
    const m = await trained({ videoVocab: V, tokenVocab: 200 });
    const oov = m.outOfVocab!;
    expect(oov.reduce((a, x) => a + x, 0)).toBe(world.videos.count - V);
    const d = m.d;
    const zero = new Array(d).fill(0);
    let moved = 0;
    const fresh = new CandidateModel(
      world,
      config({ videoVocab: V, tokenVocab: 200 }),
      labelCounts(world, train),
    );
    for (let v = 0; v < world.videos.count; v++) {
      if (oov[v]) {
        expect(row(m.videoOut.weights, d, v)).toEqual(zero);
        expect(row(m.tables.videoIn.weights, m.widths.video, v)).toEqual(
          new Array(m.widths.video).fill(0),
        );
        expect(m.videoBias.weights[v]).toBe(OOV_BIAS);
      } else if (m.videoBias.weights[v] !== fresh.videoBias.weights[v]) moved++;
    }
    expect(moved).toBeGreaterThan(20);
    const tok = vocabularies(world, V, 200).token!;
    const w = m.widths.search;
    for (let t = 0; t < tok.length; t++)
      if (tok[t]) expect(row(m.tables.search.weights, w, t)).toEqual(new Array(w).fill(0));
    // The held-out loss is over in-vocabulary labels only (an OOV label would cost 10⁴ nats).
    const loss = await m.heldOutLoss(test, evaluationRows(test), 1);
    expect(loss).toBeGreaterThan(0);
    expect(loss).toBeLessThan(50);
    m.dispose();
    fresh.dispose();
  });

  it('counts a held-out next watch outside the vocabulary as a miss, and reports how many', async () => {
    const V = watchedVideoCount(world);
    const m = await trained({ videoVocab: V });
    const rows = evaluationRows(test);
    const ranks = await modelRanks(m, test, rows);
    let out = 0;
    rows.forEach((r, i) => {
      if (m.outOfVocab![test.label[r]]) {
        out++;
        expect(ranks[i]).toBe(MISS_RANK);
      } else expect(ranks[i]).toBeLessThan(world.videos.count);
    });
    expect(out).toBeGreaterThan(0);
    const metrics = await modelRetrieval(m, test, rows.length);
    expect(metrics.outOfVocab).toEqual({ count: out, share: out / rows.length });
    m.dispose();
  });
});

describe('embedding widths and pretrained embeddings', () => {
  it('log widths follow the log of each vocabulary', () => {
    const fixed = new CandidateModel(world, config({}), labelCounts(world, train));
    const log = new CandidateModel(
      world,
      config({ embeddingWidths: 'log', videoVocab: 50 }),
      labelCounts(world, train),
    );
    expect(fixed.widths).toEqual({ video: 32, search: 16, region: 4, device: 4 });
    expect(log.widths.video).toBe(Math.round(3.25 * Math.log(51)));
    expect(log.tables.videoIn.dim).toBe(log.widths.video);
    expect(log.widths.region).toBeLessThan(log.widths.search);
    fixed.dispose();
    log.dispose();
  });

  it('starts from the CBOW tables, then keeps them frozen or fine-tunes them', async () => {
    const frozen = await trained({ embeddings: 'pretrained-frozen' }, 10);
    const tune = await trained({ embeddings: 'pretrained-finetune' }, 10);
    const joint = await trained({}, 10);
    const pre = pretrainedEmbeddings(world, {
      videoWidth: 32,
      tokenWidth: 16,
      seed: 1,
      video: null,
      token: null,
    });
    expect(frozen.tables.videoIn.weights).toEqual(pre.video);
    expect(frozen.tables.search.weights).toEqual(pre.token);
    expect(tune.tables.videoIn.weights).not.toEqual(pre.video);
    expect(joint.tables.videoIn.weights).not.toEqual(tune.tables.videoIn.weights);
    // Only the input tables differ at the start: the output vectors start equal.
    const start = new CandidateModel(
      world,
      config({ embeddings: 'pretrained-frozen' }),
      labelCounts(world, train),
    );
    const startJoint = new CandidateModel(world, config({}), labelCounts(world, train));
    expect(start.videoOut.weights).toEqual(startJoint.videoOut.weights);
    for (const m of [frozen, tune, joint, start, startJoint]) m.dispose();
  });
});
