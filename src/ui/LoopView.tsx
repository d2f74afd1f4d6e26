/**
 * The Feedback loop tab (docs/loop.md#in-the-page): the trained two-stage recommender deployed
 * into its own simulated world for a number of rounds, beside the same model without example
 * age, with ε exploration, never retrained, the legacy recommender and the oracle; each round's
 * curves drawn as the loop worker measures them, and the per-round table. Below it, the
 * simulated A/B test: two models on randomised halves of the users, online differences with
 * 95% intervals and the users needed, beside the models' offline numbers.
 */
import { useMemo, useState, type ReactNode } from 'react';
import {
  AB_METRICS,
  ROUND_METRICS,
  AB_PARAMS,
  AB_PRESETS,
  AB_PRESET_LABELS,
  LOOP_PARAMS,
  LOOP_START_DAY,
  POLICY_HELP,
  POLICY_IDS,
  POLICY_LABELS,
  abArmRefs,
  armLessons,
  checkAbSettings,
  checkLoopSettings,
  offlineVsOnline,
  type AbPreset,
  type AbSettings,
  type LoopSettings,
  type PolicyId,
  type Param,
} from '../state/loop-protocol';
import { loopStore, useLoop, type AbRunState, type LoopRunState } from '../state/loop-store';
import { ChartFigure } from './ChartFigure';
import { cell, loopCurveData, loopTableRows, POLICY_COLOURS } from './charts/loop-data';
import { LineChart } from './charts/line-chart';
import { TermHelp } from './glossary/Glossary';

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

/** The A/B test's number knobs in the form (with the preset menu). */
const AB_FIELDS = ['abDays', 'abUsers'] as const;

/** The A/B menu's entry for two lesson variants, and the pair it starts with. */
const LESSON_ARMS = 'lessons';
const DEFAULT_LESSON_ARMS = 'watch-time:ctr,watch-time:weighted';

/** The form's text of every number knob. */
type Texts = Record<string, string>;

/** Reads `texts` by the rows: the values, or the first bad knob's message. */
function readTexts(texts: Texts, rows: Record<string, Param<unknown>>, keys: readonly string[]) {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = rows[k].parse(texts[k]);
  return out;
}

/** A number field bound to `texts[key]`. */
function NumberField({
  row,
  texts,
  setTexts,
  disabled,
  testId,
}: {
  row: Param<unknown>;
  texts: Texts;
  setTexts: (t: Texts) => void;
  disabled: boolean;
  testId: string;
}) {
  return (
    <label className="field" title={`${row.help}; ${row.range}`}>
      {row.label}
      <input
        data-testid={testId}
        inputMode="decimal"
        value={texts[row.key]}
        disabled={disabled}
        onChange={(e) => setTexts({ ...texts, [row.key]: e.target.value })}
      />
    </label>
  );
}

/** The progress line of a job. */
function progressText(job: LoopRunState | AbRunState | null): string {
  if (!job) return 'not run yet';
  const pct = Math.round(100 * (job.progress?.fraction ?? 0));
  const what = job.status === 'running' ? (job.progress?.message ?? 'starting') : job.status;
  return `${what} — ${pct}%, ${job.seconds.toFixed(0)} s${job.backend ? ` on ${job.backend}` : ''}${
    job.status === 'failed' && job.message ? `: ${job.message}` : ''
  }`;
}

/**
 * The frame both jobs' controls share: a Run/Cancel button, the fields between, the progress
 * line and the error of the last Run. `settings()` reads and checks the fields (it throws a
 * message naming the bad one, shown under the fields); `start` gets the checked settings.
 */
