/**
 * The form pieces the Feedback loop tab's two jobs share (src/ui/LoopView.tsx for the loop,
 * src/ui/AbPanel.tsx for the A/B test): number fields read by the knobs' rows, and the frame of
 * Run/Cancel, progress line and the last Run's error.
 */
import { useState, type ReactNode } from 'react';
import type { Param } from '../state/loop-protocol';
import type { AbRunState, LoopRunState } from '../state/loop-store';

/** The form's text of every number knob. */
export type Texts = Record<string, string>;

/** Reads `texts` by the rows: the values, or the first bad knob's message. */
export function readTexts(
  texts: Texts,
  rows: Record<string, Param<unknown>>,
  keys: readonly string[],
) {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = rows[k].parse(texts[k]);
  return out;
}

/** A number field bound to `texts[key]`. */
export function NumberField({
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
export function JobControls<S>({
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
