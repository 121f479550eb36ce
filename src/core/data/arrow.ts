import { createReadStream } from 'node:fs';
import {
  Bool,
  DateMillisecond,
  Dictionary,
  Field as ArrowField,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Struct,
  type Data,
  RecordBatch as ArrowRecordBatch,
  RecordBatchReader,
  Schema as ArrowSchema,
  Table,
  TimestampMillisecond,
  Type,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type DataType as ArrowType,
  type Vector,
} from 'apache-arrow';
import { RecordBatch } from './batch.js';
import {
  BigIntColumn,
  BoolColumn,
  NumberColumn,
  StringColumn,
  ValueColumn,
  type Column,
} from './column.js';
import type { DataType, Field } from './types.js';

/** Maps an Arrow type to Mortar's logical type. */
function logicalType(t: ArrowType): DataType {
  switch (t.typeId) {
    case Type.Bool:
      return 'bool';
    case Type.Int: {
      const { bitWidth, isSigned } = t as unknown as { bitWidth: number; isSigned: boolean };
      return `${isSigned ? 'int' : 'uint'}${bitWidth}` as DataType;
    }
    case Type.Float:
      return (t as unknown as { precision: number }).precision === 2 ? 'float64' : 'float32';
    case Type.Decimal:
      return 'float64';
    case Type.Date:
      return 'date';
    case Type.Timestamp:
      return 'timestamp';
    case Type.Time:
      return 'time';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'string';
    case Type.Dictionary: {
      const vt = (t as unknown as { dictionary: ArrowType }).dictionary.typeId;
      return vt === Type.Utf8 || vt === Type.LargeUtf8 ? 'string' : 'other';
    }
    default:
      return 'other';
  }
}

function validityOf(v: Vector): Uint8Array | null {
  if (v.nullCount === 0) return null;
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v.isValid(i) ? 1 : 0;
  return out;
}

function toMillis(x: unknown): number {
  if (x instanceof Date) return x.getTime();
  return typeof x === 'bigint' ? Number(x) : Number(x);
}

function columnFromArrow(type: DataType, v: Vector, int64: 'number' | 'bigint'): Column {
  const valid = validityOf(v);
  const n = v.length;
  if (type === 'string') {
    const values: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) values[i] = (v.get(i) as string | null) ?? null;
    return StringColumn.from(values);
  }
  if (type === 'bool') {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = v.get(i) ? 1 : 0;
    return new BoolColumn(out, valid);
  }
  if (type === 'other') {
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const x = v.get(i) as unknown;
      out[i] =
        x !== null && typeof x === 'object' && 'toJSON' in x
          ? (x as { toJSON(): unknown }).toJSON()
          : (x ?? null);
    }
    return new ValueColumn(out);
  }
  if ((type === 'int64' || type === 'uint64') && int64 === 'bigint') {
    const out = type === 'int64' ? new BigInt64Array(n) : new BigUint64Array(n);
    for (let i = 0; i < n; i++) out[i] = BigInt((v.get(i) as bigint | null) ?? 0);
    return new BigIntColumn(type, out, valid);
  }
  const out = new Float64Array(n);
  const arr = v.toArray() as ArrayLike<unknown>;
  const direct =
    ArrayBuffer.isView(arr) && !(arr instanceof BigInt64Array) && !(arr instanceof BigUint64Array);
  if (
    direct &&
    (type.startsWith('int') || type.startsWith('uint') || type.startsWith('float')) &&
    arr.length === n
  ) {
    out.set(arr as unknown as ArrayLike<number>);
  } else {
    for (let i = 0; i < n; i++) {
      const x = v.get(i) as unknown;
      out[i] = x === null || x === undefined ? NaN : toMillis(x);
    }
  }
  if (valid) for (let i = 0; i < n; i++) if (valid[i] === 0) out[i] = NaN;
  return new NumberColumn(type, out, valid);
}

/** Mortar fields for an Arrow schema. */
export function schemaFromArrow(schema: ArrowSchema): Field[] {
  return schema.fields.map((f) => ({
    name: f.name,
    type: logicalType(f.type),
    nullable: f.nullable,
    sourceType: String(f.type),
  }));
}

/**
 * Converts an Arrow record batch or table to a Mortar {@link RecordBatch} (copying values into
 * Mortar's typed arrays). Decimals become float64; nested types become plain JS values.
 */
export function fromArrow(
  batch: ArrowRecordBatch | Table,
  opts: { int64?: 'number' | 'bigint' } = {},
): RecordBatch {
  const schema = schemaFromArrow(batch.schema);
  const columns = schema.map((f, i) =>
    columnFromArrow(f.type, batch.getChildAt(i) as Vector, opts.int64 ?? 'number'),
  );
  return new RecordBatch(schema, batch.numRows, columns);
}

