/**
 * The runs a user has, as arms of the simulated A/B test (docs/loop.md#a-run-as-an-arm): the
 * Training tab's run (its knobs now), a run kept in the browser (read from the run store) or a
 * picked `.recsys-run` file. Each becomes an `AbRunArm` — the run's knobs and world; the A/B
 * retrains those knobs in its own world.
 */
import { runArmFromFile } from '../protocol/loop/ab-run';
import type { AbRunArm } from '../protocol/loop/ab-types';
import { idbRunStore, type RunStore, type SavedRunInfo } from './autosave';
import { appStore } from './store';

/** The name of the Training tab's run as an arm (`run:current`). */
export const CURRENT_RUN = 'current';

/** The Training tab's run as an arm: its knobs in effect, its world and its step. */
export function currentRunArm(): AbRunArm {
  const s = appStore.getState();
  return {
    name: CURRENT_RUN,
    params: { ...s.trainingParams },
    world: { ...s.settings } as unknown as Record<string, number>,
    step: s.run.step,
  };
}

let store: RunStore | null = null;

/** A run kept in the browser as an arm (its file read from the run store and checked whole). */
export async function keptRunArm(info: SavedRunInfo, runs?: RunStore): Promise<AbRunArm> {
  const saved = await (runs ?? (store ??= idbRunStore())).get(info.key);
  if (!saved) throw new Error(`the kept run ${info.name} is no longer in this browser`);
  return runArmFromFile(info.name, saved.bytes);
}

/** A picked run file as an arm; throws the file's error naming it (and a bad field). */
export async function fileRunArm(file: File): Promise<AbRunArm> {
  return runArmFromFile(file.name, new Uint8Array(await file.arrayBuffer()));
}
