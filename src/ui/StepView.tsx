/**
 * "Step in slow motion" (docs/step.md): freezes the next training step of candidate generation
 * on a small batch and walks through it phase by phase — the batch and its positives, the
 * sampled negatives with q, the B × (1 + K) logit matrix, the −log q correction, the
 * accidental-hit mask, the softmax, the loss, and the gradients on u and on the video vectors.
 * Every number is the worker's trace of the model's own step (model/candidate/model.ts
 * `traceStep`); taking one does not change the run.
 */
import { useMemo } from 'react';
import { useAppStore } from '../state/store';
import { STEP_PHASES, type StepPhase } from '../state/step-slice';
import type { StepTraceMessage } from '../state/protocol';
import { ChartFigure } from './ChartFigure';
import { StepArrows } from './charts/step-arrows';
import { StepHeatmap } from './charts/step-heatmap';
import { arrowsData, heatmapData } from './charts/step-data';
import { GlossaryLink } from './glossary/Glossary';
import { fixed } from './format';
import { TrainingToolbar } from './TrainingToolbar';
import { BatchTable, GradientTable, LossTable, NegativesTable, LOSS_DIGITS } from './StepTables';

/** Each phase's name on screen. */
const PHASE_NAMES: Record<StepPhase, string> = {
  batch: 'batch & positives',
  negatives: 'sampled negatives',
  logits: 'logit matrix',
  logQ: '−log q correction',
  mask: 'accidental-hit mask',
  softmax: 'softmax',
  loss: 'loss',
  gradients: 'gradients',
};

/** The caption of each phase: what the step does there, in the paper's names. */
function Caption({ phase, m }: { phase: StepPhase; m: StepTraceMessage }) {
  const t = m.trace;
  const hits = t.hits.reduce((a, h) => a + h, 0);
  switch (phase) {
    case 'batch':
      return (
        <p>
          The next step draws its examples from the training next-watches. Each example b is a user
          at one moment: their watch history, searches, region, device and example age go through
          the user tower to give the user vector u_b (d = {t.d}); its label, the{' '}
          <strong>positive</strong> y_b, is the video they watched next. This trace takes the first
          B = {t.B} examples the step would draw. q(y_b) is the positive&apos;s probability under
          the sampler ({t.sampler}), needed for the correction below. See{' '}
          <GlossaryLink term="candidate-generation" />.
        </p>
      );
    case 'negatives':
      return (
        <p>
          <GlossaryLink term="sampled-softmax">Sampled softmax</GlossaryLink> does not score all
          videos: it draws K = {t.K} <GlossaryLink term="negatives" /> from the proposal q (
          {t.sampler}), one set shared by the whole batch. Popular videos have a larger q, so they
          are drawn more often. A negative may be some example&apos;s own positive (last column): an
          accidental hit, handled in phase 5.
        </p>
      );
    case 'logits':
      return (
        <p>
          Each example scores its positive (column y) and every negative: the logit z_bj = u_b·v_j +
          b_j, the dot product of the user vector and the video&apos;s output{' '}
          <GlossaryLink term="embedding" /> plus the video&apos;s bias. The matrix is B × (1 + K) ={' '}
          {t.B} × {1 + t.K}.
        </p>
      );
    case 'logQ':
      return t.logQ ? (
        <p>
          The <GlossaryLink term="logq">logQ correction</GlossaryLink> adds −log q_j to every logit,
          the positive&apos;s too. Negatives are drawn in proportion to q, so popular videos appear
          more often than the full softmax would weigh them; subtracting log q undoes that
          over-representation (rare videos get the larger boost, written in each cell).
        </p>
      ) : (
        <p>
          This run trains without the <GlossaryLink term="logq">logQ correction</GlossaryLink>: the
          logits stay as they are (turn it on in the Training tab to see −log q added).
        </p>
      );
    case 'mask':
      return (
        <p>
          An <GlossaryLink term="accidental-hit" /> is a sampled negative that is the row&apos;s own
          positive: left in, the same video would be pushed up as the positive and down as a
          negative.{' '}
          {t.removeAccidentalHits
            ? `Its logit is set to −10⁹ so the softmax gives it 0. This batch has ${hits} hit${hits === 1 ? '' : 's'} (grey).`
            : 'This run keeps them (accidental-hit removal is off).'}
        </p>
      );
    case 'softmax':
      return (
        <p>
          The <GlossaryLink term="softmax" /> of each row: p_bj = e^(z_bj) / Σ_k e^(z_bk) over the 1
          + K columns. Training wants the positive (column y) to take the whole row.
        </p>
      );
    case 'loss':
      return (
        <p>
          Each example&apos;s loss is the cross-entropy −log p of its positive; the step&apos;s loss
          is their mean. This is the number the training step reports for this batch (it comes from
          the same computation that takes the gradient).
        </p>
      );
    case 'gradients':
      return (
        <p>
          Backpropagation gives the gradient of the loss on every vector the step touched: ∂L/∂u_b =
          (1/B) Σ_j (p_bj − [j = y]) v_j, ∂L/∂v_y = (1/B)(p_by − 1) u_b for the positive and (1/B)
          p_bj u_b for a negative (summed over the rows that score it). The arrows point along
          −gradient, the way gradient descent moves each vector: a positive towards its user, a
          negative away from the users that gave it probability, and each user towards its positive
          and away from the negatives it rated likely. Shown in a PCA of these {2 * t.B + t.K}{' '}
          vectors (not the Embeddings view&apos;s projection); the arrows are the gradients
          projected on the same two axes, scaled to be visible: one factor for the users&apos;
          arrows, one for the positives&apos;, one for the negatives&apos; (their sizes differ a
          lot). The optimiser (Adam) rescales each coordinate, so the actual update is not exactly
          along the arrow.
        </p>
      );
  }
}

