import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Format } from './types.js';

/** SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** SQL quoted identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Options for the DuckDB engine behind a read or write. */
export interface EngineOptions {
  /** DuckDB worker threads (default: DuckDB's choice, all cores). */
  readonly threads?: number;
  /** DuckDB memory limit, e.g. `'1GB'`; beyond it DuckDB spills to `tempDirectory`. */
  readonly memoryLimit?: string;
  /** Where DuckDB spills (default: DuckDB's default under the OS temp dir). */
  readonly tempDirectory?: string;
}

/** A private in-memory DuckDB with one connection; `close()` releases both. */
export interface Engine {
  readonly conn: DuckDBConnection;
  close(): void;
}

/** Opens a private in-memory DuckDB (one per read/write, so they never share state). */
export async function openEngine(opts: EngineOptions = {}): Promise<Engine> {
  const config: Record<string, string> = {};
  if (opts.threads !== undefined) config['threads'] = String(opts.threads);
  if (opts.memoryLimit !== undefined) config['memory_limit'] = opts.memoryLimit;
  if (opts.tempDirectory !== undefined) config['temp_directory'] = opts.tempDirectory;
  const instance = await DuckDBInstance.create(':memory:', config);
  const conn = await instance.connect();
  return {
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** CSV dialect options. */
export interface CsvOptions {
  /** Field delimiter (default `,` for csv, tab for tsv). */
  readonly delimiter?: string;
  /** Whether the first line is a header (default true). */
  readonly header?: boolean;
}

/**
 * The DuckDB table function that reads `path` as `format`. CSV is read strictly (a ragged row is
 * an error, never silently padded) with the delimiter and header fixed, not sniffed.
 */
export function sourceSql(path: string, format: Format, csv: CsvOptions = {}): string {
  const p = sqlString(path);
  switch (format) {
    case 'parquet':
      return `read_parquet(${p})`;
    case 'csv':
    case 'tsv': {
      const delim = csv.delimiter ?? (format === 'tsv' ? '\t' : ',');
      return `read_csv(${p}, delim=${sqlString(delim)}, header=${csv.header ?? true}, strict_mode=true, null_padding=false)`;
    }
    case 'json':
      return `read_json(${p}, format='auto')`;
    case 'ndjson':
      return `read_json(${p}, format='newline_delimited')`;
    case 'arrow':
      throw new Error('arrow is read with apache-arrow, not DuckDB');
  }
}

/**
 * The cast (if any) that brings a DuckDB column type into one Mortar decodes natively:
 * decimals and huge integers to DOUBLE, enums and UUIDs to VARCHAR, other timestamp units to
 * TIMESTAMP (microseconds).
 */
export function castFor(duckType: string): string | undefined {
  const t = duckType.toUpperCase();
  if (/^DECIMAL|^NUMERIC|^HUGEINT$|^UHUGEINT$|^BIGNUM$|^VARINT$/.test(t)) return 'DOUBLE';
  if (/^ENUM\(|^UUID$/.test(t)) return 'VARCHAR';
  if (/^TIMESTAMP_(S|MS|NS)$/.test(t)) return 'TIMESTAMP';
  if (/^TIME_NS$/.test(t)) return 'TIME';
  return undefined;
}
