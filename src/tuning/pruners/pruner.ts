/**
 * The pruner contract (Optuna's BasePruner): one method.
 */
import type { Pluggable } from '../../core/registry.js';
import type { FrozenTrial, StudyView } from '../trial.js';

/**
 * Decides whether a running trial should stop early.
 *
 * **Call order:** the study calls `prune` from `trial.shouldPrune()`, after the trial's latest
 * `report(step, value)` is stored. `trial.intermediate` holds its reports sorted by step.
 * **Study view:** a fresh snapshot of every trial at that moment. Pruners read intermediate values
 * of complete (and, where stated, pruned or running) trials and compare on the trial's last step.
 * **Thread safety / determinism:** `prune` is a pure function of its arguments and the pruner's
 * config; it keeps no mutable state, so one instance may serve any number of trials.
 * **Immutability:** never mutate `study` or `trial`.
 * **Errors:** throw MortarError `INVALID_ARGUMENT` from the constructor for bad options; `prune`
 * itself does not throw for missing data, it answers `false`.
 */
export interface Pruner extends Pluggable {
  /** True if `trial` should be pruned now. */
  prune(study: StudyView, trial: FrozenTrial): boolean;
}

/** A pruner that never prunes (the default). */
export class NopPruner implements Pruner {
  readonly kind = 'nop';
  prune(): boolean {
    return false;
  }
  toConfig(): Record<string, never> {
    return {};
  }
}
