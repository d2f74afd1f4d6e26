import { describe, expect, it } from 'vitest';
import { histogramMedian } from './duration';
import { fitIntercept } from './popularity';
import { topTopics } from './topic-mix';

describe('chart helpers', () => {
  it('topTopics keeps the most-watched topics, largest first', () => {
    const topics = [
      { name: 'a', videoShare: 0.5, watchShare: 0.1 },
      { name: 'b', videoShare: 0.2, watchShare: 0.6 },
      { name: 'c', videoShare: 0.3, watchShare: 0.3 },
    ];
    expect(topTopics(topics, 2).map((t) => t.name)).toEqual(['b', 'c']);
    expect(topics[0].name).toBe('a'); // not sorted in place
  });

  it('fitIntercept recovers the intercept of an exact power law', () => {
    const s = 0.8;
    const points: [number, number][] = [1, 2, 5, 10, 50, 100, 1000].map((r) => [r, 500 * r ** -s]);
    expect(Math.exp(fitIntercept(points, s, 100))).toBeCloseTo(500, 6);
    expect(fitIntercept([], s, 100)).toBeNaN();
  });

  it('histogramMedian interpolates inside the bin that holds the middle', () => {
    expect(
      histogramMedian([
        [1, 2, 10],
        [2, 8, 10],
      ]),
    ).toBeCloseTo(2, 9);
    // Half of 40 is reached a quarter of the way (in log terms) into [2, 32].
    expect(
      histogramMedian([
        [1, 2, 15],
        [2, 32, 20],
        [32, 64, 5],
      ]),
    ).toBeCloseTo(2 * 16 ** 0.25, 9);
    expect(histogramMedian([])).toBeNaN();
  });
});
