/**
 * The World view: the settings form, progress and messages, the statistics and the charts
 * of the world on screen. The world on screen changes only when a new one is ready.
 */
import { DataNote } from './DataNote';
import { useAppStore } from '../state/store';
import { WorldCharts } from './WorldCharts';
import { WorldControls } from './WorldControls';
import { WorldStats } from './WorldStats';
import { WorldStatus } from './WorldStatus';

/** The World view. */
export function WorldView() {
  const summary = useAppStore((s) => s.summary);
  const config = useAppStore((s) => s.config);
  return (
    <main className="world">
      <DataNote view="world" />
      <div className="toolbar">
        <WorldControls />
        <WorldStatus />
      </div>
      {summary && config ? (
        <>
          <WorldStats summary={summary} />
          <WorldCharts summary={summary} config={config} />
        </>
      ) : (
        <p className="placeholder">Building the first world in a background worker…</p>
      )}
    </main>
  );
}
