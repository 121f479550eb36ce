/**
 * `mortar/tuning`: black-box optimization. A {@link Study} hands out trials (`ask`), records
 * results (`tell`), and drives objectives with `optimize`; samplers propose parameters, pruners
 * stop unpromising trials, and a journal-backed storage makes studies durable and resumable.
 */
export {
  Study,
  Trial,
  TrialPruned,
  type StudyOptions,
  type LoadStudyOptions,
  type TellOptions,
  type TrialInput,
  type Objective,
  type OptimizeOptions,
  type OptimizeResult,
} from './study.js';
export {
  categoricalDistribution,
  contains,
  distributionsCompatible,
  distributionsEqual,
  floatDistribution,
  fromUnit,
  gridSize,
  intDistribution,
  isSingle,
  paddedBounds,
  snap,
  toExternal,
  toInternal,
  toUnit,
  validateDistribution,
  type CategoricalChoice,
  type CategoricalDistribution,
  type Distribution,
  type FloatDistribution,
  type IntDistribution,
  type NumericOptions,
  type ParamValue,
} from './distributions.js';
export {
  defineSpace,
  isActive,
  paramSpecSchema,
  parseSpace,
  parseSpaceText,
  sampleSpace,
  spaceSchema,
  specDistribution,
  type Condition,
  type InferParams,
  type ParamSpec,
  type SearchSpace,
} from './space.js';
export {
  TRIAL_STATES,
  freezeTrial,
  intermediateAt,
  isFeasible,
  isFinished,
  lastIntermediate,
  totalViolation,
  type Direction,
  type FinishedState,
  type FrozenTrial,
  type IntermediateValue,
  type StudyView,
  type TrialState,
} from './trial.js';
export { parseConstraint, violations, type Constraint } from './constraints.js';
export {
  compareTrials,
  crowdingDistance,
  dominates,
  hypervolume,
  lossOf,
  nondominatedSort,
  paretoFront,
  referencePoint,
  selectByHypervolume,
} from './ranking.js';
export type {
  NewTrial,
  ParamRecord,
  StudyRecord,
  TrialFinish,
  TrialStorage,
  TrialUpdate,
} from './storage.js';
export {
  JournalStorage,
  MemoryJournal,
  StudyState,
  memoryStorage,
  type JournalEntry,
  type JournalStorageOptions,
  type StudyEvent,
  type TrialJournal,
} from './journal.js';
export * from './samplers/index.js';
export * from './pruners/index.js';
export { storeJournal, storeStorage } from './store-journal.js';
export { StoreCoordinator, type CoordinatorOptions } from './coordination.js';
export { paramImportances, type ImportanceOptions, type ParamImportance } from './importance.js';
export {
  fromOptunaJournal,
  fromOptunaDistribution,
  toOptunaDistribution,
  toOptunaJournal,
  type OptunaStudy,
} from './optuna-journal.js';
