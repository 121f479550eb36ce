/**
 * Outcome constraints written as text (`'latency_ms <= 20'`, `'accuracy >= 0.9'`): a trial whose
 * metrics violate one is infeasible and ranks after every feasible trial.
 */
import { MortarError } from '../core/errors.js';

/** A parsed constraint on one metric. */
export interface Constraint {
  readonly text: string;
  readonly metric: string;
  readonly op: '<=' | '>=';
  readonly bound: number;
}

const RE =
  /^\s*([A-Za-z_][A-Za-z0-9_.:/-]*)\s*(<=|>=|<|>|==|=)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/**
 * Parses `metric <= number` or `metric >= number`.
 * @example parseConstraint('latency_ms <= 20') // { metric: 'latency_ms', op: '<=', bound: 20 }
 */
export function parseConstraint(text: string): Constraint {
  const m = RE.exec(text);
  if (!m) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `constraint "${text}" is not of the form "metric <= number" or "metric >= number"`,
      { details: { constraint: text } },
    );
  }
  const [, metric, op, bound] = m as unknown as [string, string, string, string];
  if (op !== '<=' && op !== '>=') {
    throw new MortarError('INVALID_ARGUMENT', `constraint "${text}": use <= or >= (got ${op})`, {
      details: { constraint: text },
    });
  }
  return Object.freeze({ text, metric, op, bound: Number(bound) });
}

/**
 * Violation amounts (<= 0 satisfied) of `constraints` for `metrics`. Throws INVALID_ARGUMENT
 * naming the missing metric when one is absent.
 */
export function violations(
  constraints: readonly Constraint[],
  metrics: Readonly<Record<string, number>>,
  trialNumber: number,
): number[] {
  return constraints.map((c) => {
    const v = metrics[c.metric];
    if (v === undefined) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `trial ${trialNumber}: constraint "${c.text}" needs metric "${c.metric}"; pass it with tell(trial, values, { metrics: { ${c.metric}: ... } })`,
        { details: { trial: trialNumber, metric: c.metric } },
      );
    }
    return c.op === '<=' ? v - c.bound : c.bound - v;
  });
}
