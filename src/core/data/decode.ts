// Hot path: copies DuckDB data-chunk vectors into Mortar's typed-array columns. Each sink owns
// preallocated arrays for one batch and appends row ranges of 2,048-row DuckDB chunks to them.
import duckdb from '@duckdb/node-bindings';
import {
  DuckDBDataChunk,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  type DuckDBResult,
} from '@duckdb/node-api';
import { MortarError } from '../errors.js';
import {
  BigIntColumn,
  BoolColumn,
  NumberColumn,
  StringColumn,
  ValueColumn,
  type Column,
} from './column.js';
import type { DataType } from './types.js';

const TWO32 = 4294967296;
const MS_PER_DAY = 86_400_000;

/** Context for error messages raised while decoding. */
export interface DecodeContext {
  readonly file: string;
  readonly column: string;
}

/** Appends rows of one DuckDB vector to one column under construction. */
export interface ColumnSink {
  /** Appends rows `[from, from + count)` of column `col` of `chunk` at batch row `at`. */
  append(
    chunk: duckdb.DataChunk,
    col: number,
    from: number,
    count: number,
    at: number,
    rowBase: number,
  ): void;
  /** Finishes the first `n` rows as a column; the sink starts a fresh batch afterwards. */
  finish(n: number): Column;
}

/** The Mortar type and sink factory for a DuckDB result column type. */
export interface ColumnPlan {
  readonly type: DataType;
  sink(capacity: number): ColumnSink;
}

/** Reads one validity bit of a DuckDB validity mask (null mask means all valid). */
function isValid(mask: Uint8Array | null, i: number): boolean {
  return mask === null || (((mask[i >> 3] as number) >> (i & 7)) & 1) === 1;
}

/**
 * True when any of rows `[from, from + count)` is null. Scans the mask a byte (8 rows) at a time,
 * so the common all-valid case costs next to nothing; per-row null handling runs only after it.
 */
function anyNull(mask: Uint8Array | null, from: number, count: number): boolean {
  if (mask === null) return false;
  const end = from + count;
  let i = from;
  for (; i < end && (i & 7) !== 0; i++) if (!isValid(mask, i)) return true;
  for (; i + 8 <= end; i += 8) if (mask[i >> 3] !== 0xff) return true;
  for (; i < end; i++) if (!isValid(mask, i)) return true;
  return false;
}

function vectorOf(chunk: duckdb.DataChunk, col: number, rows: number, width: number) {
  const v = duckdb.data_chunk_get_vector(chunk, col);
  const data = duckdb.vector_get_data(v, rows * width);
  const mask = duckdb.vector_get_validity(v, Math.ceil(rows / 64) * 8);
  return { v, data, mask };
}

/** Validity bookkeeping shared by number/bool/bigint sinks. */
class Validity {
  valid: Uint8Array | null = null;
  constructor(private capacity: number) {}
  markNull(at: number): void {
    this.valid ??= new Uint8Array(this.capacity).fill(1);
    this.valid[at] = 0;
  }
  take(n: number): Uint8Array | null {
    const v = this.valid;
    this.valid = null;
    return v ? v.subarray(0, n) : null;
  }
}

/** Sets NaN and marks null every null row of `[from, from + count)`, written at `at`. */
function fillNulls(
  mask: Uint8Array | null,
  from: number,
  count: number,
  out: Float64Array,
  at: number,
  validity: Validity,
): void {
  if (!anyNull(mask, from, count)) return;
  for (let i = 0; i < count; i++) {
    if (!isValid(mask, from + i)) {
      out[at + i] = NaN;
      validity.markNull(at + i);
    }
  }
}

type NumericView =
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Float32Array
  | Float64Array;
type ViewCtor = {
  new (b: ArrayBufferLike, o: number, n: number): NumericView;
  BYTES_PER_ELEMENT: number;
};

