import { describe, expect, it } from 'vitest';
import { lessonById } from '../../state/lessons-protocol';
import type { LessonRunState } from '../../state/lessons-store';
import { hasAgeChart, lessonAgeData } from './lesson-age-data';

const spec = lessonById('example-age')!;
const bucketsOf = (first: number) => Array.from({ length: 22 }, (_, k) => (k === 0 ? first : 0.01));

const finished = (variant: string, repeat: number, first: number) => ({
  variant,
  repeat,
  step: 10,
  steps: 10,
  curve: [],
  finished: {
    variant,
    repeat,
    trainSeed: 1,
    seconds: 1,
    curve: [],
    final: {},
    ageMass: bucketsOf(first),
  },
});

describe('the example-age chart', () => {
  it('belongs to lessons that record the fresh share only', () => {
    expect(hasAgeChart(spec)).toBe(true);
    expect(hasAgeChart(lessonById('logq')!)).toBe(false);
  });

  it('draws watched and each variant’s mean over its finished repeats, days 0–20', () => {
    const run = {
      runs: {
        'no-age#0': finished('no-age', 0, 0.02),
        'no-age#1': finished('no-age', 1, 0.04),
        'age#0': finished('age', 0, 0.05),
      },
      result: { ageShare: bucketsOf(0.1) },
    } as unknown as LessonRunState;
    const d = lessonAgeData(spec, run);
    expect(d.series.map((s) => s.label)).toEqual([
      'watched',
      'without example age',
      'with example age',
    ]);
    for (const s of d.series) expect(s.points).toHaveLength(21);
    expect(d.series[0].points[0]).toEqual([0, 0.1]);
    expect(d.series[1].points[0][1]).toBeCloseTo(0.03, 12);
    expect(d.series[2].points[0][1]).toBeCloseTo(0.05, 12);
    expect(lessonAgeData(spec, null).series).toEqual([]);
  });
});
