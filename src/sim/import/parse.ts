/**
 * Reads data files into {@link Interactions} with papaparse: chunked (a Blob is read 1 MB at a
 * time by papaparse's own streamer, a string is split into the same chunks), each row handed
 * to {@link InteractionBuilder} with its 1-based line number; the first bad row stops the load.
 * Byte limits are checked before anything is read (`checkFileSizes`).
 *
 * papaparse was chosen because it streams Blobs in a Web Worker and strings in Node with one
 * API, handles quoted fields (MovieLens `movies.csv` quotes titles holding commas) and
 * multi-character delimiters (MovieLens 1M's `::`), and has no dependencies. Line numbers
 * count rows: a quoted field holding a line break makes later numbers one short, which no
 * MovieLens file has.
 */
import Papa from 'papaparse';
import {
  DataError,
  checkFileSizes,
  detectFormat,
  fileDialect,
  fileRole,
  lineError,
  baseName,
  type DataFormat,
} from './formats';
import { InteractionBuilder, type Interactions } from './interactions';

/** One file to read: its name, size in bytes and its text (already decoded) or a Blob. */
export interface DataFile {
  name: string;
  size: number;
  content: string | Blob;
}

/** Bytes per chunk of a Blob (papaparse's `chunkSize`). */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads `files` (format from their names unless given) into interactions. Item files are read
 * after the interaction files whatever their order. Rejects with a {@link DataError} naming
 * the file, line and column of the first bad value, or the limit a file exceeds.
 */
export async function parseDataFiles(
  files: readonly DataFile[],
  format?: DataFormat,
  onProgress?: (bytesRead: number, totalBytes: number) => void,
): Promise<Interactions> {
  if (files.length === 0) throw new DataError('', null, null, 'no file was given');
  checkFileSizes(files);
  const fmt = format ?? detectFormat(files.map((f) => f.name));
  const builder = new InteractionBuilder(fmt);
  const ordered = [
    ...files.filter((f) => fileRole(f.name, fmt) === 'ratings'),
    ...files.filter((f) => fileRole(f.name, fmt) === 'items'),
  ];
  const total = files.reduce((a, f) => a + f.size, 0);
  let before = 0;
  for (const f of ordered) {
    await parseOne(f, fmt, builder, (b) => onProgress?.(before + b, total));
    before += f.size;
  }
  return builder.finish();
}

function parseOne(
  file: DataFile,
  format: DataFormat,
  builder: InteractionBuilder,
  onBytes: (bytes: number) => void,
): Promise<void> {
  const name = baseName(file.name);
  const role = fileRole(file.name, format);
  const dialect = fileDialect(format, role);
  builder.startFile(name);
  let line = 0;
  let failure: unknown = null;
  return new Promise((resolve, reject) => {
    const config: Papa.ParseConfig<string[]> & Record<string, unknown> = {
      delimiter: dialect.delimiter,
      // MovieLens 100K/1M quote nothing: a title starting with " is text.
      quoteChar: format === 'ml100k' || format === 'ml1m' ? '\u0000' : '"',
      header: false,
      skipEmptyLines: false,
      dynamicTyping: false,
      chunkSize: CHUNK_BYTES,
      encoding: dialect.encoding === 'latin1' ? 'ISO-8859-1' : 'UTF-8',
      chunk(results: Papa.ParseResult<string[]>, parser: Papa.Parser) {
        try {
          const err = results.errors.find((e) => e.type === 'Quotes');
          const rows = results.data;
          for (let r = 0; r < rows.length; r++) {
            line++;
            const row = rows[r];
            if (row.length === 1 && row[0].trim() === '') continue;
            if (err && err.row === r)
              throw lineError(name, line, 1, 'quotes', `${err.message.toLowerCase()}`);
            const at = { file: name, line };
            if (role === 'items') builder.itemRow(row, at);
            else builder.ratingRow(row, at);
          }
          onBytes(results.meta.cursor);
        } catch (e) {
          failure = e;
          parser.abort();
        }
      },
      complete() {
        if (failure) reject(failure);
        else resolve();
      },
      error(e: Error) {
        reject(new DataError(name, null, null, `${name} could not be read: ${e.message}`));
      },
    };
    Papa.parse(file.content as string, config as Papa.ParseConfig<string[]>);
  });
}
