import type { Row, Schema } from '../../core/data/index.js';

/**
 * The parts of a column the profiler reads — structurally what `core/data`'s column classes
 * expose, so any `Column` is a ColumnView. Worker threads rebuild batches as these plain shapes
 * (see `transfer.ts`), so they need no runtime import of the data layer (and its DuckDB and
 * Arrow modules): a profile worker starts in a fraction of the time.
 */
export type ColumnView =
  | { readonly kind: 'number'; readonly values: Float64Array; readonly valid: Uint8Array | null }
  | {
      readonly kind: 'bigint';
      readonly values: BigInt64Array | BigUint64Array;
      readonly valid: Uint8Array | null;
    }
  | { readonly kind: 'bool'; readonly values: Uint8Array; readonly valid: Uint8Array | null }
  | { readonly kind: 'string'; readonly codes: Int32Array; readonly dictionary: readonly string[] }
  | { readonly kind: 'value'; readonly values: readonly unknown[] };

/** A batch as the profiler reads it: any `RecordBatch` is one. */
export interface BatchView {
  readonly schema: Schema;
  readonly numRows: number;
  readonly columns: readonly ColumnView[];
}

/** The index of column `name` in `b`, or -1. */
export function columnIndex(b: BatchView, name: string): number {
  return b.schema.findIndex((f) => f.name === name);
}

/** Rows of `col` that are null. */
export function nullCount(col: ColumnView): number {
  let n = 0;
  switch (col.kind) {
    case 'string':
      for (let i = 0; i < col.codes.length; i++) if ((col.codes[i] as number) < 0) n++;
      return n;
    case 'value':
      for (const v of col.values) if (v === null || v === undefined) n++;
      return n;
    default:
      if (col.valid) for (let i = 0; i < col.valid.length; i++) if (col.valid[i] === 0) n++;
      return n;
  }
}

/** Number of rows of `col`. */
export function columnLength(col: ColumnView): number {
  return col.kind === 'string' ? col.codes.length : col.values.length;
}

/** True when row `i` of `col` is null. */
export function isNullAt(col: ColumnView, i: number): boolean {
  switch (col.kind) {
    case 'string':
      return (col.codes[i] as number) < 0;
    case 'value':
      return col.values[i] === null || col.values[i] === undefined;
    default:
      return col.valid !== null && col.valid[i] === 0;
  }
}

/**
 * Cell `i` of `col` as `RecordBatch.row` gives it: a number (a `Date` for date and timestamp
 * columns), bigint, boolean, string, other value, or null.
 */
export function cellAt(col: ColumnView, type: string, i: number): unknown {
  if (isNullAt(col, i)) return null;
  switch (col.kind) {
    case 'number': {
      const v = col.values[i] as number;
      return type === 'date' || type === 'timestamp' ? new Date(v) : v;
    }
    case 'bigint':
      return col.values[i];
    case 'bool':
      return col.values[i] === 1;
    case 'string':
      return col.dictionary[col.codes[i] as number];
    case 'value':
      return col.values[i] ?? null;
  }
}

/** Row `i` of `b` as an object keyed by column name (as `RecordBatch.row`). */
export function rowAt(b: BatchView, i: number): Row {
  const out: Row = {};
  b.schema.forEach((f, c) => {
    out[f.name] = cellAt(b.columns[c] as ColumnView, f.type, i);
  });
  return out;
}

function takeValid(valid: Uint8Array | null, rows: readonly number[]): Uint8Array | null {
  if (!valid) return null;
  const out = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = valid[rows[i] as number] as number;
  return out;
}

function takeColumn(col: ColumnView, rows: readonly number[]): ColumnView {
  const n = rows.length;
  switch (col.kind) {
    case 'number': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = col.values[rows[i] as number] as number;
      return { kind: 'number', values: out, valid: takeValid(col.valid, rows) };
    }
    case 'bigint': {
      const out =
        col.values instanceof BigInt64Array ? new BigInt64Array(n) : new BigUint64Array(n);
      for (let i = 0; i < n; i++) out[i] = col.values[rows[i] as number] as bigint;
      return { kind: 'bigint', values: out, valid: takeValid(col.valid, rows) };
    }
    case 'bool': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = col.values[rows[i] as number] as number;
      return { kind: 'bool', values: out, valid: takeValid(col.valid, rows) };
    }
    case 'string': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = col.codes[rows[i] as number] as number;
      return { kind: 'string', codes: out, dictionary: col.dictionary };
    }
    case 'value':
      return { kind: 'value', values: rows.map((r) => col.values[r]) };
  }
}

/** The rows `rows` of `b` (as `RecordBatch.take`). */
export function takeRows(b: BatchView, rows: readonly number[]): BatchView {
  return {
    schema: b.schema,
    numRows: rows.length,
    columns: b.columns.map((c) => takeColumn(c, rows)),
  };
}
