/**
 * The Watch-time weighting view: the paper's weighted ranker (clicks weighted by minutes
 * watched, §4.2) beside an unweighted (CTR) ranker trained on the same batches and scored on
 * the same held-out pages: watch time and clickbait share of each page's top 3, the weighted
 * per-user loss, and a reliability chart of predicted e^z against the oracle's E[watch time].
 */
import { useEffect } from 'react';
import { appStore, useAppStore, type AppState } from '../state/store';
import { EVAL_EVERY, RANKING_EVAL_PAGES } from '../state/protocol';
import { saveExport } from './save-file';
import { reliabilityData, watchTimeCsv, watchTimeData } from './charts/watchtime-data';
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
      <TrainingToolbar />
      <p className="train-intro">
        Two rankers learn from the same impressions: one weights each click by the minutes then
        watched (the paper's weighted logistic regression), the other counts every click alike
        (CTR), and every {EVAL_EVERY} steps both order the same (up to) {RANKING_EVAL_PAGES}{' '}
        held-out pages, keeping each page's top 3. Press play and compare how many minutes the
        oracle expects from each one's top 3, and how much clickbait each lets in — the videos that
        are clicked often but watched briefly.
      </p>
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
              caption="Ten quantile bins of each ranker's e^z against the oracle's mean expected watch time in the bin (minutes per impression): the weighted ranker's odds estimate watch time (over-estimating it where clicks are likely), while the unweighted ranker's odds are click odds, not minutes at all."
            />
          </section>
        </div>
      )}
    </main>
  );
}
