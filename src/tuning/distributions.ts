/**
 * Parameter distributions: plain, JSON-safe, immutable values (so they can be journaled and sent
 * over HTTP as they are), with the functions every sampler needs.
 *
 * Three representations of a parameter value:
 * - **external**: what the objective sees (`0.003`, `64`, `'adam'`);
 * - **internal**: a number (floats and ints as they are, categoricals as the choice index);
 * - **unit**: a number in [0, 1] that maps every value of the distribution to an equal-width
 *   cell (log-scaled where `log` is set). Samplers that work in a cube (random, Sobol, CMA-ES)
 *   draw `u` and call {@link fromUnit}.
 */
import { MortarError } from '../core/errors.js';

/** A value a categorical parameter may take. */
export type CategoricalChoice = string | number | boolean | null;
/** The external value of any parameter. */
export type ParamValue = number | CategoricalChoice;

/** A float in [low, high], uniform or log-uniform, optionally on a grid of `step`. */
export interface FloatDistribution {
  readonly type: 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  /** Grid spacing from `low`; `undefined` for a continuous range. Exclusive with `log`. */
  readonly step?: number;
}

/** An integer in [low, high] on a grid of `step` (1 when `log`). */
export interface IntDistribution {
  readonly type: 'int';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;
}

/** One of a fixed list of choices. */
export interface CategoricalDistribution {
  readonly type: 'categorical';
  readonly choices: readonly CategoricalChoice[];
}

/** Any parameter distribution. */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

/** Options of {@link floatDistribution} and {@link intDistribution}. */
export interface NumericOptions {
  readonly log?: boolean;
  readonly step?: number;
}

const EPS = 1e-9;

function invalid(name: string, msg: string, details: Record<string, unknown> = {}): MortarError {
  return new MortarError('INVALID_ARGUMENT', `parameter "${name}": ${msg}`, {
    details: { param: name, ...details },
  });
}

function checkBounds(name: string, low: number, high: number, log: boolean): void {
  if (
    typeof low !== 'number' ||
    !Number.isFinite(low) ||
    typeof high !== 'number' ||
    !Number.isFinite(high)
  ) {
    throw invalid(name, `low and high must be finite numbers, got low=${low}, high=${high}`, {
      low,
      high,
    });
  }
  if (low > high) {
    throw invalid(name, `low (${low}) must be <= high (${high}); swap them`, { low, high });
  }
  if (log && low <= 0) {
    throw invalid(
      name,
      `a log-scaled range needs low > 0, got low=${low}; use a positive low or log: false`,
      {
        low,
      },
    );
  }
}

function checkGrid(name: string, low: number, high: number, step: number): void {
  const n = (high - low) / step;
  if (Math.abs(n - Math.round(n)) > 1e-8 * Math.max(1, Math.abs(n))) {
    const fixed = low + Math.floor(n + 1e-9) * step;
    throw invalid(
      name,
      `the range high - low = ${high - low} is not a multiple of step ${step}; use high = ${fixed}`,
      { low, high, step },
    );
  }
}

/**
 * A validated float distribution.
 * @example floatDistribution('lr', 1e-5, 1e-1, { log: true })
 */
export function floatDistribution(
  name: string,
  low: number,
  high: number,
  opts: NumericOptions = {},
): FloatDistribution {
  const log = opts.log ?? false;
  checkBounds(name, low, high, log);
  if (opts.step === undefined) return Object.freeze({ type: 'float', low, high, log });
  const step = opts.step;
  if (log) throw invalid(name, 'step and log cannot both be set on a float; drop one of them');
  if (typeof step !== 'number' || !(step > 0) || !Number.isFinite(step)) {
    throw invalid(name, `step must be a positive finite number, got ${step}`, { step });
  }
  checkGrid(name, low, high, step);
  return Object.freeze({ type: 'float', low, high, log, step });
}

/**
 * A validated int distribution.
 * @example intDistribution('units', 16, 512, { log: true })
 */
