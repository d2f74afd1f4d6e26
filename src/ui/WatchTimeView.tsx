/**
 * The Watch-time weighting view: the weighted ranker (clicks weighted by minutes watched,
 * §4.2, with the paper's odds or exact odds: the `odds` knob, named and switchable here)
 * beside an unweighted (CTR) ranker trained on the same batches and scored on the same
 * held-out pages: watch time and clickbait share of each page's top 3, the weighted per-user
 * loss, and a reliability chart of the weighted ranker's e^z against both odds' targets.
 */
import { DataNote } from './DataNote';
import { useEffect } from 'react';
import { appStore, useAppStore, type AppState } from '../state/store';
import { EVAL_EVERY, RANKING_EVAL_PAGES } from '../state/protocol';
import { saveExport } from './save-file';
import {
  ODDS_TEXT,
  evaluatedOdds,
  reliabilityData,
  watchTimeCsv,
  watchTimeData,
  type Odds,
} from './charts/watchtime-data';
import { fixed, int } from './format';
import { LiveChart } from './LiveChart';
import { LiveNumber } from './LiveNumber';
import { TrainingToolbar } from './TrainingToolbar';

const last = (s: AppState) => s.history.evals.findLast((e) => e.watchTime)?.watchTime;

/** Readers of the figures (module level: stable identities). */
const READ = {
  weightedWatchTime: (s: AppState) => fixed(last(s)?.weighted.watchPerImpression ?? NaN, 3),
  unweightedWatchTime: (s: AppState) => fixed(last(s)?.unweighted.watchPerImpression ?? NaN, 3),
  oracleWatchTime: (s: AppState) => fixed(last(s)?.weighted.oracleWatchPerImpression ?? NaN, 3),
  randomWatchTime: (s: AppState) => fixed(last(s)?.weighted.randomWatchPerImpression ?? NaN, 3),
  clickbaitShareWeighted: (s: AppState) => fixed(last(s)?.weighted.clickbaitShare ?? NaN, 3),
  clickbaitShareUnweighted: (s: AppState) => fixed(last(s)?.unweighted.clickbaitShare ?? NaN, 3),
  weightedPerUserLossWeighted: (s: AppState) =>
    fixed(last(s)?.weighted.weightedPerUserLoss ?? NaN, 3),
  weightedPerUserLossUnweighted: (s: AppState) =>
    fixed(last(s)?.unweighted.weightedPerUserLoss ?? NaN, 3),
  watchTimeStep: (s: AppState) => int(s.history.evals.findLast((e) => e.watchTime)?.step ?? NaN),
};

const cell = (name: keyof typeof READ) => (
  <LiveNumber testId={`metric.${name}`} read={READ[name]} className="cell-number" />
);

/**
 * Both odds weightings, named with their formulas, the one in effect marked, and the knob to
 * switch them (live: the running ranker takes it from its next step).
 */
function OddsChoice() {
  const odds = useAppStore((s) => s.trainingParams.odds);
  const weighted = useAppStore((s) => s.trainingParams.weighting === 'weighted');
  const charted = useAppStore((s) => evaluatedOdds(s.history, odds));
  const setParam = useAppStore((s) => s.setTrainingParam);
  return (
    <section className="odds-choice" aria-label="Odds of the weighted ranker">
      <ul>
        {(['paper', 'exact'] as const).map((o) => (
          <li key={o} data-testid={`watchtime.odds.${o}`}>
            <strong>{ODDS_TEXT[o].name}</strong>
            {o === 'exact' ? ' (this app’s default)' : ' (§4.2)'}: {ODDS_TEXT[o].weights}, so{' '}
            <code>{ODDS_TEXT[o].formula}</code>
            {o === 'paper' ? ' — near E[T] only while clicks are rare (P small).' : '.'}
            {o === odds && <em> ← in use</em>}
          </li>
        ))}
      </ul>
      <p>
        <label className="field">
          the weighted ranker uses{' '}
          <select
            data-testid="watchtime.oddsSelect"
            value={odds}
            onChange={(e) => setParam('odds', e.target.value as Odds)}
          >
            <option value="exact">{ODDS_TEXT.exact.name}</option>
            <option value="paper">{ODDS_TEXT.paper.name}</option>
          </select>
        </label>{' '}
        <span data-testid="watchtime.odds">
          This run's weighted ranker trains with <strong>{ODDS_TEXT[odds].name}</strong>
          {charted !== odds && ` (the charts' latest evaluation: ${ODDS_TEXT[charted].name})`}.
          {!weighted &&
            ' (The run’s own ranker is CTR; the weighted one is its contrast, with these odds.)'}
        </span>
      </p>
    </section>
  );
}

