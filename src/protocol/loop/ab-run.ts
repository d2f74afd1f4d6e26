/**
 * A run file as an arm of the simulated A/B test (docs/loop.md#a-run-as-an-arm): the file is
 * read and checked whole (`decodeRunFile`: magic, version, manifest, knobs, arrays) and its
 * knobs and world become an {@link AbRunArm}. Pure: the page (a picked or kept file) and
 * `npm run loop -- --ab run:<file>,…` share it.
 */
import { RunFileError, decodeRunFile } from '../run-file';
import { ConfigError } from '../params/spec';
import type { TrainingParams } from '../params/training';
import type { AbRunArm } from './ab-types';

/**
 * The arm of run file `bytes`, called `name` (its file name or path; no comma). Throws a
 * {@link ConfigError} on `ab` that names the file, the run file's error code and its message —
 * a bad manifest's names the first bad field (`params.negatives: …`).
 */
export function runArmFromFile(name: string, bytes: Uint8Array): AbRunArm {
  if (name.includes(','))
    throw new ConfigError('ab', `ab: run file ${name}: a run arm's name may not hold a comma`);
  try {
    const { manifest } = decodeRunFile(bytes);
    return {
      name,
      params: manifest.params as unknown as TrainingParams,
      world: { ...manifest.world.settings },
      step: manifest.step,
    };
  } catch (e) {
    if (e instanceof RunFileError)
      throw new ConfigError('ab', `ab: run file ${name}: ${e.code}: ${e.message}`);
    throw e;
  }
}
