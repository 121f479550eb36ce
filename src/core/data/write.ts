import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  DuckDBDataChunk,
  DuckDBDateValue,
  DuckDBTimeValue,
  DuckDBTimestampValue,
  type DuckDBAppender,
  type DuckDBValue,
} from '@duckdb/node-api';
import { tableToIPC } from 'apache-arrow';
import { MortarError } from '../errors.js';
import { toArrow } from './arrow.js';
import type { RecordBatch } from './batch.js';
import type { Column } from './column.js';
import { concatBatches } from './concat.js';
import { openEngine, sqlIdent, sqlString, type Engine, type EngineOptions } from './duckdb.js';
import { detectFormat } from './format.js';
import type { DataType, Format, Schema } from './types.js';

/** Options for {@link openWriter} and {@link writeTable}. */
export interface WriteOptions extends EngineOptions {
  /** Output format; default from the extension. */
  readonly format?: Format;
}

/**
 * Writes batches to one file. Call `write` for each batch (same schema), then `close` once;
 * `abort` discards a half-written file. Not safe for concurrent `write` calls.
 */
export interface TableWriter {
  write(batch: RecordBatch): Promise<void>;
  /** Finishes the file (written to a temp name, then renamed into place) and reports rows written. */
  close(): Promise<{ readonly path: string; readonly rows: number }>;
  abort(): Promise<void>;
}

const DUCK_TYPES: Readonly<Record<DataType, string>> = {
  bool: 'BOOLEAN',
  int8: 'TINYINT',
  int16: 'SMALLINT',
  int32: 'INTEGER',
  int64: 'BIGINT',
  uint8: 'UTINYINT',
  uint16: 'USMALLINT',
  uint32: 'UINTEGER',
  uint64: 'UBIGINT',
  float32: 'FLOAT',
  float64: 'DOUBLE',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  time: 'TIME',
  string: 'VARCHAR',
  other: 'VARCHAR',
};

const CHUNK = 2048;

function cellValues(type: DataType, c: Column, from: number, to: number): DuckDBValue[] {
  const out: DuckDBValue[] = new Array(to - from);
  for (let i = from; i < to; i++) {
    const k = i - from;
    if (c.isNull(i)) {
      out[k] = null;
      continue;
    }
    switch (c.kind) {
      case 'number': {
        const v = c.values[i] as number;
        if (type === 'date') out[k] = new DuckDBDateValue(Math.floor(v / 86_400_000));
        else if (type === 'timestamp')
          out[k] = new DuckDBTimestampValue(BigInt(Math.round(v * 1000)));
        else if (type === 'time') out[k] = new DuckDBTimeValue(BigInt(Math.round(v * 1000)));
        else if (type === 'int64' || type === 'uint64') out[k] = BigInt(v);
        else out[k] = v;
        break;
      }
      case 'bigint':
        out[k] = c.values[i] as bigint;
        break;
      case 'bool':
        out[k] = c.values[i] === 1;
        break;
      case 'string':
        out[k] = c.dictionary[c.codes[i] as number] as string;
        break;
      case 'value':
        out[k] = JSON.stringify(c.values[i]);
        break;
    }
  }
  return out;
}

function copyOptions(format: Format): string {
  switch (format) {
    case 'parquet':
      return 'FORMAT parquet, COMPRESSION zstd';
    case 'csv':
      return 'FORMAT csv, HEADER true';
    case 'tsv':
      return "FORMAT csv, HEADER true, DELIMITER '\t'";
    case 'json':
      return 'FORMAT json, ARRAY true';
    case 'ndjson':
      return 'FORMAT json';
    case 'arrow':
      throw new MortarError('INTERNAL', 'arrow is written with apache-arrow');
  }
}

/**
 * Opens a writer for `path` (Parquet, CSV/TSV, JSON/NDJSON through DuckDB; Arrow IPC through
 * apache-arrow). DuckDB rows go to a temp table that spills to disk past its memory limit, then
 * one `COPY ... TO` writes the file, so output size is not bounded by memory. Arrow output is
 * gathered in memory.
 */
