/**
 * The run record, snapshot copies and the run-file forms of a history and of the knobs, shared
 * by the training and run-file slices (no slice imports another).
 */
import type { BackendReport, TrainingParams, WeightSnapshot } from '../protocol';
import { clonePlain } from '../protocol/params';
import type { RunHistory } from '../protocol/run-file';
import type { RunState } from './app-state';
import { MetricHistory } from './metric-history';
import { DEFAULT_TRAINING_PARAMS, changedKeys, type TrainingSettings } from './training-settings';

/** A fresh run record of run `runId`: idle, step 0, nothing built. */
export function newRun(runId: number, backend: BackendReport | null): RunState {
  return { runId, state: 'idle', step: 0, detail: null, backend, built: null, error: null };
}

/** A copy of a snapshot (the page keeps its own for a later crash). */
export function copySnapshot(s: WeightSnapshot): WeightSnapshot {
  return {
    ...s,
    params: clonePlain(s.params),
    weights: s.weights.map((w) => ({ name: w.name, data: w.data.slice() })),
    slots: s.slots.map((w) => ({ name: w.name, data: w.data.slice() })),
    counters: { ...s.counters },
  };
}

/** The history's points up to `step` as a run file holds them (copies). */
export function historyUpTo(h: MetricHistory, step: number): RunHistory {
  const steps = h.steps.values;
  let n = steps.length;
  while (n > 0 && steps[n - 1] > step) n--;
  return {
    steps: steps.slice(0, n),
    loss: h.loss.values.slice(0, n),
    mfLoss: h.mfLoss.values.slice(0, n),
    rankingLoss: h.rankingLoss.values.slice(0, n),
    evals: h.evals.filter((e) => e.step <= step).map((e) => clonePlain(e)),
  };
}

/** A metric history holding a run file's points. */
export function historyOf(r: RunHistory): MetricHistory {
  const h = new MetricHistory();
  h.append({ ...r, examplesPerSec: NaN, stepsPerSec: NaN });
  return h;
}

/** The knobs of `params` that differ from the defaults (what the URL states). */
export function settingsOf(params: TrainingParams): TrainingSettings {
  const out: Record<string, unknown> = {};
  for (const k of changedKeys(DEFAULT_TRAINING_PARAMS, params)) out[k] = clonePlain(params[k]);
  return out as TrainingSettings;
}
