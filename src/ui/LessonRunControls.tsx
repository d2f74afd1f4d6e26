/**
 * A lesson's Run controls on the Lessons tab: Run/Cancel, steps (rounds) and repeats, the world
 * seed, the progress line, and switches for the lesson's optional variants (variants that would
 * make the lesson much longer than a minute, e.g. the feedback-loop lesson's model with example
 * age off and with a little exploration; docs/lessons.md#the-feedback-loop).
 */
import { useState } from 'react';
import { appStore, useAppStore } from '../state/store';
import { MAX_LOOP_ROUNDS, lessonById, type LessonSpec } from '../state/lessons-protocol';
import { lessonsStore, useLessons, type LessonRunState } from '../state/lessons-store';
import { lessonProgress } from './charts/lesson-data';

/** "Also run" boxes for the optional variants of `spec` (nothing when it has none). */
function OptionalVariants({ spec, disabled }: { spec: LessonSpec; disabled: boolean }) {
  const extras = useLessons((s) => s.extras);
  // The lesson's own variants: `spec` is the lesson as run, without the optional ones left off.
  const optional = (lessonById(spec.id) ?? spec).variants.filter((v) => v.optional);
  if (optional.length === 0) return null;
  const toggle = (id: string, on: boolean) => {
    lessonsStore
      .getState()
      .setExtras(on ? [...extras.filter((x) => x !== id), id] : extras.filter((x) => x !== id));
    appStore.getState().writeUrl(); // the boxes stay in the link (lessonExtras)
  };
  return (
    <fieldset className="lesson-extras" disabled={disabled}>
      <legend>Also run (each about doubles the lesson’s time)</legend>
      {optional.map((v) => (
        <label key={v.id} className="field-check">
          <input
            type="checkbox"
            data-testid={`lesson.extra.${v.id}`}
            checked={extras.includes(v.id)}
            onChange={(e) => toggle(v.id, e.target.checked)}
          />
          {v.label}
        </label>
      ))}
    </fieldset>
  );
}

/** The Run button, steps/repeats/seed and the progress line. */
export function RunControls({ spec, run }: { spec: LessonSpec; run: LessonRunState | null }) {
  const worldSeed = useAppStore((s) => s.settings.seed);
  const urlSteps = useLessons((s) => s.steps);
  const urlRepeats = useLessons((s) => s.repeats);
  const [steps, setStepsText] = useState(String(urlSteps || spec.base.steps));
  const [repeats, setRepeatsText] = useState(String(urlRepeats || spec.repeats));
  /** Keeps a whole number in the store and the URL (the lesson's own size: 0, left out). */
  const remember = (key: 'steps' | 'repeats', text: string, own: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) return;
    lessonsStore.getState().setSize({ [key]: n === own ? 0 : n });
    appStore.getState().writeUrl();
  };
  const setSteps = (t: string) => {
    setStepsText(t);
    remember('steps', t, spec.base.steps);
  };
  const setRepeats = (t: string) => {
    setRepeatsText(t);
    remember('repeats', t, spec.repeats);
  };
  const [problem, setProblem] = useState('');
  const running = run?.status === 'running';
  // A loop lesson's steps are rounds (simulated days), at most the loop's 30.
  const unit = spec.base.loop ? 'rounds' : 'steps';
  const maxSteps = spec.base.loop ? MAX_LOOP_ROUNDS : 100_000;
  const start = () => {
    const s = Number(steps);
    const r = Number(repeats);
    if (!Number.isInteger(s) || s < 1 || s > maxSteps)
      return setProblem(
        `${unit} must be an integer from 1 to ${maxSteps} (got "${steps.slice(0, 20)}")`,
      );
    if (!Number.isInteger(r) || r < 1 || r > 20)
      return setProblem(`repeats must be an integer from 1 to 20 (got "${repeats.slice(0, 20)}")`);
    setProblem('');
    lessonsStore.getState().start(worldSeed, { steps: s, repeats: r });
  };
  const p = run ? lessonProgress(run) : null;
  return (
    <div className="toolbar lesson-run">
      <button
        type="button"
        className="primary"
        data-testid="lesson.run"
        onClick={running ? () => lessonsStore.getState().cancel() : start}
      >
        {running ? 'Cancel' : run ? 'Run again' : 'Run'}
      </button>
      <label className="field">
        {unit}
        <input
          data-testid="lesson.steps"
          inputMode="numeric"
          value={steps}
          disabled={running}
          onChange={(e) => setSteps(e.target.value)}
        />
      </label>
      <label className="field">
        repeats
        <input
          data-testid="lesson.repeats"
          inputMode="numeric"
          value={repeats}
          disabled={running}
          onChange={(e) => setRepeats(e.target.value)}
        />
      </label>
      <OptionalVariants spec={spec} disabled={running} />
      <span className="muted">world seed {worldSeed} (the World tab's)</span>
      <span className="run-state" data-testid="lesson.progress" role="status">
        {!run || !p
          ? 'not run yet'
          : `${run.status === 'running' ? 'running' : run.status}: ${p.done} of ${p.runs} runs, ${Math.round(
              100 * p.fraction,
            )}% of ${unit}, ${run.seconds.toFixed(0)} s${run.backend ? ` on ${run.backend}` : ''}${
              run.workers > 1 ? `, ${run.workers} workers` : ''
            }${run.message && run.status === 'failed' ? ` — ${run.message}` : ''}`}
      </span>
      {problem && (
        <p className="error" role="alert" data-testid="lesson.error">
          {problem}
        </p>
      )}
    </div>
  );
}
