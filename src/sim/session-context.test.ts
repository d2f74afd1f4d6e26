import { describe, expect, it } from 'vitest';
import { AliasTable } from './alias';
import { buildVocabulary } from './catalogue';
import { SimRng } from './rng';
import {
  drawTopic,
  drawTopicGuided,
  interestCdf,
  latentByIdInPlace,
  sampleVideo,
  sessionContext,
  TOPIC_GUIDE_BITS,
  topicGuide,
  uploadOrder,
} from './session-context';
import { generateWorldBase } from './world';

describe('session context draws', () => {
  it('drawTopicGuided draws drawTopic’s topic from the same uniform, zero-weight topics included', () => {
    const T = 50;
    const guide = new Int32Array(1 << TOPIC_GUIDE_BITS);
    const cdf = new Float64Array(T);
    const make = new SimRng(1);
    for (let trial = 0; trial < 40; trial++) {
      const w = new Float32Array(T);
      // Sparse mixtures (most topics 0), one dominant topic, and flat ones.
      for (let t = 0; t < T; t++)
        w[t] = trial % 3 === 0 ? (make.next() < 0.1 ? make.next() : 0) : make.next() ** 8;
      if (trial % 3 === 0) w[trial % T] += 0.01;
      interestCdf(w, 0, T, cdf);
      topicGuide(cdf, guide);
      const a = new SimRng(trial, 9);
      const b = new SimRng(trial, 9);
      for (let i = 0; i < 2000; i++) expect(drawTopicGuided(cdf, guide, b)).toBe(drawTopic(cdf, a));
    }
  });

  it('sampleVideo draws the AliasTable’s video from the same two uniforms', () => {
    const { world, vocab } = generateWorldBase({ seed: 4, videos: 3000, users: 10 });
    expect(buildVocabulary(world.config.topics).words).toEqual(vocab.words);
    const ctx = sessionContext(world, vocab);
    const table = new AliasTable(world.videos.popularity);
    const a = new SimRng(5);
    const b = new SimRng(5);
    const uniform = () => a.next();
    for (let i = 0; i < 20000; i++)
      expect(sampleVideo(ctx.popular, 0, b)).toBe(table.draw(uniform));
  });

  it('uploadOrder is the stable comparator sort by upload time: ties by id, −0 as +0, negatives first', () => {
    const rng = new SimRng(9, 1);
    const upload = new Float32Array(5000);
    for (let v = 0; v < upload.length; v++) {
      const r = rng.next();
      // Many ties (whole days), both zeros, catalogue uploads before 0 and fresh ones after.
      upload[v] =
        r < 0.2
          ? Math.floor(60 * rng.next())
          : r < 0.25
            ? r < 0.225
              ? -0
              : 0
            : 400 * rng.next() - 365;
    }
    const want = Int32Array.from(upload, (_, i) => i).sort((a, b) => upload[a] - upload[b]);
    expect(Array.from(uploadOrder(upload, false))).toEqual(Array.from(want));
    expect(Array.from(uploadOrder(upload, true))).toEqual(Array.from(want));
  });

  it('latentByIdInPlace puts the latent rows by slot back in id order, bit for bit', () => {
    for (const languages of [1, 3]) {
      const { world, vocab } = generateWorldBase({ seed: 5, videos: 3000, users: 10, languages });
      const ctx = sessionContext(world, vocab);
      const bySlot = ctx.latent;
      const back = latentByIdInPlace(ctx);
      expect(back).toBe(bySlot);
      expect(back).toEqual(world.videos.latent);
    }
  });
});
