/**
 * Candidate sources for a ranker trained side by side with the candidate model (the page,
 * `src/worker/session.ts`; docs/model.md#candidate-sources). The command line trains the
 * candidate model first and attaches its scores once (`attachCandidateSources`); the page trains
 * both from step 0, so here the features follow the candidate model as it learns:
 *
 * - every example the ranker reads (a training batch, the held-out pages it is scored on, the
 *   funnel's candidates) gets its `sourceScore` and `sourceRank` from the candidate model **as it
 *   is at that moment** (`candidateSources`), computed when the ranker asks for them
 *   (`RankingModel.sourceFiller`) and kept until the candidate model takes its next step;
 * - the two source features' quantiles are refitted, whenever the candidate model has stepped,
 *   on a fixed, evenly spaced sample of QUANTILE_SAMPLE training impressions scored by the same
 *   model: quantiles fitted once at step 0 would be those of an untrained model's scores.
 *
 * Everything is a function of the candidate model's current weights, so a run restored from a
 * snapshot computes the same features as the run it continues (no extra state to save).
 */
import type { RankingExamples } from '../../sim/ranking-examples';
import type { CandidateModel } from '../candidate/model';
import { fitQuantiles, type QuantileNormalizer } from '../quantiles';
import { SOURCE_FEATURES, type ContinuousFeature, type FeatureQuantiles } from './features';
import type { SourceFiller } from './model';
import { candidateSources } from './sources';

/** Training impressions the source features' quantiles are refitted on. */
export const QUANTILE_SAMPLE = 1024;

/**
 * A shallow copy of `ex` with its own, zeroed `sourceScore` and `sourceRank` [count]: the
 * other columns are shared, so examples built once per world stay untouched.
 */
export function withSourceColumns(ex: RankingExamples): RankingExamples {
  return {
    ...ex,
    sourceScore: new Float32Array(ex.count),
    sourceRank: new Float32Array(ex.count),
  };
}

/** The live candidate sources of one training run (module comment). */
export class LiveSources {
  /** Per examples object: the candidate step each row was last filled at (−1: never). */
  private readonly filledAt = new WeakMap<RankingExamples, Float64Array>();
  /** The candidate step the quantiles were last refitted at (−1: never). */
  private fittedAt = -1;
  /** The training rows the quantiles are fitted on, evenly spaced, ascending. */
  readonly sampleRows: Int32Array;
  /** For `RankingModel.sourceFiller`. */
  readonly filler: SourceFiller = (ex, rows) => this.fill(ex, rows);

  /**
   * @param candidate the candidate model whose scores are the features (read, never trained).
   * @param train the ranker's training examples (with source columns: `withSourceColumns`).
   * @param quantiles the rankers' quantiles: their two source entries are replaced in place
   *   at every refit, so every ranker sharing the object sees the new ones.
   */
  constructor(
    readonly candidate: CandidateModel,
    readonly train: RankingExamples,
    readonly quantiles: FeatureQuantiles,
    sample = QUANTILE_SAMPLE,
  ) {
    const n = Math.min(sample, train.count);
    this.sampleRows = Int32Array.from({ length: n }, (_, i) => Math.floor((i * train.count) / n));
  }

  /**
   * Fills the source columns of `rows` of `ex` (creating them when `ex` has none) from the
   * candidate model as it is now, refitting the quantiles first when the model has stepped
   * since the last refit. Rows already filled at this step are not recomputed.
   */
  async fill(ex: RankingExamples, rows: ArrayLike<number>): Promise<void> {
    const step = this.candidate.steps;
    if (this.fittedAt !== step) {
      await this.fillRows(this.train, this.sampleRows, step);
      const q = this.quantiles as Record<ContinuousFeature, QuantileNormalizer>;
      for (const f of SOURCE_FEATURES)
        q[f] = fitQuantiles(Float32Array.from(this.sampleRows, (r) => this.train[f]![r]));
      this.fittedAt = step;
    }
    await this.fillRows(ex, rows, step);
  }

  private async fillRows(ex: RankingExamples, rows: ArrayLike<number>, step: number) {
    let at = this.filledAt.get(ex);
    if (!at) this.filledAt.set(ex, (at = new Float64Array(ex.count).fill(-1)));
    if (ex.sourceScore?.length !== ex.count) ex.sourceScore = new Float32Array(ex.count);
    if (ex.sourceRank?.length !== ex.count) ex.sourceRank = new Float32Array(ex.count);
    // Distinct rows not filled at this step, ascending: one page's rows are then consecutive.
    const todo = Int32Array.from(new Set(Array.from(rows).filter((r) => at[r] !== step))).sort();
    if (todo.length === 0) return;
    const { score, rank } = await candidateSources(this.candidate, ex, todo);
    for (let p = 0; p < todo.length; p++) {
      ex.sourceScore[todo[p]] = score[p];
      ex.sourceRank[todo[p]] = rank[p];
      at[todo[p]] = step;
    }
  }
}
