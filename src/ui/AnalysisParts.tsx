/**
 * Pieces the analysis views share: keeping a view's worker answer fresh while training runs,
 * the "which user" field, and a view's problem line.
 */
import { useEffect, useState } from 'react';
import { appStore, useAppStore } from '../state/store';
import type { AnalysisSlice } from '../state/analysis-slice';

/**
 * Builds the run when the world is ready, asks for `kind` now, and again whenever a new
 * evaluation lands while the view is open (at most one request in flight).
 */
export function useLiveAnalysis(kind: 'softmax' | 'funnel'): void {
  const worldReady = useAppStore((s) => s.summary !== null);
  const prepare = useAppStore((s) => s.prepare);
  useEffect(() => {
    if (worldReady) prepare();
  }, [worldReady, prepare]);
  useEffect(() => {
    appStore.getState().refresh(kind);
    return appStore.subscribe((s, prev) => {
      if (
        s.historyVersion !== prev.historyVersion ||
        s.run.built !== prev.run.built ||
        s.pending[kind] !== prev.pending[kind]
      )
        s.refresh(kind);
    });
  }, [kind]);
}

/** The user the views follow: a number box ('' = the first held-out user). */
export function FocusUserField({ shown }: { shown: number | null }) {
  const focusUser = useAppStore((s) => s.focusUser);
  const submit = useAppStore((s) => s.submitFocusUser);
  const users = useAppStore((s) => s.config?.users ?? 0);
  const problem = useAppStore((s) => s.analysisProblems.focus);
  const [text, setText] = useState(focusUser === -1 ? '' : String(focusUser));
  useEffect(() => setText(focusUser === -1 ? '' : String(focusUser)), [focusUser]);
  return (
    <form
      className="field"
      onSubmit={(e) => {
        e.preventDefault();
        submit(text);
      }}
    >
      <label>
        user (0–{Math.max(0, users - 1)})
        <input
          data-testid="param.focusUser"
          inputMode="numeric"
          value={text}
          placeholder={shown === null ? 'auto' : `auto: ${shown}`}
          aria-invalid={problem ? true : undefined}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => submit(text)}
          size={7}
        />
      </label>
    </form>
  );
}

/** The view's problem (a refused setting, a failed computation), if any. */
export function AnalysisProblem({ name }: { name: keyof AnalysisSlice['analysisProblems'] }) {
  const problem = useAppStore((s) => s.analysisProblems[name]);
  if (!problem) return null;
  return (
    <p className="error" role="alert" data-testid={`problem.${name}`}>
      {problem.message}
    </p>
  );
}

/** One figure of a view's stats row: its label, and the bare number under `testId`. */
export function Stat({
  label,
  testId,
  value,
  title,
}: {
  label: string;
  testId: string;
  value: string;
  title: string;
}) {
  return (
    <div className="stat" title={title}>
      <span className="stat-label">{label}</span>
      <span className="stat-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}
