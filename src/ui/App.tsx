/**
 * The page: a header with the view tabs, then the view chosen. A tab click only re-renders the
 * tabs in its own task; the new view is rendered as a deferred (transition) update that React
 * splits into short tasks, and its charts draw after it painted (charts/draw-queue.ts).
 */
import { memo, useDeferredValue, type KeyboardEvent } from 'react';
import { useAppStore } from '../state/store';
import type { View } from '../state/training-settings';
import { DataView } from './DataView';
import { FunnelView } from './FunnelView';
import { LessonsView } from './LessonsView';
import { LoopView } from './LoopView';
import { ProjectionView } from './ProjectionView';
import { SoftmaxView } from './SoftmaxView';
import { StepView } from './StepView';
import { TrainingView } from './TrainingView';
import { UrlMessages } from './UrlMessages';
import { WorkerStatus } from './WorkerStatus';
import { useTeacherMode } from './teacher';
import { WatchTimeView } from './WatchTimeView';
import { WorldView } from './WorldView';
import { GlossaryButton, GlossaryPanel } from './glossary/Glossary';

const TABS: { view: View; label: string }[] = [
  { view: 'world', label: '1. World' },
  { view: 'training', label: '2. Training' },
  { view: 'projection', label: '3. Embeddings' },
  { view: 'softmax', label: '4. Sampled softmax' },
  { view: 'step', label: '4b. Step in slow motion' },
  { view: 'funnel', label: '5. Funnel' },
  { view: 'watchtime', label: '6. Watch-time weighting' },
  { view: 'data', label: 'Your data' },
  { view: 'lessons', label: '7. Lessons' },
  { view: 'loop', label: '8. Feedback loop' },
];

/** The view of `view` (memo: re-rendered only when the view shown changes, or by its own state). */
const ViewBody = memo(function ViewBody({ view }: { view: View }) {
  return view === 'world' ? (
    <WorldView />
  ) : view === 'training' ? (
    <TrainingView />
  ) : view === 'projection' ? (
    <ProjectionView />
  ) : view === 'softmax' ? (
    <SoftmaxView />
  ) : view === 'step' ? (
    <StepView />
  ) : view === 'funnel' ? (
    <FunnelView />
  ) : view === 'lessons' ? (
    <LessonsView />
  ) : view === 'loop' ? (
    <LoopView />
  ) : view === 'data' ? (
    <DataView />
  ) : (
    <WatchTimeView />
  );
});

/** The whole app. */
export function App() {
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  // The tabs follow the click at once; the view's content follows in a transition.
  const shown = useDeferredValue(view);
  useTeacherMode();
  // Arrow keys, Home and End move between tabs and open the one reached (the WAI-ARIA tabs pattern).
  const onTabKey = (e: KeyboardEvent<HTMLElement>) => {
    const i = TABS.findIndex((t) => t.view === view);
    const next =
      e.key === 'ArrowRight'
        ? (i + 1) % TABS.length
        : e.key === 'ArrowLeft'
          ? (i - 1 + TABS.length) % TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : -1;
    if (next < 0) return;
    e.preventDefault();
    setView(TABS[next].view);
    document.getElementById(`tab-${TABS[next].view}`)?.focus();
  };
  return (
    <>
      <header className="app-header">
        <h1>RecSys Playground</h1>
        <p>
          Build a seeded world of users and videos, then watch the two-stage YouTube recommender
          (Covington et al., RecSys 2016) learn from it.
        </p>
        <GlossaryButton />
      </header>
      <nav className="tabs" role="tablist" aria-label="Views" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.view}
            type="button"
            role="tab"
            id={`tab-${t.view}`}
            tabIndex={view === t.view ? 0 : -1}
            aria-selected={view === t.view}
            className={view === t.view ? 'tab active' : 'tab'}
            data-testid={`tab.${t.view}`}
            onClick={() => setView(t.view)}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <UrlMessages />
      <WorkerStatus />
      <ViewBody view={shown} />
      <GlossaryPanel />
    </>
  );
}
