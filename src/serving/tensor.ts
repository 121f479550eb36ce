import { MortarError } from '../core/errors.js';

/** KServe V2 tensor data types Mortar serves (BYTES is not supported yet). */
export const DATATYPES = [
  'BOOL',
  'UINT8',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'UINT16',
  'UINT32',
  'FP32',
  'FP64',
] as const;

/** A KServe V2 tensor data type. */
export type Datatype = (typeof DATATYPES)[number];

/** The typed array that holds each data type. */
export type TensorArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint16Array
  | Uint32Array
  | Float32Array
  | Float64Array;

/** A dense row-major tensor: a data type, a shape and a typed array of `product(shape)` values. */
export interface Tensor {
  readonly datatype: Datatype;
  readonly shape: readonly number[];
  readonly data: TensorArray;
}

/** Named tensors: a model's inputs or outputs. */
export type TensorMap = Readonly<Record<string, Tensor>>;

type ArrayCtor = {
  new (n: number): TensorArray;
  new (buf: ArrayBufferLike, offset: number, length: number): TensorArray;
  readonly BYTES_PER_ELEMENT: number;
};

const CTORS: Readonly<Record<Datatype, ArrayCtor>> = {
  BOOL: Uint8Array,
  UINT8: Uint8Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  INT64: BigInt64Array as unknown as ArrayCtor,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
  FP32: Float32Array,
  FP64: Float64Array,
};

/** True when `s` is a data type Mortar serves. */
export function isDatatype(s: string): s is Datatype {
  return (DATATYPES as readonly string[]).includes(s);
}

/** Bytes per element of `dt`. */
export function bytesPerElement(dt: Datatype): number {
  return CTORS[dt].BYTES_PER_ELEMENT;
}

/** A zero-filled typed array of `n` elements of `dt`. */
export function allocate(dt: Datatype, n: number): TensorArray {
  return new CTORS[dt](n);
}

/** A typed-array view of `dt` over `byteLength` bytes of `buf` at `offset` (copies when unaligned). */
export function viewOf(
  dt: Datatype,
  buf: ArrayBufferLike,
  offset: number,
  byteLength: number,
): TensorArray {
  const C = CTORS[dt];
  const n = byteLength / C.BYTES_PER_ELEMENT;
  if (offset % C.BYTES_PER_ELEMENT === 0) return new C(buf, offset, n);
  const copy = new Uint8Array(byteLength);
  copy.set(new Uint8Array(buf, offset, byteLength));
  return new C(copy.buffer, 0, n);
}

/** The number of elements of a tensor of `shape`. */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Builds a tensor, checking that the data length matches the shape. */
export function tensor(datatype: Datatype, shape: readonly number[], data: TensorArray): Tensor {
  const n = elementCount(shape);
  if (data.length !== n) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `tensor of shape [${shape.join(', ')}] needs ${n} values, got ${data.length}`,
      { details: { shape, values: data.length } },
    );
  }
  return { datatype, shape: [...shape], data };
}

/**
 * Concatenates tensors of one data type along axis 0 (the batch axis). Every tensor must have
 * the same trailing dimensions. With one tensor, returns it unchanged.
 */
export function concatBatch(parts: readonly Tensor[]): Tensor {
  const first = parts[0];
  if (!first) throw new MortarError('INTERNAL', 'concatBatch: no tensors');
  if (parts.length === 1) return first;
  let rows = 0;
  let total = 0;
  for (const p of parts) {
    rows += p.shape[0] ?? 1;
    total += p.data.length;
  }
  const out = allocate(first.datatype, total);
  let at = 0;
  for (const p of parts) {
    (out as Float32Array).set(p.data as Float32Array, at);
    at += p.data.length;
  }
  return { datatype: first.datatype, shape: [rows, ...first.shape.slice(1)], data: out };
}

/**
 * Splits a tensor along axis 0 into consecutive pieces of `rows[i]` rows each. The pieces are
 * views (`subarray`) of the input, not copies.
 */
export function splitBatch(t: Tensor, rows: readonly number[]): Tensor[] {
  const per = elementCount(t.shape.slice(1));
  const out: Tensor[] = [];
  let at = 0;
  for (const r of rows) {
    out.push({
      datatype: t.datatype,
      shape: [r, ...t.shape.slice(1)],
      data: t.data.subarray(at * per, (at + r) * per) as TensorArray,
    });
    at += r;
  }
  return out;
}

/** Converts JSON numbers (or booleans) into a typed array of `dt`, checking each value. */
export function fromNumbers(dt: Datatype, values: readonly unknown[], where: string): TensorArray {
  const out = allocate(dt, values.length);
  if (dt === 'INT64') {
    const o = out as BigInt64Array;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isInteger(v)) throw badValue(where, i, v, 'an integer');
      o[i] = BigInt(v);
    }
    return out;
  }
  const o = out as Float64Array;
  const integral = dt !== 'FP32' && dt !== 'FP64';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number') {
      if (integral && !Number.isInteger(v)) throw badValue(where, i, v, `an integer (${dt})`);
      o[i] = v;
    } else if (typeof v === 'boolean' && dt === 'BOOL') {
      o[i] = v ? 1 : 0;
    } else {
      throw badValue(where, i, v, dt === 'BOOL' ? 'a boolean' : 'a number');
    }
  }
  return out;
}

function badValue(where: string, i: number, v: unknown, want: string): MortarError {
  return new MortarError(
    'INVALID_ARGUMENT',
    `${where}: value ${i} is ${JSON.stringify(v) ?? String(v)}, expected ${want}`,
    { details: { field: where, index: i } },
  );
}

/** The values of a tensor as JSON-safe numbers (INT64 beyond 2^53 loses precision). */
export function toNumbers(t: Tensor): number[] | boolean[] {
  if (t.datatype === 'BOOL') return Array.from(t.data as Uint8Array, (v) => v !== 0);
  if (t.datatype === 'INT64') return Array.from(t.data as BigInt64Array, (v) => Number(v));
  return Array.from(t.data as Float32Array);
}
