/**
 * One step in slow motion (step-trace.ts): the trace of a step is the training step's own
 * arithmetic. Its loss is bit for bit the loss `trainBatch` reports on the same batch; its
 * matrices fit together (scores + correction + mask = logits, softmax rows sum to 1, the mean
 * per-example loss is the loss); the gradient on a negative's vector matches a central finite
 * difference of the loss, and ∂L/∂u the closed form (1/B) Σ_c (p_bc − [c = 0]) v_c; and taking a
 * trace leaves the run as it was.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCandidateExamples, type CandidateExamples } from '../../sim/examples';
import { createRng } from '../../sim/rng';
import type { World } from '../../sim/types';
import { generateWorld } from '../../sim/world';
import { useBackend } from '../backend';
import { defaultCandidateConfig, type CandidateConfig } from './config';
import { CandidateModel, labelCounts } from './model';
import { MASKED_LOGIT } from './sampled-softmax';

let world: World;
let train: CandidateExamples;
let counts: Float32Array;
const K = 12;
const B = 6;
const CONFIG: CandidateConfig = {
  ...defaultCandidateConfig,
  depth: 1,
  negatives: K,
  batchSize: 64,
};

beforeAll(async () => {
  await useBackend('wasm');
  world = generateWorld({ seed: 3, videos: 300, users: 200, days: 20 });
  train = buildCandidateExamples(world, { split: 'train' });
  counts = labelCounts(world, train);
}, 60_000);

async function trained(steps: number, config = CONFIG): Promise<CandidateModel> {
  const m = new CandidateModel(world, config, counts);
  for (let i = 0; i < steps; i++) await m.trainStep(train);
  return m;
}

const ROWS = Int32Array.of(3, 40, 41, 900, 1200, 77);

describe('a traced step', () => {
  it('reports the loss the training step reports on the same batch, and its parts fit', async () => {
    const m = await trained(5);
    const trace = await m.traceBatch(train, ROWS, createRng(9).uniform, K);
    const { loss } = await m.trainBatch(train, ROWS, createRng(9).uniform);
    expect(trace.loss).toBe(loss);
    expect(trace.step).toBe(5);
    expect([trace.B, trace.K]).toEqual([B, K]);
    const C = 1 + K;
    for (const a of [trace.scores, trace.correction, trace.hits, trace.logits, trace.softmax])
      expect(a.length).toBe(B * C);
    expect(Array.from(trace.labels)).toEqual(Array.from(ROWS, (r) => train.label[r]));
    let mean = 0;
    for (let b = 0; b < B; b++) {
      let sum = 0;
      for (let c = 0; c < C; c++) {
        const i = b * C + c;
        // A masked hit's logit is −1e9 (plus a score lost in float32 rounding).
        if (trace.hits[i]) expect(trace.logits[i]).toBeLessThan(MASKED_LOGIT / 2);
        else expect(trace.logits[i]).toBeCloseTo(trace.scores[i] + trace.correction[i], 4);
        if (c > 0) expect(trace.hits[i]).toBe(trace.negatives[c - 1] === trace.labels[b] ? 1 : 0);
        if (trace.hits[i]) expect(trace.softmax[i]).toBe(0);
        sum += trace.softmax[i];
      }
      expect(sum).toBeCloseTo(1, 5);
      expect(trace.perExample[b]).toBeCloseTo(-Math.log(trace.softmax[b * C]), 4);
      mean += trace.perExample[b] / B;
      // logQ on: the correction is −log q of the column's video.
      expect(trace.correction[b * C]).toBeCloseTo(-Math.log(trace.qLabels[b]), 4);
      expect(trace.correction[b * C + 1]).toBeCloseTo(-Math.log(trace.qNegatives[0]), 4);
    }
    expect(mean).toBeCloseTo(loss, 5);
    // This batch has accidental hits (300 videos, popularity sampler), so the mask is exercised.
    expect(trace.hits.reduce((a, h) => a + h, 0)).toBeGreaterThan(0);
    m.dispose();
  });

  it('gives the gradient a finite difference finds on a negative, and ∂L/∂u in closed form', async () => {
    const m = await trained(3);
    const trace = await m.traceBatch(train, ROWS, createRng(4).uniform, K);
    const { d } = trace;
    const C = 1 + K;
    // A negative that is nobody's positive: its gradient is the sum over its columns.
    const j = trace.negatives.findIndex((v) => !trace.labels.includes(v));
    const video = trace.negatives[j];
    const grad = new Float64Array(d);
    trace.negatives.forEach((v, c) => {
      if (v === video) for (let k = 0; k < d; k++) grad[k] += trace.gradNegative[c * d + k];
    });
    const w = m.videoOut.weights;
    const eps = 1e-2;
    for (const k of [0, 1, 2]) {
      const at = video * d + k;
      const keep = w[at];
      w[at] = keep + eps;
      const up = (await m.traceBatch(train, ROWS, createRng(4).uniform, K)).loss;
      w[at] = keep - eps;
      const down = (await m.traceBatch(train, ROWS, createRng(4).uniform, K)).loss;
      w[at] = keep;
      expect(Math.abs(grad[k])).toBeGreaterThan(1e-4);
      expect((up - down) / (2 * eps)).toBeCloseTo(grad[k], 3);
    }
    // ∂L/∂u_b = (1/B) Σ_c (p_bc − [c = 0]) v_c, and ∂L/∂v_{y_b} = (1/B)(p_b0 − 1) u_b.
    for (let b = 0; b < B; b++)
      for (let k = 0; k < d; k++) {
        let g = (trace.softmax[b * C] - 1) * trace.vPositive[b * d + k];
        for (let c = 1; c < C; c++)
          g += trace.softmax[b * C + c] * trace.vNegative[(c - 1) * d + k];
        expect(trace.gradU[b * d + k]).toBeCloseTo(g / B, 5);
        const gPos = ((trace.softmax[b * C] - 1) * trace.u[b * d + k]) / B;
        expect(trace.gradPositive[b * d + k]).toBeCloseTo(gPos, 5);
      }
    m.dispose();
  });

  it('leaves the run as it was: the same losses after a trace as without', async () => {
    const a = await trained(4);
    const b = await trained(4);
    const trace = await a.traceStep(train, B, K);
    expect(trace.rows.length).toBe(B);
    expect(a.steps).toBe(4);
    const la: number[] = [];
    const lb: number[] = [];
    for (let i = 0; i < 3; i++) {
      la.push((await a.trainStep(train)).loss);
      lb.push((await b.trainStep(train)).loss);
    }
    expect(la).toEqual(lb);
    // Two traces from one state are the same trace.
    const again = await b.traceStep(train, B, K);
    const again2 = await b.traceStep(train, B, K);
    expect(again2.loss).toBe(again.loss);
    expect(Array.from(again2.negatives)).toEqual(Array.from(again.negatives));
    a.dispose();
    b.dispose();
  });

  it('refuses a softmax without drawn negatives, naming it', async () => {
    const m = new CandidateModel(world, { ...CONFIG, sampler: 'in-batch' }, counts);
    await expect(m.traceStep(train, B, K)).rejects.toThrow(/in-batch/);
    m.dispose();
  });
});
