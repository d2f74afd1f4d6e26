/**
 * What the Lessons tab needs of the lesson specs and their results (src/protocol/lessons), for
 * the UI, which reaches the protocol only through src/state.
 */
export { LESSONS, lessonById } from '../protocol/lessons/lessons';
export {
  MAX_LOOP_ROUNDS,
  METRICS,
  lateRounds,
  lessonWith,
  type LessonSpec,
  type MetricId,
} from '../protocol/lessons/spec';
export type { ComparisonResult, Summary } from '../protocol/lessons/summary';
export type { Verdict } from '../protocol/lessons/stats';
export { resultCsv, resultJson } from '../protocol/lessons/export';
