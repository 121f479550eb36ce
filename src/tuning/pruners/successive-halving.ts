/**
 * Asynchronous successive halving (ASHA, Li et al. 2020; Optuna's SuccessiveHalvingPruner).
 * Rung r is reached at step `minResource * eta^(minEarlyStoppingRate + r)`; a trial is promoted
 * past a rung if its value there is in the top `1/eta` of every trial that reached that rung so
 * far. A trial's value at a rung is its first report at or after the rung's step, derived from
 * intermediate values, so the pruner stays a pure function of the study.
 */
import { MortarError } from '../../core/errors.js';
import { lastIntermediate, type FrozenTrial, type StudyView } from '../trial.js';
import type { Pruner } from './pruner.js';

/** Options of {@link SuccessiveHalvingPruner}. */
export interface SuccessiveHalvingPrunerOptions {
  /** Steps before the first rung, or `'auto'`: the first complete trial's last step / 100 (default). */
  readonly minResource?: number | 'auto';
  /** eta (default 4). */
  readonly reductionFactor?: number;
  /** s (default 0). */
  readonly minEarlyStoppingRate?: number;
}

/** The value of `t` at the first report at or after `step`, or `undefined`. */
function valueFrom(t: FrozenTrial, step: number): number | undefined {
  for (const r of t.intermediate) if (r.step >= step) return r.value;
  return undefined;
}

/** Resolves `'auto'` min resource from the first complete trial; `undefined` while unknown. */
export function resolveMinResource(
  study: StudyView,
  minResource: number | 'auto',
): number | undefined {
  if (minResource !== 'auto') return minResource;
  const first = study.trials(['complete']).find((t) => t.intermediate.length > 0);
  const last = first ? lastIntermediate(first) : undefined;
  return last ? Math.max(Math.floor(last.step / 100), 1) : undefined;
}

/**
 * The asynchronous successive-halving pruner.
 * @example new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 })
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly kind = 'successive-halving';
  readonly minResource: number | 'auto';
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;

  constructor(opts: SuccessiveHalvingPrunerOptions = {}) {
    this.minResource = opts.minResource ?? 'auto';
    this.reductionFactor = opts.reductionFactor ?? 4;
    this.minEarlyStoppingRate = opts.minEarlyStoppingRate ?? 0;
    if (
      this.minResource !== 'auto' &&
      !(Number.isInteger(this.minResource) && this.minResource >= 1)
    ) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `minResource must be 'auto' or an integer >= 1, got ${this.minResource}`,
      );
    }
    if (!(Number.isInteger(this.reductionFactor) && this.reductionFactor >= 2)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `reductionFactor must be an integer >= 2, got ${this.reductionFactor}`,
      );
    }
    if (!(Number.isInteger(this.minEarlyStoppingRate) && this.minEarlyStoppingRate >= 0)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `minEarlyStoppingRate must be an integer >= 0, got ${this.minEarlyStoppingRate}`,
      );
    }
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    if (study.directions.length !== 1) {
      throw new MortarError(
        'FAILED_PRECONDITION',
        'successive-halving pruner needs a single-objective study',
      );
    }
    const last = lastIntermediate(trial);
    if (!last) return false;
    const minResource = resolveMinResource(study, this.minResource);
    if (minResource === undefined) return false;
    const maximize = study.directions[0] === 'maximize';
    const eta = this.reductionFactor;
    for (let rung = 0; ; rung++) {
      const step = minResource * eta ** (this.minEarlyStoppingRate + rung);
      if (last.step < step) return false;
      const mine = valueFrom(trial, step) as number;
      const competing: number[] = [];
      for (const t of study.trials()) {
        if (t.number === trial.number) continue;
        const v = valueFrom(t, step);
        if (v !== undefined) competing.push(v);
      }
      competing.push(mine);
      competing.sort((a, b) => a - b);
      const k = Math.max(Math.floor(competing.length / eta) - 1, 0);
      const promotable = maximize
        ? mine >= (competing[competing.length - 1 - k] as number)
        : mine <= (competing[k] as number);
      if (!promotable) return true;
    }
  }

  toConfig(): Record<string, number | string> {
    return {
      minResource: this.minResource,
      reductionFactor: this.reductionFactor,
      minEarlyStoppingRate: this.minEarlyStoppingRate,
    };
  }
}
