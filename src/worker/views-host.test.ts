/**
 * The analysis requests of the views (focus user, sampled softmax, funnel, vectors, negatives
 * sweep), driven through the TrainingHost as the worker drives it, on a small world.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/backend';
import type { World } from '../sim/types';
import { generateWorld } from '../sim/world';
import { testHost } from './test-host';
import { yieldToEvents } from './yield';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import type { TrainingParams } from '../protocol/training';
import { BIAS_SWEEP_NEGATIVES, FUNNEL_NS } from '../protocol/views';

const PARAMS: TrainingParams = { ...DEFAULT_TRAINING_PARAMS, batch: 64, negatives: 64 };

let world: World;
beforeAll(async () => {
  await useBackend('wasm');
  world = generateWorld({ seed: 3, videos: 600, users: 200, days: 20 });
}, 60_000);

const makeHost = () => testHost(world);

async function trained(steps: number) {
  const h = makeHost();
  h.host.handle({ type: 'step', runId: 1, params: PARAMS, count: steps });
  await h.host.idle();
  return h;
}

/** Steps of the run the softmax, funnel and index tests question. */
const SHARED_STEPS = 60;
let shared: ReturnType<typeof trained> | undefined;
/**
 * One run trained {@link SHARED_STEPS} steps, shared by the tests that only ask it questions
 * (training it once instead of once per test). Each test reads only the messages its own
 * requests added: `of(type, from)` with `from` the count of messages when it began.
 */
async function sharedRun() {
  const h = await (shared ??= trained(SHARED_STEPS));
  return { ...h, from: h.posted.length };
}

