/**
 * Run files (`.recsys-run`): the format (format.ts), its manifest's schema (schema.ts) and the
 * hashes they use (hash.ts). Pure TypeScript shared by the page, the worker and the CLI; see
 * docs/run-files.md.
 */
export {
  RUN_FILE_EXTENSION,
  RUN_FILE_MAGIC,
  RUN_FILE_VERSION,
  RunFileError,
  decodeRunFile,
  encodeRunFile,
  encodeRunFileInSlices,
  runFileName,
  type RunFileContents,
  type RunFileErrorCode,
  type RunHistory,
} from './format';
export type { RunData, RunManifest } from './schema';
export { fnv1a, fnv1aBytes, fnv1aWords } from './hash';