/** Fixed-width numeric vectors: one bulk `Float64Array.set` (native conversion), then NaN nulls. */
function numberPlan(type: DataType, View: ViewCtor, scale = 1): ColumnPlan {
  return {
    type,
    sink(capacity) {
      let values = new Float64Array(capacity);
      const validity = new Validity(capacity);
      return {
        append(chunk, col, from, count, at) {
          const rows = from + count;
          const { data, mask } = vectorOf(chunk, col, rows, View.BYTES_PER_ELEMENT);
          const src = new View(data.buffer, data.byteOffset + from * View.BYTES_PER_ELEMENT, count);
          const out = values;
          out.set(src, at);
          if (scale !== 1)
            for (let i = at; i < at + count; i++) out[i] = (out[i] as number) * scale;
          fillNulls(mask, from, count, out, at, validity);
        },
        finish(n) {
          const col = new NumberColumn(type, values.subarray(0, n), validity.take(n));
          values = new Float64Array(capacity);
          return col;
        },
      };
    },
  };
}

const MAX_EXACT = 9007199254740992; // 2^53

function unsafeInteger(ctx: DecodeContext, row: number): MortarError {
  return new MortarError(
    'DATA_INVALID',
    `${ctx.file}, column "${ctx.column}", row ${row}: 64-bit integer is beyond ` +
      `+-2^53 and cannot be held exactly as a number; read with int64: 'bigint' (--int64 bigint)`,
    { details: { file: ctx.file, column: ctx.column, row } },
  );
}

/**
 * BIGINT/UBIGINT that DuckDB already cast to DOUBLE inside its (parallel) pipeline: one bulk
 * copy, then an exactness check. The cast rounds to nearest, so an integer is a safe integer
 * (|x| < 2^53, exact as a double) exactly when its double is below 2^53 in magnitude: anything
 * at or beyond 2^53 raises DATA_INVALID naming the file, column and row, with the fix.
 */
function exactDoublePlan(type: 'int64' | 'uint64', ctx: DecodeContext): ColumnPlan {
  return {
    type,
    sink(capacity) {
      let values = new Float64Array(capacity);
      const validity = new Validity(capacity);
      return {
        append(chunk, col, from, count, at, rowBase) {
          const { data, mask } = vectorOf(chunk, col, from + count, 8);
          const out = values;
          out.set(new Float64Array(data.buffer, data.byteOffset + from * 8, count), at);
          fillNulls(mask, from, count, out, at, validity); // nulls become NaN: never "unsafe"
          for (let i = at; i < at + count; i++) {
            const x = out[i] as number;
            if (x >= MAX_EXACT || x <= -MAX_EXACT) throw unsafeInteger(ctx, rowBase + i - at + 1);
          }
        },
        finish(n) {
          const col = new NumberColumn(type, values.subarray(0, n), validity.take(n));
          values = new Float64Array(capacity);
          return col;
        },
      };
    },
  };
}

/**
 * 64-bit integers (and micro-second timestamps/times) into float64 from their two 32-bit halves,
 * avoiding a BigInt per value (`hi * 2^32 + lo` is one correctly rounded addition). For plain
 * integers (`divide` 1) anything at or beyond +-2^53 raises DATA_INVALID, as in
 * {@link exactDoublePlan}; readers normally push that cast into DuckDB instead.
 */
