/**
 * Median pruning (Optuna's MedianPruner): the {@link PercentilePruner} at the 50th percentile.
 */
import { PercentilePruner, type PercentilePrunerOptions } from './percentile.js';

/** Options of {@link MedianPruner}. */
export type MedianPrunerOptions = Omit<PercentilePrunerOptions, 'percentile'>;

/**
 * Prunes a trial whose best value so far is worse than the median of complete trials at the step.
 * @example new MedianPruner({ nStartupTrials: 5, nWarmupSteps: 10 })
 */
export class MedianPruner extends PercentilePruner {
  override readonly kind = 'median';
  constructor(opts: MedianPrunerOptions = {}) {
    super({ ...opts, percentile: 50 });
  }
  override toConfig(): Record<string, number> {
    const { percentile: _p, ...rest } = super.toConfig();
    return rest;
  }
}
