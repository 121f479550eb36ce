import type { Anomaly } from '../anomaly.js';
import type { FeatureStats } from '../profile/feature.js';
import type { Profile } from '../profile/profile.js';

/** What every comparator is told about the comparison as a whole. */
export interface CompareContext {
  /**
   * Family-wise false-alarm rate of one comparator over the whole batch (default 1e-3);
   * comparators divide it among their tests (Bonferroni: `alpha / tests`).
   */
  readonly alpha: number;
  /** Number of features compared (for the Bonferroni split). */
  readonly tests: number;
  /** `drift` (batch vs previous batch) or `skew` (serving vs training): only wording differs. */
  readonly mode: 'drift' | 'skew';
}

/**
 * Compares one feature of a batch with the same feature of a reference profile.
 *
 * Contract: pure and deterministic (same inputs, same anomalies); never mutates its inputs;
 * returns `[]` when it does not apply (another feature type, no values on either side); thresholds
 * are **sample-size aware**: a clean random sample of any size from the reference's population
 * raises an anomaly with probability at most about `ctx.alpha / ctx.tests`. Every anomaly it
 * returns names `batch.name` as its feature and has severity `warning`.
 */
export interface FeatureComparator {
  /** Stable name, e.g. `numeric-ks`. */
  readonly kind: string;
  compare(batch: FeatureStats, reference: FeatureStats, ctx: CompareContext): Anomaly[];
}

/**
 * Compares whole profiles (duplicates, row counts, correlations). Same contract as
 * {@link FeatureComparator}; anomalies name feature `"*"` or the features involved.
 */
export interface DatasetComparator {
  readonly kind: string;
  compare(batch: Profile, reference: Profile, ctx: CompareContext): Anomaly[];
}

/** Words for a comparison mode. */
export function modeWord(ctx: CompareContext): string {
  return ctx.mode === 'skew' ? 'skew vs training' : 'drift vs reference';
}