export function intDistribution(
  name: string,
  low: number,
  high: number,
  opts: NumericOptions = {},
): IntDistribution {
  const log = opts.log ?? false;
  const step = opts.step ?? 1;
  checkBounds(name, low, high, log);
  if (!Number.isInteger(low) || !Number.isInteger(high)) {
    throw invalid(name, `an int range needs integer bounds, got low=${low}, high=${high}`, {
      low,
      high,
    });
  }
  if (!Number.isInteger(step) || step < 1)
    throw invalid(name, `step must be a positive integer, got ${step}`);
  if (log && step !== 1)
    throw invalid(name, `a log-scaled int needs step 1, got step=${step}; drop step or log`);
  checkGrid(name, low, high, step);
  return Object.freeze({ type: 'int', low, high, log, step });
}

/**
 * A validated categorical distribution (non-empty, no duplicate choices).
 * @example categoricalDistribution('opt', ['adam', 'sgd'])
 */
export function categoricalDistribution(
  name: string,
  choices: readonly CategoricalChoice[],
): CategoricalDistribution {
  if (!Array.isArray(choices) || choices.length === 0) {
    throw invalid(name, 'a categorical parameter needs at least one choice');
  }
  const seen = new Set<CategoricalChoice>();
  for (const c of choices) {
    const ok =
      c === null ||
      typeof c === 'string' ||
      typeof c === 'boolean' ||
      (typeof c === 'number' && Number.isFinite(c));
    if (!ok)
      throw invalid(
        name,
        `choices must be strings, finite numbers, booleans or null, got ${String(c)}`,
      );
    if (seen.has(c)) throw invalid(name, `duplicate choice ${JSON.stringify(c)}`);
    seen.add(c);
  }
  return Object.freeze({ type: 'categorical', choices: Object.freeze([...choices]) });
}

/**
 * Validates any distribution-shaped value (e.g. read from a journal or a request) and returns a
 * frozen copy.
 */
export function validateDistribution(name: string, d: Distribution): Distribution {
  switch (d?.type) {
    case 'float':
      return floatDistribution(
        name,
        d.low,
        d.high,
        d.step === undefined ? { log: d.log } : { log: d.log, step: d.step },
      );
    case 'int':
      return intDistribution(name, d.low, d.high, { log: d.log, step: d.step });
    case 'categorical':
      return categoricalDistribution(name, d.choices);
    default:
      throw invalid(
        name,
        `unknown distribution type ${JSON.stringify((d as { type?: unknown })?.type)}`,
      );
  }
}

/** True if `d` can take exactly one value. */
export function isSingle(d: Distribution): boolean {
  return d.type === 'categorical' ? d.choices.length === 1 : d.low === d.high;
}

/** True if `a` and `b` are the same distribution. */
export function distributionsEqual(a: Distribution, b: Distribution): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'categorical') {
    const bc = (b as CategoricalDistribution).choices;
    return a.choices.length === bc.length && a.choices.every((c, i) => Object.is(c, bc[i]));
  }
  const bn = b as FloatDistribution | IntDistribution;
  return a.low === bn.low && a.high === bn.high && a.log === bn.log && a.step === bn.step;
}

/**
 * True if trials may use `a` and `b` for the same parameter name: same type, and for
 * categoricals the same choices (ranges may change between trials, as in Optuna).
 */
export function distributionsCompatible(a: Distribution, b: Distribution): boolean {
  if (a.type !== b.type) return false;
  return a.type === 'categorical' ? distributionsEqual(a, b) : true;
}

/** The number of grid values of an int or stepped float, or `Infinity`. */
export function gridSize(d: Distribution): number {
  if (d.type === 'categorical') return d.choices.length;
  if (d.type === 'float' && d.step === undefined) return d.low === d.high ? 1 : Infinity;
  const step = d.step ?? 1;
  return Math.round((d.high - d.low) / step) + 1;
}

