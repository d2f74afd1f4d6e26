/**
 * The models' configs from the training knobs, generically: each row's `sets` names the config
 * field(s) it writes, so no knob is renamed by hand anywhere. Everything a row does not set
 * keeps the model's default.
 */
import { defaultCandidateConfig, type CandidateConfig } from '../../model/candidate/config';
import { defaultRankingConfig, type RankingConfig } from '../../model/ranking/config';
import { clonePlain } from './spec';
import { TRAINING_KEYS, trainingRow, type TrainingParams } from './training';

/** Writes every knob of `p` that sets a field of `which` into `out`. */
function fill(which: 'candidate' | 'ranking', p: TrainingParams, out: object): void {
  for (const k of TRAINING_KEYS) {
    const target = trainingRow(k).sets;
    const field = target?.[which];
    if (!field) continue;
    (out as Record<string, unknown>)[field] = target.as ? target.as(p[k]) : p[k];
  }
}

/**
 * The candidate model's config for `p`. `userInput: 'id'` is the matrix-factorisation baseline:
 * a free user embedding as u, no tower and no side features, with the same sampler,
 * negatives, learning rate and seed.
 */
export function candidateConfig(
  p: TrainingParams,
  userInput: CandidateConfig['userInput'] = 'features',
): CandidateConfig {
  const out: CandidateConfig = clonePlain(defaultCandidateConfig);
  fill('candidate', p, out);
  out.userInput = userInput;
  return out;
}

/**
 * The ranker's config for `p`; `twin`: the contrast ranker of the Watch-time view, trained beside
 * it with the opposite weighting (same seed, so the same initial tower and batches).
 */
export function rankingConfig(p: TrainingParams, twin = false): RankingConfig {
  const out: RankingConfig = clonePlain(defaultRankingConfig);
  fill('ranking', p, out);
  if (twin) out.weighted = !out.weighted;
  return out;
}
