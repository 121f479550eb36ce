/**
 * Hyperband (Li et al. 2018; Optuna's HyperbandPruner): several successive-halving brackets with
 * different early-stopping rates. Each trial belongs to one bracket (a hash of its number, weighted
 * by the bracket's budget) and competes only with trials of its bracket.
 */
import { MortarError } from '../../core/errors.js';
import { lastIntermediate, type FrozenTrial, type StudyView, type TrialState } from '../trial.js';
import type { Pruner } from './pruner.js';
import { SuccessiveHalvingPruner } from './successive-halving.js';

/** Options of {@link HyperbandPruner}. */
export interface HyperbandPrunerOptions {
  /** Steps of the smallest rung (default 1). */
  readonly minResource?: number;
  /** Steps of a full trial, or `'auto'`: the first complete trial's last step (default). */
  readonly maxResource?: number | 'auto';
  /** eta (default 3). */
  readonly reductionFactor?: number;
}

function hash32(x: number): number {
  let h = Math.imul(x ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The Hyperband pruner.
 * @example new HyperbandPruner({ minResource: 1, maxResource: 81, reductionFactor: 3 })
 */
export class HyperbandPruner implements Pruner {
  readonly kind = 'hyperband';
  readonly minResource: number;
  readonly maxResource: number | 'auto';
  readonly reductionFactor: number;

  constructor(opts: HyperbandPrunerOptions = {}) {
    this.minResource = opts.minResource ?? 1;
    this.maxResource = opts.maxResource ?? 'auto';
    this.reductionFactor = opts.reductionFactor ?? 3;
    if (!(Number.isInteger(this.minResource) && this.minResource >= 1)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `minResource must be an integer >= 1, got ${this.minResource}`,
      );
    }
    if (
      this.maxResource !== 'auto' &&
      !(Number.isInteger(this.maxResource) && this.maxResource >= this.minResource)
    ) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `maxResource must be 'auto' or an integer >= minResource, got ${this.maxResource}`,
      );
    }
    if (!(Number.isInteger(this.reductionFactor) && this.reductionFactor >= 2)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `reductionFactor must be an integer >= 2, got ${this.reductionFactor}`,
      );
    }
  }

  private maxOf(study: StudyView): number | undefined {
    if (this.maxResource !== 'auto') return this.maxResource;
    const first = study.trials(['complete']).find((t) => t.intermediate.length > 0);
    return first ? lastIntermediate(first)?.step : undefined;
  }

  /** Number of brackets for `maxResource`. */
  nBrackets(maxResource: number): number {
    const ratio = maxResource / this.minResource;
    return Math.floor(Math.log(ratio) / Math.log(this.reductionFactor) + 1e-9) + 1;
  }

  /** The bracket of trial `number` (brackets weighted by Optuna's budget allocation). */
  bracketOf(number: number, nBrackets: number): number {
    const budgets = Array.from({ length: nBrackets }, (_, b) => {
      const s = nBrackets - 1 - b;
      return Math.ceil((nBrackets * this.reductionFactor ** s) / (s + 1));
    });
    const total = budgets.reduce((a, b) => a + b, 0);
    let n = hash32(number) % total;
    for (let b = 0; b < nBrackets; b++) {
      n -= budgets[b] as number;
      if (n < 0) return b;
    }
    return nBrackets - 1;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const max = this.maxOf(study);
    if (max === undefined) return false;
    const nb = this.nBrackets(max);
    const bracket = this.bracketOf(trial.number, nb);
    const sha = new SuccessiveHalvingPruner({
      minResource: this.minResource,
      reductionFactor: this.reductionFactor,
      minEarlyStoppingRate: bracket,
    });
    const view: StudyView = {
      name: study.name,
      directions: study.directions,
      trials: (states?: readonly TrialState[]) =>
        study.trials(states).filter((t) => this.bracketOf(t.number, nb) === bracket),
    };
    return sha.prune(view, trial);
  }

  toConfig(): Record<string, number | string> {
    return {
      minResource: this.minResource,
      maxResource: this.maxResource,
      reductionFactor: this.reductionFactor,
    };
  }
}
