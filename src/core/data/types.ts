/**
 * The logical types of Mortar's columnar form. Every numeric, date and time type is stored as a
 * `Float64Array` (see {@link NumberColumn}); `int64`/`uint64` may instead be kept exact as
 * bigints when a reader is asked for `int64: 'bigint'`. Strings are dictionary-encoded.
 * Anything else (lists, structs, maps, blobs, intervals, ...) is kept as plain JS values.
 */
export type DataType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'float32'
  | 'float64'
  /** Days since the epoch in the source; stored as epoch milliseconds (UTC midnight). */
  | 'date'
  /** Stored as epoch milliseconds (fractional for sub-millisecond sources). */
  | 'timestamp'
  /** Time of day, stored as milliseconds since midnight. */
  | 'time'
  | 'string'
  /** Nested or exotic values (list, struct, map, blob, interval, ...), kept as JS values. */
  | 'other';

/** Logical types stored as numbers in a `Float64Array`. */
export const NUMBER_TYPES: ReadonlySet<DataType> = new Set<DataType>([
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float32',
  'float64',
  'date',
  'timestamp',
  'time',
]);

/** One column of a schema. */
export interface Field {
  readonly name: string;
  readonly type: DataType;
  /** False only when the source promises no nulls. */
  readonly nullable: boolean;
  /** The type as the source (DuckDB or Arrow) named it, e.g. `DECIMAL(9,2)`, for display. */
  readonly sourceType?: string;
}

/** An ordered list of fields. */
export type Schema = readonly Field[];

/** A single cell as handed to row-wise consumers (`null` for a missing value). */
export type Value = number | bigint | boolean | string | Date | null | unknown;

/** A row as an object keyed by column name. */
export type Row = Record<string, Value>;

/** The on-disk formats Mortar reads and writes. */
export const FORMATS = ['csv', 'tsv', 'json', 'ndjson', 'parquet', 'arrow'] as const;

/** A file format Mortar reads and writes. */
export type Format = (typeof FORMATS)[number];