/** The frozen step, at the phase shown. */
function Phase({ m, phase }: { m: StepTraceMessage; phase: StepPhase }) {
  const heat = useMemo(() => heatmapData(m, phase), [m, phase]);
  const arrows = useMemo(() => (phase === 'gradients' ? arrowsData(m) : null), [m, phase]);
  return (
    <section className="step-phase" aria-label={PHASE_NAMES[phase]}>
      <Caption phase={phase} m={m} />
      {phase === 'batch' && <BatchTable m={m} />}
      {phase === 'negatives' && <NegativesTable m={m} />}
      {heat && (
        <ChartFigure
          testId="step.heatmap"
          title={`${PHASE_NAMES[phase]}: B × (1 + K) = ${heat.rows} × ${heat.cols}`}
          caption="Rows: the B examples (each labelled with its positive y); columns: the positive, then the K sampled negatives (video ids)."
          chart={StepHeatmap}
          data={heat}
        />
      )}
      {phase === 'loss' && (
        <>
          <LossTable m={m} />
          <p className="step-loss">
            loss (mean over the batch, nats):{' '}
            <strong data-testid="step.loss">{fixed(m.trace.loss, LOSS_DIGITS)}</strong>
          </p>
        </>
      )}
      {arrows && (
        <>
          <ChartFigure
            testId="step.arrows"
            title="gradient-descent directions on u and on the video vectors"
            caption={`PCA of the step's ${arrows.kind.length} vectors; arrows are −gradient × ${arrows.scale.user.toPrecision(3)} (users), × ${arrows.scale.positive.toPrecision(3)} (positives), × ${arrows.scale.negative.toPrecision(3)} (negatives).`}
            chart={StepArrows}
            data={arrows}
          />
          <GradientTable m={m} />
        </>
      )}
    </section>
  );
}

