import type { FrequentJson } from '../sketches/frequent.js';
import type { HllJson } from '../sketches/hll.js';
import type { KllJson } from '../sketches/kll.js';
import type { RowSamplerJson } from '../sketches/kmv.js';
import type { CoMomentsJson, MomentsJson } from '../sketches/moments.js';

/** The on-disk format tag of a profile. */
export const PROFILE_FORMAT = 'mortar-profile';
/** The profile layout version this build reads and writes. */
export const PROFILE_VERSION = 1;

/** A feature's logical type as validation sees it (TFDV-like). */
export type FeatureType = 'INT' | 'FLOAT' | 'STRING' | 'BOOL' | 'TIMESTAMP' | 'LIST' | 'OTHER';

/** Statistics of a numeric (INT, FLOAT, TIMESTAMP) feature. */
export interface NumericStatsJson {
  /** Welford moments over the finite values. */
  readonly moments: MomentsJson;
  /** Weighted moments when the profile has a weight column. */
  readonly weighted?: MomentsJson;
  readonly min: number | null;
  readonly max: number | null;
  readonly zeros: number;
  /** Present values that are NaN. */
  readonly nan: number;
  /** Present values that are +-Infinity. */
  readonly inf: number;
  /** Finite values with a fractional part. */
  readonly nonIntegral: number;
  /**
   * KLL quantile sketch over the finite values (a block sample of them, with the sampling error
   * counted in `rankError()`, once a profile passes 131,072 rows).
   */
  readonly quantiles: KllJson;
  /**
   * Most frequent values: Misra-Gries over every finite value (each batch's exact run counts, cut
   * back to capacity), so each true count is in [count, count + offset]; once a profile passes
   * 131,072 rows the counts come from a block sample and are scaled (see `sketches/sample.ts`).
   */
  readonly top: FrequentJson<number>;
  /** The 32 smallest (ascending) and largest (descending) finite values, exact. */
  readonly extremes?: { readonly low: readonly number[]; readonly high: readonly number[] };
}

/** Statistics of a string or boolean feature. */
export interface StringStatsJson {
  /** HyperLogLog over the values. */
  readonly distinct: HllJson;
  /** Misra-Gries frequent values: exact while `offset` is 0. */
  readonly top: FrequentJson<string>;
  /** Moments of the string lengths. */
  readonly lengths: MomentsJson;
  readonly minLength: number | null;
  readonly maxLength: number | null;
}

/** Number of values per row for list features. */
export interface ValencyJson {
  readonly moments: MomentsJson;
  readonly min: number | null;
  readonly max: number | null;
}

/** Everything a profile knows about one feature. */
export interface FeatureProfileJson {
  readonly name: string;
  readonly type: FeatureType;
  /** The type the source named (e.g. `DOUBLE`), for display. */
  readonly sourceType?: string;
  /** Rows where the feature is present (not null). */
  readonly present: number;
  /** Rows where it is null/missing. */
  readonly missing: number;
  /** Sum of weights of present rows (weighted profiles only). */
  readonly weightPresent?: number;
  readonly numeric?: NumericStatsJson;
  readonly string?: StringStatsJson;
  readonly valency?: ValencyJson;
}

/** Pairwise correlation summaries of the first numeric features. */
export interface CorrelationsJson {
  readonly features: readonly string[];
  /** Upper triangle, row-major: (0,1), (0,2), ..., (1,2), ... */
  readonly pairs: readonly CoMomentsJson[];
}

/**
 * A dataset profile: serializable (plain JSON) and mergeable — merging the profiles of shards
 * gives the profile of their union, within the sketches' stated errors.
 */
export interface ProfileJson {
  readonly format: typeof PROFILE_FORMAT;
  readonly version: typeof PROFILE_VERSION;
  /** Rows profiled. */
  readonly rows: number;
  /** Total weight when a weight column was given. */
  readonly weight?: number;
  /** The weight column, if any. */
  readonly weightColumn?: string;
  readonly features: readonly FeatureProfileJson[];
  /** Row-hash sample for duplicate detection (absent when disabled). */
  readonly duplicates?: RowSamplerJson;
  readonly correlations?: CorrelationsJson;
  /** Per-slice profiles, keyed `column=value` or by a slicing function's name and result. */
  readonly slices?: Readonly<Record<string, ProfileJson>>;
}
