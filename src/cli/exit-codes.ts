import type { ErrorCode } from '../core/errors.js';

/**
 * The one map from error code to process exit code. 1 is reserved for "the command ran and
 * found a problem" (e.g. `validate check` found anomalies); usage errors exit 2.
 */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 2,
  INVALID_CONFIG: 78, // EX_CONFIG
  DATA_INVALID: 65, // EX_DATAERR
  NOT_FOUND: 66, // EX_NOINPUT
  ALREADY_EXISTS: 73, // EX_CANTCREAT
  CONFLICT: 75, // EX_TEMPFAIL
  FAILED_PRECONDITION: 3,
  STORE_INCOMPATIBLE: 4,
  STORE_UNAVAILABLE: 69, // EX_UNAVAILABLE
  UNAUTHENTICATED: 77, // EX_NOPERM
  PAYLOAD_TOO_LARGE: 2,
  UNAVAILABLE: 69,
  RESOURCE_EXHAUSTED: 75,
  DEADLINE_EXCEEDED: 75,
  CANCELLED: 130,
  UNSUPPORTED: 64, // EX_USAGE
  DEPENDENCY_MISSING: 69,
  INTERNAL: 70, // EX_SOFTWARE
};