function int64Plan(
  type: DataType,
  ctx: DecodeContext,
  opts: { unsigned: boolean; divide: number },
): ColumnPlan {
  const { unsigned, divide } = opts;
  const checkSafe = divide === 1;
  return {
    type,
    sink(capacity) {
      let values = new Float64Array(capacity);
      const validity = new Validity(capacity);
      return {
        append(chunk, col, from, count, at, rowBase) {
          const { data, mask } = vectorOf(chunk, col, from + count, 8);
          const words = new Int32Array(data.buffer, data.byteOffset + from * 8, count * 2);
          const out = values;
          if (unsigned) {
            for (let i = 0; i < count; i++) {
              out[at + i] =
                ((words[2 * i + 1] as number) >>> 0) * TWO32 + ((words[2 * i] as number) >>> 0);
            }
          } else if (divide === 1) {
            for (let i = 0; i < count; i++) {
              out[at + i] = (words[2 * i + 1] as number) * TWO32 + ((words[2 * i] as number) >>> 0);
            }
          } else {
            for (let i = 0; i < count; i++) {
              out[at + i] =
                ((words[2 * i + 1] as number) * TWO32 + ((words[2 * i] as number) >>> 0)) / divide;
            }
          }
          fillNulls(mask, from, count, out, at, validity);
          if (checkSafe) {
            for (let i = at; i < at + count; i++) {
              const x = out[i] as number;
              if (x >= MAX_EXACT || x <= -MAX_EXACT) throw unsafeInteger(ctx, rowBase + i - at + 1);
            }
          }
        },
        finish(n) {
          const col = new NumberColumn(type, values.subarray(0, n), validity.take(n));
          values = new Float64Array(capacity);
          return col;
        },
      };
    },
  };
}

function bigintPlan(type: 'int64' | 'uint64'): ColumnPlan {
  return {
    type,
    sink(capacity) {
      const make = () =>
        type === 'int64' ? new BigInt64Array(capacity) : new BigUint64Array(capacity);
      let values = make();
      const validity = new Validity(capacity);
      return {
        append(chunk, col, from, count, at) {
          const { data, mask } = vectorOf(chunk, col, from + count, 8);
          const src =
            type === 'int64'
              ? new BigInt64Array(data.buffer, data.byteOffset + from * 8, count)
              : new BigUint64Array(data.buffer, data.byteOffset + from * 8, count);
          (values as BigInt64Array).set(src as BigInt64Array, at);
          if (anyNull(mask, from, count)) {
            for (let i = 0; i < count; i++) {
              if (!isValid(mask, from + i)) {
                values[at + i] = 0n; // DuckDB leaves garbage under nulls
                validity.markNull(at + i);
              }
            }
          }
        },
        finish(n) {
          const col = new BigIntColumn(type, values.subarray(0, n), validity.take(n));
          values = make();
          return col;
        },
      };
    },
  };
}

const boolPlan: ColumnPlan = {
  type: 'bool',
  sink(capacity) {
    let values = new Uint8Array(capacity);
    const validity = new Validity(capacity);
    return {
      append(chunk, col, from, count, at) {
        const { data, mask } = vectorOf(chunk, col, from + count, 1);
        values.set(data.subarray(from, from + count), at);
        if (anyNull(mask, from, count)) {
          for (let i = 0; i < count; i++) {
            if (!isValid(mask, from + i)) {
              values[at + i] = 0; // DuckDB leaves garbage under nulls
              validity.markNull(at + i);
            }
          }
        }
      },
      finish(n) {
        const col = new BoolColumn(values.subarray(0, n), validity.take(n));
        values = new Uint8Array(capacity);
        return col;
      },
    };
  },
};

const decoder = new TextDecoder('utf-8');

/** Past this many distinct strings a sink's cross-batch table is dropped at the next batch. */
const MAX_REMEMBERED_STRINGS = 1 << 16;

function hash4(len: number, w1: number, w2: number, w3: number): number {
  const h =
    Math.imul(len ^ Math.imul(w1, 0x9e3779b1), 0x85ebca6b) ^
    Math.imul(w2, 0xc2b2ae35) ^
    Math.imul(w3, 0x27d4eb2f);
  return h ^ (h >>> 15);
}