/** The Watch-time weighting view. */
export function WatchTimeView() {
  const worldReady = useAppStore((s) => s.summary !== null);
  const prepare = useAppStore((s) => s.prepare);
  useEffect(() => {
    if (worldReady) prepare();
  }, [worldReady, prepare]);
  const saveCsv = () => saveExport('watch time', 'csv', watchTimeCsv(appStore.getState().history));

  return (
    <main className="training watchtime" data-testid="view.watchtime">
      <DataNote view="watchtime" />
      <TrainingToolbar />
      <p className="train-intro">
        Two rankers learn from the same impressions: one weights each click by the minutes then
        watched (weighted logistic regression, §4.2, with one of the two odds below), the other
        counts every click alike (CTR), and every {EVAL_EVERY} steps both order the same (up to){' '}
        {RANKING_EVAL_PAGES} held-out pages, keeping each page's top 3. Press play and compare how
        many minutes the oracle expects from each one's top 3, and how much clickbait each lets in —
        the videos that are clicked often but watched briefly.
      </p>
      <OddsChoice />
      {!worldReady ? (
        <p className="placeholder">Building the world in a background worker…</p>
      ) : (
        <div className="watch-body">
          <table className="recall-table watch-table" data-testid="watchtime.table">
            <caption>
              Held-out pages, each page's top 3 by the ranker's score, at step{' '}
              <LiveNumber
                testId="metric.watchTimeStep"
                read={READ.watchTimeStep}
                className="inline-number"
              />{' '}
              <button
                type="button"
                className="chart-save"
                onClick={saveCsv}
                data-testid="watchtime.csv"
              >
                CSV
              </button>
            </caption>
            <thead>
              <tr>
                <th scope="col">ranker</th>
                <th scope="col" className="key">
                  watch time per impression (minutes)
                </th>
                <th scope="col">clickbait share of the top 3</th>
                <th scope="col">weighted per-user loss</th>
              </tr>
            </thead>
            <tbody>
              <tr className="row-model">
                <th scope="row">weighted (watch time)</th>
                <td className="key">{cell('weightedWatchTime')}</td>
                <td>{cell('clickbaitShareWeighted')}</td>
                <td>{cell('weightedPerUserLossWeighted')}</td>
              </tr>
              <tr className="row-mf">
                <th scope="row">unweighted (CTR)</th>
                <td className="key">{cell('unweightedWatchTime')}</td>
                <td>{cell('clickbaitShareUnweighted')}</td>
                <td>{cell('weightedPerUserLossUnweighted')}</td>
              </tr>
              <tr className="row-popular">
                <th scope="row">oracle's own top 3 (ceiling)</th>
                <td className="key">{cell('oracleWatchTime')}</td>
                <td />
                <td />
              </tr>
              <tr className="row-popular">
                <th scope="row">random order</th>
                <td className="key">{cell('randomWatchTime')}</td>
                <td />
                <td />
              </tr>
            </tbody>
          </table>
          <section className="charts train-charts watch-charts" aria-label="Watch-time charts">
            <LiveChart
              testId="chart.watchTime"
              title="Watch time of the top 3 over training"
              select={watchTimeData}
              caption="Oracle-expected minutes watched per impression among each held-out page's top 3, for the weighted and the unweighted ranker, against the best possible order (the oracle's) and a random one."
            />
            <LiveChart
              testId="chart.reliability"
              title="Predicted against true watch time"
              select={reliabilityData}
              caption="Ten quantile bins of the weighted ranker's e^z (latest evaluation), each against what one odds weighting estimates: the oracle's mean E[T] in the bin (exact odds' target) and Σ E[T] / Σ (1 − P) over the bin (the paper's odds' target, P the true click probability). The line of the odds the ranker was trained with should lie near y = x; with the paper's odds, e^z over-predicts E[T] where clicks are likely. The CTR ranker's e^z are click odds, not minutes, and are not drawn."
            />
          </section>
        </div>
      )}
    </main>
  );
}
