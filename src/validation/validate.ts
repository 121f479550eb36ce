import type { Anomaly } from './anomaly.js';
import { correlationChange } from './comparators/correlation.js';
import { jensenShannon, lInfinity } from './comparators/categorical.js';
import type {
  CompareContext,
  DatasetComparator,
  FeatureComparator,
} from './comparators/comparator.js';
import { duplicateRows } from './comparators/duplicates.js';
import { nullRate } from './comparators/null-rate.js';
import { numericKs } from './comparators/numeric-ks.js';
import { rowCount } from './comparators/row-count.js';
import { stringLength } from './comparators/string-length.js';
import { valueSpike } from './comparators/value-spike.js';
import type { Profile } from './profile/profile.js';
import { checkSchema } from './schema/check.js';
import { inferSchema } from './schema/infer.js';
import type { SchemaJson } from './schema/types.js';

/** The comparators {@link validate} runs by default, in order. */
export function defaultFeatureComparators(): FeatureComparator[] {
  return [numericKs(), valueSpike(), lInfinity(), jensenShannon(), nullRate(), stringLength()];
}

/** The dataset-level comparators {@link validate} runs by default. */
export function defaultDatasetComparators(): DatasetComparator[] {
  return [duplicateRows(), correlationChange()];
}

/** Options of {@link validate}. */
export interface ValidateOptions {
  /** Constraints to check; inferred from `reference` when omitted and a reference is given. */
  readonly schema?: SchemaJson;
  /** The profile to compare against (previous batch for drift, training data for skew). */
  readonly reference?: Profile;
  /** `drift` (default) or `skew`: only the wording differs. */
  readonly mode?: 'drift' | 'skew';
  /** The batch's environment (e.g. `SERVING`): features excluded from it are not checked. */
  readonly environment?: string;
  /** Family-wise false-alarm rate per comparator (default 1e-3). */
  readonly alpha?: number;
  /** Flag row-count drift outside these ratios of the reference's rows (off by default). */
  readonly rowCount?: { readonly minRatio: number; readonly maxRatio: number };
  /** Replace the feature comparators (experts only). */
  readonly comparators?: readonly FeatureComparator[];
  /** Replace the dataset comparators. */
  readonly datasetComparators?: readonly DatasetComparator[];
}

/**
 * Validates a batch's profile: against a schema (TFDV-style constraint checks, severity `error`)
 * and against a reference profile (drift/skew comparators, severity `warning`). With only a
 * reference, the schema is inferred from it. Defaults are sample-size aware: every threshold
 * widens for small batches (and small references) and has a practical floor for huge ones.
 *
 * @example
 * const anomalies = validate(batchProfile, { schema, reference: trainProfile, environment: 'SERVING' });
 */
export function validate(batch: Profile, opts: ValidateOptions = {}): Anomaly[] {
  const alpha = opts.alpha ?? 1e-3;
  const schema = opts.schema ?? (opts.reference ? inferSchema(opts.reference) : undefined);
  const out: Anomaly[] = [];
  if (schema) out.push(...checkSchema(batch, schema, { environment: opts.environment, alpha }));
  const ref = opts.reference;
  if (!ref) return out;
  const excluded = new Set(
    (schema?.features ?? [])
      .filter(
        (f) =>
          opts.environment !== undefined && (f.notInEnvironments ?? []).includes(opts.environment),
      )
      .map((f) => f.name),
  );
  // A feature whose type no longer matches is already an error; drift on it would be noise.
  const typeBroken = new Set(
    out.filter((a) => a.type === 'UNEXPECTED_DATA_TYPE').map((a) => a.feature),
  );
  const pairs = [...batch.features.values()]
    .filter((f) => !excluded.has(f.name) && !typeBroken.has(f.name))
    .map((f) => [f, ref.features.get(f.name)] as const)
    .filter((p): p is readonly [(typeof p)[0], NonNullable<(typeof p)[1]>] => p[1] !== undefined);
  const ctx: CompareContext = {
    alpha,
    tests: Math.max(1, pairs.length),
    mode: opts.mode ?? 'drift',
  };
  const comparators = opts.comparators ?? defaultFeatureComparators();
  for (const [b, r] of pairs) for (const c of comparators) out.push(...c.compare(b, r, ctx));
  const datasetComparators = [
    ...(opts.datasetComparators ?? defaultDatasetComparators()),
    ...(opts.rowCount ? [rowCount(opts.rowCount)] : []),
  ];
  for (const c of datasetComparators) out.push(...c.compare(batch, ref, ctx));
  return out;
}
