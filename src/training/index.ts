/**
 * Training: layers and Sequential networks on the tensor engine, model recipes (linear,
 * logistic and softmax regression, MLP, CNN), losses, optimizers and schedules, the training
 * loop with callbacks (early stopping, checkpoints, pruning reports), worker-thread data
 * parallelism, tabular encoding, model artifacts in the store, and ONNX export. Classic
 * typed-array models live in `./classic/`. See README.md.
 */
export * from './nn/index.js';
export * from './losses/index.js';
export * from './optim/index.js';
export { NetworkModel } from './models/model.js';
export {
  MODEL_RECIPES,
  modelRecipe,
  type ModelRecipe,
  type ModelShape,
  type Task,
  type RecipeBuilder,
} from './models/recipe.js';
export type { Dataset } from './train/dataset.js';
export { checkDataset, takeRows } from './train/dataset.js';
export type {
  Callback,
  EpochLogs,
  TrainingControl,
  TrainingSnapshot,
  BatchInfo,
} from './train/callback.js';
export { fit, evaluateModel, type FitOptions, type FitResult } from './train/fit.js';
export { LocalExecutor, type GradientExecutor } from './train/executor.js';
export { ParallelExecutor, type ParallelExecutorOptions } from './train/parallel.js';
export { runRows, type StepResult } from './train/step.js';
export { earlyStopping, type EarlyStoppingOptions } from './train/callbacks/early-stopping.js';
export { reportTo, onEpoch, type IntermediateReporter } from './train/callbacks/report.js';
export {
  checkpointTo,
  saveCheckpoint,
  loadCheckpoint,
  encodeSnapshot,
  decodeSnapshot,
  CHECKPOINTS_COLLECTION,
} from './train/checkpoint.js';
export { TrainConfigSchema, type TrainConfig } from './tabular/config.js';
export {
  fitEncoder,
  encode,
  encodedWidth,
  encodedNames,
  EncoderSpecSchema,
  type EncoderSpec,
  type NanPolicy,
} from './tabular/encoder.js';
export {
  parseLabel,
  fitLabel,
  encodeLabel,
  LabelSpecSchema,
  type LabelSpec,
} from './tabular/label.js';
export {
  trainTabular,
  tabularDataset,
  networkMetrics,
  TABULAR_NETWORK_KINDS,
  type TabularInputs,
  type TrainTabularOptions,
  type TrainTabularResult,
} from './tabular/pipeline.js';
export {
  saveModel,
  loadModelArtifact,
  loadModelWeights,
  listModels,
  ModelArtifactSchema,
  MODELS_COLLECTION,
  MODEL_WEIGHTS_COLLECTION,
  type ModelArtifact,
  type ModelWeights,
} from './artifact.js';
export { exportOnnx, onnxTypes, ONNX_OPSET, type OnnxExportOptions } from './onnx/export.js';
export { verifyOnnx, type OnnxVerification } from './onnx/verify.js';
export {
  openModel,
  evaluateOpened,
  classicDataset,
  dropNanRows,
  TABULAR_CLASSIC_KINDS,
  type OpenedModel,
  type ClassicColumns,
} from './stored.js';
export { classicModel, CLASSIC_MODELS, restoreClassicModel } from './classic/index.js';
export * from './hogwild/index.js';
