import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_PARAMS } from '../protocol/params';
import { runFileOf } from '../protocol/loop/ab-run.fixture';
import { memoryRunStore } from './autosave';
import { CURRENT_RUN, currentRunArm, keptRunArm } from './ab-runs';
import { appStore } from './store';

describe('the user’s runs as A/B arms', () => {
  it('reads a kept run’s file from the run store, and names a run no longer there', async () => {
    const runs = memoryRunStore();
    const bytes = runFileOf({ negatives: 64 });
    const info = {
      key: 'pin:a.recsys-run',
      name: 'a.recsys-run',
      seed: 7,
      step: 200,
      savedAt: '2026-12-03T12:00:00.000Z',
      size: bytes.length,
    };
    await runs.put({ ...info, bytes });
    const arm = await keptRunArm(info, runs);
    expect(arm.name).toBe('a.recsys-run');
    expect(arm.params).toEqual({ ...DEFAULT_TRAINING_PARAMS, negatives: 64 });
    expect(arm.step).toBe(200);
    await expect(keptRunArm({ ...info, key: 'pin:gone' }, runs)).rejects.toThrow(
      'the kept run a.recsys-run is no longer in this browser',
    );
  });

  it('takes the Training tab’s knobs and world as run:current', () => {
    const arm = currentRunArm();
    expect(arm.name).toBe(CURRENT_RUN);
    expect(arm.params).toEqual(appStore.getState().trainingParams);
    expect(arm.world.seed).toBe(appStore.getState().settings.seed);
  });
});
