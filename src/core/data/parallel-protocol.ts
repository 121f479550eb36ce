// Messages between readBatches' parallel Parquet mode (parallel.ts, main thread) and its worker
// threads (read-worker.ts). Columns travel as typed arrays whose buffers are transferred, not
// copied; string dictionaries are structured-cloned.
import { MortarError, isMortarError, type ErrorCode } from '../errors.js';
import {
  BigIntColumn,
  BoolColumn,
  NumberColumn,
  StringColumn,
  ValueColumn,
  type Column,
} from './column.js';
import type { DataType } from './types.js';

/** What every task of one parallel read shares. */
export interface ReadJob {
  readonly path: string;
  /** The DuckDB table function reading `path`. */
  readonly src: string;
  readonly projection: string;
  /** Column names, for error messages. */
  readonly names: readonly string[];
  readonly exact: readonly ('int64' | 'uint64' | undefined)[];
  readonly int64: 'number' | 'bigint';
  readonly batchRows: number;
  /** How many pieces a worker may have posted that the reader has not consumed yet. */
  readonly window: number;
  readonly memoryLimit?: string;
  readonly tempDirectory?: string;
}

/** Main thread to worker. */
export type WorkerRequest =
  | {
      readonly t: 'task';
      readonly readId: number;
      readonly id: number;
      readonly job: ReadJob;
      /** File rows `[start, end)`, 0-based. */
      readonly start: number;
      readonly end: number;
    }
  /** The reader consumed this many pieces of this worker in read `readId`. */
  | { readonly t: 'credit'; readonly readId: number; readonly consumed: number }
  /** Stop read `readId`'s task (the worker answers `done`). */
  | { readonly t: 'cancel'; readonly readId: number }
  /** The read is over: release the worker's DuckDB. */
  | { readonly t: 'end' };

/** A column on the wire. */
export type WireColumn =
  | {
      readonly k: 'number';
      readonly type: DataType;
      readonly values: Float64Array;
      readonly valid: Uint8Array | null;
    }
  | {
      readonly k: 'bigint';
      readonly type: 'int64' | 'uint64';
      readonly values: BigInt64Array | BigUint64Array;
      readonly valid: Uint8Array | null;
    }
  | { readonly k: 'bool'; readonly values: Uint8Array; readonly valid: Uint8Array | null }
  | { readonly k: 'string'; readonly codes: Int32Array; readonly dictionary: string[] }
  | { readonly k: 'value'; readonly values: unknown[] };

/** An error on the wire: MortarErrors keep code and details; others only their message. */
export interface WireError {
  readonly code?: ErrorCode;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/** Worker to main thread. */
export type WorkerReply =
  | {
      readonly t: 'piece';
      readonly readId: number;
      readonly id: number;
      readonly numRows: number;
      readonly columns: WireColumn[];
    }
  | { readonly t: 'done'; readonly readId: number; readonly id: number }
  | {
      readonly t: 'error';
      readonly readId: number;
      readonly id: number;
      readonly error: WireError;
    };

/** Columns as wire columns plus the buffers to transfer (each once). */
export function toWire(columns: readonly Column[]): {
  columns: WireColumn[];
  transfer: ArrayBuffer[];
} {
  const transfer = new Set<ArrayBuffer>();
  const add = (a: { buffer: ArrayBufferLike } | null) => {
    if (a) transfer.add(a.buffer as ArrayBuffer);
  };
  const out = columns.map((c): WireColumn => {
    switch (c.kind) {
      case 'number':
        add(c.values);
        add(c.valid);
        return { k: 'number', type: c.type, values: c.values, valid: c.valid };
      case 'bigint':
        add(c.values);
        add(c.valid);
        return { k: 'bigint', type: c.type, values: c.values, valid: c.valid };
      case 'bool':
        add(c.values);
        add(c.valid);
        return { k: 'bool', values: c.values, valid: c.valid };
      case 'string':
        add(c.codes);
        return { k: 'string', codes: c.codes, dictionary: c.dictionary as string[] };
      case 'value':
        return { k: 'value', values: c.values as unknown[] };
    }
  });
  return { columns: out, transfer: [...transfer] };
}

/** Rebuilds a column from the wire. */
export function fromWire(c: WireColumn): Column {
  switch (c.k) {
    case 'number':
      return new NumberColumn(c.type, c.values, c.valid);
    case 'bigint':
      return new BigIntColumn(c.type, c.values, c.valid);
    case 'bool':
      return new BoolColumn(c.values, c.valid);
    case 'string':
      return new StringColumn(c.codes, c.dictionary);
    case 'value':
      return new ValueColumn(c.values);
  }
}

/** An error as it crosses the thread boundary. */
export function toWireError(e: unknown): WireError {
  if (isMortarError(e)) {
    return { code: e.code, message: e.message, details: { ...e.details } };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}

/** A wire error back as a MortarError (when it was one) or a plain Error for mapReadError. */
export function fromWireError(e: WireError): Error {
  return e.code ? new MortarError(e.code, e.message, { details: e.details }) : new Error(e.message);
}
