/**
 * The Sampled-softmax view (paper §3.1): for one user, the full softmax over every video
 * against what sampled softmax, with the chosen sampler, K negatives and logQ on or off,
 * effectively trains towards; the bias by popularity decile and against K; the sampling
 * distribution; and, on request, a sweep training one model per K (recall@100 and ms per step).
 */
import { useMemo } from 'react';
import { useAppStore } from '../state/store';
import { studyFrom } from '../state/analysis-slice';
import {
  BIAS_SWEEP_NEGATIVES,
  MAX_NEGATIVES,
  STUDY_SAMPLERS,
  drawsNegatives,
  TRAINING_SWEEP_NEGATIVES,
  type StudySampler,
} from '../state/protocol';
import { DEFAULT_SWEEP_STEPS } from '../state/analysis-slice';
import { AnalysisProblem, FocusUserField, Stat, useLiveAnalysis } from './AnalysisParts';
import { ChartFigure } from './ChartFigure';
import { saveExport } from './save-file';
import {
  biasByKData,
  decileData,
  limitTv,
  samplingData,
  scatterData,
  softmaxCsv,
  sweepCostData,
  sweepCsv,
  sweepRecallData,
} from './charts/softmax-data';
import { XYChart } from './charts/xy-chart';
import { fixed, int, small } from './format';
import { TrainingToolbar } from './TrainingToolbar';

const KS = [...new Set([1, ...BIAS_SWEEP_NEGATIVES, MAX_NEGATIVES])].sort((a, b) => a - b);

