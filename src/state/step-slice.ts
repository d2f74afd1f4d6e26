/**
 * The slice of the "Step in slow motion" view (docs/step.md): one frozen trace of the next
 * candidate-generation step, asked for on demand (a trace does not change the run), and the
 * phase the view shows. The phases are named here so the view and its tests agree.
 */
import type { StateCreator } from 'zustand';
import { STEP_TRACE_BATCH, STEP_TRACE_NEGATIVES } from '../protocol';
import type { AppState, StepSlice } from './app-state';
import type { WorkerChannel } from './worker-channel';

export type { StepSlice } from './app-state';

/** The phases of a step, in the order the view walks them. */
export const STEP_PHASES = [
  'batch',
  'negatives',
  'logits',
  'logQ',
  'mask',
  'softmax',
  'loss',
  'gradients',
] as const;

/** One of {@link STEP_PHASES}. */
export type StepPhase = (typeof STEP_PHASES)[number];

/** Creates the slice; `channel` is the worker shared with the other slices. */
export function createStepSlice(channel: WorkerChannel): StateCreator<AppState, [], [], StepSlice> {
  return (set, get) => ({
    stepTrace: null,
    stepTracePending: false,
    stepTraceProblem: null,
    stepPhase: 0,

    requestStepTrace(batch = STEP_TRACE_BATCH, negatives = STEP_TRACE_NEGATIVES) {
      const { run } = get();
      if (run.runId === 0 || !run.built) {
        set({
          stepTraceProblem: 'build a world and step the run once first: a step needs a model',
        });
        return;
      }
      if (get().stepTracePending) return;
      set({ stepTracePending: true, stepTraceProblem: null });
      channel.send({ type: 'stepTrace', runId: run.runId, batch, negatives });
    },

    setStepPhase(phase) {
      set({ stepPhase: Math.max(0, Math.min(STEP_PHASES.length - 1, phase)) });
    },

    receiveStepTrace(m) {
      if (m.runId !== get().run.runId) return;
      if (m.type === 'stepTrace') set({ stepTrace: m, stepTracePending: false, stepPhase: 0 });
      else set({ stepTracePending: false, stepTraceProblem: m.message });
    },
  });
}
