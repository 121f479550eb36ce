/**
 * Data I/O: read CSV/TSV, JSON/NDJSON, Parquet (through DuckDB) and Arrow IPC (through
 * apache-arrow) as streams of Mortar's columnar {@link RecordBatch}; write Parquet, CSV/TSV,
 * JSON/NDJSON and Arrow; sample and split files with a seed.
 */
export type { DataType, Field, Format, Row, Schema, Value } from './types.js';
export { FORMATS, NUMBER_TYPES } from './types.js';
export {
  BigIntColumn,
  BoolColumn,
  NumberColumn,
  StringColumn,
  ValueColumn,
  type Column,
} from './column.js';
export { RecordBatch, buildBigIntColumn, buildColumn } from './batch.js';
export { concatBatches } from './concat.js';
export { detectFormat } from './format.js';
export type { CsvOptions, EngineOptions } from './duckdb.js';
export { readBatches, readSchema, readTable, type ReadOptions, type SchemaInfo } from './read.js';
export { openWriter, writeTable, type TableWriter, type WriteOptions } from './write.js';
export { fromArrow, readArrowBatches, schemaFromArrow, toArrow } from './arrow.js';
export { Reservoir } from './sample.js';
export { hashUnit, parseFractions, partNames, splitAssigner, type SplitSpec } from './split.js';
export { sampleFile, splitFile, type OnRows, type SampleResult, type SplitResult } from './ops.js';
export {
  findInvalidUtf8,
  findRaggedRow,
  mapReadError,
  type RaggedRow,
  type TextPosition,
} from './errors.js';