/**
 * Dictionary-encodes DuckDB `string_t`s (16 bytes: u32 length, then 12 inline bytes, or a 4-byte
 * prefix and a pointer). Two levels:
 *  - a table that lives across batches (up to {@link MAX_REMEMBERED_STRINGS} strings) maps a
 *    string to an id. Short strings (<= 12 bytes, the common case) are looked up by their four
 *    words in an open-addressing table, so no JS string is made for a value seen before; long
 *    strings are cached by pointer within a chunk (dictionary-encoded Parquet pages share them),
 *    then interned by value.
 *  - per batch, ids are renumbered in first-seen order (`local`), so each batch's dictionary
 *    holds exactly its own distinct strings in first-seen order, as {@link StringColumn} says.
 */
class StringEncoder {
  private strings: string[] = [];
  private byString = new Map<string, number>();
  private keys = new Int32Array(4 * 1024);
  private slots = new Int32Array(1024).fill(-1);
  private filled = 0;
  /** id -> code in the current batch, or -1. */
  private local = new Int32Array(1024).fill(-1);
  private touched: number[] = [];
  private batchDict: string[] = [];
  private codes: Int32Array;

  constructor(private readonly capacity: number) {
    this.codes = new Int32Array(capacity);
  }

  append(data: Uint8Array, mask: Uint8Array | null, from: number, count: number, at: number) {
    const words = new Int32Array(data.buffer, data.byteOffset, (from + count) * 4);
    const codes = this.codes;
    const nulls = anyNull(mask, from, count);
    let byPointer: Map<number, number> | undefined;
    let keys = this.keys;
    let slots = this.slots;
    let local = this.local;
    let slotMask = slots.length - 1;
    for (let i = 0; i < count; i++) {
      const r = from + i;
      if (nulls && !isValid(mask, r)) {
        codes[at + i] = -1;
        continue;
      }
      const k = r * 4;
      const len = words[k] as number;
      const w1 = words[k + 1] as number;
      const w2 = words[k + 2] as number;
      const w3 = words[k + 3] as number;
      let id: number;
      if (len <= 12) {
        let h = hash4(len, w1, w2, w3) & slotMask;
        for (;;) {
          id = slots[h] as number;
          if (id < 0) {
            id = this.addInline(h, len, w1, w2, w3, data, r * 16);
            keys = this.keys;
            slots = this.slots;
            local = this.local;
            slotMask = slots.length - 1;
            break;
          }
          const q = h * 4;
          if (keys[q] === len && keys[q + 1] === w1 && keys[q + 2] === w2 && keys[q + 3] === w3)
            break;
          h = (h + 1) & slotMask;
        }
      } else {
        byPointer ??= new Map();
        const ptr = (w3 >>> 0) * TWO32 + (w2 >>> 0);
        let c = byPointer.get(ptr);
        if (c === undefined) {
          const bytes = duckdb.get_data_from_pointer(
            data.buffer as ArrayBuffer,
            data.byteOffset + r * 16 + 8,
            len,
          );
          c = this.intern(decoder.decode(bytes));
          local = this.local;
          byPointer.set(ptr, c);
        }
        id = c;
      }
      let code = local[id] as number;
      if (code < 0) {
        code = this.batchDict.length;
        this.batchDict.push(this.strings[id] as string);
        local[id] = code;
        this.touched.push(id);
      }
      codes[at + i] = code;
    }
  }

  finish(n: number): StringColumn {
    const col = new StringColumn(this.codes.subarray(0, n), this.batchDict);
    this.codes = new Int32Array(this.capacity);
    this.batchDict = [];
    for (const id of this.touched) this.local[id] = -1;
    this.touched = [];
    if (this.strings.length > MAX_REMEMBERED_STRINGS) {
      // High-cardinality column: forget, so memory stays bounded by one batch's strings.
      this.strings = [];
      this.byString = new Map();
      this.keys = new Int32Array(4 * 1024);
      this.slots = new Int32Array(1024).fill(-1);
      this.filled = 0;
      this.local = new Int32Array(1024).fill(-1);
    }
    return col;
  }

