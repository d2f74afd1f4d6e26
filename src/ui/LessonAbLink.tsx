/**
 * "A/B these arms" under a lesson's verdict (docs/lessons.md#classroom): for a lesson whose
 * variants can be arms of the simulated A/B test (every lesson but the loop lesson), a button
 * that opens the Feedback loop tab's A/B form with the headline comparison's two variants
 * preselected — its base as arm A, its variant as arm B. The test runs on the form's own Run.
 */
import type { LessonSpec } from '../state/lessons-protocol';
import { armLessons } from '../state/loop-protocol';
import { loopStore } from '../state/loop-store';
import { appStore } from '../state/store';

/** The A/B choice of a lesson's headline comparison (`lesson:base,lesson:variant`), or null. */
export function headlineArms(spec: LessonSpec): string | null {
  const c = spec.comparisons[0];
  if (!c || !armLessons().some((l) => l.id === spec.id)) return null;
  return `${spec.id}:${c.base},${spec.id}:${c.variant}`;
}

/** The button (nothing for a lesson whose variants cannot be arms). */
export function LessonAbLink({ spec }: { spec: LessonSpec }) {
  const ab = headlineArms(spec);
  if (!ab) return null;
  const label = (id: string) => spec.variants.find((v) => v.id === id)?.label ?? id;
  const c = spec.comparisons[0];
  return (
    <p className="lesson-ab">
      <button
        type="button"
        data-testid="lesson.ab"
        title="Opens the Feedback loop tab's A/B test with these two variants as its arms (trained in the A/B world, with its steps); press its Run to serve them to simulated users"
        onClick={() => {
          loopStore.getState().setAbChoice(ab);
          appStore.getState().setView('loop');
          appStore.getState().writeUrl();
        }}
      >
        A/B these arms: {label(c.base)} vs {label(c.variant)}
      </button>{' '}
      <span className="muted">
        Does the offline difference show online? The Feedback loop tab serves both to randomised
        halves of simulated users.
      </span>
    </p>
  );
}