/** True if the external `value` is a value `d` can produce. */
export function contains(d: Distribution, value: unknown): boolean {
  if (d.type === 'categorical') return d.choices.some((c) => Object.is(c, value) || c === value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (value < d.low || value > d.high) return false;
  if (d.type === 'int') {
    if (!Number.isInteger(value)) return false;
    return (value - d.low) % d.step === 0;
  }
  if (d.step === undefined) return true;
  const k = (value - d.low) / d.step;
  return Math.abs(k - Math.round(k)) < 1e-8 * Math.max(1, Math.abs(k));
}

/** The internal (numeric) representation of an external value; categoricals give their index. */
export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.type !== 'categorical') return value as number;
  const i = d.choices.findIndex((c) => Object.is(c, value) || c === value);
  if (i < 0)
    throw new MortarError('INVALID_ARGUMENT', `${JSON.stringify(value)} is not one of the choices`);
  return i;
}

/** The external value of an internal representation (snapped to the grid and clipped). */
export function toExternal(d: Distribution, internal: number): ParamValue {
  if (d.type === 'categorical') {
    const i = Math.min(d.choices.length - 1, Math.max(0, Math.round(internal)));
    return d.choices[i] as CategoricalChoice;
  }
  return snap(d, internal);
}

/** Rounds `x` to the nearest value of a numeric distribution (grid and bounds). */
export function snap(d: FloatDistribution | IntDistribution, x: number): number {
  let v = Math.min(d.high, Math.max(d.low, x));
  const step = d.type === 'int' ? d.step : d.step;
  if (step !== undefined) {
    const k = Math.round((v - d.low) / step);
    v = Math.min(d.high, d.low + k * step);
    if (d.type === 'float') v = roundToStepDecimals(v, step, d.low);
  }
  return v;
}

/** Removes float noise like 0.30000000000000004 from grid values. */
function roundToStepDecimals(v: number, step: number, low: number): number {
  const decimals = Math.max(decimalsOf(step), decimalsOf(low));
  return decimals > 0 && decimals < 16 ? Number(v.toFixed(decimals)) : v;
}

function decimalsOf(x: number): number {
  const s = String(x);
  if (s.includes('e')) return 16;
  return (s.split('.')[1] ?? '').length;
}

/**
 * Maps an external value to [0, 1]. Discrete values map to the centre of their cell, so
 * `fromUnit(toUnit(v)) === v` and a uniform `u` gives every grid value equal mass.
 */
export function toUnit(d: Distribution, value: ParamValue): number {
  if (d.type === 'categorical') return (toInternal(d, value) + 0.5) / d.choices.length;
  const x = value as number;
  if (d.low === d.high) return 0.5;
  const [lo, hi] = paddedBounds(d);
  if (d.log) return (Math.log(x) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
  return (x - lo) / (hi - lo);
}

/** Maps `u` in [0, 1] (clipped) to an external value of `d`. */
export function fromUnit(d: Distribution, u: number): ParamValue {
  const t = Math.min(1, Math.max(0, u));
  if (d.type === 'categorical') {
    return d.choices[
      Math.min(d.choices.length - 1, Math.floor(t * d.choices.length))
    ] as CategoricalChoice;
  }
  if (d.low === d.high) return d.low;
  const [lo, hi] = paddedBounds(d);
  const x = d.log ? Math.exp(Math.log(lo) + t * (Math.log(hi) - Math.log(lo))) : lo + t * (hi - lo);
  return snap(d, x);
}

/**
 * The continuous range that discretizes into `d`'s grid: [low - step/2, high + step/2] for ints
 * and stepped floats (Optuna's convention), [low, high] otherwise. Log ints stay positive.
 */
export function paddedBounds(d: FloatDistribution | IntDistribution): [number, number] {
  const step = d.type === 'int' ? d.step : d.step;
  if (step === undefined) return [d.low, d.high];
  if (d.log) return [Math.max(d.low - 0.5 * step, d.low * 0.5, EPS), d.high + 0.5 * step];
  return [d.low - 0.5 * step, d.high + 0.5 * step];
}