describe('ViewsHost through the TrainingHost', () => {
  it('answers sampled softmax: p and p̂ sum to about 1, logQ cuts the bias, K sweep ends in the limits', async () => {
    const h = await sharedRun();
    h.host.handle({
      type: 'softmax',
      runId: 1,
      user: -1,
      sampler: 'popularity',
      negatives: 16,
      alpha: 0.75,
      logQ: false,
    });
    h.host.handle({
      type: 'softmax',
      runId: 1,
      user: -1,
      sampler: 'popularity',
      negatives: 16,
      alpha: 0.75,
      logQ: true,
    });
    await h.host.idle();
    const [off, on] = h.of('softmax', h.from);
    expect(off.step).toBe(SHARED_STEPS);
    expect(off.user).toBeGreaterThanOrEqual(0);
    expect(off.items.length).toBeGreaterThan(100);
    expect(off.full.length).toBe(off.items.length);
    // The scatter starts with the user's most likely videos.
    expect(off.full[0]).toBeGreaterThanOrEqual(off.full[off.full.length - 1]);
    // With a popularity sampler, logQ correction brings p̂ closer to p.
    expect(on.bias.estimate.tv).toBeLessThan(off.bias.estimate.tv);
    // Without it, the most popular decile is over-weighted as a negative.
    expect(off.bias.estimate.massLogRatio[9]).toBeGreaterThan(0);
    expect(off.bias.estimate.massLogRatio).toHaveLength(10);
    // q by rank falls; ranks ascend from 1.
    expect(off.qRank[0]).toBe(1);
    expect(off.q[0]).toBeGreaterThanOrEqual(off.q[off.q.length - 1]);
    const ks = off.sweep.map((p) => p.negatives);
    expect(ks.slice(0, 2 * BIAS_SWEEP_NEGATIVES.length).filter((_, i) => i % 2 === 0)).toEqual([
      ...BIAS_SWEEP_NEGATIVES,
    ]);
    expect(ks.slice(-2)).toEqual([Infinity, Infinity]);
    expect(h.of('viewError', h.from)).toEqual([]);
  }, 120_000);

  it('answers the funnel: recall@N rises with N, the focus user has a top k per N, bad k is refused', async () => {
    const h = await sharedRun();
    h.host.handle({ type: 'funnel', runId: 1, user: -1, k: 5, nprobe: 4 });
    h.host.handle({ type: 'funnel', runId: 1, user: -1, k: 0, nprobe: 4 });
    await h.host.idle();
    const [f] = h.of('funnel', h.from);
    expect(f.k).toBe(5);
    expect(f.exact.map((p) => p.n)).toEqual([...FUNNEL_NS]);
    expect(f.approx).toHaveLength(FUNNEL_NS.length);
    for (let i = 1; i < f.exact.length; i++)
      expect(f.exact[i].recall).toBeGreaterThanOrEqual(f.exact[i - 1].recall);
    // The whole live corpus (≤ 600 videos) is retrieved at N = 2000: the label is always there.
    expect(f.exact.at(-1)!.recall).toBe(1);
    // Ranking cannot beat the oracle's own top k.
    for (const p of f.exact)
      expect(p.watchPerImpression).toBeLessThanOrEqual(f.oracleWatchPerImpression + 1e-9);
    // Retrieval alone reaches every next watch once N is the whole corpus.
    expect(f.recallCurve.at(-1)).toEqual({ n: 600, recall: 1 });
    expect(f.recallCurve[0].n).toBe(10);
    // The curve and the full funnel agree where both are computed.
    const at100 = f.recallCurve.find((p) => p.n === 100)!.recall;
    expect(at100).toBeCloseTo(f.exact.find((p) => p.n === 100)!.recall, 10);
    expect(f.indexRecall100).toBeGreaterThan(0);
    expect(f.indexRecall100).toBeLessThanOrEqual(1);
    expect(f.example?.perN).toHaveLength(FUNNEL_NS.length);
    expect(f.example?.perN[0].topK).toHaveLength(5);
    const err = h.of('viewError', h.from);
    expect(err).toHaveLength(1);
    expect(err[0].message).toMatch(/funnelK must be an integer from 1 to 50 \(got "0"\)/);
  }, 120_000);

  it('serves the IVF index with the nprobe asked for: every list opened matches the exact scan', async () => {
    const h = await sharedRun();
    h.host.handle({ type: 'funnel', runId: 1, user: -1, k: 5, nprobe: 1 });
    h.host.handle({ type: 'funnel', runId: 1, user: -1, k: 5, nprobe: 64 });
    h.host.handle({ type: 'funnel', runId: 1, user: -1, k: 5, nprobe: 65 });
    await h.host.idle();
    const [one, all] = h.of('funnel', h.from);
    expect([one.nprobe, all.nprobe]).toEqual([1, 64]);
    // The index has fewer than 64 lists on this small world: opening them all is an exact scan.
    expect(all.index.lists).toBeLessThanOrEqual(64);
    expect(all.indexRecall100).toBeCloseTo(1, 10);
    expect(all.approx.map((p) => p.recall)).toEqual(all.exact.map((p) => p.recall));
    // One list of many misses some of the exact top 100.
    expect(one.indexRecall100).toBeLessThan(all.indexRecall100);
    expect(h.of('viewError', h.from).map((e) => e.message)).toEqual([
      expect.stringMatching(/nprobe must be an integer from 1 to 64 \(got "65"\)/),
    ]);
  }, 120_000);

  it('follows a chosen user: the projection carries their u; an unknown user is refused', async () => {
    const h = await trained(10);
    const user = 5;
    h.host.handle({ type: 'focus', runId: 1, user });
    h.host.handle({ type: 'focus', runId: 1, user: 10_000 });
    h.host.handle({ type: 'vectors', runId: 1, user });
    await h.host.idle();
    const p = h.of('projection').at(-1)!;
    expect(p.user?.id).toBe(user);
    expect(p.user?.coords.every(Number.isFinite)).toBe(true);
    expect(h.of('viewError')[0].message).toMatch(/user must be an integer from 0 to 199/);
    const v = h.of('vectors')[0];
    expect(v.rows).toBe(600);
    expect(v.vectors.length).toBe(600 * v.dim);
    expect(v.u.length).toBe(v.dim);
    expect(v.user).toBe(user);
    expect(v.best).toHaveLength(10);
  }, 120_000);

  it('runs a negatives sweep step by step with progress, pausing training, and can be cancelled', async () => {
    const h = await trained(5);
    h.host.handle({ type: 'negativesSweep', runId: 1, negatives: [4, 64], steps: 20 });
    await h.host.idle();
    const last = h.of('negativesSweep').at(-1)!;
    expect(last.done).toBe(true);
    expect(last.cancelled).toBe(false);
    expect(last.progress).toBe(40);
    expect(last.points.map((p) => p.negatives)).toEqual([4, 64]);
    for (const p of last.points) {
      expect(p.recall100).toBeGreaterThanOrEqual(0);
      expect(p.recall100).toBeLessThanOrEqual(1);
      expect(p.msPerStep).toBeGreaterThan(0);
      expect(Number.isFinite(p.finalLoss)).toBe(true);
    }
    // The run itself did not move.
    expect(h.of('trainingStatus').at(-1)?.step).toBe(5);

    h.host.handle({ type: 'negativesSweep', runId: 1, negatives: [4, 16, 64], steps: 200 });
    await yieldToEvents();
    await yieldToEvents();
    h.host.handle({ type: 'cancelSweep', runId: 1 });
    await h.host.idle();
    const cancelled = h.of('negativesSweep').at(-1)!;
    expect(cancelled.cancelled).toBe(true);
    expect(cancelled.progress).toBeLessThan(600);

    h.host.handle({ type: 'negativesSweep', runId: 1, negatives: [0], steps: 20 });
    await h.host.idle();
    expect(h.of('viewError').at(-1)?.message).toMatch(/negatives must be integers from 1 to 8192/);
  }, 120_000);

  it('refuses a bad study naming the field; sweeps an in-batch run with the popularity sampler', async () => {
    const h = makeHost();
    const params = { ...PARAMS, sampler: 'in-batch' as const };
    h.host.handle({ type: 'step', runId: 1, params, count: 3 });
    await h.host.idle();
    const bad = {
      type: 'softmax' as const,
      runId: 1,
      user: -1,
      negatives: 16,
      alpha: 0.75,
      logQ: true,
    };
    h.host.handle({ ...bad, sampler: 'full' as never });
    h.host.handle({ ...bad, sampler: 'uniform', negatives: 100_000 });
    h.host.handle({ type: 'negativesSweep', runId: 1, negatives: [4, 16], steps: 10 });
    // A live change during the sweep does not reach its models.
    h.host.handle({ type: 'setParams', runId: 1, params: { ...params, lr: 0.5 } });
    await h.host.idle();
    const errors = h.of('viewError').map((e) => e.message);
    expect(errors[0]).toMatch(
      /studySampler must be one of uniform, popularity, log-uniform, in-batch/,
    );
    expect(errors[1]).toMatch(/studyNegatives must be an integer from 1 to 8192 \(got "100000"\)/);
    const sweep = h.of('negativesSweep').at(-1)!;
    expect(sweep.sampler).toBe('popularity');
    expect(sweep.done).toBe(true);
    expect(sweep.points.map((p) => p.negatives)).toEqual([4, 16]);
  }, 120_000);
});