function JobControls<S>({
  job,
  run,
  runLabel,
  progressLabel,
  settings,
  start,
  cancel,
  children,
}: {
  job: 'loop' | 'ab';
  run: LoopRunState | AbRunState | null;
  runLabel: string;
  progressLabel: string;
  settings: () => S;
  start: (settings: S) => void;
  cancel: () => void;
  children: ReactNode;
}) {
  const [problem, setProblem] = useState('');
  const running = run?.status === 'running';
  const onRun = () => {
    try {
      const checked = settings();
      setProblem('');
      start(checked);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div className="toolbar loop-controls">
      <button
        type="button"
        className="primary"
        data-testid={`${job}.run`}
        onClick={running ? cancel : onRun}
      >
        {running ? 'Cancel' : run ? 'Run again' : runLabel}
      </button>
      {children}
      <div className="loop-progress">
        <progress max={1} value={run?.progress?.fraction ?? 0} aria-label={progressLabel} />
        <span className="run-state" data-testid={`${job}.progress`} role="status">
          {progressText(run)}
        </span>
      </div>
      {problem && (
        <p className="error" role="alert" data-testid={`${job}.error`}>
          {problem}
        </p>
      )}
    </div>
  );
}

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

/** The A/B test's settings, Run/Cancel and progress. */
function AbControls({ run }: { run: AbRunState | null }) {
  const saved = useLoop((s) => s.abSettings);
  const [texts, setTexts] = useState<Texts>(() => ({
    abDays: String(saved.abDays),
    abUsers: String(saved.abUsers),
  }));
  // A preset, or two lesson variants `lesson:variant,lesson:variant`.
  const [ab, setAb] = useState<string>(saved.ab);
  const isPreset = (AB_PRESETS as readonly string[]).includes(ab);
  const refs = isPreset ? null : abArmRefs(ab);
  const arms = refs ? refs.map((r) => `${r.lesson}:${r.variant}`) : [];
  const setArm = (i: 0 | 1, ref: string) =>
    setAb(i === 0 ? `${ref},${arms[1]}` : `${arms[0]},${ref}`);
  const loopSettings = useLoop((s) => s.loopSettings);
  const running = run?.status === 'running';
  return (
    <JobControls
      job="ab"
      run={run}
      runLabel="Run the A/B test"
      progressLabel="A/B test progress"
      settings={() =>
        checkAbSettings({
          ...saved,
          seed: loopSettings.seed,
          videos: loopSettings.videos,
          steps: loopSettings.steps,
          positionBias: loopSettings.positionBias,
          ...readTexts(texts, AB_PARAMS as Record<string, Param<unknown>>, AB_FIELDS),
          ab,
        } as AbSettings)
      }
      start={(settings) => loopStore.getState().startAb(settings)}
      cancel={() => loopStore.getState().cancelAb()}
    >
      <label className="field" title={AB_PARAMS.ab.help}>
        {AB_PARAMS.ab.label}
        <select
          data-testid="ab.preset"
          value={isPreset ? ab : LESSON_ARMS}
          disabled={running}
          onChange={(e) =>
            setAb(e.target.value === LESSON_ARMS ? DEFAULT_LESSON_ARMS : e.target.value)
          }
        >
          {AB_PRESETS.map((p) => (
            <option key={p} value={p}>
              {AB_PRESET_LABELS[p as AbPreset]}
            </option>
          ))}
          <option value={LESSON_ARMS}>two lesson variants…</option>
        </select>
      </label>
      {refs &&
        ([0, 1] as const).map((i) => (
          <label key={i} className="field">
            arm {i === 0 ? 'A' : 'B'}
            <select
              data-testid={`ab.arm${i === 0 ? 'A' : 'B'}`}
              value={arms[i]}
              disabled={running}
              onChange={(e) => setArm(i, e.target.value)}
            >
              {armLessons().map((l) => (
                <optgroup key={l.id} label={l.title}>
                  {l.variants.map((v) => (
                    <option key={v.id} value={`${l.id}:${v.id}`}>
                      {v.label} ({l.id})
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
        ))}
      {AB_FIELDS.map((k) => (
        <NumberField
          key={k}
          row={AB_PARAMS[k] as Param<unknown>}
          texts={texts}
          setTexts={setTexts}
          disabled={running}
          testId={`ab.${k}`}
        />
      ))}
      <span className="muted field-note">
        Seed, videos, steps and position bias are the loop’s (above).
      </span>
    </JobControls>
  );
}

const interval = (e: { value: number; lo: number; hi: number }, d: number) =>
  `${cell(e.value, d)} [${cell(e.lo, d)}, ${cell(e.hi, d)}]`;

/** The A/B test's result: offline beside online. */
function AbResultPanel({ run }: { run: AbRunState | null }) {
  const r = run?.result;
  if (!r)
    return (
      <p className="placeholder">
        Run the A/B test: both models train on the same history, then serve randomised halves of the
        users.
      </p>
    );
  const [A, B] = r.arms;
  const digits = (k: string) => (k === 'clickbaitShare' ? 4 : 2);
  return (
    <div className="loop-ab" data-testid="ab.result">
      <table className="lesson-table" data-testid="ab.offline">
        <caption>Offline, on the legacy world’s held-out data (days {r.world.startDay} on)</caption>
        <thead>
          <tr>
            <th scope="col">arm</th>
            <th scope="col">users (with a session)</th>
            <th scope="col">recall@100</th>
            <th scope="col">MAP</th>
            <th scope="col">ranker AUC</th>
            <th scope="col">clickbait share of top 3</th>
          </tr>
        </thead>
        <tbody>
          {r.arms.map((a) => (
            <tr key={a.id}>
              <th scope="row">
                {a.id}: {a.label}
              </th>
              <td className="num">
                {a.users} ({a.activeUsers})
              </td>
              <td className="num">{cell(a.offline.recall100, 4)}</td>
              <td className="num">{cell(a.offline.map, 4)}</td>
              <td className="num">{cell(a.offline.auc, 4)}</td>
              <td className="num">{cell(a.offline.clickbaitTop3, 4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="lesson-table" data-testid="ab.online">
        <caption>
          Online, {r.world.days} day{r.world.days === 1 ? '' : 's'} served: per user with a session,
          mean [95% interval]; users per arm to detect B − A with power 0.8 at α 0.05
        </caption>
        <thead>
          <tr>
            <th scope="col">metric</th>
            <th scope="col">A: {A.label}</th>
            <th scope="col">B: {B.label}</th>
            <th scope="col">B − A</th>
            <th scope="col">
              users per arm needed
              <TermHelp term="users-needed" />
            </th>
          </tr>
        </thead>
        <tbody>
          {AB_METRICS.map(({ key, label }) => {
            const m = r.metrics[key];
            const d = digits(key);
            return (
              <tr key={key} data-testid={`ab.metric.${key}`}>
                <th scope="row">{label}</th>
                <td className="num">{interval(m.a, d)}</td>
                <td className="num">{interval(m.b, d)}</td>
                <td className="num" data-testid={`ab.diff.${key}`}>
                  {interval(m.diff, d)}
                </td>
                <td className="num">
                  {Number.isFinite(m.usersNeeded) ? m.usersNeeded.toLocaleString('en') : '∞'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted">
        Users needed per arm: n = 2·(z₀.₉₇₅ + z₀.₈)²·σ²/δ² with σ the per-user standard deviation
        (pooled over the arms) and δ the difference measured. Each arm serves in its own copy of the
        world (a video’s popularity counts only its arm’s watches).
      </p>
      <p data-testid="ab.agreement">{offlineVsOnline(r).sentence}</p>
    </div>
  );
}

/** The Feedback loop view. */
export function LoopView() {
  const run = useLoop((s) => s.loop);
  const ab = useLoop((s) => s.ab);
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
      <AbControls run={ab} />
      <AbResultPanel run={ab} />
    </main>
  );
}
