/**
 * The lessons: one experiment per finding of the paper (issue 13), each with the paper's claim
 * and numbers (docs/lessons.md#the-lessons) to print beside ours. World sizes, steps, examples and repeats were
 * chosen by measurement (docs/lessons.md#sizing): the smallest at which the interval of the
 * headline difference is narrower than the difference, within about a minute on two cores.
 * A lesson whose effect our world does not show says so through its verdict; no rule or
 * threshold here is tuned to make a verdict come out.
 */
import type { LessonSpec } from './spec';
import { logq } from './logq';
import { negatives } from './negatives';
import { exampleAge } from './example-age';
import { featuresDepth } from './features-depth';
import { labels } from './labels';
import { rankingTowers } from './ranking-towers';
import { watchTime } from './watch-time';
import { funnel } from './funnel';
import { embeddings } from './embeddings';
import { feedbackLoop } from './feedback-loop';

/** Every lesson, in teaching order. */
export const LESSONS: readonly LessonSpec[] = [
  logq,
  negatives,
  exampleAge,
  featuresDepth,
  labels,
  rankingTowers,
  watchTime,
  funnel,
  embeddings,
  feedbackLoop,
];

/** The lesson of `id`, or undefined. */
export function lessonById(id: string): LessonSpec | undefined {
  return LESSONS.find((l) => l.id === id);
}
