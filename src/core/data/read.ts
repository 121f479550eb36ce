import { stat } from 'node:fs/promises';
import { MortarError } from '../errors.js';
import { readArrowBatches, schemaFromArrow } from './arrow.js';
import { RecordBatch } from './batch.js';
import { concatBatches } from './concat.js';
import { decodeStream, int64AsDouble, planFor, type ColumnSink } from './decode.js';
import {
  castFor,
  openEngine,
  sourceSql,
  sqlIdent,
  sqlString,
  type CsvOptions,
  type Engine,
  type EngineOptions,
} from './duckdb.js';
import { mapReadError } from './errors.js';
import { detectFormat } from './format.js';
import { planParallel, readParallel, type ParallelOption } from './parallel.js';
import type { Field, Format, Schema } from './types.js';
import { RecordBatchReader } from 'apache-arrow';
import { createReadStream } from 'node:fs';

/** Options for {@link readBatches}, {@link readTable} and {@link readSchema}. */
export interface ReadOptions extends EngineOptions {
  /** The file format; default from the extension. */
  readonly format?: Format;
  /** Rows per batch (default 65,536). DuckDB hands out 2,048-row chunks; batches gather them. */
  readonly batchRows?: number;
  /** Stop after this many rows. */
  readonly maxRows?: number;
  /** Read only these columns (in this order). */
  readonly columns?: readonly string[];
  /** How to hold 64-bit integers: `number` (default; exact within +-2^53, else DATA_INVALID) or `bigint`. */
  readonly int64?: 'number' | 'bigint';
  /** CSV/TSV dialect. */
  readonly csv?: CsvOptions;
  /**
   * Parquet only, opt-in: decode in worker threads, each with its own single-threaded DuckDB
   * reading a disjoint range of row groups, handing typed arrays back zero-copy (transferred
   * buffers). `true` = one worker per core (`os.availableParallelism()`), a number = that many
   * workers, `false` (default) = read on the calling thread. Batches, values and dictionaries
   * are the same either way. Reads that do not qualify (globs, fewer than two row groups' worth
   * of rows, nested columns) run on the calling thread. `memoryLimit` applies to each
   * worker's DuckDB. Workers are kept for 15 s after a read for the next one (they do not keep
   * the process alive).
   */
  readonly parallel?: ParallelOption;
  /**
   * Parallel mode only: `true` (default) yields batches in file order, exactly as the
   * sequential reader does. `false` yields each worker's batches as they arrive: file order is
   * lost and batches at row-group boundaries may be short, but a slow worker holds no one up.
   */
  readonly ordered?: boolean;
}

/** What {@link readSchema} reports. */
export interface SchemaInfo {
  readonly path: string;
  readonly format: Format;
  readonly schema: Schema;
  /** Known without a scan (Parquet metadata); undefined otherwise. */
  readonly numRows?: number;
}

const DEFAULT_BATCH_ROWS = 65_536;

