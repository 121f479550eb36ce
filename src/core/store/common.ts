/**
 * Validation, encoding and error helpers shared by every backend, so that all of them accept and
 * refuse exactly the same inputs and word their errors the same way.
 */
import { MortarError } from '../errors.js';
import type { JsonValue } from '../json.js';
import type { AppendOptions, DocWriteOptions, ListDocsOptions, ReadOptions } from './types.js';

/** Longest stream, collection or key name, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 1024;

const LONE_SURROGATE = /\p{Cs}/u;

/** Throws INVALID_ARGUMENT unless `name` is a usable stream/collection/key name. */
export function checkName(what: 'stream' | 'collection' | 'key' | 'prefix', name: unknown): string {
  const emptyOk = what === 'prefix';
  if (typeof name !== 'string' || (!emptyOk && name.length === 0)) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${what} must be a non-empty string, got ${show(name)}`,
      {
        details: { [what]: show(name) },
      },
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${what} is ${name.length} characters long; the limit is ${MAX_NAME_LENGTH}`,
      {
        details: { [what]: `${name.slice(0, 40)}...` },
      },
    );
  }
  if (name.includes('\0') || LONE_SURROGATE.test(name)) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${what} ${JSON.stringify(name)} contains NUL or a lone surrogate`,
      {
        details: { [what]: name },
      },
    );
  }
  return name;
}

/**
 * Encodes a value as JSON text, refusing anything JSON would silently change or drop:
 * `undefined`, non-finite numbers, bigints, functions, symbols, non-plain objects, cycles.
 */
export function encodeJson(value: unknown, where: string): string {
  checkJson(value, where, new Set());
  return JSON.stringify(value);
}

/** Parses JSON text written by {@link encodeJson}. */
export function decodeJson(text: string): JsonValue {
  return JSON.parse(text) as JsonValue;
}

function checkJson(v: unknown, path: string, seen: Set<object>): void {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(v)) notJson(path, `${v} (JSON has no NaN or Infinity)`);
      return;
    case 'object': {
      if (v === null) return;
      if (seen.has(v)) notJson(path, 'a cycle');
      if (Array.isArray(v)) {
        seen.add(v);
        for (let i = 0; i < v.length; i++) checkJson(v[i], `${path}[${i}]`, seen);
        seen.delete(v);
        return;
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        notJson(
          path,
          `an instance of ${(v as object).constructor?.name ?? 'a class'} (use plain objects)`,
        );
      }
      seen.add(v);
      for (const [k, x] of Object.entries(v)) checkJson(x, `${path}.${k}`, seen);
      seen.delete(v);
      return;
    }
    default:
      notJson(path, typeof v);
  }
}

function notJson(path: string, got: string): never {
  throw new MortarError('INVALID_ARGUMENT', `${path} is not JSON-safe: got ${got}`, {
    details: { path },
  });
}

/** Checks `opts.expectedLastSeq` / `expectedVersion`: an integer >= 0 when given. */
export function checkExpected(
  opts: AppendOptions | DocWriteOptions | undefined,
  field: 'expectedLastSeq' | 'expectedVersion',
): number | undefined {
  const v = (opts as Record<string, unknown> | undefined)?.[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new MortarError('INVALID_ARGUMENT', `${field} must be an integer >= 0, got ${show(v)}`);
  }
  return v;
}

/** Resolved {@link ReadOptions}. */
export function readOptions(opts: ReadOptions | undefined): {
  afterSeq: number;
  limit: number | undefined;
} {
  const afterSeq = opts?.afterSeq ?? 0;
  if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `afterSeq must be an integer >= 0, got ${show(afterSeq)}`,
    );
  }
  return { afterSeq, limit: checkLimit(opts?.limit) };
}

/** Resolved {@link ListDocsOptions}. */
export function listOptions(opts: ListDocsOptions | undefined): {
  prefix: string;
  limit: number | undefined;
  order: 'asc' | 'desc';
  after: string | undefined;
} {
  const order = opts?.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') {
    throw new MortarError('INVALID_ARGUMENT', `order must be 'asc' or 'desc', got ${show(order)}`);
  }
  const after = opts?.after === undefined ? undefined : checkName('key', opts.after);
  return {
    prefix: checkName('prefix', opts?.prefix ?? ''),
    limit: checkLimit(opts?.limit),
    order,
    after,
  };
}

function checkLimit(limit: unknown): number | undefined {
  if (limit === undefined) return undefined;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `limit must be a positive integer, got ${show(limit)}`,
    );
  }
  return limit;
}

/**
 * The smallest string greater than every string that starts with `prefix`, in code point order,
 * or `undefined` when there is none (empty prefix or all U+10FFFF). Lets backends turn a prefix
 * match into an index range `[prefix, upper)`.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const cps = [...prefix].map((c) => c.codePointAt(0) as number);
  while (cps.length > 0) {
    const last = cps.pop() as number;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return String.fromCodePoint(...cps, next);
    }
  }
  return undefined;
}

/** Compares strings by code point (UTF-8 byte order), as SQLite BINARY and PostgreSQL "C" do. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+10000 and up) sort after everything in the BMP, U+E000..U+FFFF included.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** The CONFLICT thrown when a stream's last seq is not the expected one. */
export function seqConflict(stream: string, expected: number, actual: number): MortarError {
  return new MortarError(
    'CONFLICT',
    `stream ${JSON.stringify(stream)}: expected last seq ${expected}, found ${actual}; re-read the stream and retry`,
    { details: { stream, expectedLastSeq: expected, lastSeq: actual } },
  );
}

/** The CONFLICT thrown when a doc's version is not the expected one (`actual` 0 = absent). */
export function versionConflict(
  collection: string,
  key: string,
  expected: number,
  actual: number,
): MortarError {
  const want = expected === 0 ? 'expected it not to exist' : `expected version ${expected}`;
  const got = actual === 0 ? 'it does not exist' : `found version ${actual}`;
  return new MortarError(
    'CONFLICT',
    `doc ${collection}/${key}: ${want}, but ${got}; re-read it and retry`,
    {
      details: { collection, key, expectedVersion: expected, version: actual },
    },
  );
}

/** The error every method of a closed store rejects with. */
export function closedError(description: string): MortarError {
  return new MortarError(
    'FAILED_PRECONDITION',
    `store ${description} is closed; open it again with openStore()`,
  );
}

/** Wraps a backend failure as STORE_UNAVAILABLE, keeping MortarErrors as they are. */
export function backendError(e: unknown, description: string, op: string): MortarError {
  if (e instanceof MortarError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new MortarError('STORE_UNAVAILABLE', `store ${description}: ${op} failed: ${msg}`, {
    cause: e,
  });
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined)
    return String(v);
  return typeof v;
}
