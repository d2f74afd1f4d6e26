/**
 * The run's live figures: steps, throughput, the losses, the ranker's held-out quality, and a
 * table of recall@k (k = 10, 50, 100, 500) and MAP for the two-tower model beside the
 * factorisation and most-popular baselines. Each value is a {@link LiveNumber}: written by a
 * store subscription, never by a React render.
 */
import type { ReactNode } from 'react';
import type { AppState } from '../state/store';
import { EVAL_EXAMPLES, RECALL_KS } from '../state/protocol';
import { fixed, int } from './format';
import { LiveNumber } from './LiveNumber';

const last = (s: AppState) => s.history.lastEval;

/** Readers of each figure (module-level, so their identity is stable). */
const READ = {
  step: (s: AppState) => int(Math.max(s.history.lastStep, s.run.step)),
  examplesPerSec: (s: AppState) => int(s.history.examplesPerSec),
  loss: (s: AppState) => (s.history.size ? fixed(s.history.loss.at(-1), 4) : 'n/a'),
  heldOutLoss: (s: AppState) => fixed(last(s)?.heldOutLoss ?? NaN, 4),
  rankingLoss: (s: AppState) => (s.history.size ? fixed(s.history.rankingLoss.at(-1), 4) : 'n/a'),
  rankingHeldOutLoss: (s: AppState) => fixed(last(s)?.ranking?.loss ?? NaN, 4),
  rankingAuc: (s: AppState) => fixed(last(s)?.ranking?.auc ?? NaN, 3),
  weightedPerUserLoss: (s: AppState) => fixed(last(s)?.ranking?.weightedPerUserLoss ?? NaN, 3),
  evalStep: (s: AppState) => int(last(s)?.step ?? NaN),
  outOfVocab: (s: AppState) => {
    const x = last(s)?.outOfVocab;
    return x === undefined ? 'n/a' : `${fixed(100 * x, 1)}%`;
  },
};

const recallReader = (i: number, which: 'recall' | 'mfRecall' | 'popularRecall') => (s: AppState) =>
  fixed(last(s)?.[which][i] ?? NaN, 3);
const RECALL_READ = RECALL_KS.map((_, i) => ({
  model: recallReader(i, 'recall'),
  mf: recallReader(i, 'mfRecall'),
  popular: recallReader(i, 'popularRecall'),
}));
const mapReader = (which: 'map' | 'mfMap' | 'popularMap') => (s: AppState) =>
  fixed(last(s)?.[which] ?? NaN, 4);
/** MAP of each row (absent from evaluations saved before it existed: shown as n/a). */
const MAP_READ = {
  model: mapReader('map'),
  mf: mapReader('mfMap'),
  popular: mapReader('popularMap'),
};
const MAP_TITLE =
  'Mean average precision of the held-out next watch: one relevant video per example, so the mean of 1/(rank + 1) over the examples (1 when every next watch ranks first)';

function Figure({
  name,
  label,
  title,
}: {
  name: keyof typeof READ;
  label: ReactNode;
  title?: string;
}) {
  return (
    <div className="stat" title={title}>
      <span className="stat-label">{label}</span>
      <LiveNumber testId={`metric.${name}`} read={READ[name]} />
    </div>
  );
}

/** The figures row and the recall table. */
export function TrainingFigures() {
  return (
    <section className="train-figures" aria-label="Training figures">
      <div className="stats">
        <Figure
          name="step"
          label="steps"
          title="training steps taken (each trains all three models on one batch)"
        />
        <Figure
          name="examplesPerSec"
          label="examples / s"
          title="candidate training examples per second, over the last 20 steps"
        />
        <Figure
          name="loss"
          label="train loss"
          title="sampled-softmax loss of the last training batch (nats)"
        />
        <Figure
          name="heldOutLoss"
          label="held-out loss"
          title="sampled-softmax loss on held-out next watches at the last evaluation (nats)"
        />
        <Figure
          name="rankingAuc"
          label="ranking AUC"
          title="held-out AUC of the ranker's score against clicks (0.5 = chance)"
        />
        <Figure
          name="weightedPerUserLoss"
          label="weighted per-user loss"
          title="share of watch time in held-out pages that the ranker puts below an unclicked video (paper §4.2; lower is better)"
        />
        <Figure
          name="rankingLoss"
          label="ranking train loss"
          title="weighted logistic loss of the ranker's last training batch"
        />
        <Figure
          name="rankingHeldOutLoss"
          label="ranking held-out loss"
          title="weighted logistic loss on held-out pages"
        />
      </div>
      <table className="recall-table" data-testid="metric.recallTable">
        <caption>
          Retrieval of up to {EVAL_EXAMPLES} held-out next watches among every uploaded video
          (recall@k: share ranked in the top k; MAP: mean of 1/(rank + 1)), at step{' '}
          <LiveNumber testId="metric.evalStep" read={READ.evalStep} className="inline-number" />;
          held-out next watches outside the video vocabulary (misses):{' '}
          <LiveNumber testId="metric.outOfVocab" read={READ.outOfVocab} className="inline-number" />
        </caption>
        <thead>
          <tr>
            <th scope="col">recall@k</th>
            {RECALL_KS.map((k) => (
              <th key={k} scope="col" className={k === 100 ? 'key' : undefined}>
                k = {k}
              </th>
            ))}
            <th scope="col" title={MAP_TITLE}>
              MAP
            </th>
          </tr>
        </thead>
        <tbody>
          {(
            [
              ['model', 'two-tower model', ''],
              ['mf', 'factorisation', 'Mf'],
              ['popular', 'most popular', 'Popular'],
            ] as const
          ).map(([which, label, suffix]) => (
            <tr key={which} className={`row-${which}`}>
              <th scope="row">{label}</th>
              {RECALL_KS.map((k, i) => (
                <td key={k} className={k === 100 ? 'key' : undefined}>
                  <LiveNumber
                    testId={`metric.recall${k}${suffix}`}
                    read={RECALL_READ[i][which]}
                    className="cell-number"
                  />
                </td>
              ))}
              <td title={MAP_TITLE}>
                <LiveNumber
                  testId={`metric.map${suffix}`}
                  read={MAP_READ[which]}
                  className="cell-number"
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