async function checkFile(path: string): Promise<void> {
  if (/[*?[]/.test(path)) return; // a glob: DuckDB expands it and reports no match itself
  try {
    const s = await stat(path);
    if (s.isDirectory()) {
      throw new MortarError('INVALID_ARGUMENT', `${path} is a directory; give a data file`, {
        details: { file: path },
      });
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new MortarError('NOT_FOUND', `data file not found: ${path}`, {
        details: { file: path },
      });
    }
    throw e;
  }
}

interface Described {
  readonly fields: Field[];
  readonly projection: string;
  /** Per field: the integer type of a BIGINT/UBIGINT column the projection casts to DOUBLE. */
  readonly exact: ('int64' | 'uint64' | undefined)[];
  /** Every column name of the source (not only the picked ones). */
  readonly sourceColumns: string[];
}

function describeRows(
  rows: Record<string, unknown>[],
  columns: readonly string[] | undefined,
  path: string,
  int64: 'number' | 'bigint',
): Described {
  const all = rows.map((r) => ({
    name: String(r['column_name']),
    type: String(r['column_type']),
    nullable: r['null'] !== 'NO',
  }));
  let picked = all;
  if (columns) {
    picked = columns.map((c) => {
      const f = all.find((x) => x.name === c);
      if (!f) {
        throw new MortarError(
          'NOT_FOUND',
          `${path}: no column "${c}"; columns are: ${all.map((x) => x.name).join(', ')}`,
          {
            details: { file: path, column: c },
          },
        );
      }
      return f;
    });
  }
  const exact = picked.map((f) => (int64 === 'number' ? int64AsDouble(f.type) : undefined));
  const projection = picked
    .map((f, i) => {
      const cast = exact[i] ? 'DOUBLE' : castFor(f.type);
      return cast
        ? `CAST(${sqlIdent(f.name)} AS ${cast}) AS ${sqlIdent(f.name)}`
        : sqlIdent(f.name);
    })
    .join(', ');
  return {
    fields: picked.map((f) => ({
      name: f.name,
      type: 'other',
      nullable: f.nullable,
      sourceType: f.type,
    })),
    projection: projection || '*',
    exact,
    sourceColumns: all.map((f) => f.name),
  };
}

/**
 * Streams `path` as Mortar {@link RecordBatch}es. CSV/TSV, JSON/NDJSON and Parquet are read by a
 * private in-memory DuckDB through a streaming result, chunk by chunk (the next chunk is fetched
 * while the current one is decoded), so memory stays bounded by a few batches whatever the file
 * size. Arrow IPC is read by apache-arrow's streaming reader.
 *
 * Errors are MortarErrors naming the file: NOT_FOUND (missing file), DATA_INVALID (truncated
 * Parquet, ragged CSV row with its line, invalid UTF-8 with its line and the iconv fix),
 * UNSUPPORTED (unknown extension). Breaking out of the loop releases DuckDB.
 *
 * @example
 * let n = 0;
 * for await (const b of readBatches('flights.parquet', { columns: ['delay'] })) n += b.numRows;
 */
export async function* readBatches(
  path: string,
  opts: ReadOptions = {},
): AsyncGenerator<RecordBatch> {
  const format = detectFormat(path, opts.format);
  await checkFile(path);
  const maxRows = opts.maxRows ?? Infinity;
  if (format === 'arrow') {
    let seen = 0;
    try {
      for await (const b of readArrowBatches(path, { int64: opts.int64 })) {
        const picked = opts.columns ? selectColumns(b, opts.columns, path) : b;
        const take = Math.min(picked.numRows, maxRows - seen);
        yield take < picked.numRows ? picked.slice(0, take) : picked;
        seen += take;
        if (seen >= maxRows) return;
      }
    } catch (e) {
      throw await mapReadError(e, path, format);
    }
    return;
  }
  const batchRows = Math.max(1, Math.floor(opts.batchRows ?? DEFAULT_BATCH_ROWS));
  const int64 = opts.int64 ?? 'number';
  const fail = (e: unknown) => mapReadError(e, path, format, { delimiter: opts.csv?.delimiter });
  let engine: Engine | undefined = await openEngine(opts);
  try {
    const src = sourceSql(path, format, opts.csv);
    let described: Described;
    try {
      const desc = await engine.conn.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`);
      described = describeRows(
        desc.getRowObjectsJS() as Record<string, unknown>[],
        opts.columns,
        path,
        int64,
      );
    } catch (e) {
      throw await fail(e);
    }
    const parallel = await planParallel(engine, {
      path,
      format,
      src,
      projection: described.projection,
      fields: described.fields,
      exact: described.exact,
      sourceColumns: described.sourceColumns,
      int64,
      batchRows,
      maxRows,
      parallel: opts.parallel,
      ordered: opts.ordered ?? true,
      engine: opts,
    }).catch(async (e: unknown) => {
      throw await fail(e);
    });
    if (parallel) {
      engine.close();
      engine = undefined;
      yield* readParallel(parallel);
      return;
    }
    const limit = Number.isFinite(maxRows) ? ` LIMIT ${Math.max(0, Math.floor(maxRows))}` : '';
    const result = await engine.conn
      .stream(`SELECT ${described.projection} FROM ${src}${limit}`)
      .catch(async (e) => {
        throw await fail(e);
      });
    const plans = described.fields.map((f, i) =>
      planFor(result.columnTypeId(i), { file: path, column: f.name }, int64, described.exact[i]),
    );
    const schema: Schema = described.fields.map((f, i) => ({
      ...f,
      type: (plans[i] as { type: Field['type'] }).type,
    }));
    const sinks: ColumnSink[] = plans.map((p) => p.sink(batchRows));
    for await (const b of decodeStream(result, sinks, { batchRows, fail })) {
      yield new RecordBatch(schema, b.numRows, b.columns);
    }
  } finally {
    engine?.close();
  }
}

function selectColumns(b: RecordBatch, columns: readonly string[], path: string): RecordBatch {
  const idx = columns.map((c) => {
    const i = b.columnIndex(c);
    if (i < 0) {
      throw new MortarError(
        'NOT_FOUND',
        `${path}: no column "${c}"; columns are: ${b.schema.map((f) => f.name).join(', ')}`,
        {
          details: { file: path, column: c },
        },
      );
    }
    return i;
  });
  return new RecordBatch(
    idx.map((i) => b.schema[i] as Field),
    b.numRows,
    idx.map((i) => b.columns[i]!),
  );
}

/**
 * Reads `path` into one batch. Pass `maxRows` to cap memory on large files; without it the whole
 * file is loaded, so prefer {@link readBatches} for anything big.
 */
export async function readTable(path: string, opts: ReadOptions = {}): Promise<RecordBatch> {
  const batches: RecordBatch[] = [];
  let schema: Schema | undefined;
  for await (const b of readBatches(path, opts)) {
    schema ??= b.schema;
    batches.push(b);
  }
  if (!schema) schema = (await readSchema(path, opts)).schema;
  return concatBatches(schema, batches);
}

/** The schema of `path` (without reading its rows), plus the row count where metadata has it. */
export async function readSchema(path: string, opts: ReadOptions = {}): Promise<SchemaInfo> {
  const format = detectFormat(path, opts.format);
  await checkFile(path);
  if (format === 'arrow') {
    try {
      const reader = await RecordBatchReader.from(createReadStream(path));
      await reader.open();
      const schema = schemaFromArrow(reader.schema);
      await reader.cancel();
      return { path, format, schema };
    } catch (e) {
      throw await mapReadError(e, path, format);
    }
  }
  const engine = await openEngine(opts);
  try {
    const src = sourceSql(path, format, opts.csv);
    const desc = await engine.conn.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`);
    const int64 = opts.int64 ?? 'number';
    const described = describeRows(
      desc.getRowObjectsJS() as Record<string, unknown>[],
      opts.columns,
      path,
      int64,
    );
    // One bind to learn the decoded types.
    const probe = await engine.conn.run(`SELECT ${described.projection} FROM ${src} LIMIT 0`);
    const schema = described.fields.map((f, i) => ({
      ...f,
      type: planFor(
        probe.columnTypeId(i),
        { file: path, column: f.name },
        int64,
        described.exact[i],
      ).type,
    }));
    let numRows: number | undefined;
    if (format === 'parquet' && !/[*?[]/.test(path)) {
      const r = await engine.conn.runAndReadAll(
        `SELECT sum(num_rows)::DOUBLE AS n FROM parquet_file_metadata(${sqlString(path)})`,
      );
      numRows = Number(r.getRowObjectsJS()[0]?.['n'] ?? NaN);
      if (!Number.isFinite(numRows)) numRows = undefined;
    }
    return { path, format, schema, numRows };
  } catch (e) {
    throw await mapReadError(e, path, format, { delimiter: opts.csv?.delimiter });
  } finally {
    engine.close();
  }
}
