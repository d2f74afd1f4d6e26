/**
 * The Feedback loop tab (docs/loop.md#in-the-page): the trained two-stage recommender deployed
 * into its own simulated world for a number of rounds, beside the same model without example
 * age, with ε exploration, never retrained, the legacy recommender and the oracle; each round's
 * curves drawn as the loop worker measures them, and the per-round table. Below it, the
 * simulated A/B test: two models on randomised halves of the users, online differences with
 * 95% intervals and the users needed, beside the models' offline numbers.
 */
import { useMemo, useState } from 'react';
import {
  ROUND_METRICS,
  LOOP_PARAMS,
  LOOP_START_DAY,
  POLICY_HELP,
  POLICY_IDS,
  POLICY_LABELS,
  checkLoopSettings,
  type LoopSettings,
  type PolicyId,
  type Param,
} from '../state/loop-protocol';
import { loopStore, useLoop, type LoopRunState } from '../state/loop-store';
import { AbPanel } from './AbPanel';
import { ChartFigure } from './ChartFigure';
import { cell, loopCurveData, loopTableRows, POLICY_COLOURS } from './charts/loop-data';
import { LineChart } from './charts/line-chart';
import { TermHelp } from './glossary/Glossary';
import { JobControls, NumberField, readTexts, type Texts } from './loop-controls';

/** The loop's number knobs in the form, in order. */
const LOOP_FIELDS = [
  'seed',
  'rounds',
  'videos',
  'users',
  'steps',
  'roundSteps',
  'window',
  'epsilon',
  'positionBias',
] as const satisfies readonly (keyof typeof LOOP_PARAMS)[];

/** The loop's settings, Run/Cancel and progress. */
function LoopControls({ run }: { run: LoopRunState | null }) {
  const saved = useLoop((s) => s.loopSettings);
  const [texts, setTexts] = useState<Texts>(() =>
    Object.fromEntries(LOOP_FIELDS.map((k) => [k, LOOP_PARAMS[k].format(saved[k] as never)])),
  );
  const [policies, setPolicies] = useState(saved.policies);
  const running = run?.status === 'running';
  return (
    <JobControls
      job="loop"
      run={run}
      runLabel="Run the loop"
      progressLabel="loop progress"
      settings={() =>
        checkLoopSettings({
          ...saved,
          ...readTexts(texts, LOOP_PARAMS, LOOP_FIELDS),
          policies,
        } as LoopSettings)
      }
      start={(settings) => loopStore.getState().startLoop(settings)}
      cancel={() => loopStore.getState().cancelLoop()}
    >
      {LOOP_FIELDS.map((k) => (
        <NumberField
          key={k}
          row={LOOP_PARAMS[k] as Param<unknown>}
          texts={texts}
          setTexts={setTexts}
          disabled={running}
          testId={`loop.${k}`}
        />
      ))}
      <fieldset className="loop-policies" disabled={running}>
        <legend>Policies</legend>
        {POLICY_IDS.map((p) => (
          <label key={p} className="field-check" title={POLICY_HELP[p]}>
            <input
              type="checkbox"
              data-testid={`loop.policy.${p}`}
              checked={policies[p]}
              onChange={(e) => setPolicies({ ...policies, [p]: e.target.checked })}
            />
            <span className="swatch" style={{ background: POLICY_COLOURS[p] }} />
            {POLICY_LABELS[p]}
          </label>
        ))}
      </fieldset>
    </JobControls>
  );
}

