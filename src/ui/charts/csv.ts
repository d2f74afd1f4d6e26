/**
 * Text files the page saves (CSV for spreadsheets and pandas, TSV for the Embedding Projector):
 * one way to write a cell, one header that says which settings produced the file, and one way to
 * name it (what, seed, step). See docs/architecture.md#exports.
 */

/** A value of one cell: numbers are written as numbers, text is quoted and neutralised. */
export type Cell = string | number | boolean | null | undefined;

/**
 * Characters that make a spreadsheet read a text cell as a formula (=SUM(…), +1, -1+2, @A1) or
 * that some spreadsheets strip before doing so (tab, carriage return).
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A text value made safe to open in a spreadsheet: a leading `'` when it starts like a formula
 * (`=`, `+`, `-`, `@`, tab or carriage return, or their full-width forms), so `=HYPERLINK(…)`
 * in a video title is shown as text, never run. Other text is returned as it is.
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One CSV cell. Finite numbers as JavaScript prints them (`0.5`, `-3`, `1e-7`), non-finite ones
 * and null/undefined as an empty cell, booleans as 1/0; text neutralised ({@link neutralise})
 * and quoted when it holds a comma, a quote or a line break (quotes doubled, RFC 4180).
 */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = neutralise(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line (no line break) from its cells. */
export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvCell).join(',');
}

/**
 * One TSV cell for the Embedding Projector's metadata: text neutralised, tabs and line breaks
 * replaced by spaces (the format has no quoting); numbers and booleans as in {@link csvCell}.
 */
export function tsvCell(v: Cell): string {
  if (typeof v !== 'string') return csvCell(v);
  return neutralise(v).replace(/[\t\r\n]+/g, ' ');
}

/** What produced an exported file. */
export interface Provenance {
  /** The world's seed. */
  seed: number;
  /** Training step of the run when the file was saved (0 before training). */
  step: number;
  /** The page's settings as its URL hash (`seed=7&videos=…`, no leading `#`): every knob. */
  settings: string;
  /** The training backend, when known (`wasm`, `webgpu`, `cpu`…). */
  backend?: string;
}

/**
 * A CSV file's text: comment lines first (`# ` then the settings, step and backend; pandas reads
 * past them with `comment='#'`), then `body` as given (a header line and rows, ending in a line
 * break).
 */
export function withProvenance(body: string, p: Provenance, what: string): string {
  const lines = [
    `# RecSys Playground: ${what}`,
    `# settings: #${p.settings.replace(/^#/, '').replace(/[\r\n]/g, ' ')}`,
    `# seed: ${p.seed}, step: ${p.step}${p.backend ? `, backend: ${p.backend}` : ''}`,
  ];
  return lines.join('\n') + '\n' + body;
}

/**
 * A file name that carries the seed and the step: `recsys-<what>-seed7-step600.<ext>`; `what` is
 * reduced to lower-case letters, digits and dashes (`softmaxScatter` → `softmax-scatter`).
 */
export function exportName(
  what: string,
  p: Pick<Provenance, 'seed' | 'step'>,
  ext: string,
): string {
  const slug = what
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `recsys-${slug}-seed${p.seed}-step${p.step}.${ext}`;
}
