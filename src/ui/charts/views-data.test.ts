import { describe, expect, it } from 'vitest';
import { MetricHistory } from '../../state/metric-history';
import type {
  EvalPoint,
  ProjectionMessage,
  RankerSide,
  VideoMetaMessage,
} from '../../state/protocol';
import { colourGroups, describeVideo, projectionCsv } from './projection-data';
import {
  ODDS_TEXT,
  evaluatedOdds,
  reliabilityData,
  watchTimeCsv,
  watchTimeData,
} from './watchtime-data';

const meta: VideoMetaMessage = {
  type: 'videoMeta',
  runId: 1,
  topic: Uint16Array.from([0, 1, 1, 0]),
  topicNames: ['chess', 'cooking'],
  popularityRank: Int32Array.from([3, 0, 1, 2]),
  ageDays: Float32Array.from([1, 10, 100, 1000]),
  clickbait: Uint8Array.from([0, 1, 0, 0]),
  titles: ['a', 'b, "c"', 'd', 'e'],
};

describe('Embedding view data', () => {
  it('colours only the nine largest of many topics, the rest grey, all in the legend', () => {
    const names = Array.from({ length: 12 }, (_, t) => `topic ${t}`);
    // Topic t has t + 1 videos: topics 3 … 11 are the nine largest.
    const topic = Uint16Array.from(names.flatMap((_, t) => Array<number>(t + 1).fill(t)));
    const many = { ...meta, topic, topicNames: names };
    const g = colourGroups(many, 'topic');
    expect(g.legend.map((l) => l.label)).toEqual([
      ...[11, 10, 9, 8, 7, 6, 5, 4, 3].map((t) => `topic ${t}`),
      '3 other topics',
    ]);
    expect(g.palette).toHaveLength(10);
    expect(g.group[0]).toBe(0); // topic 0: other, grey, drawn first
    expect(g.group[topic.length - 1]).toBe(1); // topic 11: the largest
    expect(new Set(g.legend.map((l) => l.colour)).size).toBe(10);
  });

  it('groups videos by topic, popularity band, age band and clickbait', () => {
    expect(Array.from(colourGroups(meta, 'topic').group)).toEqual([0, 1, 1, 0]);
    expect(Array.from(colourGroups(meta, 'clickbait').group)).toEqual([0, 1, 0, 0]);
    // Rank shares 1/4 … 4/4: bands top 10–50% (rank 0, 1), bottom 50% (ranks 2, 3); the most
    // notable band gets the highest group (drawn last).
    const pop = colourGroups(meta, 'popularity');
    expect(Array.from(pop.group)).toEqual([0, 1, 1, 0]);
    expect(pop.legend.map((l) => l.label)).toEqual([
      'top 1%',
      'top 1–10%',
      'top 10–50%',
      'bottom 50%',
    ]);
    // Legend colour of a band = palette colour of its group.
    expect(pop.palette[1]).toBe(pop.legend[2].colour);
    const age = colourGroups(meta, 'age');
    expect(Array.from(age.group)).toEqual([4, 3, 1, 0]);
    expect(age.palette[4]).toBe(age.legend[0].colour);
  });

  it('describes a video and writes the CSV with quoted titles', () => {
    expect(describeVideo(meta, 1)).toMatchObject({
      topic: 'cooking',
      popularityRank: 1,
      clickbait: true,
    });
    const p: ProjectionMessage = {
      type: 'projection',
      runId: 1,
      step: 50,
      coords: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]),
      explained: [0.5, 0.2],
      ms: 1,
    };
    const lines = projectionCsv(p, meta).trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('video,pc1,pc2,topic,popularity_rank,age_days,clickbait,title');
    expect(lines[2]).toBe('1,2,3,cooking,1,10,1,"b, ""c"""');
  });
});

const side = (w: number, cb: number): RankerSide => ({
  watchPerImpression: w,
  clickbaitShare: cb,
  weightedPerUserLoss: 0.3,
  calibration: [
    { predicted: 0.5, actual: 0.4 },
    { predicted: 2, actual: 1.5 },
  ],
  oddsCalibration: [
    { predicted: 0.5, actual: 0.45 },
    { predicted: 2, actual: 2.2 },
  ],
  oracleWatchPerImpression: 2.5,
  randomWatchPerImpression: 0.9,
});

