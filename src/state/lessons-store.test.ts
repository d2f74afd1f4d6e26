import { describe, expect, it } from 'vitest';
import { lessonById } from '../protocol/lessons/lessons';
import type { ExperimentResult, RunRecord } from '../protocol/lessons/summary';
import {
  lessonWorkerCount,
  mergeResults,
  splitVariants,
  LESSON_CANCELLED,
  type LessonCallbacks,
  type LessonRun,
} from './lessons-client';
import { createLessonsStore, lessonExtrasOf } from './lessons-store';

/** A fake experiment the test settles by hand. */
function fakeStart() {
  const calls: {
    run: LessonRun;
    cb: LessonCallbacks;
    resolve(r: ExperimentResult): void;
    reject(e: Error): void;
    cancelled: boolean;
  }[] = [];
  const start = (run: LessonRun, cb: LessonCallbacks = {}) => {
    let resolve!: (r: ExperimentResult) => void;
    let reject!: (e: Error) => void;
    const result = new Promise<ExperimentResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const call = { run, cb, resolve, reject, cancelled: false };
    calls.push(call);
    return {
      result,
      workers: 1,
      cancel() {
        call.cancelled = true;
        reject(new Error(LESSON_CANCELLED));
      },
    };
  };
  return { calls, start };
}

const record = (variant: string, repeat: number, recall: number, ranks: number[]): RunRecord => ({
  variant,
  repeat,
  trainSeed: repeat,
  seconds: 1,
  curve: [{ step: 10, values: { 'recall@100': recall, 'recall@10': recall / 2 } }],
  final: { 'recall@100': recall, 'recall@10': recall / 2, msPerStep: 5 },
  ranks,
});

const settle = () => new Promise<void>((r) => setTimeout(r, 0));

describe('lessons client helpers', () => {
  it('uses one worker per two cores, at least one, at most one per variant', () => {
    expect(lessonWorkerCount(2, 2)).toBe(1);
    expect(lessonWorkerCount(2, 1)).toBe(1);
    expect(lessonWorkerCount(7, 16)).toBe(7);
    expect(lessonWorkerCount(7, 8)).toBe(4);
  });

  it('splits variants round-robin and merges results in repeat, variant order', () => {
    expect(splitVariants(['a', 'b', 'c'], 2)).toEqual([['a', 'c'], ['b']]);
    const base = {
      lesson: 'x',
      seed: 7,
      backend: 'cpu',
      world: { videos: 1, users: 1, watches: 1 },
      steps: 1,
      repeats: 2,
      evalExamples: 1,
      rankPages: 0,
      seconds: 3,
    };
    const merged = mergeResults(
      [
        {
          ...base,
          worldSeconds: 1,
          runs: [record('a', 0, 0, []), record('c', 0, 0, []), record('a', 1, 0, [])],
        },
        { ...base, worldSeconds: 2, runs: [record('b', 1, 0, []), record('b', 0, 0, [])] },
      ],
      ['a', 'b', 'c'],
      9,
    );
    expect(merged.runs.map((r) => `${r.variant}${r.repeat}`)).toEqual([
      'a0',
      'b0',
      'c0',
      'a1',
      'b1',
    ]);
    expect(merged.worldSeconds).toBe(2);
    expect(merged.seconds).toBe(9);
  });
});

