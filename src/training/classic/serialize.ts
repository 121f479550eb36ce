import { MortarError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import type { ClassicModelJson } from './types.js';

/** A typed array encoded for JSON: dtype, length and little-endian bytes in base64. */
export interface EncodedArray {
  readonly dtype: 'f64' | 'f32' | 'i32';
  readonly length: number;
  readonly b64: string;
}

/** Encodes a typed array exactly (bit for bit) into a JSON-safe object. */
export function encodeArray(a: Float64Array | Float32Array | Int32Array): JsonObject {
  const dtype = a instanceof Float64Array ? 'f64' : a instanceof Float32Array ? 'f32' : 'i32';
  const b64 = Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  return { dtype, length: a.length, b64 };
}

const BYTES = { f64: 8, f32: 4, i32: 4 } as const;

function decode(v: unknown, where: string, dtype: EncodedArray['dtype']): ArrayBuffer {
  const e = v as Partial<EncodedArray> | null;
  if (
    e === null ||
    typeof e !== 'object' ||
    e.dtype !== dtype ||
    typeof e.b64 !== 'string' ||
    typeof e.length !== 'number'
  ) {
    throw corrupt(`${where}: expected an encoded ${dtype} array`);
  }
  const buf = Buffer.from(e.b64, 'base64');
  if (buf.length !== e.length * BYTES[dtype]) {
    throw corrupt(`${where}: ${buf.length} bytes for ${e.length} ${dtype} values`);
  }
  const out = new ArrayBuffer(buf.length);
  new Uint8Array(out).set(buf);
  return out;
}

/** Decodes {@link encodeArray}'s float64 output; DATA_INVALID naming `where` if corrupt. */
export function decodeF64(v: unknown, where: string, length?: number): Float64Array {
  const a = new Float64Array(decode(v, where, 'f64'));
  checkLength(a.length, where, length);
  return a;
}

/** Decodes {@link encodeArray}'s int32 output; DATA_INVALID naming `where` if corrupt. */
export function decodeI32(v: unknown, where: string, length?: number): Int32Array {
  const a = new Int32Array(decode(v, where, 'i32'));
  checkLength(a.length, where, length);
  return a;
}

function checkLength(got: number, where: string, want: number | undefined): void {
  if (want !== undefined && got !== want) {
    throw corrupt(`${where}: ${got} values, expected ${want}`);
  }
}

/** A DATA_INVALID error for a corrupt model document. */
export function corrupt(message: string): MortarError {
  return new MortarError(
    'DATA_INVALID',
    `corrupt classic model: ${message} (retrain, or restore the model document from the store)`,
  );
}

/** Checks the envelope of a serialized model and returns its config and state objects. */
export function openModelJson(json: unknown, kind: string): { config: unknown; state: JsonObject } {
  const j = json as Partial<ClassicModelJson> | null;
  if (j === null || typeof j !== 'object' || j.format !== 'mortar.classic') {
    throw corrupt(`not a mortar.classic document`);
  }
  if (j.version !== 1) throw corrupt(`unsupported version ${String(j.version)}`);
  if (j.kind !== kind) throw corrupt(`kind is "${String(j.kind)}", expected "${kind}"`);
  if (j.state === null || typeof j.state !== 'object') throw corrupt('missing state');
  return { config: j.config, state: j.state };
}

/** Builds the serialized envelope. */
export function modelJson(kind: string, config: JsonObject, state: JsonObject): ClassicModelJson {
  return { format: 'mortar.classic', version: 1, kind, config, state };
}

/** Reads a finite number field of a state object. */
export function stateNumber(state: JsonObject, key: string): number {
  const v = state[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw corrupt(`state.${key} is not a number`);
  return v;
}
