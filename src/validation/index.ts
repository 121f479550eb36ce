/**
 * Validation: mergeable statistics profiles (KLL quantiles, HyperLogLog, Misra-Gries, Welford
 * moments), schemas inferred from them, and validation of batches against a schema and a
 * reference profile (drift and skew) with sample-size-aware thresholds; per-feature history with
 * anomaly detection on metric series; an HTML report; and the corruption quality suite.
 */
export { type Anomaly, type FailOn, type Severity, shouldFail } from './anomaly.js';
export { KllSketch, type KllJson } from './sketches/kll.js';
export { HyperLogLog, type HllJson } from './sketches/hll.js';
export { FrequentItems, type FrequentJson } from './sketches/frequent.js';
export { Moments, CoMoments, type MomentsJson, type CoMomentsJson } from './sketches/moments.js';
export { RowSampler, type RowSamplerJson } from './sketches/kmv.js';
export { FeatureStats, DEFAULT_SKETCHES, type SketchOptions } from './profile/feature.js';
export {
  Profile,
  profileBatch,
  mergeProfiles,
  type ProfileOptions,
  type SliceSpec,
} from './profile/profile.js';
export { profileFile, type ProfileFileOptions } from './profile/file.js';
export type { BatchView, ColumnView } from './profile/view.js';
export { parseProfile, readProfile, isProfileJson } from './profile/parse.js';
export * from './profile/types.js';
export * from './schema/types.js';
export { inferSchema, type InferOptions } from './schema/infer.js';
export { parseSchema, readSchemaFile, writeSchemaFile, requireFeatures } from './schema/parse.js';
export { checkSchema, type SchemaCheckOptions } from './schema/check.js';
export type {
  CompareContext,
  DatasetComparator,
  FeatureComparator,
} from './comparators/comparator.js';
export { numericKs, ksDistance } from './comparators/numeric-ks.js';
export { lInfinity, jensenShannon } from './comparators/categorical.js';
export { nullRate } from './comparators/null-rate.js';
export { valueSpike } from './comparators/value-spike.js';
export { stringLength } from './comparators/string-length.js';
export { duplicateRows } from './comparators/duplicates.js';
export { rowCount } from './comparators/row-count.js';
export { correlationChange } from './comparators/correlation.js';
export {
  validate,
  defaultFeatureComparators,
  defaultDatasetComparators,
  type ValidateOptions,
} from './validate.js';
export {
  recordHistory,
  readHistory,
  historyFeatures,
  detectSeriesAnomalies,
  featureMetrics,
  type FeatureMetrics,
  type HistoryPoint,
} from './history.js';
export { validationReport } from './report.js';
export {
  runQualitySuite,
  type QualityDataset,
  type QualityOptions,
  type QualityResult,
  type QualityCase,
} from './quality/suite.js';
export { CORRUPTIONS, type Corruption, type Corrupted } from './quality/corruptions.js';
