import { MortarError } from '../../core/errors.js';
import type { FeatureStats } from '../profile/feature.js';
import type { Profile } from '../profile/profile.js';
import { wilsonUpper } from '../sketches/math.js';
import { SCHEMA_FORMAT, SCHEMA_VERSION, type FeatureSchema, type SchemaJson } from './types.js';

/** Options of {@link inferSchema}. */
export interface InferOptions {
  /** The label feature: marked absent in `SERVING`. */
  readonly label?: string;
  /** Largest domain kept for a string feature (default 1000). */
  readonly maxDomainSize?: number;
  /** Environments to declare (default `['TRAINING', 'SERVING']`). */
  readonly environments?: readonly string[];
}

/** Normal quantile used for the conservative bounds of inference (3 sigma). */
const Z = 3;
/** How many order-statistic gaps a range bound moves out (see inferRange). */
const TOLERANCE = 3;
/** The same on the log(1 + x) scale of skewed non-negative data. */
const TOLERANCE_LOG = 1.5;

function inferRange(f: FeatureStats): FeatureSchema['range'] {
  const num = f.numeric;
  if (!num || f.type === 'TIMESTAMP' || num.moments.n === 0) return undefined;
  const n = num.kll.n;
  const min = num.min;
  const max = num.max;
  // Tolerance from order statistics: each bound moves out by TOLERANCE times the gap between the
  // extreme and the k-th order statistic next to it (k = n/20, 1..10) — an extreme-value
  // extrapolation that covers batches several times larger than the reference. Non-negative
  // data are extrapolated on a log(1 + x) scale, so heavy right tails (prices, counts) get room
  // in proportion and negative values (sentinels such as -1) stay out.
  const k = Math.min(10, Math.max(1, Math.floor(n / 20)));
  const [klo, khi, med] = num.kll.quantiles([k / n, 1 - k / n, 0.5]) as [number, number, number];
  // The k-th order statistics exactly from the kept extremes where they reach (k <= 10 < 32),
  // else the sketch's estimates (a rank of k / n is far below its error).
  const qlo = num.low.length >= k ? (num.low[k - 1] as number) : klo;
  const qhi = num.high.length > k ? (num.high[k] as number) : khi;
  // Log scale for non-negative, right-skewed data only (temperatures near 0 stay linear).
  const logScale = min >= 0 && max - med > 3 * (med - min);
  const t = logScale ? Math.log1p : (x: number) => x;
  const inv = logScale ? Math.expm1 : (x: number) => x;
  const spread = Math.max(t(max) - t(min), 0);
  const loGap = Math.max(t(qlo) - t(min), 0.02 * spread);
  const hiGap = Math.max(t(max) - t(qhi), 0.02 * spread);
  const tol = logScale ? TOLERANCE_LOG : TOLERANCE;
  let lo = inv(t(min) - tol * loGap);
  let hi = inv(t(max) + tol * hiGap);
  if (logScale) lo = Math.max(lo, -0.5);
  if (f.type === 'INT') {
    lo = Math.floor(lo);
    hi = Math.ceil(hi);
    if (logScale) lo = Math.max(lo, 0);
  }
  // A fresh value lands beyond the reference's extremes with chance 2 / (n + 1); beyond the
  // extrapolated range far less often, so this allowance is conservative.
  const outlierRate = Number((2 / (n + 1)).toPrecision(3));
  return { min: Number(lo.toPrecision(8)), max: Number(hi.toPrecision(8)), outlierRate };
}

function inferDomain(f: FeatureStats, maxDomain: number): FeatureSchema['domain'] {
  const s = f.string;
  if (!s || !s.top.exact || f.present === 0) return undefined;
  const entries = s.top.top();
  if (entries.length > maxDomain) return undefined;
  if (f.type !== 'BOOL' && entries.length > Math.max(20, f.present / 2)) return undefined;
  const singletons = entries.filter(([, c]) => c === 1).length;
  // Good-Turing: the share of future rows with a value never seen is about singletons / n;
  // its upper 2-sigma bound is the allowance.
  const unseenRate = wilsonUpper(singletons, f.present, 2);
  return { values: entries.map(([v]) => v).sort(), unseenRate: Number(unseenRate.toPrecision(4)) };
}

/**
 * Infers a schema from a profile: each feature's type, presence (a lower bound on the present
 * fraction, 3-sigma below what was seen, so it is not tighter than the data justify), valency,
 * string domains with a Good-Turing allowance for unseen values, numeric ranges widened by a
 * tolerance from order statistics, and the label marked absent in `SERVING`.
 *
 * @throws INVALID_ARGUMENT when `label` is not a feature of the profile.
 */
export function inferSchema(profile: Profile, opts: InferOptions = {}): SchemaJson {
  if (opts.label !== undefined && !profile.features.has(opts.label)) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `label "${opts.label}" is not a feature of the data; features are: ${[...profile.features.keys()].join(', ')}`,
      { details: { parameter: 'label', feature: opts.label } },
    );
  }
  const maxDomain = opts.maxDomainSize ?? 1000;
  const features: FeatureSchema[] = [];
  for (const f of profile.features.values()) {
    const rows = f.present + f.missing;
    const missingUpper = wilsonUpper(f.missing, rows, Z);
    const num = f.numeric;
    const range = inferRange(f);
    const domain = inferDomain(f, maxDomain);
    features.push({
      name: f.name,
      type: f.type,
      presence: { minFraction: Number(Math.max(0, 1 - missingUpper).toPrecision(6)) },
      ...(f.valency && Number.isFinite(f.valency.min)
        ? { valency: { min: f.valency.min, max: f.valency.max } }
        : {}),
      ...(domain ? { domain } : {}),
      ...(range ? { range } : {}),
      ...(num ? { allowNaN: num.nan + num.inf > 0 } : {}),
      ...(f.name === opts.label ? { notInEnvironments: ['SERVING'] } : {}),
    });
  }
  return {
    format: SCHEMA_FORMAT,
    version: SCHEMA_VERSION,
    environments: [...(opts.environments ?? ['TRAINING', 'SERVING'])],
    features,
  };
}