/** The per-round table. */
function RoundTable({ run }: { run: LoopRunState | null }) {
  const rows = loopTableRows(run);
  if (rows.length === 0)
    return <p className="placeholder">The table fills in round by round once the loop runs.</p>;
  return (
    <div className="loop-table-box">
      <table className="lesson-table loop-table" data-testid="loop.table">
        <caption>
          Each policy’s rounds: a round is one day served from day {LOOP_START_DAY} on; per user =
          per user with a session that day
        </caption>
        <thead>
          <tr>
            <th scope="col">policy</th>
            <th scope="col">round</th>
            <th scope="col">users</th>
            {ROUND_METRICS.map((m) => (
              <th key={m.key} scope="col">
                {m.label}
                {COLUMN_TERMS[m.key] && <TermHelp term={COLUMN_TERMS[m.key]!} />}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ id, m }) => (
            <tr
              key={`${id}-${m.round}`}
              data-testid="loop.row"
              data-policy={id}
              data-round={m.round}
            >
              <th scope="row">{POLICY_LABELS[id]}</th>
              <td className="num">{m.round}</td>
              <td className="num">{m.activeUsers}</td>
              {ROUND_METRICS.map((c) => (
                <td key={c.key} className="num" data-key={c.key}>
                  {cell(m[c.key], c.digits)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The loop's curves. */
function LoopCharts({ run }: { run: LoopRunState | null }) {
  const version = run
    ? `${run.startedAt}:${Object.values(run.rounds).reduce((n, r) => n + (r?.length ?? 0), 0)}`
    : 'none';
  const charts = useMemo(() => {
    void version;
    return ROUND_METRICS.map((m) => ({ m, data: loopCurveData(run, m.key) }));
  }, [version]);
  return (
    <div className="lesson-charts loop-charts">
      {charts.map(({ m, data }) => (
        <ChartFigure
          key={m.key}
          testId={`chart.loop.${m.key}`}
          title={m.label}
          caption={CAPTIONS[m.key]}
          chart={LineChart}
          data={data}
        />
      ))}
    </div>
  );
}

/** The glossary term of a table column, where there is one. */
const COLUMN_TERMS: Partial<Record<(typeof ROUND_METRICS)[number]['key'], string>> = {
  gini: 'exposure-gini',
  homogenisation: 'homogenisation',
  shownHomogenisation: 'homogenisation',
  clickbaitShare: 'clickbait',
  recallNext: 'recall-at-k',
  recallHeldout: 'recall-at-k',
};

const CAPTIONS: Record<(typeof ROUND_METRICS)[number]['key'], string> = {
  welfare:
    'The oracle’s expected watch minutes of every slot shown, given the position bias, per user with a session: what the policy gave its users that day.',
  coverage: 'Share of the videos live that day shown to anyone at least once.',
  gini: 'Gini coefficient of impressions over the live videos: 0 = every video shown equally, 1 = one video gets everything.',
  top1Share: 'Share of the day’s impressions that went to the 1% most-shown live videos.',
  homogenisation:
    'Mean pairwise cosine similarity of users’ watch minutes per topic that day: how alike what people watched was.',
  shownHomogenisation:
    'The same for what users were shown (impressions per topic): every policy shows the same number of slates.',
  topicsPerUser:
    'Per user, exp(entropy) of their minutes per topic that day: the topics a user watches, on average.',
  clickbaitShare: 'Share of the day’s clicks that went to clickbait videos.',
  recallNext:
    'recall@100 of the candidate model that served the day, on that day’s own next watches: the offline number a team would read.',
  recallHeldout:
    'recall@100 after the day’s retraining, on the same held-out next watches of the legacy world every round.',
};

/** The Feedback loop view. */
export function LoopView() {
  const run = useLoop((s) => s.loop);
  return (
    <main className="loop-view" data-testid="view.loop">
      <h2>
        Feedback loop <TermHelp term="feedback-loop" />
      </h2>
      <p className="train-intro">
        The trained recommender is deployed into its own world: each round (one day) the same
        simulated users visit under every policy, click and watch what it shows them (with position
        bias <TermHelp term="position-bias" />: lower slots are seen less), and the model retrains
        on what they did. Does exposure concentrate, does what people watch grow alike, and does the
        offline metric still tell the truth? Each policy gets its own copy of the world; the world’s
        first {LOOP_START_DAY} days of legacy logs are the history every model first trains on.
      </p>
      <ul className="loop-legend">
        {POLICY_IDS.map((p: PolicyId) => (
          <li key={p}>
            <span className="swatch" style={{ background: POLICY_COLOURS[p] }} />
            <strong>{POLICY_LABELS[p]}</strong>: {POLICY_HELP[p]}
          </li>
        ))}
      </ul>
      <LoopControls run={run} />
      <LoopCharts run={run} />
      <RoundTable run={run} />
      <h2>
        Simulated A/B test <TermHelp term="ab-test" />
      </h2>
      <p className="train-intro">
        Two models with a known offline gap serve randomised halves of the users for a few days,
        without retraining: does the offline difference show online, and how many users would it
        take to see it?
      </p>
      <AbPanel />
    </main>
  );
}
