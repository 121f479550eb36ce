/** How bad an anomaly is: `error` for schema violations, `warning` for drift and skew. */
export type Severity = 'error' | 'warning';

/**
 * One finding of a validation. `type` is the TFDV anomaly type name where one exists
 * (`SCHEMA_MISSING_COLUMN`, `ENUM_TYPE_UNEXPECTED_STRING_VALUES`, `COMPARATOR_L_INFTY_HIGH`, ...),
 * else a Mortar name in the same style (`COMPARATOR_KOLMOGOROV_SMIRNOV_HIGH`, ...).
 * `feature` is `"*"` for dataset-level anomalies.
 */
export interface Anomaly {
  readonly feature: string;
  readonly type: string;
  readonly severity: Severity;
  /** What was measured (a number, or a short text such as a type name). */
  readonly value: number | string | null;
  /** The bound it crossed. */
  readonly threshold: number | string | null;
  /** One line a person can act on. */
  readonly description: string;
}

/** Severity order for `--fail-on`: `never` fails on nothing. */
export type FailOn = Severity | 'never';

/** True when `anomalies` hold one at or above `failOn`. */
export function shouldFail(anomalies: readonly Anomaly[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return anomalies.some((a) => failOn === 'warning' || a.severity === 'error');
}

/** Rounds for display in descriptions. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}
