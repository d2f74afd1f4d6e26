/**
 * Which candidate-generation settings may change while a model trains: the live ones (learning
 * rate, sampler and α, negatives K, logQ correction, accidental hits, batch size) take effect
 * from the next step; the structural ones fix the model's shape and initial weights.
 */
import type { CandidateConfig } from './config';

/** The config fields that fix the model's shape and initial weights (not changeable live). */
export const STRUCTURAL = [
  'depth',
  'widthFactor',
  'userInput',
  'seed',
  'videoVocab',
  'tokenVocab',
  'embeddingWidths',
  'embeddings',
  'label',
  'perUserCap',
] as const;

/**
 * Throws an Error naming the first structural field (or feature) of `next` that differs from
 * `current`; returns when only live fields differ.
 */
export function checkLiveChange(current: CandidateConfig, next: CandidateConfig): void {
  for (const key of STRUCTURAL)
    if (next[key] !== current[key])
      throw new Error(`${key} cannot change during training (${current[key]} → ${next[key]})`);
  for (const key of ['searches', 'demographics', 'exampleAge'] as const)
    if (next.features[key] !== current.features[key])
      throw new Error(`features.${key} cannot change during training`);
}

/** Copies the live fields of `next` into `current`. */
export function copyLiveFields(current: CandidateConfig, next: CandidateConfig): void {
  current.sampler = next.sampler;
  current.alpha = next.alpha;
  current.negatives = next.negatives;
  current.logQ = next.logQ;
  current.removeAccidentalHits = next.removeAccidentalHits;
  current.learningRate = next.learningRate;
  current.batchSize = next.batchSize;
}
