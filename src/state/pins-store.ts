/**
 * Pinned runs of the Training tab: a copy of a run's metric history and knobs, kept while new
 * runs train, so the charts draw the pinned curves beside the live one with the knobs that
 * differ in the legend ("pinned 1: negatives 64, logQ off"). A store of its own; at most
 * {@link MAX_PINS} pins, the oldest dropped first.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { changedKeys, trainingRow, type TrainingParams } from '../protocol/params';
import { MetricHistory } from './metric-history';

/** Pins kept at most. */
export const MAX_PINS = 4;

/** One pinned run. */
export interface Pin {
  /** 1, 2, … in pinning order (never reused while the page is open). */
  id: number;
  params: TrainingParams;
  /** The world's seed and sizes it trained on, as the URL writes them. */
  world: string;
  /** A copy of the run's history at pinning time. */
  history: MetricHistory;
  step: number;
}

/** The pins store. */
export interface PinsState {
  pins: Pin[];
  /** Pins a copy of `history` trained with `params` on `world`. */
  pin(history: MetricHistory, params: TrainingParams, world: string): void;
  unpin(id: number): void;
}

/** A copy of `h` (its typed arrays copied, evaluations shared: they are never mutated). */
export function copyHistory(h: MetricHistory): MetricHistory {
  const c = new MetricHistory();
  c.append({
    steps: h.steps.values.slice(),
    loss: h.loss.values.slice(),
    mfLoss: h.mfLoss.values.slice(),
    rankingLoss: h.rankingLoss.values.slice(),
    evals: [...h.evals],
    examplesPerSec: h.examplesPerSec,
    stepsPerSec: h.stepsPerSec,
  });
  return c;
}

/**
 * A pin's legend label: its number, then its knobs that differ from `live`'s (at most three,
 * "key value" as the URL writes them), and its world when that differs:
 * "pinned 2: negatives 64, logQ off". The same knobs: "pinned 2 (same knobs)".
 */
export function pinLabel(pin: Pin, live: TrainingParams, liveWorld: string): string {
  const keys = changedKeys(pin.params, live).filter((k) => k !== 'backend');
  const parts = keys.slice(0, 3).map((k) => `${k} ${trainingRow(k).format(pin.params[k])}`);
  if (keys.length > 3) parts.push(`+${keys.length - 3} more`);
  if (pin.world !== liveWorld) parts.push('another world');
  return parts.length ? `pinned ${pin.id}: ${parts.join(', ')}` : `pinned ${pin.id} (same knobs)`;
}

let nextId = 1;

/** The app's pins store. */
export const pinsStore = createStore<PinsState>()((set, get) => ({
  pins: [],
  pin(history, params, world) {
    const pin: Pin = {
      id: nextId++,
      params: { ...params },
      world,
      history: copyHistory(history),
      step: history.lastStep,
    };
    set({ pins: [...get().pins, pin].slice(-MAX_PINS) });
  },
  unpin(id) {
    set({ pins: get().pins.filter((p) => p.id !== id) });
  },
}));

/** React hook on the pins store. */
export function usePins<T>(select: (s: PinsState) => T): T {
  return useStore(pinsStore, select);
}
