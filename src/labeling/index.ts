/**
 * Weak supervision: typed labeling functions and preprocessors, declarative LFs from JSON,
 * appliers (in-process, worker threads, streaming over files), the sparse label matrix (CSV and
 * store I/O), LF analysis, label models behind one interface, label merging and a noise-aware
 * end model. See README.md in this folder.
 */
export { ABSTAIN, type ApplyFailures, type Label, type LabelingFunction } from './types.js';
export { labelingFunction, checkLfNames, checkVote, type LabelingFunctionOptions } from './lf.js';
export {
  preprocessor,
  chain,
  type Preprocessor,
  type PreprocessorOptions,
} from './preprocessor.js';
export {
  lfsFromJson,
  DeclarativeLfSchema,
  DeclarativeLfFileSchema,
  type DeclarativeLfFile,
  type Record_ as LfRecord,
} from './declarative.js';
export { loadLfModuleExport } from './lf-module.js';
export { phraseMatcher, PhraseMatcher, type PhraseGroupSpec, type PhraseScan } from './phrases.js';
export { LabelMatrix, LabelMatrixBuilder, checkCardinality, defaultLfNames } from './matrix.js';
export {
  parseLabelMatrixCsv,
  readLabelMatrixCsv,
  writeLabelMatrixCsv,
  formatLabelMatrixCsv,
  formatLabelMatrixRows,
  openLabelMatrixCsvWriter,
  parseGoldCsv,
  readGoldCsv,
  checkGold,
  type LabelMatrixCsvWriter,
} from './matrix-csv.js';
export {
  saveLabelMatrix,
  loadLabelMatrix,
  LABEL_MATRICES,
  labelMatrixStream,
} from './matrix-store.js';
export {
  applyLFs,
  applyChunk,
  FailureTally,
  type ApplyOptions,
  type ApplyResult,
} from './apply.js';
export {
  createApplierPool,
  applyInWorkers,
  inProcessApplier,
  type ChunkApplier,
  type PoolOptions,
} from './apply-pool.js';
export { applyToFile, type StreamApplyOptions, type StreamApplyResult } from './apply-stream.js';
export { lfSummary, lfSummaryReport, type LfSummary, type LfSummaryRow } from './analysis.js';
export type { LabelModel, LabelModelState, FitOptions, TiePolicy } from './models/label-model.js';
export { predictLabels, softmaxRows } from './models/common.js';
export { MajorityVote, MajorityVoteConfig } from './models/majority.js';
export { MatrixCompletion, MatrixCompletionConfig } from './models/matrix-completion.js';
export { Triplet, TripletConfig } from './models/triplet.js';
export { DawidSkene, DawidSkeneConfig } from './models/dawid-skene.js';
export {
  labelModels,
  createLabelModel,
  restoreLabelModel,
  selectLabelModel,
  DEFAULT_LABEL_MODEL,
  type CandidateScore,
} from './models/registry.js';
export { filterUnlabeled } from './filter.js';
export { mergeLabels, type LabelSource, type MergeOptions, type MergedLabels } from './merge.js';
export {
  NoiseAwareLogReg,
  EndModelConfig,
  hashBagOfWords,
  scoreLabels,
  type HashedFeatures,
} from './end-model.js';
