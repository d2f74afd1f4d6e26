/**
 * Saving a file from the page: named by what it holds, the world's seed and the run's step
 * (`recsys-training-history-seed7-step600.csv`); CSV text is prefixed with the settings that
 * produced it (src/ui/charts/csv.ts).
 */
import { appStore } from '../state/store';
import { provenanceOf } from '../state/provenance';
import { exportName, withProvenance } from './charts/csv';
import { saveBlob } from './charts/projection-data';

const TYPES = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  png: 'image/png',
  svg: 'image/svg+xml',
  json: 'application/json',
};

/**
 * Saves `body` as `recsys-<what>-seed<seed>-step<step>.<ext>`. A CSV body gets the settings
 * header; TSV (the Embedding Projector's format) and images are saved as given.
 */
export function saveExport(what: string, ext: keyof typeof TYPES, body: string | Blob): void {
  const p = provenanceOf(appStore.getState());
  const content = ext === 'csv' && typeof body === 'string' ? withProvenance(body, p, what) : body;
  const blob = content instanceof Blob ? content : new Blob([content], { type: TYPES[ext] });
  saveBlob(blob, exportName(what, p, ext));
}
