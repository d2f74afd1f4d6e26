/**
 * What the UI may know of the page ↔ worker protocol: the message and figure types its views
 * draw, and the protocol's constants (the k of recall@k, the funnel's N, …). The UI reaches
 * the protocol only through this module; it never imports `src/protocol` or `src/worker`.
 */
export type {
  BackendReport,
  BiasFigures,
  BiasSweepPoint,
  EvalPoint,
  FunnelFigures,
  FunnelMessage,
  NegativesSweepMessage,
  ProjectionMessage,
  RankerSide,
  SoftmaxMessage,
  StepTraceMessage,
  StudySampler,
  TrainingState,
  VideoMetaMessage,
  FeatureChoice,
  TrainingParams,
} from '../protocol';
export {
  BIAS_SWEEP_NEGATIVES,
  EVAL_EVERY,
  EVAL_EXAMPLES,
  FUNNEL_NS,
  FUNNEL_QUERIES,
  NEIGHBOURS,
  PROJECTION_EVERY,
  RANKING_EVAL_PAGES,
  RECALL_KS,
  TRAINING_SWEEP_NEGATIVES,
} from '../protocol';
export {
  HIDEABLE,
  MAX_NEGATIVES,
  PANELS,
  STUDY_SAMPLERS,
  drawsNegatives,
} from '../protocol/params';
