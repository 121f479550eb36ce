import type { FeatureType } from '../profile/types.js';

/** The on-disk format tag of a schema. */
export const SCHEMA_FORMAT = 'mortar-schema';
/** The schema layout version this build reads and writes. */
export const SCHEMA_VERSION = 1;

/** Constraints on one feature. Every field but `name` and `type` is optional and editable. */
export interface FeatureSchema {
  readonly name: string;
  readonly type: FeatureType;
  /** Lowest acceptable fraction (and count) of rows where the feature is present. */
  readonly presence?: { readonly minFraction: number; readonly minCount?: number };
  /** Values per row for list features. */
  readonly valency?: { readonly min: number; readonly max: number };
  /**
   * The known values of a categorical feature. `unseenRate` is the Good-Turing allowance: the
   * share of rows that may carry values outside `values` (the reference's long tail).
   */
  readonly domain?: { readonly values: readonly string[]; readonly unseenRate: number };
  /** Accepted numeric range (inferred with a tolerance from the reference's order statistics). */
  readonly range?: {
    readonly min: number;
    readonly max: number;
    /**
     * Share of values that may fall outside by chance (genuine rare outliers); the count outside
     * is tested against a binomial bound at this rate. Default 0 (any value outside is flagged).
     */
    readonly outlierRate?: number;
  };
  /** Whether NaN/Infinity values are acceptable (default false when inferred from clean data). */
  readonly allowNaN?: boolean;
  /** Environments where this feature is not expected (e.g. the label in `SERVING`). */
  readonly notInEnvironments?: readonly string[];
}

/** A schema: constraints a batch must satisfy, inferred from statistics and then edited by hand. */
export interface SchemaJson {
  readonly format: typeof SCHEMA_FORMAT;
  readonly version: typeof SCHEMA_VERSION;
  /** Named environments (default `TRAINING`, `SERVING`). */
  readonly environments: readonly string[];
  readonly dataset?: { readonly minRows?: number };
  readonly features: readonly FeatureSchema[];
}
