/**
 * The closed loop's training between rounds (docs/loop.md): the examples of the latest days of
 * a growing world's logs ({@link trainingData}) and the steps of both models on them
 * ({@link trainModels}).
 */
import type { CandidateModel } from '../../model/candidate/model';
import { labelCounts } from '../../model/candidate/model';
import type { RankingModel } from '../../model/ranking/model';
import { buildCandidateExamples } from '../../sim/examples';
import { candidateRows, rankingRows, rowsFrom } from '../../sim/loop-examples';
import { buildRankingExamples } from '../../sim/ranking-examples';
import type { World } from '../../sim/types';

/**
 * The training examples of the latest `window` days before `now` of a world's logs: candidate
 * examples (no per-user cap; labels the next watch, or a random held-out watch with `label`
 * `heldout`, paper §3.4) and the ranker's impressions (every page), with the world's split day
 * set to `now` (the example age is counted from it).
 */
export function trainingData(
  world: World,
  now: number,
  window: number,
  label: 'next' | 'heldout' = 'next',
) {
  world.config.splitDay = now;
  const all = buildCandidateExamples(world, { split: 'train', perUserCap: 0, label });
  const train = candidateRows(all, rowsFrom(all.time, now - window));
  const ranks = buildRankingExamples(world, { split: 'train', pagesPerUser: 0 });
  const rankTrain = rankingRows(ranks, rowsFrom(ranks.time, now - window));
  return { train, rankTrain };
}

/** `steps` steps of both models on the examples (the sampler's counts from `train`). */
export async function trainModels(
  candidate: CandidateModel | null,
  ranker: RankingModel | null,
  train: ReturnType<typeof trainingData>['train'],
  rankTrain: ReturnType<typeof trainingData>['rankTrain'],
  steps: number,
  between?: (step: number) => Promise<void>,
): Promise<void> {
  if (candidate) {
    if (train.count === 0) throw new Error('no next-watch examples to train on');
    candidate.setLabelCounts(labelCounts(candidate.world, train));
  }
  if (ranker && rankTrain.count === 0) throw new Error('no impressions to train the ranker on');
  for (let s = 1; s <= steps; s++) {
    if (candidate) await candidate.trainStep(train);
    if (ranker) await ranker.trainStep(rankTrain);
    if (between) await between(s);
  }
}
