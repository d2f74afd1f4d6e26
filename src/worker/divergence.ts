/**
 * Whether a training step diverged, and the message that says so: which model (candidate
 * generation, the factorisation baseline, the weighted or the unweighted ranker), at which step,
 * and its loss rounded ("the weighted ranker's loss diverged at step 101 (12346, at or above
 * 10000)"), so that the user knows what to lower. Pure: the training host calls it after every
 * step, and `npm run train` after every step of every model (one line, exit code
 * {@link DIVERGED_EXIT}; docs/architecture.md#faults).
 */

/** A loss at or above this (or not finite) means the run diverged. */
export const DIVERGED_LOSS = 1e4;

/** The exit code of `npm run train` when a model diverged (2 is a usage mistake). */
export const DIVERGED_EXIT = 3;

/** The two rankers by weighting: the paper's weighted logistic regression, and plain CTR. */
export const RANKER_NAMES = {
  weighted: 'the weighted ranker',
  unweighted: 'the unweighted ranker (CTR)',
} as const;

/**
 * The models of a step's losses, by their key in `StepLosses`, in the order they are checked.
 * `weighted`: the ranker's weighting (`rankingLoss`); its twin (`twinLoss`) has the other one.
 */
export function lossModels(weighted: boolean): Readonly<Record<string, string>> {
  const [ranker, twin] = weighted
    ? [RANKER_NAMES.weighted, RANKER_NAMES.unweighted]
    : [RANKER_NAMES.unweighted, RANKER_NAMES.weighted];
  return {
    loss: 'candidate generation',
    mfLoss: 'the factorisation baseline',
    rankingLoss: ranker,
    twinLoss: twin,
  };
}

/** True when `loss` means divergence: not finite, or at least {@link DIVERGED_LOSS}. */
export function lossDiverged(loss: number): boolean {
  return !Number.isFinite(loss) || loss >= DIVERGED_LOSS;
}

/**
 * The first model whose loss diverged: its name and loss, or null when none did. Keys missing
 * from `losses` are not checked; `weighted` names the rankers (see {@link lossModels}).
 */
export function divergedModel(
  losses: Readonly<Record<string, number>>,
  weighted = true,
): { model: string; loss: number } | null {
  for (const [key, model] of Object.entries(lossModels(weighted))) {
    if (!Object.hasOwn(losses, key)) continue;
    const loss = losses[key];
    if (lossDiverged(loss)) return { model, loss };
  }
  return null;
}

/** A loss for a message: "NaN", "infinite", "12346", "1.23e+8". */
export function lossFigure(loss: number): string {
  if (Number.isNaN(loss)) return 'NaN';
  if (!Number.isFinite(loss)) return loss > 0 ? 'infinite' : 'minus infinite';
  if (Math.abs(loss) < 1e6) return String(Math.round(loss));
  return loss.toExponential(2);
}

/** "the weighted ranker's loss diverged at step 7 (NaN)": the model, the step, the figure. */
export function divergenceLine(d: { model: string; loss: number }, step: number): string {
  const figure = Number.isFinite(d.loss)
    ? `${lossFigure(d.loss)}, at or above ${DIVERGED_LOSS}`
    : lossFigure(d.loss);
  return `${d.model}'s loss diverged at step ${step} (${figure})`;
}

/**
 * The message of a diverged step: the model, the step, its rounded loss and what to do
 * (lower the learning rate and reset, or resume from the last snapshot when there is one).
 */
export function divergenceMessage(
  d: { model: string; loss: number },
  step: number,
  snapshotStep: number | null,
): string {
  return (
    `${divergenceLine(d, step)}: paused; lower the learning rate, then reset` +
    (snapshotStep !== null ? ` or resume from the snapshot of step ${snapshotStep}` : '')
  );
}

/**
 * A model diverged in `npm run train`: thrown by the training loops, printed as one line with
 * exit code {@link DIVERGED_EXIT}.
 */
export class DivergedError extends Error {
  override name = 'DivergedError';
  constructor(
    readonly model: string,
    readonly step: number,
    readonly loss: number,
  ) {
    super(divergenceLine({ model, loss }, step));
  }
}

/** Throws {@link DivergedError} when `loss` of `model` at `step` diverged. */
export function checkLoss(model: string, step: number, loss: number): void {
  if (lossDiverged(loss)) throw new DivergedError(model, step, loss);
}