function arrowTypeOf(t: DataType): ArrowType {
  switch (t) {
    case 'bool':
      return new Bool();
    case 'int8':
      return new Int8();
    case 'int16':
      return new Int16();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'uint8':
      return new Uint8();
    case 'uint16':
      return new Uint16();
    case 'uint32':
      return new Uint32();
    case 'uint64':
      return new Uint64();
    case 'float32':
      return new Float32();
    case 'date':
      return new DateMillisecond();
    case 'timestamp':
      return new TimestampMillisecond();
    case 'string':
    case 'other':
      return new Utf8();
    default:
      return new Float64();
  }
}

function nullBitmap(valid: Uint8Array | null, n: number): Uint8Array | undefined {
  if (!valid) return undefined;
  const bits = new Uint8Array(Math.ceil(n / 8));
  for (let i = 0; i < n; i++)
    if (valid[i]) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
  return bits;
}

function vectorOf(field: Field, c: Column): Vector {
  const n = c.length;
  switch (c.kind) {
    case 'string': {
      const dictionary = vectorFromArray([...c.dictionary], new Utf8());
      const type = new Dictionary(new Utf8(), new Int32());
      const nulls = c.nullCount;
      let bitmap: Uint8Array | undefined;
      if (nulls > 0) {
        const valid = new Uint8Array(n);
        for (let i = 0; i < n; i++) valid[i] = (c.codes[i] as number) < 0 ? 0 : 1;
        bitmap = nullBitmap(valid, n);
      }
      const codes = nulls > 0 ? c.codes.map((x) => (x < 0 ? 0 : x)) : c.codes;
      return makeVector(
        makeData({
          type,
          length: n,
          nullCount: nulls,
          nullBitmap: bitmap,
          data: codes,
          dictionary,
        }),
      );
    }
    case 'value':
      return vectorFromArray(
        c.values.map((v) => (v === null || v === undefined ? null : JSON.stringify(v))),
        new Utf8(),
      );
    case 'bool': {
      const bits = nullBitmap(c.values, n) ?? new Uint8Array(Math.ceil(n / 8));
      return makeVector(
        makeData({
          type: new Bool(),
          length: n,
          nullCount: c.nullCount,
          nullBitmap: nullBitmap(c.valid, n),
          data: bits,
        }),
      );
    }
    case 'bigint':
      return makeVector(
        makeData({
          type: c.type === 'int64' ? new Int64() : new Uint64(),
          length: n,
          nullCount: c.nullCount,
          nullBitmap: nullBitmap(c.valid, n),
          data: c.values,
        } as never),
      );
    case 'number': {
      const type = arrowTypeOf(field.type);
      let data: ArrayBufferView;
      switch (type.typeId) {
        case Type.Int:
        case Type.Date:
        case Type.Timestamp: {
          const Ctor = (
            type as unknown as {
              ArrayType: new (n: number) => ArrayBufferView & { [i: number]: number | bigint };
            }
          ).ArrayType;
          const out = new Ctor(n);
          const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
          for (let i = 0; i < n; i++) {
            const x = c.values[i] as number;
            const y = Number.isFinite(x) ? Math.round(x) : 0;
            out[i] = big ? BigInt(y) : y;
          }
          data = out;
          break;
        }
        case Type.Float:
          data = field.type === 'float32' ? Float32Array.from(c.values) : c.values;
          break;
        default:
          data = c.values;
      }
      return makeVector(
        makeData({
          type,
          length: n,
          nullCount: c.nullCount,
          nullBitmap: nullBitmap(c.valid, n),
          data,
        } as never),
      );
    }
  }
}

/**
 * Converts a Mortar batch to an Apache Arrow table (strings as `Dictionary<Utf8, Int32>`, dates and
 * timestamps as millisecond types, `other` values as JSON text).
 */
export function toArrow(batch: RecordBatch): Table {
  const vectors = batch.schema.map((f, i) => vectorOf(f, batch.columns[i] as Column));
  const fields = batch.schema.map(
    (f, i) => new ArrowField(f.name, (vectors[i] as Vector).type, f.nullable),
  );
  const schema = new ArrowSchema(fields);
  const children = vectors.map((v) => v.data[0] as Data);
  const data = makeData({
    type: new Struct(fields),
    length: batch.numRows,
    nullCount: 0,
    children,
  });
  return new Table(schema, new ArrowRecordBatch(schema, data));
}

/**
 * Streams the record batches of an Arrow IPC file or stream (`.arrow`, `.feather` v2, `.ipc`).
 */
export async function* readArrowBatches(
  path: string,
  opts: { int64?: 'number' | 'bigint' } = {},
): AsyncGenerator<RecordBatch> {
  const reader = await RecordBatchReader.from(createReadStream(path));
  for await (const b of reader) yield fromArrow(b, opts);
}