describe('Watch-time view data', () => {
  const h = new MetricHistory();
  const point = (step: number, watchTime: EvalPoint['watchTime']): EvalPoint => ({
    step,
    recall: [0, 0, 0, 0],
    mfRecall: [0, 0, 0, 0],
    popularRecall: [0, 0, 0, 0],
    heldOutLoss: 1,
    ranking: null,
    watchTime,
    ms: 1,
  });
  h.append({
    steps: Int32Array.from([]),
    loss: new Float32Array(0),
    mfLoss: new Float32Array(0),
    rankingLoss: new Float32Array(0),
    evals: [
      point(0, { weighted: side(0.6, 0.1), unweighted: side(0.6, 0.1) }),
      point(50, { weighted: side(2, 0.03), unweighted: side(1.6, 0.12), odds: 'exact' }),
    ],
    examplesPerSec: 0,
    stepsPerSec: 0,
  });

  it('plots both rankers over steps beside the oracle and random', () => {
    const d = watchTimeData(h);
    expect(d.series.map((s) => s.label)).toEqual(['weighted', 'CTR', 'oracle', 'random']);
    expect(d.series[0].points).toEqual([
      [0, 0.6],
      [50, 2],
    ]);
    expect(d.yTitle).toContain('minutes');
  });

  it("draws the weighted ranker's latest bins against both odds' targets and the diagonal", () => {
    const d = reliabilityData(h);
    expect(d.series.map((s) => s.label)).toEqual([
      'y = x',
      'E[T]: exact odds (trained with)',
      "E[T]/(1 − P): paper's odds",
    ]);
    expect(d.series[1].points).toEqual([
      [0.5, 0.4],
      [2, 1.5],
    ]);
    expect(d.series[2].points).toEqual([
      [0.5, 0.45],
      [2, 2.2],
    ]);
    expect(d.series[0].points).toEqual([
      [0, 0],
      [2.2, 2.2],
    ]);
    expect(d.xTitle).toContain('minutes');
  });

  it('names the odds the ranker was trained with, from the evaluation or the knob', () => {
    expect(evaluatedOdds(h, 'paper')).toBe('exact');
    expect(evaluatedOdds(new MetricHistory(), 'paper')).toBe('paper');
    const paper = new MetricHistory();
    paper.append({
      steps: Int32Array.from([]),
      loss: new Float32Array(0),
      mfLoss: new Float32Array(0),
      rankingLoss: new Float32Array(0),
      evals: [point(50, { weighted: side(2, 0.03), unweighted: side(1.6, 0.1), odds: 'paper' })],
      examplesPerSec: 0,
      stepsPerSec: 0,
    });
    expect(evaluatedOdds(paper, 'exact')).toBe('paper');
    const labels = reliabilityData(paper).series.map((s) => s.label);
    expect(labels[1]).toBe('E[T]: exact odds');
    expect(labels[2]).toBe("E[T]/(1 − P): paper's odds (trained with)");
    expect(watchTimeCsv(paper)).toContain('trained with paper odds');
    // Both formulas, as the page shows them.
    expect(ODDS_TEXT.paper.formula).toBe('e^z ≈ E[T] / (1 − P) ≈ E[T]·(1 + P)');
    expect(ODDS_TEXT.exact.formula).toBe('e^z ≈ E[T]');
    expect(ODDS_TEXT.exact.weights).toContain('weight-1 negatives');
  });

  it('writes every evaluation of both rankers as CSV', () => {
    const csv = watchTimeCsv(h);
    expect(csv).toContain('50,weighted,2,0.03,0.3,2.5,0.9');
    expect(csv).toContain('50,unweighted,1.6,0.12,0.3,2.5,0.9');
    expect(csv).toContain('reliability bins at step 50, weighted ranker trained with exact odds');
    expect(csv).toContain('weighted,1,2,1.5,2.2');
  });
});