  private intern(str: string): number {
    let id = this.byString.get(str);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(str);
      this.byString.set(str, id);
      if (id >= this.local.length) {
        const grown = new Int32Array(this.local.length * 2).fill(-1);
        grown.set(this.local);
        this.local = grown;
      }
    }
    return id;
  }

  private addInline(
    h: number,
    len: number,
    w1: number,
    w2: number,
    w3: number,
    data: Uint8Array,
    byteOffset: number,
  ): number {
    const id = this.intern(decoder.decode(data.subarray(byteOffset + 4, byteOffset + 4 + len)));
    const q = h * 4;
    this.keys[q] = len;
    this.keys[q + 1] = w1;
    this.keys[q + 2] = w2;
    this.keys[q + 3] = w3;
    this.slots[h] = id;
    if (++this.filled * 2 > this.slots.length) this.grow();
    return id;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldSlots = this.slots;
    this.keys = new Int32Array(oldKeys.length * 2);
    this.slots = new Int32Array(oldSlots.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    for (let s = 0; s < oldSlots.length; s++) {
      const id = oldSlots[s] as number;
      if (id < 0) continue;
      const q = s * 4;
      let h =
        hash4(
          oldKeys[q] as number,
          oldKeys[q + 1] as number,
          oldKeys[q + 2] as number,
          oldKeys[q + 3] as number,
        ) & mask;
      while ((this.slots[h] as number) >= 0) h = (h + 1) & mask;
      this.keys.set(oldKeys.subarray(q, q + 4), h * 4);
      this.slots[h] = id;
    }
  }
}

const stringPlan: ColumnPlan = {
  type: 'string',
  sink(capacity) {
    const enc = new StringEncoder(capacity);
    return {
      append(chunk, col, from, count, at) {
        const { data, mask } = vectorOf(chunk, col, from + count, 16);
        enc.append(data, mask, from, count, at);
      },
      finish(n) {
        return enc.finish(n);
      },
    };
  },
};

/** Anything else: converted value by value through @duckdb/node-api's JS converter. */
const valuePlan: ColumnPlan = {
  type: 'other',
  sink() {
    let values: unknown[] = [];
    return {
      append(chunk, col, from, count) {
        const all = new DuckDBDataChunk(chunk).convertColumnValues(col, JSDuckDBValueConverter);
        for (let i = from; i < from + count; i++) values.push(all[i] ?? null);
      },
      finish() {
        const col = new ValueColumn(values);
        values = [];
        return col;
      },
    };
  },
};

/**
 * The plan for a DuckDB result column. `int64: 'number'` (default) decodes BIGINT/UBIGINT as
 * float64 (exact within +-2^53, else DATA_INVALID); `'bigint'` keeps them as BigInt64Array.
 * `exactFrom` says that a DOUBLE result column is a BIGINT/UBIGINT source cast by the query
 * (see {@link int64AsDouble}): it keeps the integer type and the exactness check.
 */
export function planFor(
  typeId: number,
  ctx: DecodeContext,
  int64: 'number' | 'bigint',
  exactFrom?: 'int64' | 'uint64',
): ColumnPlan {
  if (exactFrom !== undefined && typeId === DuckDBTypeId.DOUBLE) {
    return exactDoublePlan(exactFrom, ctx);
  }
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN:
      return boolPlan;
    case DuckDBTypeId.TINYINT:
      return numberPlan('int8', Int8Array);
    case DuckDBTypeId.SMALLINT:
      return numberPlan('int16', Int16Array);
    case DuckDBTypeId.INTEGER:
      return numberPlan('int32', Int32Array);
    case DuckDBTypeId.UTINYINT:
      return numberPlan('uint8', Uint8Array);
    case DuckDBTypeId.USMALLINT:
      return numberPlan('uint16', Uint16Array);
    case DuckDBTypeId.UINTEGER:
      return numberPlan('uint32', Uint32Array);
    case DuckDBTypeId.FLOAT:
      return numberPlan('float32', Float32Array);
    case DuckDBTypeId.DOUBLE:
      return numberPlan('float64', Float64Array);
    case DuckDBTypeId.DATE:
      return numberPlan('date', Int32Array, MS_PER_DAY);
    case DuckDBTypeId.BIGINT:
      return int64 === 'bigint'
        ? bigintPlan('int64')
        : int64Plan('int64', ctx, { unsigned: false, divide: 1 });
    case DuckDBTypeId.UBIGINT:
      return int64 === 'bigint'
        ? bigintPlan('uint64')
        : int64Plan('uint64', ctx, { unsigned: true, divide: 1 });
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return int64Plan('timestamp', ctx, { unsigned: false, divide: 1000 });
    case DuckDBTypeId.TIME:
      return int64Plan('time', ctx, { unsigned: false, divide: 1000 });
    case DuckDBTypeId.VARCHAR:
      return stringPlan;
    default:
      return valuePlan;
  }
}

