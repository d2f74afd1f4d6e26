/**
 * The Training view: the toolbar (play / pause / step / reset, state, backend), the messages
 * (bad settings, a stopped run with its resume button, knobs that need a reset), the
 * hyperparameter form, the live figures and the four training charts.
 */
import { DataNote } from './DataNote';
import { useEffect } from 'react';
import { appStore, useAppStore } from '../state/store';
import { needsReset } from '../state/training-slice';
import { TRAINING_PARAMS } from '../state/training-settings';
import { EVAL_EVERY, EVAL_EXAMPLES } from '../state/protocol';
import {
  candidateLossData,
  rankingLossData,
  rankingQualityData,
  recallData,
} from './charts/training-data';
import { historyCsv } from './charts/history-csv';
import { LiveChart } from './LiveChart';
import { saveExport } from './save-file';
import { pinsStore, usePins } from '../state/pins-store';
import { TrainingControls } from './TrainingControls';
import { TrainingFigures } from './TrainingFigures';
import { TrainingToolbar } from './TrainingToolbar';

/** Messages of the Training view. */
function TrainingMessages() {
  const problems = useAppStore((s) => s.trainingProblems);
  const error = useAppStore((s) => s.run.error);
  const snapshot = useAppStore((s) => s.snapshot);
  const notice = useAppStore((s) => s.notice);
  const stale = useAppStore((s) => needsReset(s).join(','));
  const resume = useAppStore((s) => s.resume);
  const reset = useAppStore((s) => s.reset);
  return (
    <>
      {problems.length > 0 && (
        <div className="error" data-testid="train.error" role="alert">
          {problems.map((p, i) => (
            <p key={i}>{p.message}</p>
          ))}
        </div>
      )}
      {error && (
        <div className="error" data-testid="train.failure" role="alert">
          <p>Training stopped: {error.message}</p>
          {error.resumable && snapshot && (
            <button type="button" data-testid="train.resume" onClick={resume}>
              Resume from the snapshot of step {snapshot.step}
            </button>
          )}
        </div>
      )}
      {notice && (
        <p className="notice" data-testid="train.notice">
          {notice}
        </p>
      )}
      {stale && (
        <p className="notice" data-testid="train.needsReset">
          Needs reset:{' '}
          {stale
            .split(',')
            .map((k) => TRAINING_PARAMS[k as keyof typeof TRAINING_PARAMS].label)
            .join(', ')}{' '}
          changed; the models keep their old shape until you{' '}
          <button type="button" className="link" onClick={reset}>
            reset
          </button>
          .
        </p>
      )}
    </>
  );
}

/** Pin the run on screen; the pinned runs, each with an unpin button. */
function PinButtons() {
  const pins = usePins((s) => s.pins);
  const trained = useAppStore((s) => s.history.lastStep > 0);
  return (
    <>
      <button
        type="button"
        data-testid="run.pin"
        disabled={!trained}
        title="Keep this run's curves on the charts while you change knobs and train again"
        onClick={() => {
          const s = appStore.getState();
          pinsStore.getState().pin(s.history, s.trainingParams, JSON.stringify(s.settings));
        }}
      >
        Pin this run
      </button>
      {pins.map((p) => (
        <button
          key={p.id}
          type="button"
          className="pin"
          data-testid={`run.unpin${p.id}`}
          title="Remove this pinned run from the charts"
          onClick={() => pinsStore.getState().unpin(p.id)}
        >
          pinned {p.id} (step {p.step}) ×
        </button>
      ))}
    </>
  );
}

/** The Training view. */
export function TrainingView() {
  const worldReady = useAppStore((s) => s.summary !== null);
  const prepare = useAppStore((s) => s.prepare);
  useEffect(() => {
    if (worldReady) prepare();
  }, [worldReady, prepare]);

  return (
    <main className="training">
      <DataNote view="training" />
      <TrainingToolbar />
      <p className="train-intro">
        Each step trains three models on one batch each, in a background worker: the two-tower
        candidate generator (paper §3), a matrix-factorisation baseline, and the ranker (§4). Every{' '}
        {EVAL_EVERY} steps they are scored on held-out days — the model is worth something once its
        recall climbs above most-popular.
      </p>
      <TrainingMessages />
      {!worldReady ? (
        <p className="placeholder">Building the world in a background worker…</p>
      ) : (
        <div className="train-body">
          <TrainingControls />
          <div className="train-main">
            <TrainingFigures />
            <section className="charts train-charts" aria-label="Training charts">
              <LiveChart
                testId="chart.loss"
                title="Candidate generation: loss"
                select={candidateLossData}
                caption={`Sampled-softmax cross-entropy of the two-tower model on its training batches (mean per bucket of steps) and, every ${EVAL_EVERY} steps, on a fixed batch of next watches from the held-out days (whose labels differ in kind, e.g. fresher videos, so the levels differ: watch the trends); train falling while held-out rises is overfitting.`}
              />
              <LiveChart
                testId="chart.recall"
                title="Candidate generation: recall@100"
                select={recallData}
                caption={`Share of ${EVAL_EXAMPLES} held-out next watches whose video each method ranks in its top 100 of all uploaded videos, every ${EVAL_EVERY} steps: the model must climb above most-popular to be worth anything.`}
              />
              <LiveChart
                testId="chart.rankingQuality"
                title="Ranking: held-out quality"
                select={rankingQualityData}
                caption="AUC of the ranker's score against clicks (0.5 is chance; higher is better) and the paper's weighted per-user loss, the share of watch time ranked below an unclicked video on the same page (lower is better)."
              />
              <LiveChart
                testId="chart.rankingLoss"
                title="Ranking: loss"
                select={rankingLossData}
                caption="Weighted logistic loss of the ranker (clicks weighted by minutes watched, or plain CTR when unweighted) on training batches and on held-out pages."
              />
            </section>
            <div className="toolbar train-exports">
              <PinButtons />
              <button
                type="button"
                data-testid="export.history"
                onClick={() =>
                  saveExport('training history', 'csv', historyCsv(appStore.getState().history))
                }
              >
                Save training history (CSV)
              </button>
            </div>
          </div>
        </div>
      )}
    </main>
  );
}
