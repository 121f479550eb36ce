/**
 * Percentile pruning (Optuna's PercentilePruner): prune when the trial's best intermediate value
 * so far is worse than the given percentile of complete trials' values at the same step.
 */
import { MortarError } from '../../core/errors.js';
import { intermediateAt, lastIntermediate, type FrozenTrial, type StudyView } from '../trial.js';
import type { Pruner } from './pruner.js';

/** Options of {@link PercentilePruner}. */
export interface PercentilePrunerOptions {
  /** Percentile in [0, 100]; 25 keeps the top quarter (by direction). */
  readonly percentile: number;
  /** No pruning until this many trials are complete (default 5). */
  readonly nStartupTrials?: number;
  /** No pruning before this step (default 0). */
  readonly nWarmupSteps?: number;
  /** Prune only on steps `nWarmupSteps + k * intervalSteps` (default 1). */
  readonly intervalSteps?: number;
  /** Need at least this many complete trials with a value at the step (default 1). */
  readonly nMinTrials?: number;
}

/** `q`-th percentile (0-100) of `xs` with linear interpolation (numpy's default). */
export function percentileOf(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (q / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

/** True if `step` is the first report at or after a pruning step (Optuna's interval rule). */
export function isFirstInInterval(
  trial: FrozenTrial,
  step: number,
  warmup: number,
  interval: number,
): boolean {
  const nearest = Math.floor((step - warmup) / interval) * interval + warmup;
  const xs = trial.intermediate;
  const secondLast = xs.length >= 2 ? (xs[xs.length - 2]?.step as number) : -1;
  return secondLast < nearest;
}

function checkInt(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min)
    throw new MortarError('INVALID_ARGUMENT', `${name} must be an integer >= ${min}, got ${v}`);
}

/**
 * The percentile pruner.
 * @example new PercentilePruner({ percentile: 25, nWarmupSteps: 5 })
 */
export class PercentilePruner implements Pruner {
  readonly kind: string = 'percentile';
  protected readonly percentile: number;
  private readonly nStartup: number;
  private readonly warmup: number;
  private readonly interval: number;
  private readonly nMin: number;

  constructor(opts: PercentilePrunerOptions) {
    this.percentile = opts.percentile;
    if (!(opts.percentile >= 0 && opts.percentile <= 100)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `percentile must be in [0, 100], got ${opts.percentile}`,
      );
    }
    this.nStartup = opts.nStartupTrials ?? 5;
    this.warmup = opts.nWarmupSteps ?? 0;
    this.interval = opts.intervalSteps ?? 1;
    this.nMin = opts.nMinTrials ?? 1;
    checkInt('nStartupTrials', this.nStartup, 0);
    checkInt('nWarmupSteps', this.warmup, 0);
    checkInt('intervalSteps', this.interval, 1);
    checkInt('nMinTrials', this.nMin, 1);
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    if (study.directions.length !== 1) {
      throw new MortarError(
        'FAILED_PRECONDITION',
        `${this.kind} pruner needs a single-objective study`,
      );
    }
    const complete = study.trials(['complete']);
    if (complete.length === 0 || complete.length < this.nStartup) return false;
    const last = lastIntermediate(trial);
    if (!last || last.step < this.warmup) return false;
    if (!isFirstInInterval(trial, last.step, this.warmup, this.interval)) return false;
    const maximize = study.directions[0] === 'maximize';
    let best = maximize ? -Infinity : Infinity;
    for (const r of trial.intermediate)
      best = maximize ? Math.max(best, r.value) : Math.min(best, r.value);
    const others: number[] = [];
    for (const t of complete) {
      const v = intermediateAt(t, last.step);
      if (v !== undefined) others.push(v);
    }
    if (others.length < this.nMin) return false;
    const p = percentileOf(others, maximize ? 100 - this.percentile : this.percentile);
    return maximize ? best < p : best > p;
  }

  toConfig(): Record<string, number> {
    return {
      percentile: this.percentile,
      nStartupTrials: this.nStartup,
      nWarmupSteps: this.warmup,
      intervalSteps: this.interval,
      nMinTrials: this.nMin,
    };
  }
}
