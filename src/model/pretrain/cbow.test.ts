import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../sim/world';
import { searchTokenSpace } from '../../sim/examples';
import { trainCbow } from './cbow';
import { pretrainedEmbeddings, searchSequences, watchSequences } from './index';

const cos = (v: Float32Array, d: number, a: number, b: number) => {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < d; k++) {
    ab += v[a * d + k] * v[b * d + k];
    aa += v[a * d + k] ** 2;
    bb += v[b * d + k] ** 2;
  }
  return ab / Math.sqrt(aa * bb);
};

describe('CBOW', () => {
  // Four "topics" of 25 ids: a sequence stays inside one topic (ids drawn by an LCG).
  const T = 4;
  const per = 25;
  const n = T * per + 1; // the last id never occurs
  const seqs: number[][] = [];
  let x = 12345;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let s = 0; s < 800; s++)
    seqs.push(Array.from({ length: 10 }, () => (s % T) * per + Math.floor(next() * per)));
  const ids = Int32Array.from(seqs.flat());
  const offsets = Int32Array.from({ length: seqs.length + 1 }, (_, i) => i * 10);
  const o = { dim: 8, window: 3, negatives: 5, epochs: 5, learningRate: 0.05, seed: 3 };

  it('puts ids of the same sequences closer than ids of others, and lowers its loss', () => {
    const r = trainCbow({ ids, offsets }, n, { ...o, outOfVocab: null });
    expect(r.epochLoss.at(-1)!).toBeLessThan(r.epochLoss[0]);
    let same = 0;
    let other = 0;
    let ns = 0;
    let no = 0;
    for (let a = 0; a < T * per; a++)
      for (let b = 0; b < T * per; b++) {
        if (a === b) continue;
        const c = cos(r.vectors, 8, a, b);
        if (Math.floor(a / per) === Math.floor(b / per)) {
          same += c;
          ns++;
        } else {
          other += c;
          no++;
        }
      }
    if (process.env.CBOW_FIGURES) console.log({ same: same / ns, other: other / no });
    expect(same / ns).toBeGreaterThan(other / no + 0.3);
    // The last id never occurs: a zero vector.
    expect(Array.from(r.vectors.subarray((n - 1) * 8, n * 8))).toEqual(new Array(8).fill(0));
  });

  it('is deterministic for a seed and leaves out-of-vocabulary ids at zero', () => {
    const oov = new Uint8Array(n);
    oov[3] = 1;
    const a = trainCbow({ ids, offsets }, n, { ...o, outOfVocab: oov });
    const b = trainCbow({ ids, offsets }, n, { ...o, outOfVocab: oov });
    expect(a.vectors).toEqual(b.vectors);
    expect(Array.from(a.vectors.subarray(24, 32))).toEqual(new Array(8).fill(0));
    const c = trainCbow({ ids, offsets }, n, { ...o, seed: 4, outOfVocab: oov });
    expect(c.vectors).not.toEqual(a.vectors);
  });
});

describe('pretrained tables of a world', () => {
  const world = generateWorld({ seed: 5, videos: 300, users: 120, days: 20 });

  it('uses only training-day watches and searches, one sequence per user', () => {
    const w = watchSequences(world);
    expect(w.offsets.length).toBe(world.users.count + 1);
    const split = world.config.splitDay;
    expect(w.ids.length).toBe(world.logs.watchTime.filter((t) => t < split).length);
    const s = searchSequences(world);
    expect(s.offsets.length).toBe(world.users.count + 1);
    for (const id of s.ids) expect(id).toBeLessThan(searchTokenSpace(world));
  });

  it('gives tables of the asked widths, cached per request', () => {
    const r = { videoWidth: 6, tokenWidth: 4, seed: 1, video: null, token: null };
    const p = pretrainedEmbeddings(world, r, { epochs: 1 });
    expect(p.video.length).toBe(world.videos.count * 6);
    expect(p.token.length).toBe(searchTokenSpace(world) * 4);
    expect(p.video.some((x) => x !== 0)).toBe(true);
    expect(p.token.some((x) => x !== 0)).toBe(true);
    expect(pretrainedEmbeddings(world, r, { epochs: 1 })).toBe(p);
  });
});
