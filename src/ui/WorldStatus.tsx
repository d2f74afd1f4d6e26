/**
 * The progress bar of a world being built (with its Cancel: the world on screen stays), what
 * happened to a second press of Generate, and the messages (bad settings, a world too large,
 * failures).
 */
import { useAppStore } from '../state/store';

const STAGE_TEXT: Record<string, string> = {
  catalogue: 'building the catalogue',
  users: 'drawing users',
  sessions: 'simulating sessions',
  summary: 'summarising',
  done: 'summarising',
};

/** Progress while building; the list of problems when there are any. */
export function WorldStatus() {
  const progress = useAppStore((s) => s.progress);
  const problems = useAppStore((s) => s.problems);
  const summary = useAppStore((s) => s.summary);
  const notice = useAppStore((s) => s.worldNotice);
  const cancel = useAppStore((s) => s.cancelBuild);
  return (
    <div className="status">
      {progress && (
        <div
          className="progress"
          data-testid="world.progress"
          role="progressbar"
          aria-label="Building the world"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(100 * progress.fraction)}
        >
          <div className="progress-bar">
            <div
              className="progress-fill"
              style={{ width: `${(100 * progress.fraction).toFixed(1)}%` }}
            />
          </div>
          <span className="progress-text">
            {STAGE_TEXT[progress.stage] ?? progress.stage}… {Math.round(100 * progress.fraction)}%
          </span>
        </div>
      )}
      {progress && (
        // Outside the progress bar: its children are presentational to assistive technology.
        <button type="button" data-testid="world.cancel" onClick={cancel}>
          Cancel the build
        </button>
      )}
      {!progress && summary && (
        <p className="built">
          World of seed {summary.seed} built in {(summary.genMs / 1000).toFixed(1)} s in a
          background worker: {summary.sessions} sessions over {summary.days} days,{' '}
          {summary.searches} searches.
        </p>
      )}
      {notice && (
        <p className="notice" data-testid="world.notice" role="status">
          {notice}
        </p>
      )}
      {problems.length > 0 && (
        <div className="error" data-testid="world.error" role="alert">
          {problems.map((p, i) => (
            <p key={i}>{p.message}</p>
          ))}
        </div>
      )}
    </div>
  );
}