describe('the Lessons store', () => {
  const spec = lessonById('logq')!;

  it('opens lessons by id and ignores unknown ones', () => {
    const s = createLessonsStore(fakeStart().start);
    s.getState().open('negatives', 2);
    expect(s.getState()).toMatchObject({ lesson: 'negatives', chapter: 2 });
    s.getState().open('nope');
    expect(s.getState().lesson).toBe('negatives');
  });

  it('keeps the Run’s steps and repeats from the URL until another lesson opens', () => {
    const s = createLessonsStore(fakeStart().start);
    s.getState().open('logq');
    s.getState().setSize({ steps: 40, repeats: 2 });
    s.getState().setSize({ steps: -1, repeats: 1.5 });
    expect(s.getState()).toMatchObject({ steps: 40, repeats: 2 });
    s.getState().open('logq', 3);
    expect(s.getState()).toMatchObject({ steps: 40, repeats: 2, chapter: 3 });
    s.getState().open('funnel');
    expect(s.getState()).toMatchObject({ steps: 0, repeats: 0 });
  });

  it('takes the URL’s optional variants of the open lesson only, and writes them back as switches', () => {
    const s = createLessonsStore(fakeStart().start);
    s.getState().open('feedback-loop');
    s.getState().setExtrasFromUrl({ explore: true, 'age-off': false, nope: true });
    expect(s.getState().extras).toEqual(['explore']);
    expect(lessonExtrasOf(s.getState().extras)).toEqual({ 'age-off': false, explore: true });
    // Another lesson has no optional variants: the URL's switches do not apply to it.
    s.getState().open('logq');
    s.getState().setExtrasFromUrl({ explore: true });
    expect(s.getState().extras).toEqual([]);
  });

  it('tracks progress per run, fills the table as runs finish, and gives the verdict at the end', async () => {
    const f = fakeStart();
    let t = 0;
    const s = createLessonsStore(f.start, () => (t += 1000));
    s.getState().open('logq');
    s.getState().start(11, { steps: 10, repeats: 2 });
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0].run).toMatchObject({
      lesson: 'logq',
      seed: 11,
      steps: 10,
      repeats: 2,
      variants: ['off', 'on'],
    });
    const run = s.getState().run!;
    expect(run.status).toBe('running');
    expect(Object.keys(run.runs).sort()).toEqual(['off#0', 'off#1', 'on#0', 'on#1']);

    const cb = f.calls[0].cb;
    cb.onBackend?.({ name: 'wasm', requested: 'auto', passedOver: [], note: 'SIMD, 2 threads' });
    expect(s.getState().run!.backend).toBe('wasm (SIMD, 2 threads)');
    const progress = (variant: string, repeat: number, rec?: RunRecord) =>
      cb.onProgress?.({
        type: 'lessonProgress',
        jobId: 1,
        variant,
        repeat,
        step: 10,
        steps: 10,
        runsDone: 0,
        runs: 4,
        ...(rec ? { point: rec.curve[0], finished: rec } : {}),
      });
    // Hits of 10 examples: on finds 3 more than off in each repeat.
    const off = [0, 5, 200, 300, 400, 500, 600, 700, 800, 900];
    const on = [0, 5, 20, 30, 40, 500, 600, 700, 800, 900];
    const recs = [
      record('off', 0, 0.2, off),
      record('on', 0, 0.5, on),
      record('off', 1, 0.21, off),
      record('on', 1, 0.52, on),
    ];
    progress('off', 0, recs[0]);
    expect(s.getState().run!.runs['off#0']).toMatchObject({ step: 10, curve: [recs[0].curve[0]] });
    expect(s.getState().run!.summary!.variants[0].metrics['recall@100']!.mean).toBeCloseTo(0.2, 10);
    for (const [i, r] of recs.slice(1).entries()) progress(r.variant, r.repeat, recs[i + 1]);
    const result: ExperimentResult = {
      lesson: 'logq',
      seed: 11,
      backend: 'wasm',
      world: { videos: 5000, users: 2500, watches: 1 },
      steps: 10,
      repeats: 2,
      evalExamples: 10,
      rankPages: 0,
      worldSeconds: 1,
      seconds: 4,
      runs: recs,
    };
    f.calls[0].resolve(result);
    await settle();
    const done = s.getState().run!;
    expect(done.status).toBe('done');
    expect(done.seconds).toBe(4);
    const c = done.summary!.comparisons[0];
    expect(c.metric).toBe('recall@100');
    expect(c.baseMean).toBeCloseTo(0.205, 10);
    expect(c.variantMean).toBeCloseTo(0.51, 10);
    expect(done.summary!.verdict).toBe(c.verdict);
    expect(c.sentence.startsWith(c.verdict)).toBe(true);
    expect(spec.comparisons[0].expect).toBe('higher');
  });

  it('a cancel or a new lesson stops the run; a late message changes nothing', async () => {
    const f = fakeStart();
    const s = createLessonsStore(f.start);
    s.getState().start(7);
    s.getState().cancel();
    await settle();
    expect(f.calls[0].cancelled).toBe(true);
    expect(s.getState().run!.status).toBe('cancelled');
    s.getState().start(7);
    s.getState().open('negatives');
    await settle();
    expect(f.calls[1].cancelled).toBe(true);
    f.calls[0].cb.onProgress?.({
      type: 'lessonProgress',
      jobId: 1,
      variant: 'on',
      repeat: 0,
      step: 5,
      steps: 300,
      runsDone: 0,
      runs: 6,
    });
    expect(s.getState().run!.runs['on#0'].step).toBe(0);
  });

  it('a failure is shown with its message', async () => {
    const f = fakeStart();
    const s = createLessonsStore(f.start);
    s.getState().start(7);
    f.calls[0].reject(new Error('the lesson worker stopped: out of memory'));
    await settle();
    expect(s.getState().run).toMatchObject({
      status: 'failed',
      message: 'the lesson worker stopped: out of memory',
    });
  });
});
