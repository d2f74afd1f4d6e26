/**
 * Play / pause / step / reset, the run's state, the backend in use with the reason any faster
 * one was passed over, and the run files (save, load, the autosave offer: RunFiles.tsx).
 */
import { useState } from 'react';
import { useAppStore } from '../state/store';
import { LiveNumber } from './LiveNumber';
import type { AppState } from '../state/store';
import { int } from './format';
import { RunFiles } from './RunFiles';

const readStep = (s: AppState) => int(Math.max(s.history.lastStep, s.run.step));

const STATE_TEXT: Record<string, string> = {
  idle: 'ready',
  preparing: 'preparing',
  running: 'training',
  paused: 'paused',
  failed: 'stopped',
};

const BACKEND_NAMES: Record<string, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

/** The backend in use and why. */
function BackendInfo() {
  const backend = useAppStore((s) => s.run.backend);
  const requested = useAppStore((s) => s.trainingParams.backend);
  if (!backend) {
    return (
      <div className="backend" data-testid="backend">
        backend:{' '}
        <span data-testid="backend.name">
          {requested === 'auto' ? 'not chosen yet' : `${requested} (requested)`}
        </span>
      </div>
    );
  }
  const forced = backend.requested !== 'auto';
  return (
    <div className="backend" data-testid="backend">
      <div>
        backend: <b data-testid="backend.name">{backend.name}</b>
        <span className="muted">
          {' '}
          ({BACKEND_NAMES[backend.name]}
          {backend.note ? `; ${backend.note}` : ''})
          {forced ? `, forced by backend=${backend.requested}` : ', chosen automatically'}
        </span>
      </div>
      {backend.passedOver.length > 0 && (
        <ul className="passed-over" data-testid="backend.reason">
          {backend.passedOver.map((p) => (
            <li key={p.name}>
              {BACKEND_NAMES[p.name]} passed over: {p.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The badge's text: the run's state, except that an idle run is `ready` only with a world on
 * screen and none being built (else it waits for the world, or there is none), and a run
 * preparing after a press of Play says that training is queued.
 */
export function stateText(
  state: string,
  world: 'ready' | 'building' | 'none',
  playQueued: boolean,
): string {
  if (state === 'idle' && world === 'building') return 'waiting for the world';
  if (state === 'idle' && world === 'none') return 'no world yet';
  if (state === 'preparing' && playQueued) return 'preparing — play queued';
  return STATE_TEXT[state] ?? state;
}

/** The toolbar of the Training view. */
export function TrainingToolbar() {
  const run = useAppStore((s) => s.run);
  const world = useAppStore((s) =>
    s.pendingRequest !== null ? 'building' : s.summary !== null ? 'ready' : 'none',
  );
  const worldReady = world === 'ready';
  const { play, pause, step, reset } = useActions();
  const running = run.state === 'running';
  const busy = run.state === 'preparing';
  // Play pressed while the models are being prepared: the worker starts training once they
  // are; the badge says so until the run leaves `preparing` (training, paused or failed).
  const [playQueued, setPlayQueued] = useState(false);
  if (playQueued && !busy) setPlayQueued(false);
  const queued = busy && playQueued;
  const onPlay = () => {
    play();
    setPlayQueued(true);
  };
  return (
    <div className="toolbar train-toolbar">
      <div className="train-buttons">
        <button
          type="button"
          className="primary"
          data-testid="train.play"
          disabled={!worldReady || running}
          onClick={onPlay}
        >
          {queued ? '▶ Queued' : '▶ Play'}
        </button>
        <button
          type="button"
          data-testid="train.pause"
          disabled={!running && !busy}
          onClick={pause}
        >
          ❚❚ Pause
        </button>
        <button
          type="button"
          data-testid="train.step"
          disabled={!worldReady || running}
          onClick={() => step(1)}
        >
          Step
        </button>
        <button type="button" data-testid="train.reset" disabled={!worldReady} onClick={reset}>
          ↺ Reset
        </button>
      </div>
      <div className="run-state">
        <span className={`state state-${run.state}`} data-testid="train.state">
          {stateText(run.state, world, queued)}
        </span>{' '}
        step <LiveNumber testId="metric.stepInline" read={readStep} className="inline-number" />
        {run.detail && run.state !== 'failed' && <span className="muted"> — {run.detail}</span>}
      </div>
      <BackendInfo />
      <RunFiles />
    </div>
  );
}

/** The training actions (stable references from the store). */
function useActions() {
  return {
    play: useAppStore((s) => s.play),
    pause: useAppStore((s) => s.pause),
    step: useAppStore((s) => s.step),
    reset: useAppStore((s) => s.reset),
  };
}
