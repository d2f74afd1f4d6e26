/**
 * The Lessons tab: one lesson per finding of the paper, each in three chapters — what the paper
 * did and found (its numbers, with the section), the experiment run live in lesson workers (our
 * curves filling in), and our table and verdict computed from the measured runs, beside the
 * paper's numbers. A lesson runs apart from the Training tab's run.
 */
import { useMemo } from 'react';
import { appStore } from '../state/store';
import {
  LESSONS,
  METRICS,
  lateRounds,
  lessonById,
  lessonWith,
  resultCsv,
  resultJson,
  type LessonSpec,
} from '../state/lessons-protocol';
import { lessonsStore, useLessons, type LessonRunState } from '../state/lessons-store';
import { ChartFigure } from './ChartFigure';
import { LineChart } from './charts/line-chart';
import { lessonCurveData, withInterval } from './charts/lesson-data';
import { hasAgeChart, lessonAgeData } from './charts/lesson-age-data';
import { int } from './format';
import { saveExport } from './save-file';
import { TermHelp } from './glossary/Glossary';
import { METRIC_TERMS } from './glossary/terms';
import { RunControls } from './LessonRunControls';
import { LessonAbLink } from './LessonAbLink';

const CHAPTERS = ['What the paper found', 'Run it', 'Our verdict'] as const;

/** The lesson list. */
function LessonList({ current }: { current: string }) {
  return (
    <nav className="lesson-list" aria-label="Lessons">
      {LESSONS.map((l) => (
        <button
          key={l.id}
          type="button"
          className={l.id === current ? 'lesson-link active' : 'lesson-link'}
          aria-current={l.id === current ? 'page' : undefined}
          data-testid={`lesson.${l.id}`}
          onClick={() => {
            lessonsStore.getState().open(l.id, 1);
            appStore.getState().writeUrl();
          }}
        >
          {l.title}
        </button>
      ))}
    </nav>
  );
}

