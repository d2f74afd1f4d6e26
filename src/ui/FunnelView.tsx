/**
 * The Funnel view (paper §1 Figure 2, docs/model.md#funnel): candidate generation retrieves the top
 * N videos by u·v (an exact scan, and an IVF index), the ranker orders those N and shows the top
 * k. Against N: recall@N of the next watch, the oracle watch time of what is shown, latency;
 * and the chosen user's own top k at the N of the slider.
 */
import { DataNote } from './DataNote';
import { useEffect, useMemo, useState } from 'react';
import { SERVING_KEYS, SERVING_PARAMS, type ServingKey } from '../state/funnel-settings';
import { useAppStore } from '../state/store';
import { FUNNEL_NS, FUNNEL_QUERIES, type FunnelMessage } from '../state/protocol';
import { AnalysisProblem, FocusUserField, Stat, useLiveAnalysis } from './AnalysisParts';
import { ChartFigure } from './ChartFigure';
import { figuresAt, funnelCsv, latencyData, recallData, watchData } from './charts/funnel-data';
import { describeVideo } from './charts/projection-data';
import { saveExport } from './save-file';
import { XYChart } from './charts/xy-chart';
import { fixed } from './format';
import { TrainingToolbar } from './TrainingToolbar';

/** One serving knob's number box (k, nprobe, …), checked against its row when committed. */
function ServingField({ name }: { name: ServingKey }) {
  const row = SERVING_PARAMS[name];
  const value = useAppStore((s) => s.funnel[name]);
  const submit = useAppStore((s) => s.submitServingField);
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  return (
    <form
      className="field"
      title={`${row.help}; ${row.range}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit(name, text);
      }}
    >
      <label>
        {row.label} ({row.min}–{row.max})
        <input
          data-testid={`param.${name}`}
          inputMode="numeric"
          value={text}
          size={4}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => {
            if (text.trim() !== String(value)) submit(name, text);
          }}
        />
      </label>
    </form>
  );
}

/** N (slider over FUNNEL_NS), then a box per other serving knob of the parameter table. */
function FunnelControls() {
  const funnelN = useAppStore((s) => s.funnel.funnelN);
  const setN = useAppStore((s) => s.setFunnelN);
  const index = Math.max(0, FUNNEL_NS.indexOf(funnelN));
  return (
    <>
      <label className="field">
        <span>
          retrieve N ={' '}
          <output data-testid="funnel.n" className="inline-number">
            {funnelN}
          </output>
        </span>
        <input
          type="range"
          data-testid="param.funnelN"
          min={0}
          max={FUNNEL_NS.length - 1}
          step={1}
          value={index}
          aria-valuetext={`N = ${funnelN}`}
          onChange={(e) => setN(FUNNEL_NS[Number(e.target.value)])}
        />
      </label>
      {SERVING_KEYS.filter((k) => k !== 'funnelN').map((k) => (
        <ServingField key={k} name={k} />
      ))}
    </>
  );
}

/** The chosen user's funnel at N: where the next watch landed and the top k shown. */
function Example() {
  const m = useAppStore((s) => s.funnelResult);
  const meta = useAppStore((s) => s.videoMeta);
  const n = useAppStore((s) => s.funnel.funnelN);
  const ex = m?.example;
  const at = ex?.perN.find((p) => p.n === n);
  if (!m || !ex || !at || !meta) return null;
  const label = describeVideo(meta, ex.label);
  return (
    <section className="funnel-example" aria-label="One user's funnel">
      <h3>
        User {ex.user}: what the funnel shows at N = {n}
      </h3>
      <p data-testid="funnel.exampleLabel">
        Their actual next watch, video {ex.label} ({label.topic}
        {label.title ? `, “${label.title}”` : ''}),{' '}
        {at.labelRank >= 0 ? (
          <strong>
            was retrieved at position {at.labelRank + 1} of {n}
          </strong>
        ) : (
          <strong>was not among the {n} retrieved: no ranker can show it</strong>
        )}
        .
      </p>
      <table className="recall-table" data-testid="funnel.topK">
        <caption>
          The ranker's top {m.k} of the N retrieved, with the oracle's expected minutes
        </caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col" className="text-left">
              video
            </th>
            <th scope="col" className="key">
              oracle minutes per impression
            </th>
          </tr>
        </thead>
        <tbody>
          {at.topK.map((id, r) => {
            const v = describeVideo(meta, id);
            return (
              <tr key={id} className={id === ex.label ? 'row-model' : undefined}>
                <th scope="row">{r + 1}</th>
                <td className="text-left">
                  {id} · {v.topic}
                  {v.clickbait ? ' · clickbait' : ''}
                  {v.title ? <span className="muted"> “{v.title}”</span> : null}
                  {id === ex.label ? <strong> ← next watch</strong> : null}
                </td>
                <td className="key">{fixed(at.topKWatch[r], 2)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The Funnel view. */
/**
 * How the answer's IVF index was built: cold (k-means++ and 8 iterations) or warm-started from
 * the centres of an earlier step's index (worker: funnel-index.ts), which makes it depend on
 * when the funnel was served before.
 */
function indexNote(m: FunnelMessage): string {
  const head = `IVF index of step ${m.step}: ${m.index.lists} k-means lists`;
  const ms = `${fixed(m.index.buildMs, 0)} ms`;
  const w = m.index.warm;
  if (!w) return `${head}, built cold (k-means++ start, 8 iterations) in ${ms}.`;
  return (
    `${head}, its k-means warm-started from the centres of step ${w.from}'s index ` +
    `(${w.iterations} iterations on this step's vectors, every video filed again; first built ` +
    `cold at step ${w.cold}) in ${ms}: it depends on when the funnel was served before.`
  );
}

export function FunnelView() {
  useLiveAnalysis('funnel');
  const worldReady = useAppStore((s) => s.summary !== null);
  const m = useAppStore((s) => s.funnelResult);
  const pending = useAppStore((s) => s.pending.funnel);
  const n = useAppStore((s) => s.funnel.funnelN);
  // No held-out session start to serve: every figure is n/a, not 0.
  const served = m !== null && m.queries > 0 ? m : null;
  // Chart data are built once per answer and N (not per render: `pending` alone re-renders).
  const charts = useMemo(
    () => m && { recall: recallData(m, n), watch: watchData(m, n), latency: latencyData(m, n) },
    [m, n],
  );
  const exact = figuresAt(served, n);
  const approx = figuresAt(served, n, true);
  const saveCsv = () => m && saveExport('funnel', 'csv', funnelCsv(m));

  return (
    <main className="training funnel" data-testid="view.funnel">
      <DataNote view="funnel" />
      <TrainingToolbar />
      <p className="train-intro">
        Serving happens in two stages: candidate generation retrieves the N videos with the largest
        u·v out of the whole corpus, then the ranker orders only those N and shows the top k. Slide
        N down and watch recall fall: a next watch lost at retrieval never reaches the ranker,
        however good it is — while ranking more candidates costs more time per request.
      </p>
      <div className="toolbar funnel-controls">
        <FocusUserField shown={m?.example?.user ?? null} />
        <FunnelControls />
        <div className="run-state">
          for step{' '}
          <span data-testid="funnel.step" className="inline-number">
            {m ? m.step : 'n/a'}
          </span>
          {m && (
            <span className="muted">
              {' '}
              ({m.queries} held-out users, {fixed(m.ms / 1000, 1)} s in the worker)
            </span>
          )}
          {pending && <span className="muted"> · updating…</span>}
        </div>
        <button type="button" onClick={saveCsv} disabled={!m} data-testid="funnel.csv">
          Save CSV
        </button>
      </div>
      <AnalysisProblem name="focus" />
      <AnalysisProblem name="funnel" />
      {m && m.queries === 0 && (
        <p className="error" role="status">
          This world has no held-out session start to serve: build one with more days or users.
        </p>
      )}
      {!worldReady ? (
        <p className="placeholder">Building the world in a background worker…</p>
      ) : (
        <>
          <div className="stats" aria-label={`Funnel figures at N = ${n}`}>
            <Stat
              label={`recall@${n} (exact)`}
              testId="metric.funnelRecall"
              value={exact ? fixed(exact.recall, 3) : 'n/a'}
              title={
                'Share of held-out users whose actual next watch is among the N retrieved by the exact scan'
              }
            />
            <Stat
              label={`recall@${n} (IVF)`}
              testId="metric.funnelRecallIvf"
              value={approx ? fixed(approx.recall, 3) : 'n/a'}
              title="The same through the approximate IVF index (above the exact scan's only by chance: see the note below)"
            />
            <Stat
              label={`minutes per impression, top ${m?.k ?? ''}`}
              testId="metric.funnelWatchTime"
              value={exact ? fixed(exact.watchPerImpression, 3) : 'n/a'}
              title={
                "Oracle-expected watch minutes per impression of the ranker's top k out of the N"
              }
            />
            <Stat
              label={'oracle ceiling'}
              testId="metric.funnelOracleWatchTime"
              value={served ? fixed(served.oracleWatchPerImpression, 3) : 'n/a'}
              title={"Minutes per impression of the oracle's own top k among all live videos"}
            />
            <Stat
              label={'index recall@100'}
              testId="metric.indexRecall100"
              value={served ? fixed(served.indexRecall100, 3) : 'n/a'}
              title="Share of the exact top 100 by u·v that the IVF index also returns"
            />
            <Stat
              label={'ms per query (exact / IVF / rank)'}
              testId="metric.funnelLatency"
              value={
                exact && approx
                  ? `${fixed(exact.retrievalMs, 2)} / ${fixed(approx.retrievalMs, 2)} / ${fixed(exact.rankingMs, 2)}`
                  : 'n/a'
              }
              title={
                'Retrieval by exact scan, retrieval by the IVF index, and ranking the N, per query in the worker'
              }
            />
          </div>
          <p className="muted funnel-note" data-testid="funnel.ivfNote">
            {exact && approx && approx.recall > exact.recall
              ? "IVF's recall above the exact scan's here is chance, not a bug"
              : "IVF's recall can come out above the exact scan's on a sample this small, by chance"}
            : when the index skips some of the exact top {n}, videos ranked just below move in, and
            the next watch can be one of them. On average it finds fewer (measured on 400 users at N
            = 100: 16.5% against the exact scan's 18.0%).
          </p>
          {m && (
            <p className="muted funnel-note" data-testid="funnel.indexNote">
              {indexNote(m)}
            </p>
          )}
          <section className="charts funnel-charts" aria-label="Funnel charts">
            <ChartFigure
              testId="chart.funnelRecall"
              title="Retrieval: recall@N"
              chart={XYChart}
              data={charts?.recall ?? null}
              caption={`Share of ${m?.queries ?? FUNNEL_QUERIES} held-out users, each served at the start of a session, whose next watch is among the N videos retrieved — by exact scan, and by the IVF index (${m?.index.lists ?? '…'} k-means lists, ${m?.nprobe ?? 8} opened per query: it never returns more than those lists hold, so its recall stops growing; where it lies above the exact scan's, that is chance on this sample). Grey: retrieval alone, on to the whole corpus. With ${m?.queries ?? FUNNEL_QUERIES} users recall moves in steps of ${fixed(1 / (m?.queries ?? FUNNEL_QUERIES), 3)}, and it is not the Training tab's recall@k, which counts every held-out next watch.`}
            />
            <ChartFigure
              testId="chart.funnelWatch"
              title="What is shown: watch time of the top k"
              chart={XYChart}
              data={charts?.watch ?? null}
              caption="Oracle-expected minutes per impression of the final top k: ranked out of N retrieved (solid), a random k of the N (grey), and the oracle's own best k out of every live video (red line): the gap that is left is lost at retrieval or by the ranker."
            />
            <ChartFigure
              testId="chart.funnelLatency"
              title="Cost: milliseconds per request"
              chart={XYChart}
              data={charts?.latency ?? null}
              caption={`Wall-clock ms per query in the worker (mean of ${m?.latencyQueries ?? '…'} requests served in full at each N and retrieval, each by another held-out user): retrieval by exact scan over every video and by the index, and ranking the N retrieved (features and the ranker's forward pass). The user tower adds ${m ? fixed(m.towerMs, 2) : '…'} ms.`}
            />
          </section>
          <Example />
        </>
      )}
    </main>
  );
}