/** The loss the run's training step reported for the traced step, once it has been taken. */
function TrainedLoss({ m }: { m: StepTraceMessage }) {
  const params = useAppStore((s) => s.trainingParams);
  const loss = useAppStore((s) => {
    void s.historyVersion;
    const steps = s.history.steps.values;
    const at = steps.indexOf(m.step + 1);
    return at >= 0 ? s.history.loss.at(at) : null;
  });
  const t = m.trace;
  const same = params.batch === t.B && params.negatives === t.K && params.sampler === t.sampler;
  if (!same)
    return (
      <p className="muted" data-testid="step.same">
        This run trains with batches of {params.batch} and K = {params.negatives}; the trace takes
        the first {t.B} examples of its next step and {t.K} negatives of its own, so the step it
        shows is a smaller copy of the next one.
      </p>
    );
  return (
    <p data-testid="step.same">
      This run trains with B = {t.B} and K = {t.K}: the trace is exactly its next step (step{' '}
      {m.step + 1}).{' '}
      {loss === null ? (
        'Take that step (Step) to see the loss training reports for it.'
      ) : (
        <>
          Training reported loss{' '}
          <strong data-testid="step.trained-loss">{fixed(loss, LOSS_DIGITS)}</strong> for step{' '}
          {m.step + 1}.
        </>
      )}
    </p>
  );
}

/** The view. */
export function StepView() {
  const trace = useAppStore((s) => s.stepTrace);
  const runId = useAppStore((s) => s.run.runId);
  const built = useAppStore((s) => s.run.built);
  const pending = useAppStore((s) => s.stepTracePending);
  const problem = useAppStore((s) => s.stepTraceProblem);
  const phaseIndex = useAppStore((s) => s.stepPhase);
  const setPhase = useAppStore((s) => s.setStepPhase);
  const freeze = useAppStore((s) => s.requestStepTrace);
  const m = trace && trace.runId === runId ? trace : null;
  const phase = STEP_PHASES[phaseIndex];
  return (
    <main className="training step" data-testid="view.step">
      <TrainingToolbar />
      <p className="train-intro">
        One training step of candidate generation, frozen and taken apart. Freeze the next step: the
        worker runs the model&apos;s own step on a small batch without applying it (the run goes on
        as if nothing happened), and the phases below show what it computes, in order.
      </p>
      <div className="toolbar">
        <button
          type="button"
          data-testid="step.freeze"
          disabled={pending || runId === 0 || !built}
          onClick={() => freeze()}
        >
          {m ? 'Freeze the next step again' : 'Freeze the next step'}
        </button>
        {pending && <span className="muted">tracing…</span>}
        {m && (
          <span className="muted" data-testid="step.info">
            after step {m.step}: B = {m.trace.B}, K = {m.trace.K}, d = {m.trace.d},{' '}
            {m.trace.sampler} sampler, logQ {m.trace.logQ ? 'on' : 'off'} ({fixed(m.ms, 0)} ms in
            the worker)
          </span>
        )}
      </div>
      {problem && (
        <p className="error" role="status" data-testid="step.error">
          {problem}
        </p>
      )}
      {!m ? (
        <p className="placeholder">
          {runId === 0 || !built
            ? 'Build a world and take a training step (Step) first: a step needs a model.'
            : 'Press “Freeze the next step”.'}
        </p>
      ) : (
        <>
          <TrainedLoss m={m} />
          <nav className="toolbar step-nav" aria-label="Phases of the step">
            <button
              type="button"
              data-testid="step.prev"
              disabled={phaseIndex === 0}
              onClick={() => setPhase(phaseIndex - 1)}
            >
              ← previous
            </button>
            <span>
              {phaseIndex + 1} / {STEP_PHASES.length}:{' '}
              <strong data-testid="step.phase">{PHASE_NAMES[phase]}</strong>
            </span>
            <button
              type="button"
              data-testid="step.next"
              disabled={phaseIndex === STEP_PHASES.length - 1}
              onClick={() => setPhase(phaseIndex + 1)}
            >
              next →
            </button>
          </nav>
          <Phase m={m} phase={phase} />
        </>
      )}
    </main>
  );
}