/** Chapter 1: the paper's side and what we run. */
function PaperChapter({ spec }: { spec: LessonSpec }) {
  const { base } = spec;
  return (
    <section className="lesson-chapter" data-testid="lesson.paper">
      <p className="lesson-source">{spec.paper.source}</p>
      <p className="lesson-claim">{spec.paper.claim}</p>
      <table className="lesson-table">
        <caption>The paper's numbers</caption>
        <tbody>
          {spec.paper.numbers.map((n) => (
            <tr key={n.label}>
              <th scope="row">{n.label}</th>
              <td>{n.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>What we run</h3>
      {base.loop ? (
        <p>
          {spec.variants.map((v) => v.label).join(' vs ')}: each serves the same{' '}
          {int(base.loop.users)} users of one world of {int(base.loop.videos)} videos for{' '}
          {int(base.steps)} rounds (one simulated day each, from day 30 on), the same users at the
          same times; the models first train {int(base.loop.steps)} steps on the 30 days of history,
          and the retrained one trains {int(base.loop.roundSteps)} steps more on the latest{' '}
          {int(base.loop.window)} days after every round. Each repeat ({spec.repeats}) is a whole
          loop with other training seeds, visits and clicks. A run’s value is its mean over the
          later half of the rounds (round {lateRounds(base.steps).from} on).{' '}
          <span className="muted">{spec.sizing}</span>
        </p>
      ) : (
        <p>
          {spec.variants.map((v) => v.label).join(' vs ')}, each trained {int(base.steps)} steps on
          one shared world of {int(Number(base.world.videos ?? 20000))} videos and{' '}
          {int(Number(base.world.users ?? 5000))} users, {spec.repeats} times with different
          training seeds (every variant of a repeat sees the same batches), scored on{' '}
          {int(base.evalExamples)} held-out next watches
          {base.rankPages > 0 ? ` and ${int(base.rankPages)} held-out pages` : ''}.{' '}
          <span className="muted">{spec.sizing}</span>
        </p>
      )}
    </section>
  );
}

/** Chapter 2: run it, curves filling in. */
function RunChapter({ spec, run }: { spec: LessonSpec; run: LessonRunState | null }) {
  const metrics = spec.comparisons
    .map((c) => c.metric)
    .filter((m, i, a) => a.indexOf(m) === i)
    .slice(0, 2);
  // Redrawn when an evaluation arrives, not on every progress report.
  const version = run ? Object.values(run.runs).reduce((s, r) => s + r.curve.length, 0) : -1;
  const key = `${run?.startedAt ?? 'none'}:${version}:${metrics.join(',')}`;
  const charts = useMemo(() => {
    void key;
    return metrics.map((m) => {
      const data = lessonCurveData(spec, run, m);
      // A loop lesson's curve has one point per round.
      return { m, data: spec.base.loop ? { ...data, xTitle: 'round (simulated day)' } : data };
    });
  }, [key]);
  const finished = run ? Object.values(run.runs).filter((r) => r.finished).length : 0;
  const ageKey = `${run?.startedAt ?? 'none'}:${finished}:${run?.result ? 1 : 0}`;
  const age = useMemo(() => {
    void ageKey;
    return hasAgeChart(spec) ? lessonAgeData(spec, run) : null;
  }, [ageKey, spec.id]);
  return (
    <section className="lesson-chapter">
      <div className="lesson-charts">
        {age && (
          <ChartFigure
            testId="chart.lesson.age"
            title="Share of the next watch by days since upload (Figure 4)"
            caption="For each day d before the end of training: the share of held-out next watches on videos uploaded that day (black: what users watched), and each model's softmax probability on them at serving (example age 0), the mean over its finished repeats. Videos older than 20 days are left out of the drawing; videos uploaded after training are left out of both."
            chart={LineChart}
            data={age}
          />
        )}
        {charts.map(({ m, data }) => (
          <ChartFigure
            key={m}
            testId={`chart.lesson.${m}`}
            title={METRICS[m].label}
            caption={
              spec.base.loop
                ? `Each policy's ${METRICS[m].label} in every round (one simulated day), the mean over the repeats served so far. In round 1 the retrained model has not retrained yet and serves what its frozen copy serves.`
                : `Each variant's ${METRICS[m].label} on the held-out examples every ${spec.base.evalEvery} steps, the mean over the repeats evaluated so far.`
            }
            chart={LineChart}
            data={data}
          />
        ))}
      </div>
    </section>
  );
}

/** Chapter 3: our table beside the paper's numbers, and the verdicts. */
function VerdictChapter({ spec, run }: { spec: LessonSpec; run: LessonRunState | null }) {
  const summary = run?.summary ?? null;
  const done = run?.status === 'done';
  const exportCsv = () => {
    if (run?.result) saveExport(`lesson ${spec.id}`, 'csv', resultCsv(spec, run.result));
  };
  const exportJson = () => {
    if (run?.result)
      saveExport(
        `lesson ${spec.id}`,
        'json',
        JSON.stringify(resultJson(spec, run.result), null, 1),
      );
  };
  return (
    <section className="lesson-chapter">
      {summary ? (
        <>
          <table className="lesson-table" data-testid="lesson.table">
            <caption>
              Ours: mean ± half the 95% interval over {run?.repeats} repeats
              {spec.base.loop && run
                ? ` of the mean over rounds ${lateRounds(run.steps).from}–${run.steps}`
                : ''}
              {done ? '' : ' (runs finished so far)'}; the paper’s figure beside it
              <TermHelp term="confidence-interval" />
            </caption>
            <thead>
              <tr>
                <th scope="col">variant</th>
                {spec.metrics.map((m) => (
                  <th key={m} scope="col">
                    {METRICS[m].label}
                    {METRIC_TERMS[m] && <TermHelp term={METRIC_TERMS[m]} />}
                  </th>
                ))}
                <th scope="col">paper</th>
              </tr>
            </thead>
            <tbody>
              {summary.variants.map((v) => (
                <tr key={v.id}>
                  <th scope="row">{v.label}</th>
                  {spec.metrics.map((m) => (
                    <td key={m} className="num">
                      {withInterval(v.metrics[m], m)}
                    </td>
                  ))}
                  <td className="paper">{v.paper ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div
            className={`lesson-verdict verdict-${done ? summary.verdict : 'pending'}`}
            data-testid={done ? 'lesson.verdict' : 'lesson.verdictPending'}
          >
            {done
              ? summary.comparisons[0]?.sentence +
                (summary.comparisons[0]?.paper ? ` Paper: ${summary.comparisons[0].paper}.` : '')
              : 'The verdict comes when every run has finished.'}
          </div>
          {done && summary.comparisons.length > 1 && (
            <ul className="lesson-more">
              {summary.comparisons.slice(1).map((c) => (
                <li key={`${c.variant}-${c.base}-${c.metric}`}>
                  {c.sentence}
                  {c.paper && <span className="paper"> Paper: {c.paper}.</span>}
                </li>
              ))}
            </ul>
          )}
          {spec.base.loop && run?.result?.interestHomogenisation !== undefined && (
            <p data-testid="lesson.interests">
              For reference, the users’ own interests: homogenisation{' '}
              {run.result.interestHomogenisation.toFixed(4)} (the mean pairwise cosine of their true
              topic mixtures, the level if everyone watched exactly what they like).
            </p>
          )}
          <p className="muted">
            Paper: {spec.paper.numbers.map((n) => `${n.label} ${n.value}`).join('; ')} (
            {spec.paper.source}).
          </p>
          {done && (
            <div className="toolbar">
              <button type="button" data-testid="lesson.csv" onClick={exportCsv}>
                Save CSV
              </button>
              <button type="button" data-testid="lesson.json" onClick={exportJson}>
                Save JSON
              </button>
              <span className="muted">
                The page’s link keeps the lesson, seed, steps and repeats: opened again, Run trains
                the same runs and gives the same numbers on the same backend.
              </span>
            </div>
          )}
        </>
      ) : (
        <p className="placeholder">
          Run the lesson (chapter 2): the table fills in as runs finish.
        </p>
      )}
      <LessonAbLink spec={spec} />
    </section>
  );
}

/** The optional variants a run ran (its runs' variants). */
function runVariants(run: LessonRunState): string[] {
  return Object.values(run.runs).map((r) => r.variant);
}

/** The Lessons view. */
export function LessonsView() {
  const lesson = useLessons((s) => s.lesson);
  const chapter = useLessons((s) => s.chapter);
  const run = useLessons((s) => (s.run?.lesson === s.lesson ? s.run : null));
  const extras = useLessons((s) => s.extras);
  // The lesson with the optional variants switched on (the run's own, once it has run).
  const spec = lessonWith(lessonById(lesson) ?? LESSONS[0], run ? runVariants(run) : extras);
  const go = (c: number) => {
    lessonsStore.getState().setChapter(c);
    appStore.getState().writeUrl();
  };
  const shown = Math.min(Math.max(1, chapter), CHAPTERS.length);
  return (
    <main className="lessons" data-testid="view.lessons">
      <LessonList current={spec.id} />
      <article className="lesson" aria-labelledby="lesson-title">
        <h2 id="lesson-title">{spec.title}</h2>
        <nav className="chapters" aria-label="Chapters">
          {CHAPTERS.map((name, i) => (
            <button
              key={name}
              type="button"
              className={shown === i + 1 ? 'chapter active' : 'chapter'}
              aria-current={shown === i + 1 ? 'step' : undefined}
              data-testid={`lesson.chapter${i + 1}`}
              onClick={() => go(i + 1)}
            >
              {i + 1}. {name}
            </button>
          ))}
        </nav>
        <RunControls key={spec.id} spec={spec} run={run} />
        {shown === 1 && <PaperChapter spec={spec} />}
        {shown === 2 && <RunChapter spec={spec} run={run} />}
        {shown === 3 && <VerdictChapter spec={spec} run={run} />}
        <div className="chapter-nav">
          <button type="button" disabled={shown === 1} onClick={() => go(shown - 1)}>
            ← Previous
          </button>
          <button type="button" disabled={shown === CHAPTERS.length} onClick={() => go(shown + 1)}>
            Next →
          </button>
        </div>
      </article>
    </main>
  );
}
