/**
 * Classic models over typed arrays, in plain TypeScript: matrix factorization (SGD), Lasso
 * (coordinate descent), logistic regression (L-BFGS) and LDA (collapsed Gibbs sampling); the
 * sparse CSR matrix, LIBSVM and LDA-C readers, and dataset builders from record batches.
 * Start with {@link CLASSIC_MODELS}; see README.md in this folder.
 */
export type {
  ClassicDataset,
  ClassicDatasetKind,
  ClassicFitOptions,
  ClassicModel,
  ClassicModelJson,
  ClassicModelKind,
  CorpusDataset,
  EpochReport,
  FeatureMatrix,
  FeaturesDataset,
  NanPolicy,
  RatingsDataset,
} from './types.js';
export { CLASSIC_MODELS, classicModel, restoreClassicModel } from './registry.js';
export { CsrMatrix } from './sparse.js';
export { DenseMatrix } from './dense.js';
export { parseLibsvm, readLibsvm, type LibsvmOptions } from './libsvm.js';
export { corpusFromTexts, parseLdac, readLdac, type LdacOptions } from './ldac.js';
export { corpusFromBatch, featuresFromBatch, ratingsFromBatch } from './tables.js';
export { MfConfigSchema, MfModel, matrixFactorization, type MfConfig } from './mf.js';
export { mfSgdEpoch, type MfParams, type MfState } from './mf-kernel.js';
export { MfHogwild, sharedF64, sharedI32 } from './mf-hogwild.js';
export { LassoConfigSchema, LassoModel, lasso, type LassoConfig, type LassoPath } from './lasso.js';
export {
  LogregConfigSchema,
  LogregModel,
  logisticRegression,
  type LogregConfig,
} from './logreg.js';
export { LdaConfigSchema, LdaModel, lda, type LdaConfig, type TopicWord } from './lda.js';
export { lbfgs, type LbfgsOptions, type LbfgsResult, type Objective } from './lbfgs.js';
export { IdMap, type Id } from './idmap.js';
