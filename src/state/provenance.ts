/**
 * What produced the figures on screen, for the files the page saves (docs/architecture.md#exports):
 * the world's seed, the run's step, every setting as the URL's hash, and the backend.
 */
import type { AppState } from './app-state';
import { writeUrl } from './url';
import { urlStateOf } from './world-slice';

/** Provenance of an exported file; see src/ui/charts/csv.ts for how it is written. */
export interface ExportProvenance {
  /** The world's seed. */
  seed: number;
  /** The run's last training step (0 before training). */
  step: number;
  /** Every setting as the page's URL hash, without `#`: the link that reproduces the run. */
  settings: string;
  /** The training backend's name, once the run's session has reported it. */
  backend?: string;
}

/** The provenance of the state `s`. */
export function provenanceOf(s: AppState): ExportProvenance {
  return {
    seed: s.settings.seed,
    step: s.history.lastStep,
    settings: writeUrl(urlStateOf(s)),
    backend: s.run.backend?.name,
  };
}
