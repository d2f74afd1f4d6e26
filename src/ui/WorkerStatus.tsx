/**
 * The worker's health under the tabs (docs/architecture.md#faults): a fault its message loop
 * caught (it went on; `worker.fault`, dismissable) and, when the heartbeat finds it silent,
 * the offer to restart it from the run's last snapshot (`worker.restart`). Nothing else on
 * the page changes.
 */
import { useAppStore } from '../state/store';

/** The fault line and the restart offer; nothing while the worker is well. */
export function WorkerStatus() {
  const fault = useAppStore((s) => s.workerFault);
  const stalled = useAppStore((s) => s.workerStalled);
  const snapshotStep = useAppStore((s) => s.snapshot?.step ?? null);
  const dismiss = useAppStore((s) => s.dismissWorkerFault);
  const restart = useAppStore((s) => s.restartWorker);
  if (!fault && !stalled) return null;
  return (
    <>
      {stalled && (
        <div className="error" role="alert" data-testid="worker.stalled">
          <p>
            The worker has not answered for {Math.round(stalled.silentMs / 1000)} s: it is stuck or
            has stopped. What is on screen stays.
          </p>
          <button type="button" data-testid="worker.restart" onClick={restart}>
            {snapshotStep !== null
              ? `Restart the worker from the snapshot of step ${snapshotStep}`
              : 'Restart the worker (no snapshot yet: the run starts again)'}
          </button>
        </div>
      )}
      {fault && (
        <div className="error" role="alert" data-testid="worker.fault">
          <p>
            The worker hit an error while handling “{fault.cause}”: {fault.message}. It goes on;
            what is on screen stays.
          </p>
          <button type="button" data-testid="worker.dismissFault" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}
