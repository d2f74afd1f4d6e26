/**
 * Writes a `Table` (src/sim/tables.ts) to one Parquet file with hyparquet-writer, a row group
 * at a time: a string or list column is turned into JS values only for the rows of the group
 * being written, so memory stays a shard's typed arrays plus one row group.
 */
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import type { Column, Table } from '../src/sim/tables';

/** Rows per row group (and per conversion of string and list columns). */
export const ROW_GROUP = 131_072;

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

/** The Parquet schema of a table: required columns; lists as the standard 3-level LIST. */
export function parquetSchema(table: Table): SchemaElement[] {
  const out: SchemaElement[] = [{ name: 'root', num_children: table.columns.length }];
  for (const c of table.columns) {
    const name = c.name;
    if (c.kind === 'int32') out.push({ name, type: 'INT32', repetition_type: 'REQUIRED' });
    else if (c.kind === 'float') out.push({ name, type: 'FLOAT', repetition_type: 'REQUIRED' });
    else if (c.kind === 'bool') out.push({ name, type: 'BOOLEAN', repetition_type: 'REQUIRED' });
    else if (c.kind === 'string')
      out.push({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' });
    else
      out.push(
        { name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'INT32', repetition_type: 'REQUIRED' },
      );
  }
  return out;
}

/** Rows [a, b) of a column as the values hyparquet-writer takes. */
function slice(c: Column, a: number, b: number): ArrayLike<unknown> {
  switch (c.kind) {
    case 'int32':
    case 'float':
      return c.data.subarray(a, b);
    case 'bool': {
      const out = new Array<boolean>(b - a);
      for (let i = a; i < b; i++) out[i - a] = c.data[i] !== 0;
      return out;
    }
    case 'string': {
      const out = new Array<string>(b - a);
      for (let i = a; i < b; i++) out[i - a] = c.at(i);
      return out;
    }
    case 'int32list': {
      // The writer walks lists as plain arrays.
      const out = new Array<number[]>(b - a);
      for (let i = a; i < b; i++) out[i - a] = Array.from(c.at(i));
      return out;
    }
  }
}

/** Writes `table` to `file` (overwritten), snappy-compressed, in row groups of {@link ROW_GROUP}. */
export function writeParquet(table: Table, file: string): void {
  const writer = new ParquetWriter({
    writer: fileWriter(file),
    schema: parquetSchema(table),
    createdBy: 'recsys-playground',
  });
  for (let a = 0; a < table.rows || a === 0; a += ROW_GROUP) {
    const b = Math.min(table.rows, a + ROW_GROUP);
    const columnData = table.columns.map((c) => ({
      name: c.name,
      data: slice(c, a, b) as never,
      nullable: false,
    }));
    writer.write({ columnData, rowGroupSize: ROW_GROUP });
    if (table.rows === 0) break;
  }
  writer.finish();
}
