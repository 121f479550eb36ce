import { MortarError } from '../errors.js';
import {
  BigIntColumn,
  BoolColumn,
  NumberColumn,
  StringColumn,
  ValueColumn,
  type Column,
} from './column.js';
import { NUMBER_TYPES, type Field, type Row, type Schema, type Value } from './types.js';

/**
 * Mortar's one in-memory columnar form: a schema, a row count and one typed column per field.
 * Immutable; readers stream these (default 65,536 rows each) so files larger than memory work.
 *
 * @example
 * for await (const batch of readBatches('flights.parquet')) {
 *   const delay = batch.column('delay'); // NumberColumn: delay.values is a Float64Array
 *   for (const row of batch.rows()) console.log(row.origin, row.delay);
 * }
 */
export class RecordBatch {
  private byName: Map<string, number> | undefined;
  constructor(
    readonly schema: Schema,
    readonly numRows: number,
    readonly columns: readonly Column[],
  ) {
    if (columns.length !== schema.length) {
      throw new MortarError(
        'INTERNAL',
        `RecordBatch: ${schema.length} fields but ${columns.length} columns`,
      );
    }
    for (const [i, c] of columns.entries()) {
      if (c.length !== numRows) {
        throw new MortarError(
          'INTERNAL',
          `RecordBatch: column "${schema[i]?.name}" has ${c.length} rows, expected ${numRows}`,
        );
      }
    }
  }

  /** The column named `name`; throws NOT_FOUND listing the columns when there is none. */
  column(name: string): Column {
    const i = this.columnIndex(name);
    if (i < 0) {
      throw new MortarError(
        'NOT_FOUND',
        `no column "${name}"; columns are: ${this.schema.map((f) => f.name).join(', ')}`,
        { details: { column: name } },
      );
    }
    return this.columns[i] as Column;
  }

  /** The index of the column named `name`, or -1. */
  columnIndex(name: string): number {
    this.byName ??= new Map(this.schema.map((f, i) => [f.name, i]));
    return this.byName.get(name) ?? -1;
  }

  /** Row `i` as an object keyed by column name. */
  row(i: number): Row {
    const out: Row = {};
    for (let c = 0; c < this.columns.length; c++) {
      out[(this.schema[c] as Field).name] = (this.columns[c] as Column).get(i);
    }
    return out;
  }

  /** Every row as an object, in order. */
  *rows(): IterableIterator<Row> {
    for (let i = 0; i < this.numRows; i++) yield this.row(i);
  }

  /** The rows at `indices`, in that order. */
  take(indices: ArrayLike<number>): RecordBatch {
    return new RecordBatch(
      this.schema,
      indices.length,
      this.columns.map((c) => c.take(indices)),
    );
  }

  /** Rows `[start, end)`. */
  slice(start: number, end = this.numRows): RecordBatch {
    const s = Math.max(0, Math.min(start, this.numRows));
    const e = Math.max(s, Math.min(end, this.numRows));
    const idx = new Int32Array(e - s);
    for (let i = 0; i < idx.length; i++) idx[i] = s + i;
    return this.take(idx);
  }

  /**
   * Builds a batch from row objects (or arrays in schema order). Values are coerced to each
   * field's type: numbers (or Dates, for date/timestamp), bigints, booleans, strings, or null.
   */
  static fromRows(schema: Schema, rows: readonly (Row | readonly Value[])[]): RecordBatch {
    const columns = schema.map((field, c) =>
      buildColumn(
        field,
        rows.map((r) => (Array.isArray(r) ? (r as readonly Value[])[c] : (r as Row)[field.name])),
      ),
    );
    return new RecordBatch(schema, rows.length, columns);
  }
}

/** Builds one column of `field`'s type from JS values (`null`/`undefined` = missing). */
export function buildColumn(field: Field, values: readonly Value[]): Column {
  const n = values.length;
  if (field.type === 'string') {
    return StringColumn.from(values.map((v) => (v === null || v === undefined ? null : String(v))));
  }
  if (field.type === 'other') return new ValueColumn(values.map((v) => v ?? null));
  let valid: Uint8Array | null = null;
  const missing = (i: number) => {
    valid ??= new Uint8Array(n).fill(1);
    valid[i] = 0;
  };
  if (field.type === 'bool') {
    const out = new Uint8Array(n);
    values.forEach((v, i) => (v === null || v === undefined ? missing(i) : (out[i] = v ? 1 : 0)));
    return new BoolColumn(out, valid);
  }
  if (NUMBER_TYPES.has(field.type)) {
    const out = new Float64Array(n);
    values.forEach((v, i) => {
      if (v === null || v === undefined) {
        missing(i);
        out[i] = NaN;
      } else out[i] = v instanceof Date ? v.getTime() : Number(v);
    });
    return new NumberColumn(field.type, out, valid);
  }
  throw new MortarError('UNSUPPORTED', `cannot build a column of type ${field.type}`);
}

/** Builds an exact int64 column from bigints (or numbers). */
export function buildBigIntColumn(
  values: readonly (bigint | number | null | undefined)[],
): BigIntColumn {
  const out = new BigInt64Array(values.length);
  let valid: Uint8Array | null = null;
  values.forEach((v, i) => {
    if (v === null || v === undefined) {
      valid ??= new Uint8Array(values.length).fill(1);
      valid[i] = 0;
    } else out[i] = BigInt(v);
  });
  return new BigIntColumn('int64', out, valid);
}
