/**
 * The one error root of Mortar. Every error a user can cause carries a stable string `code`,
 * a message that names the file/row/field/parameter at fault and how to fix it, optional
 * JSON-safe `details`, and the underlying `cause`.
 *
 * Codes are mapped to CLI exit codes in exactly one place (`src/cli/exit-codes.ts`) and to HTTP
 * statuses in exactly one place (`src/http/errors.ts`); both maps are `Record<ErrorCode, number>`
 * so adding a code without mapping it fails to compile.
 */

/** Every error code Mortar raises. */
export const ERROR_CODES = [
  /** A caller passed a bad option, flag, parameter or request body. */
  'INVALID_ARGUMENT',
  /** Configuration (file, env or flag) did not validate. */
  'INVALID_CONFIG',
  /** Input data is malformed: ragged CSV row, truncated Parquet, bad encoding, wrong type. */
  'DATA_INVALID',
  /** A named thing (file, study, model, record) does not exist. */
  'NOT_FOUND',
  /** A thing with that identity already exists. */
  'ALREADY_EXISTS',
  /** An optimistic-concurrency check failed (expected version/sequence differs). */
  'CONFLICT',
  /** The operation is not allowed in the current state (e.g. telling a finished trial). */
  'FAILED_PRECONDITION',
  /** The store was written by a newer Mortar, or is otherwise incompatible. */
  'STORE_INCOMPATIBLE',
  /** The store backend failed (I/O, connection). */
  'STORE_UNAVAILABLE',
  /** Missing or wrong credentials. */
  'UNAUTHENTICATED',
  /** A request body or input exceeded a configured cap. */
  'PAYLOAD_TOO_LARGE',
  /** Something is not ready or temporarily down (a model loading or failed to load); retry later. */
  'UNAVAILABLE',
  /** Too much work queued; retry later. */
  'RESOURCE_EXHAUSTED',
  /** A deadline passed. */
  'DEADLINE_EXCEEDED',
  /** The operation was cancelled (signal, Ctrl-C). */
  'CANCELLED',
  /** A feature or format is not supported (yet). */
  'UNSUPPORTED',
  /** An optional dependency or external tool is missing. */
  'DEPENDENCY_MISSING',
  /** A bug in Mortar. */
  'INTERNAL',
] as const;

/** A Mortar error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** JSON-safe details attached to an error (file, row, column, field, expected, got, ...). */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/** Options for {@link MortarError}. */
export interface MortarErrorOptions {
  readonly details?: ErrorDetails;
  readonly cause?: unknown;
}

/**
 * The root of every error Mortar throws on purpose.
 *
 * @example
 * throw new MortarError('DATA_INVALID', `flights.csv, row 17: expected 6 fields, found 5`, {
 *   details: { file: 'flights.csv', row: 17 },
 * });
 */
export class MortarError extends Error {
  override readonly name = 'MortarError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: MortarErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  /** A JSON-safe body: `{ error: { code, message, details } }`. */
  toJSON(): { error: { code: ErrorCode; message: string; details: ErrorDetails } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** True when `e` is a {@link MortarError} (optionally with the given code). */
export function isMortarError(e: unknown, code?: ErrorCode): e is MortarError {
  return e instanceof MortarError && (code === undefined || e.code === code);
}

/** Wraps any thrown value into a MortarError, keeping MortarErrors as they are. */
export function toMortarError(e: unknown, fallback: ErrorCode = 'INTERNAL'): MortarError {
  if (e instanceof MortarError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new MortarError(fallback, message, { cause: e });
}
