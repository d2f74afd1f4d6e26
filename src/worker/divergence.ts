/**
 * Whether a training step diverged, and the message that says so: which model (candidate
 * generation, the factorisation baseline, the ranker), at which step, and its loss rounded
 * ("the ranker's loss diverged at step 101 (12346, at or above 10000)"), so that the user
 * knows what to lower. Pure: the training host calls it after every step.
 */

/** A loss at or above this (or not finite) means the run diverged. */
export const DIVERGED_LOSS = 1e4;

/** The models of a step's losses, by their key in `StepLosses`, in the order they are checked. */
export const LOSS_MODELS: Readonly<Record<string, string>> = {
  loss: 'candidate generation',
  mfLoss: 'the factorisation baseline',
  rankingLoss: 'the ranker',
};

/** The first model whose loss diverged: its name and loss, or null when none did. */
export function divergedModel(
  losses: Readonly<Record<string, number>>,
): { model: string; loss: number } | null {
  for (const [key, model] of Object.entries(LOSS_MODELS)) {
    if (!Object.hasOwn(losses, key)) continue;
    const loss = losses[key];
    if (!Number.isFinite(loss) || loss >= DIVERGED_LOSS) return { model, loss };
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

/**
 * The message of a diverged step: the model, the step, its rounded loss and what to do
 * (lower the learning rate and reset, or resume from the last snapshot when there is one).
 */
export function divergenceMessage(
  d: { model: string; loss: number },
  step: number,
  snapshotStep: number | null,
): string {
  const figure = Number.isFinite(d.loss)
    ? `${lossFigure(d.loss)}, at or above ${DIVERGED_LOSS}`
    : lossFigure(d.loss);
  return (
    `${d.model}'s loss diverged at step ${step} (${figure}): paused; lower the learning rate, then reset` +
    (snapshotStep !== null ? ` or resume from the snapshot of step ${snapshotStep}` : '')
  );
}