/**
 * For `int64: 'number'` reads: the integer type of a DuckDB source column whose conversion to
 * float64 is pushed into the query as `CAST(... AS DOUBLE)` (DuckDB runs it inside its parallel
 * scan; the JS side then copies the vector in one `Float64Array.set` and checks exactness).
 */
export function int64AsDouble(duckType: string): 'int64' | 'uint64' | undefined {
  const t = duckType.toUpperCase();
  if (t === 'BIGINT' || t === 'INT8' || t === 'LONG' || t === 'INT64') return 'int64';
  if (t === 'UBIGINT' || t === 'UINT64') return 'uint64';
  return undefined;
}

/** One batch's worth of decoded columns, as {@link decodeStream} hands them out. */
export interface DecodedBatch {
  readonly numRows: number;
  readonly columns: Column[];
}

/**
 * Drains a streaming DuckDB result into batches of `batchRows` rows (the first one holds
 * `firstRows`, so that a reader starting mid-file can keep batches on the file's global
 * `batchRows` grid). `rowBase` is the 0-based row of the result's first row, for error
 * messages. The next chunk is requested before the current one is decoded. Errors from DuckDB
 * go through `fail`; returning early waits for the outstanding fetch.
 */
export async function* decodeStream(
  result: DuckDBResult,
  sinks: readonly ColumnSink[],
  opts: {
    readonly batchRows: number;
    readonly firstRows?: number;
    readonly rowBase?: number;
    readonly fail: (e: unknown) => Promise<unknown>;
  },
): AsyncGenerator<DecodedBatch> {
  const { batchRows, fail } = opts;
  let target = Math.min(batchRows, Math.max(1, opts.firstRows ?? batchRows));
  let filled = 0;
  let rowBase = opts.rowBase ?? 0;
  const flush = (): DecodedBatch => {
    const out = { numRows: filled, columns: sinks.map((s) => s.finish(filled)) };
    rowBase += filled;
    filled = 0;
    target = batchRows;
    return out;
  };
  let pending: Promise<DuckDBDataChunk | null> | undefined = result.fetchChunk();
  try {
    for (;;) {
      let chunk: DuckDBDataChunk | null;
      try {
        chunk = await pending;
      } catch (e) {
        pending = undefined;
        throw await fail(e);
      }
      const rows = chunk?.rowCount ?? 0;
      if (!chunk || rows === 0) {
        pending = undefined;
        break;
      }
      pending = result.fetchChunk();
      let from = 0;
      while (from < rows) {
        const count = Math.min(rows - from, target - filled);
        for (let c = 0; c < sinks.length; c++) {
          (sinks[c] as ColumnSink).append(chunk.chunk, c, from, count, filled, rowBase + filled);
        }
        filled += count;
        from += count;
        if (filled === target) yield flush();
      }
    }
    if (filled > 0) yield flush();
  } finally {
    if (pending) await pending.catch(() => null);
  }
}