/** The study's controls: sampler, K, logQ. */
function StudyControls() {
  const shown = useAppStore((s) => s.softmaxStudy);
  const set = useAppStore((s) => s.setSoftmaxStudy);
  const training = useAppStore((s) => s.trainingParams);
  const studySet = useAppStore((s) => s.studySet);
  // The study in effect: what was chosen, else the run's own settings.
  const study = shown ?? studyFrom({ trainingParams: training, studySet });
  const k = study.negatives;
  const ks = KS.includes(k) ? KS : [...KS, k].sort((a, b) => a - b);
  return (
    <>
      <label className="field">
        sampler
        <select
          data-testid="param.studySampler"
          value={study.sampler}
          onChange={(e) => set({ sampler: e.target.value as StudySampler })}
        >
          {STUDY_SAMPLERS.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        negatives K
        <select
          data-testid="param.studyNegatives"
          value={k}
          onChange={(e) => set({ negatives: Number(e.target.value) })}
        >
          {ks.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
      <label className="field field-check">
        <input
          type="checkbox"
          data-testid="param.studyLogQ"
          checked={study.logQ}
          onChange={(e) => set({ logQ: e.target.checked })}
        />
        logQ correction
      </label>
      {!drawsNegatives(study.sampler) && (
        <span className="muted field-note">
          in-batch: the negatives are the batch's own labels, so K stands for the batch size (
          {training.batch} in this run)
        </span>
      )}
    </>
  );
}

/** The negatives sweep: run / cancel, progress, table and two charts. */
function NegativesSweep() {
  const sweep = useAppStore((s) => s.sweep);
  const start = useAppStore((s) => s.startSweep);
  const cancel = useAppStore((s) => s.cancelSweep);
  const built = useAppStore((s) => s.run.built !== null);
  const running = sweep !== null && !sweep.done;
  // Memoised on the sweep's answer: a render (progress, a toggle) redraws no chart.
  const recall = useMemo(() => sweepRecallData(sweep), [sweep]);
  const cost = useMemo(() => sweepCostData(sweep), [sweep]);
  return (
    <section className="sweep" aria-label="Negatives sweep">
      <h3>More negatives: does retrieval get better, and what does it cost?</h3>
      <p className="muted">
        Trains a fresh candidate model for each K ({TRAINING_SWEEP_NEGATIVES.join(', ')}) for{' '}
        {DEFAULT_SWEEP_STEPS} steps with this run's settings and seed as they are when it starts
        (full softmax and in-batch, which take no K, are swept with the popularity sampler), then
        measures held-out recall@100 and the time per step on this backend. The run's own training
        waits meanwhile.
      </p>
      <div className="toolbar">
        <button
          type="button"
          onClick={() => start()}
          disabled={!built || running}
          data-testid="softmax.sweep"
        >
          Run sweep
        </button>
        <button
          type="button"
          onClick={cancel}
          disabled={!running}
          data-testid="softmax.sweepCancel"
        >
          Cancel
        </button>
        {sweep && (
          <span className="run-state" data-testid="softmax.sweepProgress">
            {sweep.sampler && `${sweep.sampler} sampler · `}
            {sweep.done
              ? sweep.cancelled
                ? `cancelled (${sweep.points.length} values of K finished)`
                : 'done'
              : `${int((100 * sweep.progress) / Math.max(1, sweep.total))}% (${sweep.progress} of ${sweep.total} steps)`}
          </span>
        )}
        <button
          type="button"
          disabled={!sweep || sweep.points.length === 0}
          onClick={() => sweep && saveExport('negatives sweep', 'csv', sweepCsv(sweep))}
          data-testid="softmax.sweepCsv"
        >
          Save CSV
        </button>
      </div>
      <AnalysisProblem name="sweep" />
      {sweep && sweep.points.length > 0 && (
        <div className="charts sweep-charts">
          <table className="recall-table" data-testid="softmax.sweepTable">
            <thead>
              <tr>
                <th scope="col">K</th>
                <th scope="col" className="key">
                  recall@100
                </th>
                <th scope="col">ms per step</th>
                <th scope="col">final loss (nats)</th>
              </tr>
            </thead>
            <tbody>
              {(sweep?.points ?? []).map((p) => (
                <tr key={p.negatives}>
                  <th scope="row">{p.negatives}</th>
                  <td className="key">{fixed(p.recall100, 3)}</td>
                  <td>{fixed(p.msPerStep, 1)}</td>
                  <td>{fixed(p.finalLoss, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ChartFigure
            testId="chart.sweepRecall"
            title="Recall@100 against K"
            chart={XYChart}
            data={recall}
            caption="Held-out recall@100 of a model trained with K sampled negatives for the same number of steps."
          />
          <ChartFigure
            testId="chart.sweepCost"
            title="Cost of a step against K"
            chart={XYChart}
            data={cost}
            caption="Mean wall-clock milliseconds per training step on this backend and machine."
          />
        </div>
      )}
    </section>
  );
}

/** The Sampled-softmax view. */
export function SoftmaxView() {
  useLiveAnalysis('softmax');
  const worldReady = useAppStore((s) => s.summary !== null);
  const m = useAppStore((s) => s.softmax);
  const pending = useAppStore((s) => s.pending.softmax);
  const titles = useAppStore((s) => s.videoMeta?.titles);
  // Chart data are built once per answer (not per render: `pending` alone re-renders the view).
  const charts = useMemo(
    () =>
      m && {
        scatter: scatterData(m),
        deciles: decileData(m),
        biasByK: biasByKData(m),
        sampling: samplingData(m),
        limits: limitTv(m),
      },
    [m],
  );
  const limits = charts?.limits ?? null;
  const saveCsv = () => m && saveExport('softmax', 'csv', softmaxCsv(m, titles));

  return (
    <main className="training softmax" data-testid="view.softmax">
      <TrainingToolbar />
      <p className="train-intro">
        Training cannot afford a softmax over every video at each step, so it compares the next
        watch with K sampled negatives; this view shows, for one user, how far that sample's picture
        of the softmax (p̂) is from the real one (p), and what the model would learn from it. Switch
        logQ correction off with the popularity sampler and watch the popular videos rise above the
        diagonal (pushed down too hard, so the model learns to under-rate them); then raise K and
        see which errors shrink and which do not.
      </p>
      <div className="toolbar softmax-controls">
        <FocusUserField shown={m?.user ?? null} />
        <StudyControls />
        <div className="run-state">
          for step{' '}
          <span data-testid="softmax.step" className="inline-number">
            {m ? m.step : 'n/a'}
          </span>
          {m && <span className="muted"> ({fixed(m.ms, 0)} ms in the worker)</span>}
          {pending && <span className="muted"> · updating…</span>}
        </div>
        <button type="button" onClick={saveCsv} disabled={!m} data-testid="softmax.csv">
          Save CSV
        </button>
      </div>
      <AnalysisProblem name="focus" />
      <AnalysisProblem name="softmax" />
      {!worldReady ? (
        <p className="placeholder">Building the world in a background worker…</p>
      ) : (
        <>
          <div className="stats" aria-label="Sampled softmax figures">
            <Stat
              label="distance of p̂ from p (TV)"
              testId="metric.softmaxTv"
              value={m ? small(m.bias.estimate.tv) : 'n/a'}
              title="Total variation distance between p̂ and p, from 0 (identical) to 1"
            />
            <Stat
              label="KL(p ‖ p̂), nats"
              testId="metric.softmaxKl"
              value={m ? small(m.bias.estimate.kl) : 'n/a'}
              title="KL(p ‖ p̂) in nats"
            />
            <Stat
              label="learned distribution's distance (TV)"
              testId="metric.softmaxLearnedTv"
              value={m ? small(m.bias.learned.tv) : 'n/a'}
              title="Distance of the distribution training converges to from p"
            />
            <Stat
              label="as K → ∞: logQ off / on"
              testId="metric.softmaxLimit"
              value={limits ? `${fixed(limits.off, 3)} / ${fixed(limits.on, 3)}` : 'n/a'}
              title="The K → ∞ limits, in closed form"
            />
          </div>
          <section className="charts softmax-charts" aria-label="Sampled softmax charts">
            <ChartFigure
              testId="chart.softmaxScatter"
              title={`User ${m?.user ?? '…'}: full softmax against sampled softmax`}
              chart={XYChart}
              data={charts?.scatter ?? null}
              caption={`Each dot is a video (${m ? (m.items.length >= m.live ? `all ${m.live} live videos` : `the user's ${m.head} likeliest, then an even sample of the other ${m.live - m.head}`) : '…'}): x is its probability under the full softmax, y its probability as sampled softmax with these settings sees it (averaged over draws). On the dashed diagonal the sample is faithful; above it, a video is pushed down too hard.`}
            />
            <ChartFigure
              testId="chart.softmaxDeciles"
              title="Bias by popularity decile"
              chart={XYChart}
              data={charts?.deciles ?? null}
              caption="log of the probability mass sampled softmax gives each popularity decile over its true mass (0 = unbiased), without and with logQ correction; dashed: the distribution training converges to under the chosen setting, which under-rates whatever p̂ over-weights."
            />
            <ChartFigure
              testId="chart.softmaxBiasK"
              title="Bias against the number of negatives"
              chart={XYChart}
              data={charts?.biasByK ?? null}
              caption={`Distance of p̂ from p for K = ${BIAS_SWEEP_NEGATIVES.join(', ')} with this sampler. With logQ the bias fades as K grows. Without it, more negatives make the estimate steadier but aim it at the wrong target (p weighted by q, favouring what the sampler draws often): the distance grows towards ${limits ? fixed(limits.off, 3) : '…'} as K → ∞, a bias no number of negatives removes.`}
            />
            <ChartFigure
              testId="chart.samplingDistribution"
              title="The sampling distribution"
              chart={XYChart}
              data={charts?.sampling ?? null}
              caption="Probability that one draw returns the video of each rank (log–log), for the chosen sampler, against the training labels' own popularity curve."
            />
          </section>
          <NegativesSweep />
        </>
      )}
    </main>
  );
}