export async function openWriter(
  path: string,
  schema: Schema,
  opts: WriteOptions = {},
): Promise<TableWriter> {
  const format = detectFormat(path, opts.format);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  let rows = 0;
  if (format === 'arrow') {
    const batches: RecordBatch[] = [];
    return {
      async write(b) {
        batches.push(b);
        rows += b.numRows;
      },
      async close() {
        await writeFile(tmp, tableToIPC(toArrow(concatBatches(schema, batches)), 'file'));
        await rename(tmp, path);
        return { path, rows };
      },
      async abort() {
        await rm(tmp, { force: true });
      },
    };
  }
  const engine: Engine = await openEngine({
    ...opts,
    tempDirectory: opts.tempDirectory ?? join(tmpdir(), 'mortar-duckdb'),
  });
  let appender: DuckDBAppender | undefined;
  try {
    const cols = schema.map((f) => `${sqlIdent(f.name)} ${DUCK_TYPES[f.type]}`).join(', ');
    await engine.conn.run(`CREATE TABLE out_rows (${cols})`);
    appender = await engine.conn.createAppender('out_rows');
  } catch (e) {
    engine.close();
    throw e;
  }
  const app = appender;
  const types = schema.map((_, i) => app.columnType(i));
  let closed = false;
  return {
    async write(b) {
      for (let from = 0; from < b.numRows; from += CHUNK) {
        const to = Math.min(b.numRows, from + CHUNK);
        const chunk = DuckDBDataChunk.create(types, to - from);
        for (let c = 0; c < schema.length; c++) {
          chunk.setColumnValues(
            c,
            cellValues((schema[c] as { type: DataType }).type, b.columns[c] as Column, from, to),
          );
        }
        app.appendDataChunk(chunk);
      }
      rows += b.numRows;
    },
    async close() {
      if (closed)
        throw new MortarError('FAILED_PRECONDITION', `writer for ${path} is already closed`);
      closed = true;
      try {
        app.closeSync();
        await engine.conn.run(`COPY out_rows TO ${sqlString(tmp)} (${copyOptions(format)})`);
        await rename(tmp, path);
        return { path, rows };
      } catch (e) {
        await rm(tmp, { force: true });
        throw new MortarError('INTERNAL', `could not write ${path}: ${(e as Error).message}`, {
          cause: e,
          details: { file: path },
        });
      } finally {
        engine.close();
      }
    },
    async abort() {
      if (closed) return;
      closed = true;
      engine.close();
      await rm(tmp, { force: true });
    },
  };
}

/**
 * Writes one batch, an array of batches or a stream of batches to `path`; returns rows written.
 *
 * @example
 * await writeTable('out/train.parquet', readBatches('flights.csv'));
 */
export async function writeTable(
  path: string,
  data: RecordBatch | Iterable<RecordBatch> | AsyncIterable<RecordBatch>,
  opts: WriteOptions & { schema?: Schema } = {},
): Promise<{ readonly path: string; readonly rows: number }> {
  const iter: Iterable<RecordBatch> | AsyncIterable<RecordBatch> =
    Symbol.asyncIterator in Object(data) || Symbol.iterator in Object(data)
      ? (data as Iterable<RecordBatch>)
      : [data as RecordBatch];
  let writer: TableWriter | undefined;
  try {
    for await (const b of iter) {
      writer ??= await openWriter(path, opts.schema ?? b.schema, opts);
      await writer.write(b);
    }
    if (!writer) {
      if (!opts.schema)
        throw new MortarError(
          'INVALID_ARGUMENT',
          `nothing to write to ${path}: no batches and no schema`,
        );
      writer = await openWriter(path, opts.schema, opts);
    }
    return await writer.close();
  } catch (e) {
    await writer?.abort();
    throw e;
  }
}
