/**
 * Issue 11 items 3, 8, 9: the example, vocabulary and embedding knobs reach the session's
 * models: the label and per-user cap choose the training examples, the video vocabulary the
 * candidate model's and the ranker's frozen rows (and the evaluation's out-of-vocabulary
 * share), the widths and the embedding mode the input tables.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import type { TrainingParams } from '../protocol/training';
import { generateWorld } from '../sim/world';
import { buildTrainingData, TrainingSession, type TrainingData } from './session';

const PARAMS: TrainingParams = { ...DEFAULT_TRAINING_PARAMS, batch: 48, negatives: 40 };

let data: TrainingData;
beforeAll(async () => {
  await useBackend('cpu');
  data = buildTrainingData(generateWorld({ seed: 4, videos: 300, users: 120, days: 16 }));
}, 60_000);

const session = (p: Partial<TrainingParams>) => new TrainingSession(data, { ...PARAMS, ...p }, 1);

describe('the example knobs', () => {
  it('the default label and cap train on the shared examples', () => {
    const s = session({});
    expect(s.train).toBe(data.train);
    s.dispose();
  });

  it('a per-user cap and the held-out label build other training examples', () => {
    const capped = session({ perUserCap: 3 });
    const perUser = new Map<number, number>();
    for (const u of capped.train.user) perUser.set(u, (perUser.get(u) ?? 0) + 1);
    expect(Math.max(...perUser.values())).toBe(3);
    expect(capped.train.count).toBeLessThan(data.train.count);
    const heldout = session({ label: 'heldout' });
    expect(heldout.train.options.label).toBe('heldout');
    expect(heldout.train.bagSkip.some((x) => x >= 0)).toBe(true);
    capped.dispose();
    heldout.dispose();
  });
});

describe('the vocabulary and embedding knobs', () => {
  it('a video vocabulary freezes rows of both models and is reported by the evaluation', async () => {
    const s = session({ videoVocab: 60 });
    expect(s.candidate.outOfVocab!.reduce((a, x) => a + x, 0)).toBe(240);
    const oov = s.candidate.outOfVocab!.indexOf(1);
    expect(s.ranker.table.isFrozen(oov)).toBe(true);
    expect(s.candidate.videoOut.isFrozen(oov)).toBe(true);
    await s.trainStep();
    const e = await s.evaluate(() => 0);
    expect(e.outOfVocab).toBeGreaterThan(0);
    expect(e.outOfVocab).toBeLessThan(1);
    s.dispose();
    const all = session({});
    expect((await all.evaluate(() => 0)).outOfVocab).toBe(0);
    all.dispose();
  });

  it('log widths and pretrained embeddings reach the candidate tables', () => {
    const log = session({ embeddingWidths: 'log' });
    expect(log.candidate.tables.videoIn.dim).toBe(Math.round(3.25 * Math.log(301)));
    const joint = session({});
    const pre = session({ embeddings: 'pretrained-finetune' });
    expect(pre.candidate.tables.videoIn.weights).not.toEqual(
      joint.candidate.tables.videoIn.weights,
    );
    expect(pre.candidate.videoOut.weights).toEqual(joint.candidate.videoOut.weights);
    for (const s of [log, joint, pre]) s.dispose();
  });

  it('a run with a vocabulary, log widths and pretrained embeddings resumes from its snapshot', async () => {
    const p: Partial<TrainingParams> = {
      videoVocab: 200,
      tokenVocab: 500,
      embeddingWidths: 'log',
      embeddings: 'pretrained-finetune',
    };
    const a = session(p);
    await a.trainStep();
    await a.trainStep();
    const snap = await a.snapshot();
    const b = session(p);
    b.load(snap);
    expect(await b.trainStep()).toEqual(await a.trainStep());
    expect(b.candidate.tables.videoIn.weights).toEqual(a.candidate.tables.videoIn.weights);
    a.dispose();
    b.dispose();
  });
});
